#include "traces/formats/champsim_reader.h"

#include "traces/io/trace_error.h"

namespace nptsim::trace {

namespace {

uint64_t load_u64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

class ChampSimReader final : public TraceReader {
 public:
  ChampSimReader(std::unique_ptr<InputBuffer> in, const std::string& name)
      : TraceReader(name, AddrKind::GuestVirtual), in_(std::move(in)) {}

  // One instruction gives at most 7 records.
  size_t read(TraceRecord* out, size_t max) override {
    size_t n = 0;
    while (n + 7 <= max) {
      if (in_->size() < kChampSimRecordBytes &&
          in_->ensure(kChampSimRecordBytes * 1024) < kChampSimRecordBytes) {
        if (in_->size() != 0) {
          throw TraceError(name_ + ": record " + std::to_string(instrs_) + ": truncated (" +
                           std::to_string(in_->size()) + " of 64 bytes)");
        }
        break;
      }
      const uint8_t* p = in_->data();
      out[n++] = TraceRecord{load_u64(p), 0, kNoVcpu, kChampSimFetchSize, AccessType::Fetch};
      for (int i = 0; i < 4; ++i) {
        uint64_t a = load_u64(p + 32 + 8 * i);
        if (a) out[n++] = TraceRecord{a, 0, kNoVcpu, kChampSimDataSize, AccessType::Read};
      }
      for (int i = 0; i < 2; ++i) {
        uint64_t a = load_u64(p + 16 + 8 * i);
        if (a) out[n++] = TraceRecord{a, 0, kNoVcpu, kChampSimDataSize, AccessType::Write};
      }
      in_->consume(kChampSimRecordBytes);
      ++instrs_;
    }
    return n;
  }
  TraceFormat format() const override { return TraceFormat::ChampSim; }

 private:
  std::unique_ptr<InputBuffer> in_;
  uint64_t instrs_ = 0;
};

}  // namespace

std::unique_ptr<TraceReader> make_champsim_reader(std::unique_ptr<InputBuffer> in,
                                                  const std::string& name) {
  return std::make_unique<ChampSimReader>(std::move(in), name);
}

}  // namespace nptsim::trace
