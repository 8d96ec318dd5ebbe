# AArch64 differential test (issue 7). Included by tests/oracles/CMakeLists.txt (ORACLES =
# source dir, ORACLE_TMP = binary dir); the test writes only under its own directory.
# oracle_arm_qemu: 20 seeded random images (~1150 probes) run on QEMU aarch64 at EL2 (AT
#   S12E1R/W, S12E0R/W) and through `nptsim translate --image`, answers compared.
add_test(NAME oracle_arm_qemu
  COMMAND bash ${ORACLES}/common/run_qemu_oracle.sh ${ORACLES}/arm qemu-system-aarch64
          aarch64-linux-gnu-gcc $<TARGET_FILE:nptsim> ${ORACLE_TMP}/oracle_arm_qemu 7 20)
set_tests_properties(oracle_arm_qemu PROPERTIES LABELS oracle TIMEOUT 300)
