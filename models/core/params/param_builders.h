// Builders for ParamDecl: a parameter of each type bound to one field of the configuration.
// `field` is a callable returning a reference to the field in a Config (the same callable serves
// reading and writing).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "models/core/params/param_tree.h"

namespace nptsim {

// What every declaration says besides its binding.
struct ParamText {
  std::string key, unit, doc, source;
};

namespace detail {
template <class Config>
ParamDecl<Config> decl(ParamText t, ParamType type) {
  ParamDecl<Config> d;
  d.key = std::move(t.key);
  d.type = type;
  d.unit = std::move(t.unit);
  d.doc = std::move(t.doc);
  d.source = std::move(t.source);
  return d;
}
// The field of a const Config: the binding only reads it here.
template <class Config, class Field>
decltype(auto) read(const Config& c, const Field& field) {
  return field(const_cast<Config&>(c));
}
}  // namespace detail

template <class Config, class Field>
ParamDecl<Config> uint_param(ParamText t, Field field, uint64_t min = 0,
                             uint64_t max = 0xFFFF'FFFF) {
  ParamDecl<Config> d = detail::decl<Config>(std::move(t), ParamType::UInt);
  d.min = min;
  d.max = max;
  d.get = [field](const Config& c) { return std::to_string(detail::read(c, field)); };
  d.set = [field](Config& c, const std::string& v) -> std::optional<std::string> {
    using T = std::remove_reference_t<decltype(field(c))>;
    field(c) = static_cast<T>(*param_parse::uint(v));
    return std::nullopt;
  };
  return d;
}

template <class Config, class Field>
ParamDecl<Config> size_param(ParamText t, Field field, uint64_t min = 1) {
  ParamDecl<Config> d = detail::decl<Config>(std::move(t), ParamType::Size);
  d.min = min;
  d.get = [field](const Config& c) {
    return format_size_compact(static_cast<uint64_t>(detail::read(c, field)));
  };
  d.set = [field](Config& c, const std::string& v) -> std::optional<std::string> {
    using T = std::remove_reference_t<decltype(field(c))>;
    field(c) = static_cast<T>(*parse_size(v));
    return std::nullopt;
  };
  return d;
}

template <class Config, class Field>
ParamDecl<Config> real_param(ParamText t, Field field, double min, double max) {
  ParamDecl<Config> d = detail::decl<Config>(std::move(t), ParamType::Real);
  d.min_real = min;
  d.max_real = max;
  d.get = [field](const Config& c) { return param_parse::real_text(detail::read(c, field)); };
  d.set = [field](Config& c, const std::string& v) -> std::optional<std::string> {
    field(c) = *param_parse::real(v);
    return std::nullopt;
  };
  return d;
}

template <class Config, class Field>
ParamDecl<Config> bool_param(ParamText t, Field field) {
  ParamDecl<Config> d = detail::decl<Config>(std::move(t), ParamType::Bool);
  d.get = [field](const Config& c) { return std::string(detail::read(c, field) ? "on" : "off"); };
  d.set = [field](Config& c, const std::string& v) -> std::optional<std::string> {
    field(c) = *param_parse::on_off(v);
    return std::nullopt;
  };
  return d;
}

// An enumeration: `names` lists (value, name) pairs; the names are the choices.
template <class Config, class Field, class Enum>
ParamDecl<Config> choice_param(ParamText t, Field field,
                               std::vector<std::pair<Enum, std::string>> names) {
  ParamDecl<Config> d = detail::decl<Config>(std::move(t), ParamType::Choice);
  for (const auto& n : names) d.choices.push_back(n.second);
  d.get = [field, names](const Config& c) {
    for (const auto& n : names) {
      if (n.first == detail::read(c, field)) return n.second;
    }
    return std::string("?");
  };
  d.set = [field, names](Config& c, const std::string& v) -> std::optional<std::string> {
    for (const auto& n : names) {
      if (n.second == v) field(c) = n.first;
    }
    return std::nullopt;
  };
  return d;
}

}  // namespace nptsim
