// x86 EPT's parameters: the VMX controls of the walk that a hypervisor chooses, bound to the
// Stage2Regime the walker reads (`regime` gives it within a configuration).
#pragma once

#include "models/core/params/param_builders.h"
#include "models/core/walk/regime.h"

namespace nptsim::x86_ept {

template <class Config, class RegimeOf>
void declare_params(ParamTree<Config>& t, RegimeOf regime) {
  t.add(bool_param<Config>({"ad.ept", "", "x86: EPT accessed/dirty flags (EPTP bit 6)",
                            "off: axvm does not enable EPT A/D"},
                           [regime](Config& c) -> bool& { return regime(c).ept_ad_enabled; }));
}

}  // namespace nptsim::x86_ept
