// Parameters of the guest (its page tables and OS model) and of the translation scheme.
#include "models/core/params/param_builders.h"
#include "models/core/platform/params/sim_config.h"

namespace nptsim {

namespace {
using C = SimConfig;
}  // namespace

void declare_guest_params(SimParams& t) {
  ParamDecl<C> scheme;
  scheme.key = "translation.scheme";
  scheme.type = ParamType::Choice;
  scheme.doc = "auto: nested for guest-virtual traces, else stage2";
  for (const SchemeInfo& s : translation_schemes())
    scheme.doc += std::string("; ") + s.name + ": " + s.doc;
  scheme.source = "auto: what the trace says it holds";
  scheme.choices = {"auto"};
  for (const SchemeInfo& s : translation_schemes()) scheme.choices.push_back(s.name);
  scheme.get = [](const C& c) { return c.scheme; };
  scheme.set = [](C& c, const std::string& v) -> std::optional<std::string> {
    c.scheme = v;
    return std::nullopt;
  };
  t.add(scheme);
  t.add(uint_param<C>(
      {"guest.levels", "levels",
       "levels of the guest's own page tables (x86_64 4|5, aarch64 3|4, riscv64 3|4 = Sv39|Sv48)",
       "4: the common 48-bit guest address space of all three architectures"},
      [](C& c) -> int& { return c.platform.guest.levels; }, 3, 5));
  t.add(bool_param<C>(
      {"guest.huge_pages", "", "the guest maps 2 MiB pages where it can", "off: 4 KiB pages"},
      [](C& c) -> bool& { return c.platform.guest.huge_pages; }));
  t.add(uint_param<C>(
      {"guest.fault_cost", "cycles", "a guest page fault: handler and mapping the page",
       "estimate: no published source"},
      [](C& c) -> uint32_t& { return c.platform.guest.fault_cost; }, 0, 1u << 30));
  t.add(bool_param<C>(
      {"ad.guest_hw", "",
       "the guest's own A/D (AArch64 AF via TCR_EL1.HA, RISC-V A/D via Svadu) are set by the "
       "walker; "
       "off: the guest OS sets them when it maps a page (x86-64 always uses hardware A/D)",
       "off: the guest OS presets them, as Linux does without hardware support"},
      [](C& c) -> bool& { return c.platform.guest.hw_ad; }));
  ParamDecl<C> area;
  area.key = "guest.area";
  area.type = ParamType::List;
  area.doc =
      "an area instead of the default RAM: \"GPA SIZE linear|alloc|lazy [rwxud] [HPA]\" "
      "(repeatable)";
  area.source = "none: guest RAM at GPA 0 (--guest-ram) with the run's backend";
  area.get = [](const C& c) {
    std::string s;
    for (const AreaSpec& a : c.areas) s += (s.empty() ? "" : "; ") + format_area(a);
    return s.empty() ? std::string("none") : s;
  };
  area.set = [](C& c, const std::string& v) -> std::optional<std::string> {
    AreaSpec a;
    if (auto e = parse_area(v, a)) return e;
    c.areas.push_back(a);
    return std::nullopt;
  };
  t.add(area);
}

}  // namespace nptsim
