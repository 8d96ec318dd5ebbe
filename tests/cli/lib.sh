# Helpers for the CLI tests. Usage in a test: source lib.sh; then `expect_status`, `expect_grep`.
# Arguments of every test script: NPTSIM DATA_DIR TMP_DIR.
set -u
NPTSIM=$1
DATA=$2
TMP=$3
rm -rf "$TMP" && mkdir -p "$TMP"
fails=0
# expect_status WANT DESCRIPTION -- COMMAND...: runs COMMAND, stdout to $TMP/out, stderr to $TMP/err.
expect_status() {
  local want=$1 what=$2
  shift 3
  "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL: $what: exit $got, wanted $want"; sed 's/^/  stderr: /' "$TMP/err" | head -5
    fails=$((fails + 1))
  fi
}
# expect_grep FILE REGEX DESCRIPTION
expect_grep() {
  if ! grep -Eq -- "$2" "$1"; then
    echo "FAIL: $3: /$2/ not in $(basename "$1")"; head -5 "$1" | sed 's/^/  /'
    fails=$((fails + 1))
  fi
}
finish() {
  if [ "$fails" -ne 0 ]; then echo "$fails check(s) failed"; exit 1; fi
  echo "all checks passed"
}
