// nptsim sweep: studies over many configurations (docs/SWEEP.md). `plan` expands a sweep file
// into plain `nptsim run` jobs; `run` runs them here with GNU parallel, `slurm` writes (and
// submits) a Slurm job array; `status` and `merge` read the result files, whichever engine wrote
// them.
#include <unistd.h>

#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>

#include "sim/commands/commands.h"
#include "sim/commands/options.h"
#include "sim/sweep/sweep_engines.h"
#include "sim/sweep/sweep_merge.h"
#include "sim/sweep/sweep_status.h"

namespace po = boost::program_options;

namespace nptsim::cli {

namespace {

using namespace nptsim::sweep;

const char* const kSweepUsage =
    "Usage: nptsim sweep plan FILE --out DIR    expand a sweep file into jobs\n"
    "       nptsim sweep run DIR [-j N]         run the unfinished jobs here (GNU parallel)\n"
    "       nptsim sweep slurm DIR [--submit]   write (and submit) a Slurm job array\n"
    "       nptsim sweep status DIR             done / failed / pending, from the results\n"
    "       nptsim sweep merge DIR              one CSV and JSON, a summary table, plots\n"
    "\n"
    "A sweep file (INI; docs/SWEEP.md, examples/sweep-l2tlb.ini) lists traces, presets,\n"
    "architectures, backends and axes over configuration keys; every combination is one\n"
    "`nptsim run ... --json DIR/results/ID.json` job. 'nptsim sweep VERB --help' for options.\n";

std::string self_path() {
  std::error_code ec;
  const auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? "nptsim" : p.string();
}

// Parses `args` with one positional argument named `what` into `value`.
bool parse_verb(const Args& args, po::options_description& d, const char* what, std::string& value,
                po::variables_map& vm) {
  po::options_description hidden;
  hidden.add_options()(what, po::value(&value)->required());
  po::positional_options_description pos;
  pos.add(what, 1);
  return parse_options(args, d, vm, &hidden, &pos);
}

int plan_main(const Args& args) {
  std::string file, out, nptsim = self_path();
  po::options_description d(
      "Usage: nptsim sweep plan FILE --out DIR\n\n"
      "Expands sweep file FILE into one job per point and writes the plan\n"
      "into DIR (manifest.json, jobs.tsv, run-job.sh; results/ and logs/).\n"
      "Planning again into the same DIR keeps the results of jobs still in\n"
      "the plan: a job's id is a hash of what it runs.\n\nOptions");
  d.add_options()("help,h", "show this help")("out,o", po::value(&out)->required(),
                                              "the plan directory")(
      "nptsim", po::value(&nptsim)->default_value(nptsim),
      "the nptsim binary the jobs run (on a cluster: its path on the nodes)");
  po::variables_map vm;
  if (!parse_verb(args, d, "file", file, vm)) return kExitOk;
  const SweepSpec spec = read_sweep_file(file);
  const std::vector<SweepJob> jobs = expand(spec, nptsim);
  const size_t kept = write_plan(out, spec, jobs);
  std::cout << "sweep " << spec.name << ": " << jobs.size() << " jobs planned in " << out;
  if (kept) std::cout << " (" << kept << " already have results)";
  std::cout << "\nnext: nptsim sweep run " << out << "   or   nptsim sweep slurm " << out
            << " --submit\n";
  return kExitOk;
}

int run_verb_main(const Args& args) {
  std::string dir;
  unsigned jobs = static_cast<unsigned>(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)));
  po::options_description d(
      "Usage: nptsim sweep run DIR [-j N]\n\n"
      "Runs the plan's unfinished jobs (pending, failed or corrupt) with GNU\n"
      "parallel, N at a time; finished ones are kept, so an interrupted\n"
      "sweep resumes where it stopped. Job log: DIR/logs/joblog.tsv.\n"
      "Exit status 1 when a job failed (its log: DIR/logs/ID.log).\n\nOptions");
  d.add_options()("help,h", "show this help")("jobs,j", po::value(&jobs)->default_value(jobs),
                                              "jobs at a time (default: every core)")(
      "quiet,q", "no progress line");
  po::variables_map vm;
  if (!parse_verb(args, d, "dir", dir, vm)) return kExitOk;
  if (jobs == 0) throw po::error("option '--jobs' must be at least 1");
  const Plan plan = read_plan(dir);
  const size_t left = run_with_parallel(plan, jobs, vm.count("quiet") != 0);
  const StatusCounts c = count_states(plan_status(plan));
  std::cout << "sweep " << plan.name << ": " << c.done << " of " << c.total() << " jobs done";
  if (left) std::cout << ", " << left << " failed (nptsim sweep status " << dir << " lists them)";
  std::cout << "\n";
  return left ? kExitCheckFailed : kExitOk;
}

