#!/usr/bin/env bash
# Installs the Debian 12 packages nptsim needs to build and test, if any is missing.
# Idempotent: when everything is present it only checks. Needs root (or sudo) to install.
set -euo pipefail

PACKAGES=(
  g++ cmake make pkg-config
  clang libclang-rt-dev         # libFuzzer targets (fuzz/)
  clang-format                  # the format check (scripts/check_format.sh)
  libsystemc-dev                # SystemC 2.3.4 + TLM-2.0
  libboost-program-options-dev  # the CLI
  nlohmann-json3-dev            # conformance vectors, reports
  zlib1g-dev liblzma-dev libzstd-dev  # compressed traces (gzip, xz, zstd)
  libgtest-dev                  # tests
  libbenchmark-dev              # bench/
  valgrind qemu-user            # nptsim record (lackey and qemu tracers)
  gnuplot-nox                   # nptsim compare --plot, nptsim sweep merge
  parallel                      # nptsim sweep run (GNU parallel)
  slurmd slurmctld slurm-client munge  # the sweep's Slurm test (a private single-node cluster)
  gcc-aarch64-linux-gnu gcc-riscv64-linux-gnu  # test programs and oracle harnesses of the other architectures
  python3 bsdutils              # oracle image generators; `script` gives Bochs its terminal
  qemu-system-misc qemu-system-arm  # oracles: QEMU riscv64 (H extension), aarch64 (EL2)
  bochs bochs-term bochsbios vgabios  # oracle: Bochs VMX/EPT
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} required Debian packages are installed"
  exit 0
fi

echo "setup: installing missing Debian packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
