// nptsim translate --image DIR [--refs]: answers an oracle image's probes with nptsim's own
// walkers (the code `run` uses), in the line format of shared/oracles/IMAGE.md §4.
#include <boost/program_options.hpp>
#include <iostream>

#include "models/core/arch/arch_images.h"
#include "models/core/image/probe_answer.h"
#include "models/core/walk/pte_memory.h"
#include "sim/commands/commands.h"
#include "sim/commands/options.h"
#include "sim/image/image_files.h"

namespace po = boost::program_options;

namespace nptsim::cli {

int translate_main(const Args& args) {
  std::string dir;
  po::options_description opts(
      "Usage: nptsim translate --image DIR [--refs]\n\n"
      "Loads an oracle test image (shared/oracles/IMAGE.md: seg_<hpa>.bin segments, regime.json,\n"
      "probes.txt) into physical memory, configures nptsim's walkers from regime.json and\n"
      "translates every probe in order (accessed/dirty updates persist between probes). Prints\n"
      "one answer line per probe in the expected.txt format:\n"
      "  <index> OK pa=<hex>\n"
      "  <index> FAULT stage=<1|2> kind=<kind> [level=<n>] [gpa=<hex>] [on=<walk|final>]\n"
      "With --refs, each answer is followed by the probe's physical references, in walk order:\n"
      "  <index> <R|W> <hpa> <what> <value>   (what: the entry's name, or DATA for the access)\n"
      "Exit status 2 when the image is malformed or uses a register field nptsim does not model\n"
      "(the message names it).\n\nOptions");
  opts.add_options()("help,h", "show this help")("image", po::value(&dir), "the image directory")(
      "refs", "also print each probe's physical reference sequence");
  po::variables_map vm;
  if (!parse_options(args, opts, vm)) return kExitOk;
  if (dir.empty()) throw po::error("the option '--image' is required (try --help)");

  auto image = read_image_dir(dir);
  if (!image) {
    std::cerr << "nptsim translate: " << image.error() << "\n";
    return kExitUsage;
  }
  auto setup = image_setup(image->registers);
  if (!setup) {
    std::cerr << "nptsim translate: " << dir << "/regime.json: " << setup.error().field << " "
              << setup.error().message << "\n";
    return kExitUsage;
  }
  for (const Probe& p : image->probes) {
    if (p.access == AccessKind::Fetch && !arch_image_fetch_probes(setup->arch)) {
      std::cerr << "nptsim translate: " << dir << "/probes.txt: probe " << p.index
                << ": X probes exist on riscv64 only (IMAGE.md §2)\n";
      return kExitUsage;
    }
  }
  PhysMem mem;
  load_segments(*image, mem);
  DirectPteMemory walker_mem(mem);
  const bool refs = vm.count("refs") != 0;
  std::string out;
  for (const Probe& p : image->probes) {
    const WalkResult w = translate_probe(*setup, walker_mem, p);
    out += answer_line(*setup, p, w);
    out += '\n';
    if (refs) out += reference_lines(*setup, p, w, mem);
  }
  std::cout << out;
  return std::cout ? kExitOk : kExitCheckFailed;
}

}  // namespace nptsim::cli
