# nptsim and each command explain themselves.
source "$(dirname "$0")/lib.sh"
expect_status 0 "top-level --help" -- "$NPTSIM" --help
expect_grep "$TMP/out" "Usage: nptsim COMMAND" "usage line"
expect_grep "$TMP/out" "conformance" "lists conformance"
expect_status 2 "no command" -- "$NPTSIM"
expect_grep "$TMP/err" "Usage" "usage on stderr"
for cmd in run compare summary conformance gen convert record info translate export-image params calibrate validate sweep; do
  expect_status 0 "$cmd --help" -- "$NPTSIM" "$cmd" --help
  expect_grep "$TMP/out" "Usage: nptsim $cmd" "$cmd usage"
done
finish
