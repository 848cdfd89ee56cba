#include "runtime/code_registry.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <vector>

namespace wt::runtime {
namespace {

struct Entry {
  uintptr_t begin;
  uintptr_t end;
  const jit::CodeObject* code;
};

struct Snapshot {
  std::vector<Entry> entries;  // sorted by begin, non-overlapping
};

// Readers: increment `readers`, load `current`, search, decrement. A writer swaps `current`
// and then frees retired snapshots only if it sees no reader: any reader that enters after
// that point loads the new snapshot (all operations are sequentially consistent).
std::atomic<const Snapshot*> g_current{nullptr};
std::atomic<int64_t> g_readers{0};
std::atomic<CodeRegisteredHook> g_on_register{nullptr};

struct Writer {
  std::mutex mu;
  std::vector<Entry> entries;
  std::vector<std::pair<const jit::CodeObject*, std::shared_ptr<const wasm::Module>>> modules;
  std::vector<const Snapshot*> retired;
};

Writer& GetWriter() {
  static Writer* w = new Writer();  // never destroyed: code may unregister during exit
  return *w;
}

void Publish(Writer& w) {
  auto* snap = new Snapshot{w.entries};
  const Snapshot* old = g_current.exchange(snap);
  if (old) w.retired.push_back(old);
  if (g_readers.load() == 0) {
    for (const Snapshot* s : w.retired) delete s;
    w.retired.clear();
  }
}

}  // namespace

void RegisterCode(const jit::CodeObject* code, std::shared_ptr<const wasm::Module> module) {
  if (!code || code->size() == 0) return;
  if (CodeRegisteredHook hook = g_on_register.load()) hook(*code, module.get());
  Writer& w = GetWriter();
  std::lock_guard<std::mutex> lock(w.mu);
  if (module) w.modules.emplace_back(code, std::move(module));
  auto b = reinterpret_cast<uintptr_t>(code->base());
  Entry e{b, b + code->size(), code};
  auto it = std::lower_bound(w.entries.begin(), w.entries.end(), e,
                             [](const Entry& x, const Entry& y) { return x.begin < y.begin; });
  w.entries.insert(it, e);
  Publish(w);
}

void UnregisterCode(const jit::CodeObject* code) {
  if (!code) return;
  Writer& w = GetWriter();
  std::lock_guard<std::mutex> lock(w.mu);
  auto it = std::find_if(w.entries.begin(), w.entries.end(),
                         [code](const Entry& e) { return e.code == code; });
  if (it == w.entries.end()) return;
  w.entries.erase(it);
  std::erase_if(w.modules, [code](const auto& m) { return m.first == code; });
  Publish(w);
}

std::shared_ptr<const wasm::Module> CodeModule(const jit::CodeObject* code) {
  Writer& w = GetWriter();
  std::lock_guard<std::mutex> lock(w.mu);
  for (const auto& m : w.modules)
    if (m.first == code) return m.second;
  return nullptr;
}

const jit::CodeObject* LookupCode(uintptr_t pc) noexcept {
  g_readers.fetch_add(1);
  const Snapshot* s = g_current.load();
  const jit::CodeObject* found = nullptr;
  if (s) {
    const Entry* lo = s->entries.data();
    size_t n = s->entries.size();
    // Last entry with begin <= pc.
    while (n > 0) {
      size_t half = n / 2;
      if (lo[half].begin <= pc) {
        lo += half + 1;
        n -= half + 1;
      } else {
        n = half;
      }
    }
    if (lo != s->entries.data()) {
      const Entry& e = lo[-1];
      if (pc < e.end) found = e.code;
    }
  }
  g_readers.fetch_sub(1);
  return found;
}

void SetCodeRegisteredHook(CodeRegisteredHook hook) {
  g_on_register.store(hook);
}

size_t RegisteredCodeCount() {
  Writer& w = GetWriter();
  std::lock_guard<std::mutex> lock(w.mu);
  return w.entries.size();
}

}  // namespace wt::runtime
