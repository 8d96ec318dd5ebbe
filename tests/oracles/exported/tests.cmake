# Images exported by nptsim itself (export-image after a real trace) checked by the emulators.
add_test(NAME oracle_exported_images
  COMMAND bash ${ORACLES}/exported/run_exported.sh $<TARGET_FILE:nptsim>
          ${PROJECT_SOURCE_DIR}/traces/samples/sort.nptb.xz ${ORACLE_TMP}/oracle_exported_images)
set_tests_properties(oracle_exported_images PROPERTIES LABELS oracle TIMEOUT 300)
