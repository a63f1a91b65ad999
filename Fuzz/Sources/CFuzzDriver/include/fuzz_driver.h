// libFuzzer's driver entry point (compiler-rt FuzzerInterface.h). SwiftPM names an executable's
// `main` `<module>_main` and aliases it, so each fuzz target calls the driver from there.
#ifndef LKML_FUZZ_DRIVER_H
#define LKML_FUZZ_DRIVER_H
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
