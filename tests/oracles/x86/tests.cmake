# x86-64 oracle (Bochs 2.7 VMX/EPT), issue 7. Included by tests/oracles/CMakeLists.txt.
# oracle_x86_bochs   fixture: builds the harness, generates the randomized images (fixed seeds)
#                    plus the checked-in case1, runs Bochs on each (expected.txt, refs.txt)
# oracle_x86_answers `nptsim translate --image` answers vs Bochs (compare_answers.py)
# oracle_x86_refs    `nptsim translate --image --refs` reference sequences vs Bochs' trace-mem
# All output goes to ${ORACLE_TMP}/x86. Without bochs the fixture fails with "run scripts/setup.sh".
set(X86_WORK ${ORACLE_TMP}/x86)
add_test(NAME oracle_x86_bochs
         COMMAND sh ${ORACLES}/x86/run_tests.sh bochs ${X86_WORK})
set_tests_properties(oracle_x86_bochs PROPERTIES FIXTURES_SETUP oracle_x86 TIMEOUT 300 LABELS oracle)
foreach(what answers refs)
  add_test(NAME oracle_x86_${what}
           COMMAND sh ${ORACLES}/x86/run_tests.sh ${what} $<TARGET_FILE:nptsim> ${X86_WORK})
  set_tests_properties(oracle_x86_${what} PROPERTIES FIXTURES_REQUIRED oracle_x86 TIMEOUT 120 LABELS oracle)
endforeach()
