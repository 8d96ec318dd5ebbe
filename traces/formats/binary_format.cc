#include "traces/formats/binary_format.h"

#include <algorithm>
#include <cstring>

#include "traces/io/trace_error.h"

namespace nptsim::trace {

namespace {

template <class T>
T load_le(const uint8_t* p) {
  T v = 0;
  for (size_t i = 0; i < sizeof(T); ++i) v |= static_cast<T>(static_cast<T>(p[i]) << (8 * i));
  return v;
}
template <class T>
void store_le(uint8_t* p, T v) {
  for (size_t i = 0; i < sizeof(T); ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

class BinaryReader final : public TraceReader {
 public:
  BinaryReader(std::unique_ptr<InputBuffer> in, const std::string& name)
      : TraceReader(name, AddrKind::GuestPhysical), in_(std::move(in)) {
    if (in_->ensure(kBinaryHeaderBytes) < kBinaryHeaderBytes) {
      throw TraceError(name_ + ": truncated header (" + std::to_string(in_->size()) + " of " +
                       std::to_string(kBinaryHeaderBytes) + " bytes)");
    }
    const uint8_t* h = in_->data();
    if (std::memcmp(h, kBinaryMagic, 8) != 0)
      throw TraceError(name_ + ": not an nptsim binary trace (bad magic)");
    const auto version = load_le<uint16_t>(h + 8);
    if (version != kBinaryVersion && version != kBinaryVersionNoEvents) {
      throw TraceError(name_ + ": binary trace version " + std::to_string(version) +
                       " is not supported (this nptsim reads versions 1 and 2)");
    }
    events_ = version >= 2;
    if (h[10] > 1) throw TraceError(name_ + ": header: bad address kind " + std::to_string(h[10]));
    kind_ = static_cast<AddrKind>(h[10]);
    if (h[11] != kBinaryRecordBytes)
      throw TraceError(name_ + ": header: record size " + std::to_string(h[11]) + ", expected 16");
    count_ = load_le<uint64_t>(h + 16);
    in_->consume(kBinaryHeaderBytes);
  }

  size_t read(TraceRecord* out, size_t max) override {
    size_t avail = in_->size() / kBinaryRecordBytes;
    if (avail == 0) {
      const size_t want = std::min(kBinaryRecordBytes * max, in_->max_window());
      avail = in_->ensure(want) / kBinaryRecordBytes;
    }
    if (avail == 0) {
      check_end();
      return 0;
    }
    const size_t n = avail < max ? avail : max;
    if (count_ != kUnknownCount && read_ + n > count_) {
      throw TraceError(name_ + ": record " + std::to_string(count_) + ": more records than the " +
                       std::to_string(count_) + " the header announces");
    }
    const uint8_t* p = in_->data();
    for (size_t i = 0; i < n; ++i, p += kBinaryRecordBytes) {
      TraceRecord& r = out[i];
      r.addr = load_le<uint64_t>(p);
      r.gap = load_le<uint32_t>(p + 8);
      r.vcpu = load_le<uint16_t>(p + 12);
      r.size = p[14];
      r.type = static_cast<AccessType>(p[15]);
      if (p[15] > 2 || r.size == 0) check_other(read_ + i, r);
    }
    in_->consume(n * kBinaryRecordBytes);
    read_ += n;
    return n;
  }
  TraceFormat format() const override { return TraceFormat::Binary; }

 private:
  // A record off the accesses' fast path (type byte above 2, or size 0): returns when it is a
  // valid event of a version-2 file, else throws naming the record.
  [[gnu::noinline]] void check_other(uint64_t index, const TraceRecord& r) const {
    const auto type = static_cast<uint8_t>(r.type);
    if (type <= 2) bad_record(index, "size 0");
    if (!events_) bad_record(index, "bad access type " + std::to_string(type));
    if (type > kLastEvent) bad_record(index, "bad record type " + std::to_string(type));
    if (auto err = check_event(r)) bad_record(index, *err);
  }
  [[noreturn]] void bad_record(uint64_t index, const std::string& what) const {
    throw TraceError(name_ + ": record " + std::to_string(index) + ": " + what);
  }
  void check_end() const {
    if (in_->size() != 0) {
      throw TraceError(name_ + ": record " + std::to_string(read_) + ": truncated (" +
                       std::to_string(in_->size()) + " of 16 bytes)");
    }
    if (count_ != kUnknownCount && count_ != read_) {
      throw TraceError(name_ + ": record " + std::to_string(read_) +
                       ": truncated: the header says " + std::to_string(count_) + " records");
    }
  }

  std::unique_ptr<InputBuffer> in_;
  uint64_t count_ = kUnknownCount;
  uint64_t read_ = 0;
  bool events_ = false;  // version 2: type bytes 3..13 are events
};

}  // namespace

void encode_binary_header(AddrKind kind, uint64_t count, uint8_t out[kBinaryHeaderBytes],
                          uint16_t version) {
  std::memset(out, 0, kBinaryHeaderBytes);
  std::memcpy(out, kBinaryMagic, 8);
  store_le<uint16_t>(out + 8, version);
  out[10] = static_cast<uint8_t>(kind);
  out[11] = kBinaryRecordBytes;
  store_le<uint64_t>(out + 16, count);
}

void encode_binary_record(const TraceRecord& r, uint8_t out[kBinaryRecordBytes]) {
  store_le<uint64_t>(out, r.addr);
  store_le<uint32_t>(out + 8, r.gap);
  store_le<uint16_t>(out + 12, r.vcpu);
  out[14] = r.size;
  out[15] = static_cast<uint8_t>(r.type);
}

std::unique_ptr<TraceReader> make_binary_reader(std::unique_ptr<InputBuffer> in,
                                                const std::string& name) {
  return std::make_unique<BinaryReader>(std::move(in), name);
}

}  // namespace nptsim::trace
