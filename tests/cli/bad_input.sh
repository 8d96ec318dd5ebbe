# Bad options and values: a message naming the option, exit status 2, no crash.
source "$(dirname "$0")/lib.sh"
expect_status 2 "unknown command" -- "$NPTSIM" frobnicate
expect_grep "$TMP/err" "unknown command 'frobnicate'" "names the command"
expect_status 2 "unknown option" -- "$NPTSIM" summary --no-such-option
expect_grep "$TMP/err" "no-such-option" "names the option"
expect_status 2 "bad arch" -- "$NPTSIM" summary --arch mips
expect_grep "$TMP/err" "'--arch'.*mips" "names --arch and the value"
expect_status 2 "bad size" -- "$NPTSIM" summary --guest-ram 4QB
expect_grep "$TMP/err" "'--guest-ram'" "names --guest-ram"
expect_status 2 "bad levels value" -- "$NPTSIM" summary --levels three
expect_grep "$TMP/err" "levels" "names --levels"
expect_status 2 "unsupported levels" -- "$NPTSIM" summary --arch x86_64 --levels 3
expect_grep "$TMP/err" "no 3-level" "explains the unsupported shape"
expect_status 2 "RAM larger than the space" -- "$NPTSIM" summary --arch riscv64 --levels 3 --guest-ram 1TiB
expect_grep "$TMP/err" "ends beyond the .* guest-physical space" "explains the size problem"
expect_status 2 "backend" -- "$NPTSIM" summary --backend zram
expect_grep "$TMP/err" "'--backend'" "names --backend"
finish