int slurm_main(const Args& args) {
  std::string dir;
  SlurmOptions o;
  po::options_description d(
      "Usage: nptsim sweep slurm DIR [--submit]\n\n"
      "Writes DIR/sweep.sbatch, a Slurm job array with one task per\n"
      "unfinished job (array index = the job's line in DIR/jobs.tsv), and\n"
      "with --submit hands it to sbatch. Follow it with nptsim sweep status.\n"
      "The plan directory must be on a file system the nodes share.\n\nOptions");
  d.add_options()("help,h", "show this help")(
      "throttle", po::value(&o.throttle)->default_value(o.throttle),
      "at most N tasks at once (0: as many as Slurm gives)")(
      "time", po::value(&o.time)->default_value(o.time), "time limit per task")(
      "mem", po::value(&o.mem)->default_value(o.mem), "memory per task")(
      "cpus", po::value(&o.cpus)->default_value(o.cpus), "CPUs per task")(
      "partition", po::value(&o.partition), "Slurm partition")("account", po::value(&o.account),
                                                               "Slurm account")(
      "sbatch-options", po::value(&o.extra),
      "more #SBATCH options, ';'-separated (e.g. \"--qos=short;--constraint=avx2\")")(
      "submit", "submit the script with sbatch");
  po::variables_map vm;
  if (!parse_verb(args, d, "dir", dir, vm)) return kExitOk;
  const Plan plan = read_plan(dir);
  size_t tasks = 0;
  const std::string script = write_slurm_script(plan, o, tasks);
  if (tasks == 0) {
    std::cout << "sweep " << plan.name << ": every job is done; nothing to submit\n";
    return kExitOk;
  }
  std::cout << "sweep " << plan.name << ": " << tasks << " array tasks in " << script << "\n";
  if (!vm.count("submit")) {
    std::cout << "submit with: sbatch " << script << "\n";
    return kExitOk;
  }
  std::cout.flush();  // before sbatch writes its own line
  const int rc = run_program({"sbatch", script});
  if (rc == 127) throw std::runtime_error("sbatch not found: is this a Slurm submit host?");
  return rc == 0 ? kExitOk : kExitCheckFailed;
}

int status_main(const Args& args) {
  std::string dir;
  po::options_description d(
      "Usage: nptsim sweep status DIR\n\n"
      "Counts the plan's jobs done, failed, corrupt and pending from the\n"
      "result files (whichever engine runs them). Exit status 0 when every\n"
      "job is done, 1 otherwise.\n\nOptions");
  d.add_options()("help,h", "show this help")("list,l", "list every job with its state");
  po::variables_map vm;
  if (!parse_verb(args, d, "dir", dir, vm)) return kExitOk;
  const Plan plan = read_plan(dir);
  const std::vector<JobStatus> states = plan_status(plan);
  const StatusCounts c = count_states(states);
  std::cout << "sweep " << plan.name << ": " << c.total() << " jobs: " << c.done << " done, "
            << c.failed << " failed, " << c.corrupt << " corrupt, " << c.pending << " pending\n";
  for (size_t i = 0; i < states.size(); ++i) {
    if (vm.count("list") || states[i].state == JobState::Failed ||
        states[i].state == JobState::Corrupt)
      std::cout << "  " << plan.jobs[i].id << "  " << to_string(states[i].state)
                << (states[i].detail.empty() ? "" : "  " + states[i].detail) << "\n";
  }
  return c.done == c.total() ? kExitOk : kExitCheckFailed;
}

int merge_main(const Args& args) {
  std::string dir;
  MergeOptions o;
  po::options_description d(
      "Usage: nptsim sweep merge DIR\n\n"
      "Merges every job's report into DIR/merged/results.csv and\n"
      "results.json (one row per job: id, status, axes, every field and\n"
      "statistic of the run as a column, then config.KEY for every\n"
      "configuration key), summary.txt (printed) and a gnuplot plot of\n"
      "--metric against --axis, a line per architecture x backend.\n"
      "Jobs without a result are rows with their status, listed on stderr;\n"
      "then the exit status is 1.\n\nOptions");
  d.add_options()("help,h", "show this help")("out,o", po::value(&o.out_dir),
                                              "output directory (default DIR/merged)")(
      "metric", po::value(&o.metric)->default_value(o.metric),
      "the plotted column (e.g. translation_fraction, walk_cycles.mean, tlb.l2.misses)")(
      "axis", po::value(&o.axis), "the plot's x axis: a sweep axis (default the first)")(
      "no-plot", "write the tables only");
  po::variables_map vm;
  if (!parse_verb(args, d, "dir", dir, vm)) return kExitOk;
  o.plots = vm.count("no-plot") == 0;
  const Plan plan = read_plan(dir);
  const MergeOutcome m = merge_results(plan, o, std::cout);
  for (const std::string& f : m.files) std::cout << "wrote " << f << "\n";
  if (m.problems.empty()) return kExitOk;
  std::cerr << "nptsim sweep merge: " << m.problems.size() << " of " << plan.jobs.size()
            << " jobs have no result (rows kept, with their status):\n";
  for (const std::string& p : m.problems) std::cerr << "  " << p << "\n";
  return kExitCheckFailed;
}

}  // namespace

int sweep_main(const Args& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    (args.empty() ? std::cerr : std::cout) << kSweepUsage;
    return args.empty() ? kExitUsage : kExitOk;
  }
  const Args rest(args.begin() + 1, args.end());
  try {
    if (args[0] == "plan") return plan_main(rest);
    if (args[0] == "run") return run_verb_main(rest);
    if (args[0] == "slurm") return slurm_main(rest);
    if (args[0] == "status") return status_main(rest);
    if (args[0] == "merge") return merge_main(rest);
  } catch (const SweepError& e) {
    std::cerr << "nptsim sweep " << args[0] << ": " << e.what() << "\n";
    return kExitUsage;
  } catch (const po::error& e) {
    std::cerr << "nptsim sweep " << args[0] << ": " << e.what() << " (try 'nptsim sweep " << args[0]
              << " --help')\n";
    return kExitUsage;
  }
  std::cerr << "nptsim sweep: unknown verb '" << args[0] << "'\n\n" << kSweepUsage;
  return kExitUsage;
}

}  // namespace nptsim::cli
