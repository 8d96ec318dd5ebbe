#!/usr/bin/env bash
# Instruction profiles (valgrind callgrind) of the two hot paths of issue 6, on small runs of a
# Release build with debug information (the one bench/run_report.sh builds):
#   tlbhit   TLB-hit dominated: 2 M sequential reads over 64 KiB, x86_64, linear, timing on
#   walk2d   two-dimensional walks, all TLBs and walk caches off: 300 k uniform reads over 64 MiB
#            GVA (5% first touches), x86_64, linear, timing on
#   nocache  the report's sample_nocache case: traces/samples/gzip.nptb.xz (3.7 M accesses, each
#            a full two-dimensional walk), --tlb off --walk-cache off, x86_64, linear, timing on
# Instruction counts do not depend on the load of the machine. Writes callgrind.<name>.out and a
# summary <name>.txt (top functions by self and inclusive cost) into the output directory.
#
#   bash bench/profile.sh [--nptsim PATH] [--out DIR] [--arch A] [tlbhit] [walk2d] [nocache]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
nptsim="$repo/build-bench-release/obj/sim/nptsim"
out="${TMPDIR:-/tmp}/nptsim-profile"
arch=x86_64
which=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --nptsim) nptsim="$(realpath "$2")"; shift 2 ;;
    --out) out="$(realpath -m "$2")"; shift 2 ;;
    --arch) arch="$2"; shift 2 ;;
    tlbhit|walk2d|nocache) which+=("$1"); shift ;;
    -h|--help) sed -n 2,13p "$0"; exit 0 ;;
    *) echo "profile.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[[ ${#which[@]} -eq 0 ]] && which=(tlbhit walk2d)
command -v valgrind >/dev/null || { echo "profile.sh: valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
[[ -x "$nptsim" ]] || { echo "profile.sh: no nptsim at $nptsim (run bench/run_report.sh first, or --nptsim)" >&2; exit 1; }
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

profile() {  # name, gen options... (or --trace FILE), --, run options...
  local name="$1"; shift
  local gen=() run=() trace="$tmp/$name.nptb"
  while [[ "$1" != "--" ]]; do gen+=("$1"); shift; done
  shift; run=("$@")
  if [[ "${gen[0]}" == "--trace" ]]; then
    trace="${gen[1]}"
  else
    "$nptsim" gen -q --out "$trace" "${gen[@]}"
  fi
  "$nptsim" run --trace "$trace" --arch "$arch" --vcpus 1 -q --json "$out/$name.json" "${run[@]}"
  echo "== callgrind: $name (nptsim gen ${gen[*]} | nptsim run --arch $arch ${run[*]})"
  valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.$name.out" \
    "$nptsim" run --trace "$trace" --arch "$arch" --vcpus 1 -q "${run[@]}" >/dev/null 2>"$tmp/vg.log"
  local total
  total="$(grep -o 'Collected : [0-9]*' "$tmp/vg.log" | grep -o '[0-9]*$')"
  {
    echo "profile $name: nptsim gen ${gen[*]}; nptsim run --arch $arch ${run[*]}"
    python3 - "$out/$name.json" "$total" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]
total = int(sys.argv[2])
st = r.get("stages") or {}
print(f"instructions: {total:,}; accesses {r['accesses']:,}, walks {r['walks']:,}, PTE reads {r['pte_reads']:,}, "
      f"guest faults {st.get('guest_faults', 0):,}")
print(f"per access: {total / r['accesses']:.0f}" + (f"; per walk: {total / r['walks']:.0f}; per PTE read: "
      f"{total / r['pte_reads']:.0f}" if r['walks'] > 1000 else "") + " (start-up included)")
EOF
    echo
    echo "-- self cost (exclusive), top 25"
    (cd / && callgrind_annotate "$out/callgrind.$name.out") 2>/dev/null | sed -n '/file:function/,$p' | sed -n 3,27p
    echo
    echo "-- inclusive cost, top 45"
    (cd / && callgrind_annotate --inclusive=yes "$out/callgrind.$name.out") 2>/dev/null | sed -n '/file:function/,$p' | sed -n 3,47p
  } | sed -e 's# \[[^] ]*/nptsim\]##g' -e 's#[^ (]*/\(models\|sim\|traces\)/#\1/#g' >"$out/$name.txt"
  head -30 "$out/$name.txt" | cut -c1-220
  echo "   full summary: $out/$name.txt; callgrind_annotate $out/callgrind.$name.out"
}

for w in "${which[@]}"; do
  case "$w" in
    tlbhit) profile tlbhit --pattern seq --count 2000000 --footprint 64KiB -- --backend linear --addr gpa ;;
    walk2d) profile walk2d --pattern uniform --count 300000 --footprint 64MiB --addr gva -- \
              --backend linear --addr gva --tlb off --walk-cache off ;;
    nocache) profile nocache --trace "$repo/traces/samples/gzip.nptb.xz" -- \
              --backend linear --tlb off --walk-cache off ;;
  esac
done
