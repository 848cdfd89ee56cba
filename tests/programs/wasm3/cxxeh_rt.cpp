// A minimal C++ exception runtime for wasm (-fwasm-exceptions), written for wtrun's program tests:
// the WASI sysroot shipped with @yowasp/clang has a libc++abi built without exceptions (its
// cxa_noexception.cpp; no __cxa_throw, no personality) and no libunwind, so C++ programs that
// throw do not link. This file supplies what LLVM's wasm EH lowering calls:
//   __cxa_allocate_exception / __cxa_free_exception / __cxa_throw / __cxa_rethrow,
//   __cxa_begin_catch / __cxa_end_catch / __cxa_get_exception_ptr,
//   _Unwind_CallPersonality and the __wasm_lpad_context it reads, and the __cpp_exception tag
//   (the payload: a pointer; compiled code only refers to it, the runtime defines it).
// A catch pad stores its landing-pad index and its LSDA in __wasm_lpad_context, calls
// _Unwind_CallPersonality with the thrown pointer and compares __wasm_lpad_context.selector
// with the type ids of its clauses. Catch matching: catch (...), the same type, and every
// conversion libc++abi's type_info classes know (derived to base, pointer qualification) through
// their can_catch member. Single-threaded; no exception_ptr, no foreign exceptions.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <typeinfo>

// The tag every C++ throw and catch uses (__builtin_wasm_throw(0, ...) is a throw of it).
__asm__(".globl __cpp_exception\n.tagtype __cpp_exception i32\n__cpp_exception:\n");

namespace __cxxabiv1 {
// The interface of libc++abi's type_info classes (private_typeinfo.h): declared, never defined
// here; only can_catch is called, through the vtable.
class __shim_type_info : public std::type_info {
 public:
  ~__shim_type_info() override;
  virtual void noop1() const;
  virtual void noop2() const;
  virtual bool can_catch(const __shim_type_info* thrown_type, void*& adjusted) const = 0;
};
}  // namespace __cxxabiv1

namespace {

struct Header {  // precedes the thrown object; its address is the wasm exception's payload
  const std::type_info* type;
  void* (*dtor)(void*);  // WebAssembly's C++ ABI: destructors return `this`
  void* adjusted;        // what __cxa_begin_catch returns (set by the personality)
  Header* next;          // the caught-exceptions stack
  int handlers;          // catch blocks active for it
  bool rethrown;
};
constexpr size_t kHeaderSize = (sizeof(Header) + 15) & ~size_t{15};

Header* HeaderOf(void* obj) {
  return reinterpret_cast<Header*>(static_cast<char*>(obj) - kHeaderSize);
}
void* ObjectOf(Header* h) {
  return reinterpret_cast<char*>(h) + kHeaderSize;
}

Header* g_caught = nullptr;

uintptr_t ReadUleb(const uint8_t*& p) {
  uintptr_t v = 0;
  unsigned shift = 0;
  uint8_t b;
  do {
    b = *p++;
    v |= uintptr_t(b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80);
  return v;
}

intptr_t ReadSleb(const uint8_t*& p) {
  intptr_t v = 0;
  unsigned shift = 0;
  uint8_t b;
  do {
    b = *p++;
    v |= intptr_t(b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80);
  if (shift < sizeof(v) * 8 && (b & 0x40)) v |= -(intptr_t(1) << shift);
  return v;
}

bool IsPointerType(const std::type_info* t) {
  return t->name()[0] == 'P';
}

// Whether a clause catching `c` (null: catch (...)) takes the exception; sets its object.
bool Matches(const std::type_info* c, Header* h, void*& adjusted) {
  void* obj = ObjectOf(h);
  adjusted = IsPointerType(h->type) ? *static_cast<void**>(obj) : obj;
  if (c == nullptr || *c == *h->type) return true;
  auto* catch_type = static_cast<const __cxxabiv1::__shim_type_info*>(c);
  auto* thrown_type = static_cast<const __cxxabiv1::__shim_type_info*>(h->type);
  return catch_type->can_catch(thrown_type, adjusted);
}

}  // namespace

extern "C" {

struct WasmLpadContext {
  uintptr_t lpad_index;
  const uint8_t* lsda;
  uintptr_t selector;
};
WasmLpadContext __wasm_lpad_context;

void* __cxa_allocate_exception(size_t size) noexcept {
  void* mem = std::calloc(1, kHeaderSize + size);
  if (!mem) std::terminate();
  return static_cast<char*>(mem) + kHeaderSize;
}

void __cxa_free_exception(void* obj) noexcept {
  std::free(HeaderOf(obj));
}

[[noreturn]] void __cxa_throw(void* obj, std::type_info* type, void* (*dtor)(void*)) {
  Header* h = HeaderOf(obj);
  h->type = type;
  h->dtor = dtor;
  h->adjusted = obj;
  __builtin_wasm_throw(0, h);
}

[[noreturn]] void __cxa_rethrow() {
  Header* h = g_caught;
  if (!h) std::terminate();
  h->rethrown = true;
  __builtin_wasm_throw(0, h);
}

void* __cxa_get_exception_ptr(void* exn) noexcept {
  return static_cast<Header*>(exn)->adjusted;
}

void* __cxa_begin_catch(void* exn) noexcept {
  Header* h = static_cast<Header*>(exn);
  if (h != g_caught) {
    h->next = g_caught;
    g_caught = h;
  }
  h->handlers++;
  h->rethrown = false;
  return h->adjusted;
}

void __cxa_end_catch() {
  Header* h = g_caught;
  if (!h || --h->handlers > 0) return;
  g_caught = h->next;
  if (h->rethrown) return;  // in flight again: the next catch owns it
  if (h->dtor) h->dtor(ObjectOf(h));
  std::free(h);
}

// LSDA of a wasm function (the Itanium layout with ULEB128 call sites): lpstart encoding (omit),
// type-table encoding (absptr) and offset, call-site encoding, call-site table length, then per
// landing pad (index, 1-based action offset); actions are (type filter, next displacement).
int _Unwind_CallPersonality(void* exn) {
  Header* h = static_cast<Header*>(exn);
  __wasm_lpad_context.selector = 0;
  const uint8_t* p = __wasm_lpad_context.lsda;
  if (!p) return 0;
  if (*p++ != 0xff) return 0;  // lpstart: always omitted for wasm
  uint8_t ttype_enc = *p++;
  const uint8_t* ttype_base = nullptr;
  if (ttype_enc != 0xff) {
    uintptr_t off = ReadUleb(p);
    ttype_base = p + off;
  }
  ++p;  // call-site encoding (uleb128)
  uintptr_t cs_len = ReadUleb(p);
  const uint8_t* cs_end = p + cs_len;
  const uint8_t* actions = cs_end;
  while (p < cs_end) {
    uintptr_t lpad = ReadUleb(p);
    uintptr_t action = ReadUleb(p);
    if (lpad != __wasm_lpad_context.lpad_index) continue;
    if (action == 0) return 0;  // cleanup only
    const uint8_t* a = actions + action - 1;
    for (;;) {
      intptr_t filter = ReadSleb(a);
      const uint8_t* next_at = a;
      intptr_t next = ReadSleb(a);
      if (filter > 0 && ttype_base) {
        const std::type_info* c;
        std::memcpy(&c, ttype_base - filter * sizeof(void*), sizeof(c));
        void* adjusted;
        if (Matches(c, h, adjusted)) {
          h->adjusted = adjusted;
          __wasm_lpad_context.selector = uintptr_t(filter);
          return 0;
        }
      }
      if (next == 0) return 0;
      a = next_at + next;
    }
  }
  return 0;
}

}  // extern "C"
