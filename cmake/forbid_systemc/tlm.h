// Placed first on models/core's include path: the core library must not use SystemC
// (DESIGN.md, "Layers"). Put timing code in models/sysc instead.
#error "models/core must not include SystemC or TLM headers (see DESIGN.md, Layers)"
