// GoogleTest runner for SystemC testbenches: libsystemc supplies main() and calls sc_main, so
// the tests run from here. ctest runs each test in its own process (gtest_discover_tests), as
// SystemC elaborates and simulates once per process. SystemC errors fail the test.
#include <gtest/gtest.h>

#include <systemc>

extern "C" int sc_main(int argc, char* argv[]) {
  ::testing::InitGoogleTest(&argc, argv);
  sc_core::sc_report_handler::set_actions(sc_core::SC_ERROR,
                                          sc_core::SC_DISPLAY | sc_core::SC_THROW);
  sc_core::sc_report_handler::set_actions(sc_core::SC_FATAL,
                                          sc_core::SC_DISPLAY | sc_core::SC_THROW);
  return RUN_ALL_TESTS();
}
