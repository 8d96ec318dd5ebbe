#!/bin/sh
# Driver of the x86 (Bochs VMX/EPT) oracle tests; ctest runs it through tests.cmake.
#   run_tests.sh bochs WORK           build the harness, generate the randomized images (fixed
#                                     seeds), copy case1, run Bochs on all of them (expected.txt,
#                                     refs.txt); checks that case1 still gives its checked-in answers
#   run_tests.sh answers NPTSIM WORK  `nptsim translate --image` on every image vs expected.txt
#   run_tests.sh refs NPTSIM WORK     `nptsim translate --image --refs` vs refs.txt (compare_refs_x86.py)
# Everything is written under WORK. Exit 0 = all agree.
set -u
here=$(cd "$(dirname "$0")" && pwd)
common="$here/../common"
SEED=7 COUNT=4 SCENARIOS=150          # 3 two-stage images + 1 stage-2-only, ~1300 probes
mode=$1
case $mode in
bochs)
    work=$2
    for tool in bochs script gcc python3; do
        if ! command -v $tool >/dev/null 2>&1; then
            echo "x86 oracle: '$tool' not found; run scripts/setup.sh (installs bochs bochs-term bochsbios vgabios)" >&2
            exit 1
        fi
    done
    rm -rf "$work" && mkdir -p "$work"
    "$here/build_harness.sh" "$work/harness" || exit 1
    python3 "$here/gen_random.py" --seed $SEED --count $COUNT --scenarios $SCENARIOS --out "$work/images" || exit 1
    mkdir -p "$work/images/case1"
    cp "$here/case1/"seg_*.bin "$here/case1/regime.json" "$here/case1/probes.txt" "$work/images/case1/"
    status=0
    for d in "$work/images"/*/; do
        d=${d%/}
        python3 "$here/emulate.py" "$d" --harness "$work/harness" --work "$work/bochs/$(basename "$d")" || status=1
    done
    for f in expected.txt refs.txt; do
        if ! cmp -s "$here/case1/$f" "$work/images/case1/$f"; then
            echo "x86 oracle: Bochs' case1/$f differs from the checked-in one:" >&2
            diff "$here/case1/$f" "$work/images/case1/$f" | head -20 >&2
            status=1
        fi
    done
    python3 "$here/check_intent.py" "$work/images"/img* || echo "x86 oracle: (informational) Bochs differs from the generator's intent, see above"
    exit $status ;;
answers|refs)
    nptsim=$2 work=$3
    if [ ! -d "$work/images" ]; then echo "x86 oracle: no images in $work (the oracle_x86_bochs fixture failed?)" >&2; exit 1; fi
    status=0
    for d in "$work/images"/*/; do
        d=${d%/} name=$(basename "$d")
        if [ $mode = answers ]; then
            "$nptsim" translate --image "$d" > "$work/$name.answers.txt" 2> "$work/$name.answers.err"
            rc=$?
            if [ $rc -ne 0 ]; then echo "$name: nptsim translate exit $rc: $(head -3 "$work/$name.answers.err")"; status=1; continue; fi
            python3 "$common/compare_answers.py" "$d/expected.txt" "$work/$name.answers.txt" --label "x86/$name" || status=1
        else
            "$nptsim" translate --image "$d" --refs > "$work/$name.refs.txt" 2> "$work/$name.refs.err"
            rc=$?
            if [ $rc -ne 0 ]; then echo "$name: nptsim translate --refs exit $rc: $(head -3 "$work/$name.refs.err")"; status=1; continue; fi
            python3 "$here/compare_refs_x86.py" "$d/refs.txt" "$work/$name.refs.txt" --label "x86/$name: " || status=1
        fi
    done
    exit $status ;;
*)
    echo "usage: run_tests.sh bochs WORK | answers NPTSIM WORK | refs NPTSIM WORK" >&2; exit 2 ;;
esac
