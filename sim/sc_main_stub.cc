// libsystemc refers to sc_main (it also ships a main() that calls it). Programs with their own
// main() that elaborate SystemC models from their own code (nptsim run: models/sysc/sysc_run.cc)
// link this definition, which is never called.
extern "C" int sc_main(int, char*[]) { return 2; }
