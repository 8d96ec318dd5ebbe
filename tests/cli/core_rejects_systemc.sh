# The layer rule (DESIGN.md): code compiled as part of models/core cannot include SystemC.
# Control: the same file compiles without the ban, so the failure is the ban's doing.
CXX=$1
ROOT=$2
TMP=$3
mkdir -p "$TMP"
printf '#include <systemc>\nint main() { return 0; }\n' > "$TMP/uses_systemc.cc"
if ! "$CXX" -std=c++17 -fsyntax-only "$TMP/uses_systemc.cc" 2>"$TMP/control.err"; then
  echo "FAIL: control: <systemc> does not compile even without the ban (is libsystemc-dev installed?)"
  cat "$TMP/control.err" | head -5; exit 1
fi
if "$CXX" -std=c++17 -fsyntax-only -I"$ROOT/cmake/forbid_systemc" "$TMP/uses_systemc.cc" 2>"$TMP/ban.err"; then
  echo "FAIL: <systemc> compiled with the models/core include path"; exit 1
fi
grep -q "models/core must not include SystemC" "$TMP/ban.err" || { echo "FAIL: wrong error:"; cat "$TMP/ban.err"; exit 1; }
echo "ban works"
