// [lazy] CodeArena (code_arena.h). Interface only so far: Create reports kUnsupported.
#include "jit/code_arena.h"

namespace wt::jit {

struct CodeArena::Impl {};

Result<std::unique_ptr<CodeArena>> CodeArena::Create(size_t, size_t, uint32_t, bool) {
  return MakeError(ErrorKind::kUnsupported, "code arena: not implemented yet");
}
CodeArena::CodeArena(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CodeArena::~CodeArena() = default;
uint8_t* CodeArena::data() const {
  return nullptr;
}
size_t CodeArena::data_size() const {
  return 0;
}
bool CodeArena::dual_mapped() const {
  return false;
}
Result<CodeArena::Allocation> CodeArena::Allocate(uint32_t, uint32_t) {
  return MakeError(ErrorKind::kUnsupported, "code arena: not implemented yet");
}
Status CodeArena::Commit(const Allocation&, std::span<const TrapSite>, std::span<const CallSite>,
                         std::span<const int32_t>) {
  return MakeError(ErrorKind::kUnsupported, "code arena: not implemented yet");
}
uint32_t CodeArena::record_count() const {
  return 0;
}
size_t CodeArena::code_bytes() const {
  return 0;
}
const uint8_t* CodeArena::base() const {
  return nullptr;
}
size_t CodeArena::size() const {
  return 0;
}
const TrapSite* CodeArena::FindTrap(uintptr_t) const {
  return nullptr;
}
const FuncRange* CodeArena::FindFunc(uintptr_t) const {
  return nullptr;
}
const CallSite* CodeArena::FindCallSite(uintptr_t) const {
  return nullptr;
}
std::span<const int32_t> CodeArena::StackMapAt(const CallSite&) const {
  return {};
}

}  // namespace wt::jit
