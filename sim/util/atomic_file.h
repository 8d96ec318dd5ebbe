// Writing a file whole or not at all: into PATH.part, then renamed over PATH, so a reader (a
// sweep's status, a resumed sweep) never takes a half-written file for a finished one.
#pragma once

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>

namespace nptsim {

// Calls writer(std::ostream&) on PATH.part, then renames it to `path`. Throws
// std::runtime_error("cannot write 'PATH'") when the file cannot be written or renamed.
template <class Writer>
void write_file_atomically(const std::string& path, Writer&& writer) {
  const std::string part = path + ".part";
  {
    std::ofstream f(part);
    if (!f) throw std::runtime_error("cannot write '" + path + "'");
    writer(f);
    if (!f.flush()) throw std::runtime_error("cannot write '" + path + "'");
  }
  if (std::rename(part.c_str(), path.c_str()) != 0)
    throw std::runtime_error("cannot write '" + path + "'");
}

}  // namespace nptsim
