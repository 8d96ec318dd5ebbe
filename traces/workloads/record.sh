#!/usr/bin/env bash
# Records a translation-heavy workload with `nptsim record` (qemu tracer) and xz-compresses it.
# See traces/workloads/README.md for the catalogue. Run with --help for the usage.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
KERNELS="gups chase hashjoin btree bfs"
PROGRAMS="xz sqlite python sort"

usage() {
  cat <<EOF
Usage: record.sh WORKLOAD ARCH [--max-records N] [--skip N|auto] [--size S] [--out FILE]
                 [--nptsim BIN]

Builds (kernels) or prepares (programs) WORKLOAD for ARCH, records it with
'nptsim record' under qemu-user (nptsim's TCG plugin) and writes FILE, xz-compressed.
Missing Debian packages are installed with apt-get first (as root or through sudo).

WORKLOAD  kernels (ARCH x86_64, aarch64 or riscv64; built with gcc or the Debian cross
          compilers, -O2 -static):
            gups      random read-modify-write over a table
            chase     pointer chase, a random cycle over the pages, one line per page
            hashjoin  build a hash table of relation R, probe it with relation S
            btree     random lookups in a bulk-loaded B+-tree
            bfs       breadth-first search over a random graph (CSR)
          Debian programs (ARCH x86_64, or aarch64: Debian's arm64 packages unpacked into a
          sysroot under ~/.cache/nptsim-workloads, run by qemu-aarch64 -L; see README.md):
            xz        xz -9 -T1 of generated text (64 MiB dictionary)
            sqlite    sqlite3: random primary-key lookups in a generated database (mmap)
            python    python3: a dictionary of 2 M int keys, lookups in a permuted order
            sort      sort --parallel=1 of generated lines
ARCH      x86_64, aarch64 or riscv64

Options:
  --max-records N  records in the trace (default 3000000)
  --skip N|auto    records skipped first (default auto: for a kernel and python, the records
                   of the set-up, measured by recording it once with 0 operations; for the
                   other programs, a fixed count past their start-up, listed in README.md)
  --size S         kernel footprint (default 256M); program input size is fixed
  --out FILE       output (default WORKLOAD-ARCH.nptb.xz in the current directory)
  --nptsim BIN     the nptsim executable (default: build/sim/nptsim of this checkout)
  -h, --help       this help
EOF
}

die() {
  echo "record.sh: $*" >&2
  exit 2
}

# --- arguments -----------------------------------------------------------------------------
WORKLOAD="" ARCH="" MAX=3000000 SKIP=auto SIZE=256M OUT="" NPTSIM="$ROOT/build/sim/nptsim"
positional=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --max-records) MAX=${2:?--max-records needs N}; shift 2 ;;
    --skip) SKIP=${2:?--skip needs N or auto}; shift 2 ;;
    --size) SIZE=${2:?--size needs a size}; shift 2 ;;
    --out) OUT=${2:?--out needs a file}; shift 2 ;;
    --nptsim) NPTSIM=${2:?--nptsim needs a path}; shift 2 ;;
    -*) die "unknown option '$1' (try --help)" ;;
    *) positional+=("$1"); shift ;;
  esac
done
[ ${#positional[@]} -eq 2 ] || { usage >&2; exit 2; }
WORKLOAD=${positional[0]} ARCH=${positional[1]}
case " $KERNELS $PROGRAMS " in *" $WORKLOAD "*) ;; *) die "unknown workload '$WORKLOAD' (try --help)" ;; esac
case "$ARCH" in x86_64 | aarch64 | riscv64) ;; *) die "ARCH: expected x86_64, aarch64 or riscv64, got '$ARCH'" ;; esac
case " $PROGRAMS " in *" $WORKLOAD "*)
  [ "$ARCH" != riscv64 ] || die "$WORKLOAD: Debian 12 has no riscv64 packages to record (README.md says why); record a kernel" ;;
esac
[[ "$MAX" =~ ^[0-9]+$ ]] && [ "$MAX" -gt 0 ] || die "--max-records: expected a positive number, got '$MAX'"
[[ "$SKIP" =~ ^([0-9]+|auto)$ ]] || die "--skip: expected a number or auto, got '$SKIP'"
[[ "$SIZE" =~ ^[0-9]+([KMG](i?B)?)?$ ]] || die "--size: expected e.g. 256M, got '$SIZE'"
[ -x "$NPTSIM" ] || die "--nptsim: '$NPTSIM' is not an executable (build nptsim first)"
NPTSIM=$(realpath "$NPTSIM")  # the recording runs in its own directory
OUT=$(realpath -m "${OUT:-$WORKLOAD-$ARCH.nptb.xz}")

