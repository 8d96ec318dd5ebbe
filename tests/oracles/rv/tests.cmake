# RISC-V differential tests (issue 7). Included by tests/oracles/CMakeLists.txt, which sets
# ORACLES (this source tree) and ORACLE_TMP (a binary dir); each test writes only under its
# own ${ORACLE_TMP}/<test name>/, so `ctest -j` is safe.
# oracle_rv_qemu: 24 seeded random images (~1200 probes) run on QEMU riscv64 (H extension)
#   and through `nptsim translate --image`, answers compared (common/compare_answers.py).
add_test(NAME oracle_rv_qemu
  COMMAND bash ${ORACLES}/common/run_qemu_oracle.sh ${ORACLES}/rv qemu-system-riscv64
          riscv64-linux-gnu-gcc $<TARGET_FILE:nptsim> ${ORACLE_TMP}/oracle_rv_qemu 7 24)
# oracle_rv_spike_refs: the checked-in Spike image rv/case1b (answers + uncached reference
#   sequence of every 2-D walk) against `nptsim translate --image rv/case1b --refs`.
add_test(NAME oracle_rv_spike_refs
  COMMAND bash ${ORACLES}/rv/run_spike_refs.sh $<TARGET_FILE:nptsim> ${ORACLES}/rv/case1b
          ${ORACLE_TMP}/oracle_rv_spike_refs)
set_tests_properties(oracle_rv_qemu oracle_rv_spike_refs PROPERTIES LABELS oracle TIMEOUT 300)
