// libFuzzer entry point of one target: built once per target with WT_FUZZ_TARGET set to the
// target function (tests/fuzz/CMakeLists.txt).
#include "targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return WT_FUZZ_TARGET(data, size);
}
