// The factories of the built-in translation schemes (engine/scheme_registry.cc lists them).
#pragma once

#include <memory>

#include "models/core/engine/translation_scheme.h"

namespace nptsim {

std::unique_ptr<TranslationScheme> make_stage2_scheme(const SchemeContext& c);
std::unique_ptr<TranslationScheme> make_nested_scheme(const SchemeContext& c);

}  // namespace nptsim
