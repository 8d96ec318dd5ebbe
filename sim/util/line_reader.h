// LineReader: reads a text file line by line, plain or gzip-compressed (recognised by its magic
// bytes, through zlib). Throws std::runtime_error naming the file when it cannot be read.
#pragma once

#include <string>

namespace nptsim {

class LineReader {
 public:
  explicit LineReader(const std::string& path);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line without its newline; false at end of file. line_number() is then the 1-based
  // number of the line returned.
  bool next(std::string& line);
  long line_number() const { return line_no_; }
  const std::string& path() const { return path_; }

 private:
  bool fill();

  std::string path_;
  void* gz_ = nullptr;  // gzFile
  std::string buf_;
  size_t pos_ = 0;
  bool eof_ = false;
  long line_no_ = 0;
};

}  // namespace nptsim
