// The nptsim subcommands. Each takes the arguments after its name, prints to stdout/stderr and
// returns the process exit status (0 success, 1 a failed check, 2 bad usage or input).
#pragma once

#include <string>
#include <vector>

namespace nptsim::cli {

using Args = std::vector<std::string>;

int conformance_main(const Args& args);
int summary_main(const Args& args);
int gen_main(const Args& args);
int convert_main(const Args& args);
int record_main(const Args& args);
int info_main(const Args& args);
int run_main(const Args& args);
int compare_main(const Args& args);
int translate_main(const Args& args);
int export_image_main(const Args& args);
int params_main(const Args& args);
int calibrate_main(const Args& args);
int validate_main(const Args& args);
int sweep_main(const Args& args);

// Exit statuses shared by all commands.
constexpr int kExitOk = 0;
constexpr int kExitCheckFailed = 1;
constexpr int kExitUsage = 2;

}  // namespace nptsim::cli
