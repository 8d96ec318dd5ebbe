// nptsim info TRACE: what a trace holds (format, counts per type, events per kind, and the
// accesses' sizes, vCPUs and pages touched).
#include <boost/program_options.hpp>
#include <iostream>
#include <map>
#include <unordered_set>
#include <vector>

#include "models/core/common/addr.h"
#include "models/core/common/size_parse.h"
#include "sim/commands/commands.h"
#include "sim/commands/options.h"
#include "sim/util/progress.h"
#include "traces/io/trace_error.h"
#include "traces/trace_reader.h"

namespace po = boost::program_options;

namespace nptsim::cli {

namespace {

using namespace nptsim::trace;

// Distinct pages, counted exactly up to a cap so that memory stays bounded on huge traces.
class PageCounter {
 public:
  explicit PageCounter(unsigned shift) : shift_(shift) {}
  void add(uint64_t addr) {
    if (pages_.size() < kCap)
      pages_.insert(addr >> shift_);
    else if (!pages_.count(addr >> shift_))
      saturated_ = true;
  }
  std::string str() const {
    return (saturated_ ? "more than " : "") + std::to_string(pages_.size()) + " (" +
           format_size(pages_.size() << shift_) + ")";
  }

 private:
  static constexpr size_t kCap = size_t{1} << 24;
  unsigned shift_;
  std::unordered_set<uint64_t> pages_;
  bool saturated_ = false;
};

}  // namespace

int info_main(const Args& args) {
  std::string path, format;
  po::options_description opts(
      "Usage: nptsim info [OPTIONS] TRACE\n\n"
      "Reads a trace (any input format, plain or compressed) and prints what it holds: records\n"
      "per type, events per kind, and of the accesses: sizes, vCPUs, address range, distinct\n"
      "4 KiB pages and 2 MiB regions touched (counted exactly up to 16 M of each).\n\nOptions");
  opts.add_options()("help,h", "show this help")(
      "format", po::value(&format), "read TRACE as this format: text, binary, lackey, champsim")(
      "quiet,q", "no progress line");
  po::options_description hidden;
  hidden.add_options()("trace", po::value(&path));
  po::positional_options_description pos;
  pos.add("trace", 1);
  po::variables_map vm;
  if (!parse_options(args, opts, vm, &hidden, &pos)) return kExitOk;
  if (path.empty()) throw po::error("no trace given (try --help)");
  std::optional<TraceFormat> forced;
  if (!format.empty() && !(forced = parse_trace_format(format))) {
    throw po::error("option '--format': unknown format '" + format +
                    "' (text, binary, lackey, champsim)");
  }
  // Accesses by type; events by kind (type byte 3..13). Sizes, vCPUs, range and pages are the
  // accesses' only: an event's fields are its operands, not an access.
  uint64_t total = 0, by_type[3] = {0, 0, 0}, lo = UINT64_MAX, hi = 0;
  uint64_t by_event[kLastEvent + 1] = {}, events = 0;
  std::map<unsigned, uint64_t> sizes;
  std::map<uint16_t, uint64_t> vcpus;
  PageCounter pages4k(12), regions2m(21);
  Compression comp = Compression::None;
  std::unique_ptr<TraceReader> reader;
  try {
    reader = open_trace(path, forced, &comp);
    std::vector<TraceRecord> batch(4096);
    Progress progress("records", 0, !vm.count("quiet"));
    while (size_t n = reader->read(batch.data(), batch.size())) {
      for (size_t i = 0; i < n; ++i) {
        const TraceRecord& r = batch[i];
        if (is_event(r)) {  // the readers deliver only valid kinds (check_event)
          ++by_event[static_cast<uint8_t>(r.type)];
          ++events;
          continue;
        }
        ++by_type[static_cast<int>(r.type)];
        ++sizes[r.size];
        ++vcpus[r.vcpu];
        lo = std::min(lo, r.addr);
        hi = std::max(hi, r.addr + r.size - 1);
        pages4k.add(r.addr);
        regions2m.add(r.addr);
      }
      total += n;
      progress.update(total);
    }
    progress.finish();
  } catch (const TraceError& e) {
    std::cerr << "nptsim info: " << e.what() << "\n";
    return kExitUsage;
  }
  std::cout << "trace       " << path << "\n"
            << "format      " << to_string(reader->format())
            << (comp == Compression::None ? ""
                                          : std::string(", ") + to_string(comp) + "-compressed")
            << "\n"
            << "addresses   "
            << (reader->addr_kind() == AddrKind::GuestVirtual ? "guest-virtual" : "guest-physical")
            << "\n"
            << "records     " << total << " (fetch " << by_type[2] << ", read " << by_type[0]
            << ", write " << by_type[1] << (events ? ", events " + std::to_string(events) : "")
            << ")\n";
  if (events) {
    std::cout << "events      " << events << " (";
    const char* sep = "";
    for (uint8_t k = kFirstEvent; k <= kLastEvent; ++k) {
      if (!by_event[k]) continue;
      std::cout << sep << event_name(static_cast<EventKind>(k)) << " " << by_event[k];
      sep = ", ";
    }
    std::cout << ")\n";
  }
  std::cout << "sizes      ";
  for (const auto& [sz, n] : sizes) std::cout << " " << sz << "B:" << n;
  std::cout << "\nvcpus      ";
  for (const auto& [v, n] : vcpus)
    std::cout << " " << (v == kNoVcpu ? std::string("none") : std::to_string(v)) << ":" << n;
  std::cout << "\n";
  if (total > events) std::cout << "range       [" << to_hex(lo) << ", " << to_hex(hi) << "]\n";
  std::cout << "4K pages    " << pages4k.str() << "\n"
            << "2M regions  " << regions2m.str() << "\n";
  return kExitOk;
}

}  // namespace nptsim::cli
