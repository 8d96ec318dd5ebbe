// ParamTree<Config>: every configuration parameter of a model declared once, with its key, type,
// unit, one-line doc, validator and the source of its default, bound to one field of `Config`.
// From the declarations come the command-line options and --help, INI files, --set, the
// configuration echo of every report and docs/PARAMETERS.md. The default is the field's value
// in a default-constructed Config (one number, one place).
//
// Values are applied in layers, later layers winning: built-in defaults < preset < config files
// < command line < --set (the caller applies them in that order). A bad key, type or value is an
// error naming the origin (file:line or option), the key and the value; nothing aborts.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "models/core/common/size_parse.h"

namespace nptsim {

enum class ParamType : uint8_t {
  Bool,    // on | off
  UInt,    // decimal or 0x-hex, within [min, max]
  Size,    // bytes, with units: 32KiB, 8MiB, 0x1000
  Real,    // a decimal number within [min_real, max_real]
  Choice,  // one of `choices`
  Text,    // free text (checked by the binding)
  List,    // free text, repeatable: each value appends
};
const char* to_string(ParamType t);

// A parameter's value parsed by type (before it is stored).
namespace param_parse {
std::optional<bool> on_off(const std::string& v);
std::optional<uint64_t> uint(const std::string& v);
std::optional<double> real(const std::string& v);
// The shortest text that reads back as `v` ("3.3", "0.5", "1").
std::string real_text(double v);
}  // namespace param_parse

template <class Config>
struct ParamDecl {
  std::string key;  // "tlb.l1d.entries": group ("tlb.l1d") and name ("entries")
  ParamType type = ParamType::UInt;
  std::string unit;                  // "entries", "cycles", "bytes", "" when none
  std::string doc;                   // one line
  std::string source;                // where the default comes from, or "estimate: why"
  std::vector<std::string> choices;  // Choice
  uint64_t min = 0, max = std::numeric_limits<uint64_t>::max();  // UInt, Size
  double min_real = 0, max_real = 0;                             // Real
  std::function<std::string(const Config&)> get;  // the value as text (canonical form)
  // Parses and stores `value` (already checked against type, range and choices); an error
  // text when the binding refuses it.
  std::function<std::optional<std::string>(Config&, const std::string& value)> set;

  std::string group() const { return key.substr(0, key.rfind('.')); }
  std::string name() const { return key.substr(key.rfind('.') + 1); }
};

template <class Config>
class ParamTree {
 public:
  using Decl = ParamDecl<Config>;

  // Declares a parameter; a second declaration of the same key is a programming error that
  // `duplicate()` reports (tested), the first one stays.
  void add(Decl d) {
    if (find(d.key)) {
      duplicates_.push_back(d.key);
      return;
    }
    decls_.push_back(std::move(d));
  }
  const Decl* find(const std::string& key) const {
    for (const Decl& d : decls_) {
      if (d.key == key) return &d;
    }
    return nullptr;
  }
  const std::vector<Decl>& all() const { return decls_; }
  const std::vector<std::string>& duplicates() const { return duplicates_; }

  // Applies `key = value` to `c`. On error: "ORIGIN: KEY = VALUE: why" (ORIGIN is "--set",
  // "file.ini:12", ...).
  std::optional<std::string> apply(Config& c, const std::string& key, const std::string& value,
                                   const std::string& origin) const {
    const Decl* d = find(key);
    auto error = [&](const std::string& why) {
      return origin + ": " + key + " = '" + value + "': " + why;
    };
    if (!d) return origin + ": no configuration key '" + key + "' (nptsim params lists them)";
    if (auto why = check(*d, value)) return error(*why);
    if (auto why = d->set(c, value)) return error(*why);
    return std::nullopt;
  }

 private:
  static std::optional<std::string> check(const Decl& d, const std::string& v) {
    switch (d.type) {
      case ParamType::Bool:
        if (!param_parse::on_off(v)) return std::string("expected on or off");
        break;
      case ParamType::UInt:
      case ParamType::Size: {
        auto n = d.type == ParamType::UInt ? param_parse::uint(v) : parse_size(v);
        if (!n)
          return std::string(d.type == ParamType::UInt ? "not a whole number"
                                                       : "not a size (e.g. 32KiB, 8MiB, 0x1000)");
        if (*n < d.min || *n > d.max) {
          return "out of range [" + std::to_string(d.min) + ", " + std::to_string(d.max) + "]";
        }
        break;
      }
      case ParamType::Real: {
        auto x = param_parse::real(v);
        if (!x) return std::string("not a number");
        if (*x < d.min_real || *x > d.max_real) {
          return "out of range [" + param_parse::real_text(d.min_real) + ", " +
                 param_parse::real_text(d.max_real) + "]";
        }
        break;
      }
      case ParamType::Choice: {
        for (const std::string& c : d.choices) {
          if (c == v) return std::nullopt;
        }
        std::string list;
        for (const std::string& c : d.choices) list += (list.empty() ? "" : ", ") + c;
        return "expected one of " + list;
      }
      case ParamType::Text:
      case ParamType::List:
        break;
    }
    return std::nullopt;
  }

  std::vector<Decl> decls_;
  std::vector<std::string> duplicates_;
};

// One `key = value` of an INI file: `[section]` lines prefix the keys that follow
// ("[tlb.l1d]" then "entries = 64" is tlb.l1d.entries); '#' and ';' start comments.
// `note` is the block of whole-line comments above the key, or above the keys before it in the
// same section when no comment separates them: in presets, the source of the value ("Intel
// Optimization Reference Manual, Table 2-15 ..." or "estimate: why"). Empty when there is none.
struct IniEntry {
  std::string key, value;
  int line = 0;
  std::string note;
};
// The entries of `path` in file order, or an error "PATH:LINE: problem" (or "PATH: cannot read").
std::optional<std::string> read_ini(const std::string& path, std::vector<IniEntry>& out);

}  // namespace nptsim
