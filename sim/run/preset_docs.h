// docs/PRESETS.md: the hardware presets of presets/ side by side, generated from the files.
#pragma once

#include <iosfwd>

namespace nptsim {

// Every preset's hardware values in one table (a column per preset; values without a public
// source marked), the per-architecture presets, and each preset's sources. Throws
// boost::program_options::error when a preset does not load.
void write_presets_markdown(std::ostream& out);

}  // namespace nptsim
