// Trace reader throughput (records or lines per second) on in-memory, uncompressed inputs made
// from a real program's trace. Issue targets: binary >= 200 M records/s, lackey >= 60 M lines/s.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "traces/formats/binary_format.h"
#include "traces/formats/text_format.h"
#include "traces/trace_reader.h"

namespace nptsim::trace {
namespace {

constexpr size_t kRecords = 1 << 20;

// The first 2^20 records of a real program's trace (traces/samples/gzip.nptb.xz): access
// types, sizes and addresses follow real code, so branch behaviour is realistic.
std::vector<TraceRecord> sample_records() {
  auto reader = open_trace(NPTSIM_SAMPLE_TRACE);
  std::vector<TraceRecord> v(kRecords);
  size_t got = 0;
  while (got < kRecords) {
    size_t n = reader->read(v.data() + got, std::min<size_t>(4096, kRecords - got));
    if (n == 0) break;
    got += n;
  }
  v.resize(got);
  return v;
}

std::string binary_input() {
  auto recs = sample_records();
  std::string s(kBinaryHeaderBytes + recs.size() * kBinaryRecordBytes, '\0');
  auto* p = reinterpret_cast<uint8_t*>(s.data());
  encode_binary_header(AddrKind::GuestVirtual, recs.size(), p);
  for (size_t i = 0; i < recs.size(); ++i)
    encode_binary_record(recs[i], p + kBinaryHeaderBytes + i * kBinaryRecordBytes);
  return s;
}

std::string text_input() {
  std::string s = "nptsim-trace 1 gva\n";
  for (const auto& r : sample_records()) format_text_record(r, s);
  return s;
}

// Lackey output as valgrind writes it: "I  %08lx,%lu" and " X %08lx,%lu".
std::string lackey_text(const std::vector<TraceRecord>& records) {
  std::string s = "==1== Lackey, an example Valgrind tool\n";
  char line[64];
  for (const auto& r : records) {
    if (is_event(r)) continue;  // lackey has no events
    const char* fmt = r.type == AccessType::Fetch  ? "I  %08llx,%u\n"
                      : r.type == AccessType::Read ? " L %08llx,%u\n"
                                                   : " S %08llx,%u\n";
    int n = std::snprintf(line, sizeof line, fmt, static_cast<unsigned long long>(r.addr),
                          unsigned{r.size});
    s.append(line, static_cast<size_t>(n));
  }
  return s;
}

std::string lackey_input() { return lackey_text(sample_records()); }

// The same records with types and sizes shuffled: a worst case for branch prediction.
std::string lackey_random_input() {
  auto recs = sample_records();
  std::mt19937_64 rng(42);
  for (auto& r : recs) {
    r.type = static_cast<AccessType>(rng() % 3);
    r.size = static_cast<uint8_t>(1u << (rng() % 4));
  }
  return lackey_text(recs);
}

std::string champsim_input() {
  std::string s(kRecords / 2 * 64, '\0');
  std::mt19937_64 rng(7);
  for (size_t i = 0; i < kRecords / 2; ++i) {
    uint64_t ip = 0x400000 + i * 4, src = 0x7f0000000000 + (rng() & 0xffffff);
    std::memcpy(&s[i * 64], &ip, 8);
    std::memcpy(&s[i * 64 + 32], &src, 8);
  }
  return s;
}

void read_all(benchmark::State& state, const std::string& input, const char* label) {
  std::vector<TraceRecord> batch(4096);
  uint64_t records = 0;
  for (auto _ : state) {
    auto r =
        open_trace_memory(reinterpret_cast<const uint8_t*>(input.data()), input.size(), "bench");
    while (size_t n = r->read(batch.data(), batch.size())) records += n;
  }
  state.SetItemsProcessed(static_cast<int64_t>(records));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * input.size()));
  state.SetLabel(label);
}

void BM_ReadBinary(benchmark::State& s) {
  static const auto in = binary_input();
  read_all(s, in, "records");
}
void BM_ReadText(benchmark::State& s) {
  static const auto in = text_input();
  read_all(s, in, "lines");
}
void BM_ReadLackey(benchmark::State& s) {
  static const auto in = lackey_input();
  read_all(s, in, "lines");
}
void BM_ReadLackeyRandomTypes(benchmark::State& s) {
  static const auto in = lackey_random_input();
  read_all(s, in, "lines");
}
void BM_ReadChampSim(benchmark::State& s) {
  static const auto in = champsim_input();
  read_all(s, in, "records (2 per instruction)");
}

BENCHMARK(BM_ReadBinary)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadText)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadLackey)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadLackeyRandomTypes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadChampSim)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace nptsim::trace
