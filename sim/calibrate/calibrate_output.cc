#include "sim/calibrate/calibrate_output.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <ostream>

#include "models/core/common/size_parse.h"
#include "sim/util/format.h"

namespace nptsim::calibrate {

namespace {

using json = nlohmann::ordered_json;

std::string pad(const std::string& s, size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

// "AMD EPYC (virtual machine)": the host as the preset's comments name it.
std::string host_label(const HostInfo& h) {
  return h.cpu + (h.virtual_machine ? " (virtual machine)" : " (not a virtual machine)");
}

// A fitted value as JSON: sizes in bytes, other values as numbers.
json fitted_value(const FittedKey& k) {
  if (k.key.size() > 5 && k.key.compare(k.key.size() - 5, 5, ".size") == 0) {
    if (auto b = parse_size(k.value)) return *b;
  }
  return std::stod(k.value);
}

json series_json(const MeasuredSeries& s) {
  json pts = json::array();
  for (const MeasuredPoint& p : s.points) {
    pts.push_back({{"pages", p.pages},
                   {"footprint_bytes", p.footprint_bytes},
                   {"accesses", p.accesses},
                   {"ns_per_access", p.ns_per_access},
                   {"ns_per_access_median", p.ns_median},
                   {"clean_runs", p.clean_runs},
                   {"cycles_per_access", p.cycles_per_access}});
    if (s.def->page_bytes >= kHugePageBytes) pts.back()["huge_fraction"] = p.huge_fraction;
  }
  json j = {
      {"name", s.def->name}, {"page_bytes", s.def->page_bytes}, {"mode", to_string(s.def->mode)}};
  if (s.def->page_bytes >= kHugePageBytes) j["huge_backed"] = s.huge_backed();
  j["points"] = std::move(pts);
  return j;
}

}  // namespace

bool MeasuredSeries::huge_backed() const { return !points.empty() && min_huge_fraction() >= 1.0; }

double MeasuredSeries::min_huge_fraction() const {
  double m = 1.0;
  for (const MeasuredPoint& p : points) m = std::min(m, p.huge_fraction);
  return m;
}

std::string vm_verdict(const HostInfo& h) {
  if (!h.virtual_machine)
    return "not a virtual machine as far as nptsim can tell (" + h.vm_evidence +
           "): the walks measured are one-dimensional (native page tables)";
  return "virtual machine (" + h.vm_evidence +
         "): the walks measured are two-dimensional, the guest's page tables over the host's "
         "nested tables (EPT/NPT/stage 2), and their cost depends on how the host backs guest "
         "memory (its page size, unknown from inside); compare with nptsim's two-dimensional "
         "runs (guest-virtual traces)";
}

void write_measured_json(std::ostream& out, const Calibration& c) {
  json series = json::array();
  for (const MeasuredSeries& s : c.series) series.push_back(series_json(s));
  json fitted = json::object();
  for (const FittedKey& k : c.fit.keys) fitted[k.key] = fitted_value(k);
  json derived = json::object();
  for (const DerivedValue& d : c.fit.derived)
    derived[d.name] = {{"value", d.value}, {"unit", d.unit}, {"what", d.what}};
  json j = {{"format", "nptsim-calibrate"},
            {"version", 1},
            {"host",
             {{"cpu", c.host.cpu},
              {"arch", c.host.arch},
              {"virtual_machine", c.host.virtual_machine},
              {"vm_evidence", c.host.vm_evidence},
              {"thp", c.host.thp},
              {"base_page_bytes", c.host.base_page_bytes},
              {"huge_page_bytes", c.host.huge_page_bytes},
              {"freq_ghz", c.clock.ghz},
              {"freq_method", c.clock.method}}},
            {"pattern", {{"seed", c.seed}, {"line_rule", kLineRule}}},
            {"quick", c.quick},
            {"series", std::move(series)},
            {"fitted", std::move(fitted)},
            {"derived", std::move(derived)},
            {"notes", c.fit.notes}};
  out << j.dump(2) << "\n";
}

void write_measured_csv(std::ostream& out, const Calibration& c) {
  out << "series,pages,page_bytes,footprint_bytes,ns_per_access,cycles_per_access\n";
  for (const MeasuredSeries& s : c.series)
    for (const MeasuredPoint& p : s.points)
      out << s.def->name << "," << p.pages << "," << s.def->page_bytes << "," << p.footprint_bytes
          << "," << fixed(p.ns_per_access, 4) << "," << fixed(p.cycles_per_access, 3) << "\n";
}

void write_fitted_ini(std::ostream& out, const Calibration& c) {
  out << "# nptsim calibrate: values measured on " << host_label(c.host)
      << (c.quick ? ", --quick (few points, short timing: rough)" : "") << ".\n"
      << "# Only what calibrate measures is here; layer it over a base preset:\n"
      << "#   nptsim run --preset skylake --config fitted.ini ...\n"
      << "# Sizes and TLB entries are rounded to multiples of the built-in defaults' ways, which\n"
      << "# are written with them (associativity is not measured).\n";
  const std::string on = "# measured by nptsim calibrate on " + host_label(c.host) + ": ";
  for (const FittedKey& k : c.fit.keys) {
    const bool estimate = k.what.rfind("estimate", 0) == 0;
    out << "\n" << (estimate ? "# " : on) << k.what << "\n" << k.key << " = " << k.value << "\n";
  }
}

void print_summary(std::ostream& out, const Calibration& c) {
  out << "host: " << c.host.cpu << " (" << c.host.arch << "), base pages "
      << format_size(c.host.base_page_bytes) << ", huge pages "
      << format_size(c.host.huge_page_bytes) << ", THP " << c.host.thp << "\n"
      << "core clock: " << fixed(c.clock.ghz, 3) << " GHz (" << c.clock.method << ")\n";
  for (const MeasuredSeries& s : c.series) {
    out << "\n" << s.def->name << ": " << s.def->what;
    if (s.def->page_bytes >= kHugePageBytes)
      out << (s.huge_backed() ? " (smaps: all 2 MiB-backed)"
                              : " (NOT all 2 MiB-backed: smaps showed " +
                                    fixed(100 * s.min_huge_fraction(), 0) + "% at worst)");
    out << "\n"
        << pad("pages", 9) << pad("footprint", 12) << pad("ns", 9) << pad("cycles", 9) << "\n";
    for (const MeasuredPoint& p : s.points)
      out << pad(std::to_string(p.pages), 9) << pad(format_size(p.footprint_bytes), 12)
          << pad(fixed(p.ns_per_access, 2), 9) << pad(fixed(p.cycles_per_access, 1), 9) << "\n";
  }
  out << "\nfitted (fitted.ini):\n";
  if (c.fit.keys.empty()) out << "  (nothing)\n";
  for (const FittedKey& k : c.fit.keys)
    out << "  " << k.key << " = " << k.value << "   " << k.what << "\n";
  for (const DerivedValue& d : c.fit.derived)
    out << "  " << d.name << ": " << fixed(d.value, 1) << " " << d.unit << "   " << d.what << "\n";
  for (const std::string& n : c.fit.notes) out << "  note: " << n << "\n";
  out << "\n" << vm_verdict(c.host) << "\n";
}

}  // namespace nptsim::calibrate
