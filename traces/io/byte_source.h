// ByteSource: a stream of bytes from a file or standard input ("-"), decompressed on the fly when
// it starts with the magic bytes of gzip, xz or zstd (zlib, liblzma, libzstd from Debian).
// Memory use is a few fixed buffers, whatever the size of the input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace nptsim::trace {

enum class Compression { None, Gzip, Xz, Zstd };
const char* to_string(Compression c);

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to n bytes; returns 0 only at the end of the data. Throws TraceError on an I/O
  // error or corrupt/truncated compressed data.
  virtual size_t read(uint8_t* buf, size_t n) = 0;
};

struct OpenedSource {
  std::unique_ptr<ByteSource> source;
  Compression compression = Compression::None;
};

// Opens `path` ("-" for standard input) and recognises its compression by content.
// Throws TraceError("PATH: cannot open: ...") when it cannot be opened.
OpenedSource open_byte_source(const std::string& path);

// Recognises the compression of `raw` by its first bytes and decompresses it if needed; `name`
// prefixes error messages.
OpenedSource decompressing(std::unique_ptr<ByteSource> raw, const std::string& name);

// Reads an already open descriptor (a pipe from a recorder); closes it when `owned`.
std::unique_ptr<ByteSource> fd_source(int fd, bool owned, const std::string& name);

// Bytes held in memory (not copied: they must outlive the source); for tests and fuzzers.
std::unique_ptr<ByteSource> memory_source(const uint8_t* data, size_t len);

}  // namespace nptsim::trace
