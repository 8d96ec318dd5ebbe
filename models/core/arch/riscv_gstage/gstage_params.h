// RISC-V G-stage's parameters: the henvcfg controls a hypervisor chooses, bound to the
// Stage2Regime the walker reads (`regime` gives it within a configuration).
#pragma once

#include "models/core/params/param_builders.h"
#include "models/core/walk/regime.h"

namespace nptsim::riscv_gstage {

template <class Config, class RegimeOf>
void declare_params(ParamTree<Config>& t, RegimeOf regime) {
  t.add(bool_param<Config>(
      {"ad.riscv_svadu", "", "RISC-V: hardware A/D update at the G-stage (Svadu, henvcfg.ADUE)",
       "off: Svade, the base behaviour of the privileged specification"},
      [regime](Config& c) -> bool& { return regime(c).riscv_hw_ad; }));
}

}  // namespace nptsim::riscv_gstage
