#include "models/core/params/param_tree.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace nptsim {

const char* to_string(ParamType t) {
  switch (t) {
    case ParamType::Bool:
      return "on|off";
    case ParamType::UInt:
      return "integer";
    case ParamType::Size:
      return "size";
    case ParamType::Real:
      return "number";
    case ParamType::Choice:
      return "choice";
    case ParamType::Text:
      return "text";
    case ParamType::List:
      return "text, repeatable";
  }
  return "?";
}

namespace param_parse {

std::optional<bool> on_off(const std::string& v) {
  if (v == "on") return true;
  if (v == "off") return false;
  return std::nullopt;
}

std::optional<uint64_t> uint(const std::string& v) {
  const bool hex = v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X');
  const std::string digits = hex ? v.substr(2) : v;
  if (digits.empty()) return std::nullopt;
  for (char c : digits) {
    const auto u = static_cast<unsigned char>(c);
    if (!(hex ? std::isxdigit(u) : std::isdigit(u))) return std::nullopt;
  }
  return parse_size(v);  // digits only here: the number, overflow checked
}

std::optional<double> real(const std::string& v) {
  if (v.empty() || v.size() > 32) return std::nullopt;
  for (char c : v) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.') return std::nullopt;
  }
  char* end = nullptr;
  const double x = std::strtod(v.c_str(), &end);
  if (end != v.c_str() + v.size()) return std::nullopt;
  return x;
}

std::string real_text(double v) {
  char buf[32];
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

}  // namespace param_parse

namespace {

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

}  // namespace

std::optional<std::string> read_ini(const std::string& path, std::vector<IniEntry>& out) {
  std::ifstream f(path);
  if (!f) return path + ": cannot read";
  std::string section, raw, note;
  bool note_open = false;  // the last non-blank line was a comment: the next one extends `note`
  for (int line = 1; std::getline(f, raw); ++line) {
    const size_t comment = raw.find_first_of("#;");
    const std::string text = trim(comment == std::string::npos ? raw : raw.substr(0, comment));
    const std::string where = path + ":" + std::to_string(line) + ": ";
    if (text.empty()) {
      if (comment != std::string::npos) {
        const std::string c = trim(raw.substr(comment + 1));
        note = note_open ? note + " " + c : c;
        note_open = true;
      } else {
        note_open = false;  // a blank line ends a comment block; the note stays for the keys
      }
      continue;
    }
    note_open = false;
    if (text.front() == '[') {
      if (text.back() != ']' || text.size() < 3)
        return where + "a section header is [name], got '" + text + "'";
      section = trim(text.substr(1, text.size() - 2));
      note.clear();
      continue;
    }
    const size_t eq = text.find('=');
    if (eq == std::string::npos) return where + "expected key = value, got '" + text + "'";
    const std::string key = trim(text.substr(0, eq)), value = trim(text.substr(eq + 1));
    if (key.empty()) return where + "a key is missing before '='";
    out.push_back(IniEntry{section.empty() ? key : section + "." + key, value, line, note});
  }
  if (f.bad()) return path + ": read error";
  return std::nullopt;
}

}  // namespace nptsim