# --- packages: installed only when a command is missing (idempotent) ------------------------
need() {  # need COMMAND|/PATH PACKAGE
  if [[ "$1" == */* ]]; then [ -e "$1" ] && return 0; else command -v "$1" >/dev/null 2>&1 && return 0; fi
  echo "record.sh: installing $2 (for $1)" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get install -y --no-install-recommends "$2" >&2 ||
    { $sudo apt-get update >&2 && $sudo apt-get install -y --no-install-recommends "$2" >&2; } ||
    die "cannot install the Debian package '$2'"
}
need xz xz-utils
need "qemu-$ARCH" qemu-user
case "$ARCH" in
  x86_64) CC=gcc; need gcc gcc; need /usr/lib/x86_64-linux-gnu/libc.a libc6-dev ;;
  aarch64) CC=aarch64-linux-gnu-gcc; need "$CC" gcc-aarch64-linux-gnu
    need /usr/aarch64-linux-gnu/lib/libc.a libc6-dev-arm64-cross ;;
  riscv64) CC=riscv64-linux-gnu-gcc; need "$CC" gcc-riscv64-linux-gnu
    need /usr/riscv64-linux-gnu/lib/libc.a libc6-dev-riscv64-cross ;;
esac
[ "$WORKLOAD" = sqlite ] && need sqlite3 sqlite3
case " $PROGRAMS " in *" $WORKLOAD "*) need /usr/bin/python3 python3-minimal ;; esac  # inputs

WORK=$(mktemp -d "${TMPDIR:-/tmp}/nptsim-workload.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
PY=/usr/bin/python3  # Debian's, not a pyenv shim: nptsim records ELF programs

# --- the program to record -------------------------------------------------------------------
# Each sets PROG (the command to record) and, for a kernel, SETUP (the same with 0 operations,
# for --skip auto) or, for a program, DEFAULT_SKIP.
# Programs and inputs are named relative to $WORK, the working directory of the recording, so
# that argv (and with it the stack layout) is the same on every run.
prepare_kernel() {
  "$CC" -O2 -std=c99 -Wall -Wextra -static -o "$WORK/$WORKLOAD-$ARCH" "$HERE/kernels/$WORKLOAD.c"
  PROG=("./$WORKLOAD-$ARCH" "$SIZE")
  SETUP=("./$WORKLOAD-$ARCH" "$SIZE" 0)
}

# Deterministic text: N lines of pseudo-random words (Python's Mersenne Twister, seed 42).
gen_words() {  # gen_words LINES FILE
  (cd "$WORK" && "$PY" -c '
import random, sys
random.seed(42)
a = "abcdefghijklmnopqrstuvwxyz"
vocab = ["".join(random.choice(a) for _ in range(random.randint(3, 12))) for _ in range(50000)]
out = sys.stdout
for i in range(int(sys.argv[1])):
    out.write(" ".join(random.choice(vocab) for _ in range(random.randint(4, 12))))
    out.write(" %d\n" % random.getrandbits(32))
' "$1" >"$2")
}

# The Debian arm64 packages a program needs (its own and the libraries it links).
arm64_packages() {
  case "$WORKLOAD" in
    xz) echo xz-utils liblzma5 libc6 ;;
    sort) echo coreutils libacl1 libattr1 libgmp10 libselinux1 libpcre2-8-0 libssl3 libc6 ;;
    sqlite) echo sqlite3 libsqlite3-0 libreadline8 libtinfo6 zlib1g libc6 ;;
    python) echo python3.11-minimal libpython3.11-minimal libexpat1 zlib1g libc6 ;;
  esac
}

# aarch64 programs: the Debian arm64 packages, unpacked (dpkg -x, not installed) into a sysroot
# that qemu-aarch64 uses as its -L prefix (QEMU_LD_PREFIX): the dynamic loader and libraries
# come from there. Registers the arm64 architecture with dpkg first if needed (once).
# Sets BIN to the sysroot, linked into $WORK as ./sysroot.
prepare_sysroot() {
  local cache="${XDG_CACHE_HOME:-$HOME/.cache}/nptsim-workloads/arm64-$WORKLOAD" sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  if [ ! -e "$cache/done" ]; then
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
      echo "record.sh: adding the arm64 architecture to dpkg (for Debian's arm64 packages)" >&2
      $sudo dpkg --add-architecture arm64 && $sudo apt-get update >&2 || die "cannot add arm64 to dpkg"
    fi
    rm -rf "$cache" && mkdir -p "$cache/debs" "$cache/root"
    local p
    for p in $(arm64_packages); do
      (cd "$cache/debs" && apt-get download "$p:arm64" >&2) || die "cannot download $p:arm64"
    done
    for p in "$cache"/debs/*.deb; do dpkg -x "$p" "$cache/root"; done
    touch "$cache/done"
  fi
  ln -s "$cache/root" "$WORK/sysroot"
  BIN=./sysroot QEMU_PREFIX=$WORK/sysroot
}

prepare_program() {
  BIN=""
  [ "$ARCH" = aarch64 ] && prepare_sysroot
  case "$WORKLOAD" in
    xz)
      gen_words 1500000 words.txt  # about 100 MB, larger than the 64 MiB dictionary
      PROG=("$BIN/usr/bin/xz" -9 -T1 -c words.txt) DEFAULT_SKIP=100000000 ;;
    sort)
      gen_words 1000000 words.txt
      PROG=("$BIN/usr/bin/sort" --parallel=1 -S 1G -o /dev/null words.txt)
      DEFAULT_SKIP=400000000 ;;
    sqlite)
      # 2 M rows of about 100 bytes (about 210 MB) and 1 M random probe keys, generated natively
      # (not recorded); the recorded query looks each probe key up by primary key.
      (cd "$WORK" && sqlite3 db.sqlite "PRAGMA page_size=4096;
        CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT); CREATE TABLE p(x INTEGER);
        WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < 1999999)
        INSERT INTO t SELECT i, printf('%.96c', char(97 + (i * 7919) % 26)) FROM c;
        WITH RECURSIVE q(i, x) AS (SELECT 0, 12345 UNION ALL
          SELECT i + 1, (x * 1103515245 + 12345) % 2147483648 FROM q WHERE i < 999999)
        INSERT INTO p SELECT x % 2000000 FROM q;")
      PROG=("$BIN/usr/bin/sqlite3" db.sqlite "PRAGMA mmap_size=1073741824;
        SELECT count(*), sum(length(t.v)) FROM p CROSS JOIN t ON t.k = p.x;")
      DEFAULT_SKIP=20000000 ;;
    python)
      # A dict of 2 M int keys (an odd stride: random index slots), built by C-level loops, then
      # lookups in a permuted order: each one reads a random index slot, entry and key object.
      local code='import sys
n, K, P = 1 << 21, 2654435761, 40503
d = dict.fromkeys(range(0, K * n, K), 1)
m = int(sys.argv[1])
print(len(d), sum(map(d.__getitem__, map(K.__mul__, map((n - 1).__and__, range(0, P * m, P))))))'
      PROG=("$BIN/usr/bin/python3.11" -c "$code" 16777216)
      SETUP=("$BIN/usr/bin/python3.11" -c "$code" 0) ;;
  esac
}

# Runs a command in $WORK with a fixed environment and, where the system allows it, without
# address-space randomisation (qemu-user places the guest's mappings through the host's mmap),
# so that the same inputs give the same trace.
run_clean() {
  local norandom=()
  setarch "$(uname -m)" -R true 2>/dev/null && norandom=(setarch "$(uname -m)" -R)
  local prefix=()
  [ -z "$QEMU_PREFIX" ] || prefix=(QEMU_LD_PREFIX="$QEMU_PREFIX")
  (cd "$WORK" && env -i PATH=/usr/bin:/bin LC_ALL=C PYTHONHASHSEED=0 "${prefix[@]}" "${norandom[@]}" "$@")
}

PROG=() SETUP=() DEFAULT_SKIP=0 QEMU_PREFIX=""
case " $KERNELS " in *" $WORKLOAD "*) prepare_kernel ;; *) prepare_program ;; esac

if [ "$SKIP" = auto ]; then
  if [ ${#SETUP[@]} -gt 0 ]; then
    # The kernel's set-up alone (0 operations), counted through nptsim record into /dev/null;
    # the full run's first records are the same, so its steady state starts right after them.
    msg=$(run_clean "$NPTSIM" record -q -o /dev/null -- "${SETUP[@]}" 2>&1 >/dev/null) ||
      die "measuring the set-up of $WORKLOAD failed: $msg"
    setup=$(sed -n 's/^nptsim record: \([0-9]*\) accesses .*/\1/p' <<<"$msg")
    [ -n "$setup" ] || die "cannot read the set-up's record count from: $msg"
    SKIP=$((setup + 100000))  # a margin past the set-up's exit path
    echo "record.sh: $WORKLOAD set-up: $setup records; skipping $SKIP" >&2
  else
    SKIP=$DEFAULT_SKIP
  fi
fi

# --- record and compress ---------------------------------------------------------------------
run_clean "$NPTSIM" record -o trace.nptb --skip "$SKIP" --max-records "$MAX" -- "${PROG[@]}" >/dev/null
xz -9 -T1 -c "$WORK/trace.nptb" >"$OUT"
echo "record.sh: wrote $OUT ($(stat -c %s "$OUT") bytes; $WORKLOAD on $ARCH, --skip $SKIP --max-records $MAX)" >&2
