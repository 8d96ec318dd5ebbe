# External dependencies, all from Debian packages (see README.md, scripts/setup.sh).
# Nothing is downloaded at build time.
find_package(PkgConfig REQUIRED)
pkg_check_modules(SYSTEMC REQUIRED IMPORTED_TARGET systemc)  # libsystemc-dev (SystemC 2.3.4)
find_package(Boost 1.74 REQUIRED COMPONENTS program_options)  # libboost-program-options-dev
find_package(nlohmann_json 3 REQUIRED)                        # nlohmann-json3-dev
find_package(ZLIB REQUIRED)                                   # zlib1g-dev
pkg_check_modules(LZMA REQUIRED IMPORTED_TARGET liblzma)      # liblzma-dev
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)      # libzstd-dev
if(NPTSIM_BUILD_TESTS)
  find_package(GTest REQUIRED)                                # libgtest-dev
endif()
if(NPTSIM_BUILD_BENCH)
  find_package(benchmark REQUIRED)                            # libbenchmark-dev
endif()
