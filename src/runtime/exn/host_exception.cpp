// [exceptions] Exceptions crossing host frames (docs/exceptions.md, "Host frames").
//
// A wasm activation that ends in an uncaught exception hands the exception to its Invoke
// caller (InvokeResult::exception, an ExnRef). A host function called from wasm that wants the
// exception to go on unwinding into its wasm callers returns PropagateException(exn): the
// exception waits in a thread-local slot, the host function returns 1 + kUncaughtException,
// and the JIT's host stub raises that trap code through wt_raise_trap with its own frame
// pointer; wt_raise_trap takes the pending exception and unwinds it from the stub's wasm
// caller exactly as wt_throw_ref would (trap/scope_common.cpp). No C++ exception is involved
// and no JIT code changed: the host stubs of both ISAs already pass their frame.
#include <cstring>

#include "runtime/exn/exception.h"
#include "runtime/gc/gc_ref.h"
#include "runtime/runtime.h"
#include "runtime/trap/scope_common.h"

namespace wt::runtime {
namespace {

// One per thread: a store runs on one thread at a time, and the slot is filled and emptied
// between a host function's return and its stub's next instructions.
thread_local void* tls_pending = nullptr;

}  // namespace

ExnRef::ExnRef(const ExnRef& o) : exn_(o.exn_) {
  if (exn_ != nullptr) gc::IncRef(exn_);
}

ExnRef& ExnRef::operator=(const ExnRef& o) {
  if (this != &o) {
    if (o.exn_ != nullptr) gc::IncRef(o.exn_);
    if (exn_ != nullptr) gc::DecRef(exn_);
    exn_ = o.exn_;
  }
  return *this;
}

ExnRef& ExnRef::operator=(ExnRef&& o) noexcept {
  if (this != &o) {
    if (exn_ != nullptr) gc::DecRef(exn_);
    exn_ = o.exn_;
    o.exn_ = nullptr;
  }
  return *this;
}

ExnRef::~ExnRef() {
  if (exn_ != nullptr) gc::DecRef(exn_);
}

const Tag* ExnRef::tag() const {
  return exn::DataOf(exn_)->tag;
}

std::vector<Value> ExnRef::payload() const {
  exn::ExnData* d = exn::DataOf(exn_);
  const wasm::FuncType& type = d->tag->type();
  std::vector<Value> out;
  for (size_t i = 0; i < d->count && i < type.params.size(); ++i) {
    Value v;
    v.type = type.params[i];
    v.bits = exn::Values(d)[i];
    out.push_back(v);
  }
  return out;
}

namespace {

// wt_raise_trap's hook (trap/scope_common.h): the pending exception, if any, unwinds from the
// host stub's wasm caller, whose fp and return address are the stub's frame record.
void ResumePending(uintptr_t stub_fp) noexcept {
  void* e = exn::TakePendingException();
  if (e == nullptr) return;
  uintptr_t caller_fp = *reinterpret_cast<const uintptr_t*>(stub_fp);
  uintptr_t caller_pc = *reinterpret_cast<const uintptr_t*>(stub_fp + 8);
  exn::Unwind(nullptr, e, caller_fp, caller_pc, stub_fp);
}

}  // namespace

uint32_t PropagateException(ExnRef exn) {
  g_resume_pending_exception.store(&ResumePending, std::memory_order_release);
  void* old = tls_pending;
  tls_pending = exn.release();
  if (old != nullptr) gc::DecRef(old);  // an earlier one its host function did not return
  return 1 + static_cast<uint32_t>(TrapCode::kUncaughtException);
}

ExnRef NewException(const Tag& tag, std::span<const Value> values) {
  std::vector<ValueSlot> slots(values.size());
  for (size_t i = 0; i < values.size(); ++i) slots[i] = values[i].bits;
  return ExnRef(exn::NewException(&tag, slots.data(), slots.size()));
}

namespace exn {

void* TakePendingException() noexcept {
  void* e = tls_pending;
  tls_pending = nullptr;
  return e;
}

}  // namespace exn
}  // namespace wt::runtime
