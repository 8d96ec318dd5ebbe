#!/usr/bin/env bash
# The C++ sources are clang-formatted (.clang-format: Google style, 100 columns).
#   scripts/check_format.sh          list the files that are not, exit 1 if any
#   scripts/check_format.sh --fix    format them in place
set -euo pipefail
cd "$(dirname "$0")/.."
fix=0
[ "${1:-}" = "--fix" ] && fix=1
command -v clang-format >/dev/null || { echo "check_format: clang-format is missing (bash scripts/setup.sh installs it)" >&2; exit 2; }
mapfile -t files < <(find models sim traces bench tests fuzz -name '*.cc' -o -name '*.h' | grep -v '/harness/' | sort)
bad=0
for f in "${files[@]}"; do
  if [ "$fix" -eq 1 ]; then
    clang-format -i "$f"
  elif ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
    echo "not clang-formatted: $f"
    bad=$((bad + 1))
  fi
done
if [ "$bad" -ne 0 ]; then
  echo "$bad file(s) differ from clang-format; run: bash scripts/check_format.sh --fix"
  exit 1
fi
echo "all ${#files[@]} C++ files are clang-formatted"
