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

}  // namespace

SourceFactory file_source(const std::string& path, std::optional<TraceFormat> forced) {
  return [path, forced] { return std::make_unique<FileRecords>(open_trace(path, forced)); };
}

SourceFactory generator_source(const GenConfig& c) {
  return [c] { return std::make_unique<GeneratedRecords>(c); };
}

}  // namespace nptsim::trace
