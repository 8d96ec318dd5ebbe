#include "traces/record_source.h"

namespace nptsim::trace {

namespace {

class FileRecords final : public RecordSource {
 public:
  explicit FileRecords(std::unique_ptr<TraceReader> r) : r_(std::move(r)) {}
  size_t next(TraceRecord* out, size_t max) override { return r_->read(out, max); }
  AddrKind addr_kind() const override { return r_->addr_kind(); }

 private:
  std::unique_ptr<TraceReader> r_;
};

class GeneratedRecords final : public RecordSource {
 public:
  explicit GeneratedRecords(const GenConfig& c) : g_(c), kind_(c.kind) {}
  size_t next(TraceRecord* out, size_t max) override { return g_.next(out, max); }
  AddrKind addr_kind() const override { return kind_; }

 private:
  Generator g_;
  AddrKind kind_;
};

class TwiceRecords final : public RecordSource {
 public:
  explicit TwiceRecords(SourceFactory f) : factory_(std::move(f)), src_(factory_()) {}
  size_t next(TraceRecord* out, size_t max) override {
    size_t n = src_->next(out, max);
    if (n == 0 && !second_) {
      second_ = true;
      src_ = factory_();
      n = src_->next(out, max);
    }
    return n;
  }
  AddrKind addr_kind() const override { return src_->addr_kind(); }

 private:
  SourceFactory factory_;
  std::unique_ptr<RecordSource> src_;
  bool second_ = false;
};

class LapRecords final : public RecordSource {
 public:
  LapRecords(std::shared_ptr<const std::vector<uint64_t>> offsets, uint64_t base, uint64_t laps,
             AddrKind kind)
      : offsets_(std::move(offsets)), base_(base), left_(laps * offsets_->size()), kind_(kind) {}
  size_t next(TraceRecord* out, size_t max) override {
    size_t n = 0;
    for (; n < max && left_ > 0; ++n, --left_) {
      out[n] = TraceRecord{base_ + (*offsets_)[pos_], 0, 0, 8, AccessType::Read};
      if (++pos_ == offsets_->size()) pos_ = 0;
    }
    return n;
  }
  AddrKind addr_kind() const override { return kind_; }

 private:
  std::shared_ptr<const std::vector<uint64_t>> offsets_;
  uint64_t base_, left_;
  size_t pos_ = 0;
  AddrKind kind_;
};

}  // namespace

SourceFactory twice(SourceFactory source) {
  return [source] { return std::make_unique<TwiceRecords>(source); };
}

SourceFactory lap_source(std::shared_ptr<const std::vector<uint64_t>> offsets, uint64_t base,
                         uint64_t laps, AddrKind kind) {
  if (offsets->empty()) laps = 0;
  return [offsets, base, laps, kind] {
    return std::make_unique<LapRecords>(offsets, base, laps, kind);
  };
}

SourceFactory file_source(const std::string& path, std::optional<TraceFormat> forced) {
  return [path, forced] { return std::make_unique<FileRecords>(open_trace(path, forced)); };
}

SourceFactory generator_source(const GenConfig& c) {
  return [c] { return std::make_unique<GeneratedRecords>(c); };
}

}  // namespace nptsim::trace
