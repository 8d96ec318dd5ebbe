// nptsim gen and nptsim convert: synthetic traces (accesses, and events when asked for) and
// format conversion (events are carried through unchanged: both output formats hold them).
#include <boost/program_options.hpp>
#include <iostream>
#include <vector>

#include "models/core/common/size_parse.h"
#include "sim/commands/commands.h"
#include "sim/commands/options.h"
#include "sim/util/progress.h"
#include "traces/gen/generator.h"
#include "traces/io/trace_error.h"
#include "traces/trace_writer.h"

namespace po = boost::program_options;

namespace nptsim::cli {

namespace {

using namespace nptsim::trace;

constexpr size_t kBatch = 4096;

// Output format from --format, else from the file's extension.
TraceFormat output_format(const std::string& path, const std::string& forced, const char* cmd) {
  if (!forced.empty()) {
    auto f = parse_trace_format(forced);
    if (!f || (*f != TraceFormat::Text && *f != TraceFormat::Binary)) {
      throw po::error(std::string("option '--format': nptsim ") + cmd +
                      " writes text or binary, not '" + forced + "'");
    }
    return *f;
  }
  auto f = format_for_extension(path);
  if (!f) {
    throw po::error("cannot tell the output format from '" + path +
                    "': name it .txt (text) or .nptb (binary), or give --format text|binary");
  }
  return *f;
}

uint64_t size_option(const po::variables_map& vm, const char* name) {
  const std::string s = vm[name].as<std::string>();
  auto v = parse_size(s);
  if (!v)
    throw po::error(std::string("option '--") + name + "': not a size: '" + s +
                    "' (e.g. 64GiB, 4096, 0x1000)");
  return *v;
}

// gen's event options (GenConfig's comments), each off unless given.
po::options_description gen_event_options() {
  po::options_description d(
      "Events (traces/FORMAT.md, \"Events\"; none unless asked for; they do not count towards\n"
      "--count; \"every N\" means after accesses N, 2N, 3N, ...)");
  d.add_options()("balloon-every", po::value<uint64_t>()->value_name("N"),
                  "a balloon-inflate of --balloon-pages pages at a seeded random 4 KiB-aligned "
                  "place in the footprint every N accesses, and its balloon-deflate N/2 accesses "
                  "later (--addr gpa only)")("balloon-pages",
                                             po::value<uint64_t>()->value_name("P"),
                                             "pages per balloon range (with --balloon-every)")(
      "dirty-rounds", po::value<uint64_t>()->value_name("R"),
      "dirty logging: dirty-start after --dirty-every accesses, a dirty-sync every "
      "--dirty-every accesses, R rounds in all, then dirty-stop (all within --count)")(
      "dirty-every", po::value<uint64_t>()->value_name("N"), "accesses per dirty-logging round")(
      "ctxsw-every", po::value<uint64_t>()->value_name("N"),
      "a ctxsw every N accesses, to ASIDs 1, 2, ..., --asids, 1, ...")(
      "asids", po::value<uint64_t>()->value_name("K"),
      "ASIDs the ctxsw events cycle through (default 2)")(
      "tlb-flush-every", po::value<uint64_t>()->value_name("N"),
      "a tlb-flush of everything every N accesses")(
      "migrate-every", po::value<uint64_t>()->value_name("N"),
      "a migrate every N accesses, to physical CPUs 1, 2, ..., --pcpus - 1, 0, 1, ...")(
      "pcpus", po::value<uint64_t>()->value_name("K"),
      "physical CPUs the migrate events cycle through (default 2)");
  return d;
}

// The value of `name` when given (0 when not); an "every" or count option must be at least 1,
// and `needs`, when given, names an option that must come with it.
uint64_t event_option(const po::variables_map& vm, const char* name, const char* needs = nullptr) {
  if (!vm.count(name)) return 0;
  const uint64_t v = vm[name].as<uint64_t>();
  if (v == 0) throw po::error(std::string("option '--") + name + "': must be at least 1");
  if (needs && !vm.count(needs))
    throw po::error(std::string("option '--") + name + "' needs --" + needs);
  return v;
}

// Fills the event fields of `c` from gen's event options.
void read_event_options(const po::variables_map& vm, GenConfig& c) {
  c.balloon_every = event_option(vm, "balloon-every", "balloon-pages");
  c.balloon_pages = event_option(vm, "balloon-pages", "balloon-every");
  c.dirty_rounds = event_option(vm, "dirty-rounds", "dirty-every");
  c.dirty_every = event_option(vm, "dirty-every", "dirty-rounds");
  c.ctxsw_every = event_option(vm, "ctxsw-every");
  if (vm.count("asids")) c.asids = event_option(vm, "asids", "ctxsw-every");
  c.tlb_flush_every = event_option(vm, "tlb-flush-every");
  c.migrate_every = event_option(vm, "migrate-every");
  if (vm.count("pcpus")) c.pcpus = event_option(vm, "pcpus", "migrate-every");
}

}  // namespace

int gen_main(const Args& args) {
  GenConfig c;
  std::string pattern = "uniform", addr = "gpa", out = "-", format;
  po::options_description opts(
      "Usage: nptsim gen [OPTIONS] --out FILE\n\n"
      "Writes a synthetic access stream, seeded and deterministic: the same options give the\n"
      "same file on every machine. Output format from the extension (.txt, .nptb) or --format.\n"
      "The event options below add hypervisor and guest events between the accesses.\n\n"
      "Options");
  opts.add_options()("help,h", "show this help")(
      "pattern", po::value(&pattern)->default_value(pattern),
      "seq | stride | uniform | zipf | gups (read-modify-write) | chase (pointer chase)")(
      "count", po::value(&c.count)->default_value(c.count), "number of accesses")(
      "footprint", po::value<std::string>()->default_value("1GiB"), "bytes covered from --base")(
      "stride", po::value<std::string>()->default_value("64"), "bytes between accesses (stride)")(
      "write-ratio", po::value(&c.write_ratio)->default_value(c.write_ratio, "0"),
      "fraction of writes, 0..1 (gups: always read then write)")(
      "zipf-s", po::value(&c.zipf_s)->default_value(c.zipf_s, "0.99"), "Zipf exponent (zipf)")(
      "size", po::value<unsigned>()->default_value(8), "bytes per access, 1..255")(
      "seed", po::value(&c.seed)->default_value(c.seed), "random seed")(
      "addr", po::value(&addr)->default_value(addr), "address kind: gpa or gva")(
      "base", po::value<std::string>(),
      "first address (default 0 for gpa, 0x7f0000000000 for gva)")(
      "out,o", po::value(&out)->default_value(out), "output file, - for standard output")(
      "format", po::value(&format), "text or binary (default: from the extension of --out)")(
      "quiet,q", "no progress line");
  opts.add(gen_event_options());
  po::variables_map vm;
  if (!parse_options(args, opts, vm)) return kExitOk;
  auto p = parse_pattern(pattern);
  if (!p)
    throw po::error("option '--pattern': unknown pattern '" + pattern +
                    "' (seq, stride, uniform, zipf, gups, chase)");
  c.pattern = *p;
  auto k = parse_addr_kind(addr);
  if (!k) throw po::error("option '--addr': expected gpa or gva, got '" + addr + "'");
  c.kind = *k;
  c.footprint = size_option(vm, "footprint");
  c.stride = size_option(vm, "stride");
  const unsigned sz = vm["size"].as<unsigned>();
  if (sz == 0 || sz > 255) throw po::error("option '--size': must be 1..255 bytes");
  c.size = static_cast<uint8_t>(sz);
  c.base = c.kind == AddrKind::GuestVirtual ? kDefaultGvaBase : 0;
  if (vm.count("base")) c.base = size_option(vm, "base");
  read_event_options(vm, c);
  if (auto err = validate(c)) throw po::error(*err);
  const TraceFormat f = output_format(out, format, "gen");

  auto writer = open_trace_writer(f, out, c.kind);
  Generator g(c);
  std::vector<TraceRecord> batch(kBatch);
  Progress progress("accesses", c.count, !vm.count("quiet"));
  while (size_t n = g.next(batch.data(), batch.size())) {
    writer->write(batch.data(), n);
    progress.update(g.accesses());  // --count counts accesses, not events
  }
  writer->finish();
  progress.finish();
  return kExitOk;
}

int convert_main(const Args& args) {
  std::string in, out, format, from;
  po::options_description opts(
      "Usage: nptsim convert [OPTIONS] IN OUT\n\n"
      "Converts a trace. IN may be text, binary, lackey or champsim, plain or compressed\n"
      "(gzip, xz, zstd), recognised by content (--from overrides); OUT is text (.txt) or binary\n"
      "(.nptb), by its extension (--format overrides). '-' is standard input / output.\n\nOptions");
  opts.add_options()("help,h", "show this help")("format", po::value(&format),
                                                 "write OUT as text or binary")(
      "from", po::value(&from), "read IN as this format: text, binary, lackey, champsim")(
      "quiet,q", "no progress line");
  po::options_description hidden;
  hidden.add_options()("in", po::value(&in))("out", po::value(&out));
  po::positional_options_description pos;
  pos.add("in", 1).add("out", 1);
  po::variables_map vm;
  if (!parse_options(args, opts, vm, &hidden, &pos)) return kExitOk;
  if (in.empty() || out.empty()) throw po::error("needs IN and OUT (try --help)");
  std::optional<TraceFormat> forced;
  if (!from.empty()) {
    forced = parse_trace_format(from);
    if (!forced)
      throw po::error("option '--from': unknown format '" + from +
                      "' (text, binary, lackey, champsim)");
  }
  const TraceFormat f = output_format(out, format, "convert");
  try {
    auto reader = open_trace(in, forced);
    auto writer = open_trace_writer(f, out, reader->addr_kind());
    std::vector<TraceRecord> batch(kBatch);
    Progress progress("records", 0, !vm.count("quiet"));
    while (size_t n = reader->read(batch.data(), batch.size())) {
      writer->write(batch.data(), n);
      progress.update(writer->written());
    }
    writer->finish();
    progress.finish();
  } catch (const TraceError& e) {
    std::cerr << "nptsim convert: " << e.what() << "\n";
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace nptsim::cli
