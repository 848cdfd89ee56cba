// [lazy] The ISA-neutral helpers of lazy compilation (jit/lazy_compile.h). LazyModule::Create
// is the ISA's (jit/x64/lazy_x64.cpp).
#include <sys/resource.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "jit/lazy_compile.h"

namespace wt::jit {

size_t LazyArenaReserve(uint64_t code_bytes, uint64_t fixed, uint64_t data_bytes,
                        uint32_t num_funcs) {
  constexpr uint64_t kMin = uint64_t{256} << 20;
  constexpr uint64_t kMax = uint64_t{2} << 30;
  const auto page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  uint64_t want = std::max(kMin, 4 * code_bytes + fixed) + data_bytes + page * num_funcs;
  return static_cast<size_t>(std::min(want, kMax - 4096 * 4));
}

Result<std::string> LazySigKey(const wasm::FuncType& ft) {
  std::string key;
  for (const wasm::ValType& t : ft.params) {
    WT_TRY_ASSIGN(JType j, JTypeOf(t));
    key.push_back(static_cast<char>('0' + static_cast<int>(j)));
  }
  key.push_back(':');
  for (const wasm::ValType& t : ft.results) {
    WT_TRY_ASSIGN(JType j, JTypeOf(t));
    key.push_back(static_cast<char>('0' + static_cast<int>(j)));
  }
  return key;
}

void LowerLazyThreadPriority() {
  // Linux: per-thread nice value (PRIO_PROCESS with tid 0 = the calling thread).
  (void)setpriority(PRIO_PROCESS, 0, 19);
}

}  // namespace wt::jit
