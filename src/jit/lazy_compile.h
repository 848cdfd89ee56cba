// [lazy] LazyModuleWith<Masm>: the ISA-neutral part of lazy compilation (jit/lazy.h), the way
// compile_module.h is for eager compilation. The ISA supplies the stubs (kLazyStubSize bytes
// each) and the compile thunk (jit/x64/lazy_x64.cpp, jit/a64/lazy_host_a64.cpp) and
// instantiates the template with its Masm.
//
// Arena layout (jit/code_arena.h): data part = the slot table (8 B per defined function);
// first code allocation = the stubs (kLazyStubSize each), then the thunk, then the entry
// trampolines and host stubs per distinct signature, all written at creation. Functions are
// compiled one at a time into their own allocation (a fresh Masm + BaselineCompiler, no
// validator: the module was validated at load; the same ModuleEnv flags as eager code, so fuel
// charges, epoch checks and trap sites are the same). A direct call to another function is an
// external label link, resolved at placement to the callee's code when it is already compiled
// (state kDone) and to its stub otherwise; nothing is patched after publication.
//
// Publish order per function (the compiling thread): code written through the allocation's rw
// view -> CodeArena::Commit (tables, record) -> publish hook (profiling) -> slot store
// (release) -> state kDone (release) -> notify_all.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <ctime>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "jit/baseline_compiler.h"
#include "jit/code_arena.h"
#include "jit/compiler.h"
#include "jit/feature_check.h"
#include "jit/lazy.h"

// [lazy] Builtins through a table (docs/lazy-plan.md 1.5): the arena's own, in its data part.
#include <sys/mman.h>
#include <unistd.h>

#include "runtime/builtin_table.h"

namespace wt::jit {

// ---- ISA-specific pieces (x86_64: jit/x64/lazy_x64.cpp; aarch64: jit/a64/lazy_host_a64.cpp) --

// Bytes per stub, and the byte the fixed code's padding is filled with (never executed: an
// x64 int3, an a64 udf #0).
#if defined(WTRUN_ISA_a64)
// adrp x16, slot; ldr x16, [x16, :lo12:slot]; br x16; movz w17, #lo; movk w17, #hi, lsl 16;
// b thunk; 2 words of padding (docs/a64.md): the slot may lie anywhere in the arena.
inline constexpr uint32_t kLazyStubSize = 32;
inline constexpr uint8_t kLazyPadByte = 0x00;
#else
// jmp [rip + slot]; mov eax, index; jmp thunk.
inline constexpr uint32_t kLazyStubSize = 16;
inline constexpr uint8_t kLazyPadByte = 0xcc;
#endif
// Bytes of the compile thunk.
uint32_t LazyThunkSize();
// Stub `index` at `rx` (written through `rw`): jumps through `*slot`; the slot's initial value
// (LazyStubResume) continues in the stub, which passes `index` to the thunk at `thunk_rx`.
void WriteLazyStub(uint8_t* rw, const uint8_t* rx, uint32_t index, const uint64_t* slot,
                   const uint8_t* thunk_rx);
uint64_t LazyStubResume(const uint8_t* stub_rx);
// The thunk at `rx` (written through `rw`): a frame, then compile_fn(module, index, vmctx,
// thunk fp) (runtime/lazy_runtime.h, wt_lazy_compile), then a tail jump into the entry it
// returns with the wasm registers of the call restored.
void WriteLazyThunk(uint8_t* rw, const uint8_t* rx, const LazyModule* module,
                    const void* compile_fn);

// ---- The module ------------------------------------------------------------------------

// Reservation for a module with `code_bytes` of code section and `fixed` bytes of stubs,
// thunk and trampolines: max(256 MiB, 4 x code + fixed), at most 2 GiB minus the data part.
// `num_funcs` pages on top: in the arena's page-flip fallback every function takes at least a
// page (the reservation costs nothing until used).
size_t LazyArenaReserve(uint64_t code_bytes, uint64_t fixed, uint64_t data_bytes,
                        uint32_t num_funcs);
// Signature key of `ft` for sharing trampolines (as CompileModuleWith does).
Result<std::string> LazySigKey(const wasm::FuncType& ft);
// Background compile threads run at the lowest normal priority (nice 19).
void LowerLazyThreadPriority();

template <MacroAssembler Masm>
class LazyModuleWith final : public LazyModule {
 public:
  using MakeMasm = std::function<std::unique_ptr<Masm>()>;

  LazyModuleWith(std::shared_ptr<const wasm::Module> module, const CompileOptions& options,
                 MakeMasm make_masm)
      : module_(std::move(module)),
        options_(options),
        make_masm_(std::move(make_masm)),
        num_defined_(static_cast<uint32_t>(module_->codes.size())),
        state_(new std::atomic<uint8_t>[num_defined_]) {
    for (uint32_t i = 0; i < num_defined_; ++i) state_[i].store(kNone, std::memory_order_relaxed);
  }

  ~LazyModuleWith() override { StopBackground(); }

  // Arena, stubs, slots, thunk, trampolines; fills `out` (but `out->lazy`).
  Status Init(CompiledModule* out, const void* compile_fn) {
    const wasm::Module& m = *module_;
    WT_TRY(CheckModuleFeatures(m));
    // Trampolines and host stubs per distinct signature, in one Masm.
    std::unique_ptr<Masm> tm = make_masm_();
    struct Tramps {
      uint32_t entry;
      uint32_t host_stub;
    };
    std::map<std::string, Tramps> by_sig;
    std::vector<const Tramps*> per_type(m.types.size(), nullptr);
    for (size_t ti = 0; ti < m.types.size(); ++ti) {
      const wasm::FuncType* ft = m.GetFuncType(static_cast<uint32_t>(ti));
      if (!ft) continue;
      WT_TRY_ASSIGN(std::string key, LazySigKey(*ft));
      auto it = by_sig.find(key);
      if (it == by_sig.end()) {
        Tramps t;
        t.entry = tm->EmitEntryTrampoline(*ft);
        t.host_stub = tm->EmitHostStub(*ft);
        it = by_sig.emplace(std::move(key), t).first;
      }
      per_type[ti] = &it->second;
    }
    WT_TRY_ASSIGN(size_t tramp_size, tm->Finish());

    uint64_t code_bytes = 0;
    for (const wasm::Code& c : m.codes) code_bytes += c.whole.size;
    const uint32_t stubs_size = kLazyStubSize * num_defined_;
    const uint32_t thunk_at = Align16(stubs_size);
    const uint32_t tramp_at = Align16(thunk_at + LazyThunkSize());
    const uint64_t fixed = uint64_t{tramp_at} + tramp_size;
    // Data part: the builtin table (its own page, made read-only), then the slots.
    const auto page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    const size_t table_bytes = (runtime::kNumBuiltins * sizeof(void*) + page - 1) / page * page;
    const size_t data_bytes = table_bytes + std::max<size_t>(8, size_t{8} * num_defined_);
    if (fixed > UINT32_MAX / 2)
      return MakeError(ErrorKind::kUnsupported, "lazy compilation: module too large");
    WT_TRY_ASSIGN(std::unique_ptr<CodeArena> arena,
                  CodeArena::Create(LazyArenaReserve(code_bytes, fixed, data_bytes, num_defined_),
                                    data_bytes, num_defined_ + 16));
    arena_ = arena.get();
    slots_ = reinterpret_cast<uint64_t*>(arena->data() + table_bytes);
    builtin_table_ = arena->data();
    runtime::FillBuiltinTable(reinterpret_cast<const void**>(arena->data()));
    if (mprotect(arena->data(), table_bytes, PROT_READ) != 0)
      return MakeError(ErrorKind::kUnsupported, "cannot seal the builtin table");
    WT_TRY_ASSIGN(CodeArena::Allocation a, arena->Allocate(static_cast<uint32_t>(fixed)));
    std::memset(a.rw, kLazyPadByte, fixed);
    stubs_ = a.rx;
    thunk_ = a.rx + thunk_at;
    WriteLazyThunk(a.rw + thunk_at, thunk_, this, compile_fn);
    for (uint32_t i = 0; i < num_defined_; ++i) {
      WriteLazyStub(a.rw + kLazyStubSize * i, stubs_ + kLazyStubSize * i, i, &slots_[i], thunk_);
      slots_[i] = LazyStubResume(stubs_ + kLazyStubSize * i);
    }
    WT_TRY(tm->CopyTo(a.rw + tramp_at, tramp_size, reinterpret_cast<uint64_t>(a.rx + tramp_at)));
    WT_TRY(ResolveLinks(*tm, a.rw + tramp_at, a.rx + tramp_at, {}, false));
    WT_TRY(arena->Commit(a, {}, {}, {}));
    fixed_ranges_.push_back({stubs_, stubs_size, "wasm-lazy-stubs"});
    fixed_ranges_.push_back({thunk_, LazyThunkSize(), "wasm-lazy-compile"});
    if (tramp_size) fixed_ranges_.push_back({a.rx + tramp_at, tramp_size, "wasm-trampolines"});

    out->func_code.resize(num_defined_);
    for (uint32_t i = 0; i < num_defined_; ++i) out->func_code[i] = stubs_ + kLazyStubSize * i;
    out->entries.assign(m.types.size(), nullptr);
    out->host_stubs.assign(m.types.size(), nullptr);
    for (size_t ti = 0; ti < m.types.size(); ++ti) {
      if (!per_type[ti]) continue;
      out->entries[ti] = reinterpret_cast<EntryFn>(a.rx + tramp_at + per_type[ti]->entry);
      out->host_stubs[ti] = a.rx + tramp_at + per_type[ti]->host_stub;
    }
    out->code = std::move(arena);
    background_ = !options_.lazy_stress && options_.background_jobs > 0;
    return Ok();
  }

  Result<const void*> Ensure(uint32_t i) override {
    if (i >= num_defined_)
      return MakeError(ErrorKind::kInvalid, "lazy compile: no defined function {}", i);
    std::atomic<uint8_t>& st = state_[i];
    for (;;) {
      uint8_t s = st.load(std::memory_order_acquire);
      if (s == kDone) return reinterpret_cast<const void*>(Slot(i));
      if (s == kNone) {
        if (!st.compare_exchange_strong(s, kCompiling, std::memory_order_acq_rel)) continue;
        auto r = CompileAndPublish(i, /*background=*/false);
        if (!r.ok()) {
          st.store(kNone, std::memory_order_release);
          st.notify_all();
        }
        return r;
      }
      waited_.fetch_add(1, std::memory_order_relaxed);
      st.wait(kCompiling, std::memory_order_acquire);
    }
  }

  // Background: compiles without claiming the function, and claims it (kNone -> kCompiling)
  // only to publish, so a thread calling it meanwhile compiles it itself instead of waiting
  // for a low-priority thread that a busy machine may not run for a long time (the loser's
  // code is dropped before it takes arena space).
  bool CompileIfIdle(uint32_t i) override {
    if (i >= num_defined_) return false;
    if (state_[i].load(std::memory_order_acquire) != kNone) return false;
    bool claimed = false;
    auto r = CompileAndPublish(i, /*background=*/true, &claimed);
    if (!r.ok() && claimed) {
      state_[i].store(kNone, std::memory_order_release);
      state_[i].notify_all();
    }
    return r.ok() && *r != nullptr;
  }

  bool IsCompiled(uint32_t i) const override {
    return i < num_defined_ && state_[i].load(std::memory_order_acquire) == kDone;
  }

  void SetPublishHook(PublishHook hook) override { hook_ = std::move(hook); }

  Stats stats() const override {
    Stats s;
    s.by_thunk = by_thunk_.load(std::memory_order_relaxed);
    s.by_background = by_background_.load(std::memory_order_relaxed);
    s.compiled = s.by_thunk + s.by_background;
    s.waited = waited_.load(std::memory_order_relaxed);
    s.code_bytes = code_bytes_.load(std::memory_order_relaxed);
    s.compile_ns = compile_ns_.load(std::memory_order_relaxed);
    return s;
  }

  std::vector<CodeRange> FixedCode() const override { return fixed_ranges_; }

  // Drops the queue and waits for the compiles in flight, not for the threads: they may be
  // asleep at the lowest priority on a busy machine. They keep only the shared queue state
  // (BgShared) and leave as soon as they wake.
  void StopBackground() override {
    std::unique_lock<std::mutex> lock(bg_->mu);
    bg_->stopping = true;
    bg_->queue.clear();
    bg_->cv.notify_all();
    bg_->idle.wait(lock, [&] { return bg_->in_flight == 0; });
    for (std::thread& t : bg_->threads) t.detach();
    bg_->threads.clear();
  }

 private:
  enum : uint8_t { kNone = 0, kCompiling = 1, kDone = 2 };
  static constexpr uint32_t kMaxQueueDepth = 2;

  // CPU time of this thread (the compile figure is CPU, not wall: a loaded machine or a
  // low-priority background thread would inflate wall time).
  static uint64_t ThreadCpuNs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
  }

  static uint32_t Align16(uint32_t v) { return (v + 15) & ~15u; }

  uint64_t Slot(uint32_t i) const {
    return std::atomic_ref<uint64_t>(slots_[i]).load(std::memory_order_acquire);
  }
  const uint8_t* Stub(uint32_t i) const { return stubs_ + kLazyStubSize * i; }

  // Per compiling thread: the label of each defined function (all invalid between compiles)
  // and the functions whose labels a compile created.
  struct ThreadState {
    std::vector<Label> labels;
    std::vector<uint32_t> used;
    std::vector<uint32_t> label_func;  // label id -> defined function (UINT32_MAX: none)
  };
  static ThreadState& Tls() {
    static thread_local ThreadState t;
    return t;
  }

  // Patches every external link of `masm` (code at rx, written at rw; Masm::PatchExternalLink:
  // x64 rel32, a64 bl/adrp forms): a callee's label gets its code (compiled and not
  // lazy_stress) or its stub.
  Status ResolveLinks(const Masm& masm, uint8_t* rw, const uint8_t* rx,
                      const std::vector<uint32_t>& label_func, bool direct) {
    std::vector<typename Masm::ExternalLink> links;
    WT_TRY(masm.ExternalLinks(&links));
    const uint32_t table_label = masm.BuiltinTableLabelId();
    for (const auto& l : links) {
      if (l.label == table_label && builtin_table_ != nullptr) {
        if (!Masm::PatchExternalLink(l.kind, l.rel, rw + l.at,
                                     reinterpret_cast<uint64_t>(rx + l.at),
                                     reinterpret_cast<uint64_t>(builtin_table_)))
          return MakeError(ErrorKind::kUnsupported, "jit: builtin table out of reach");
        continue;
      }
      uint32_t f = l.label < label_func.size() ? label_func[l.label] : UINT32_MAX;
      if (f >= num_defined_)
        return MakeError(ErrorKind::kUnsupported, "jit: unresolved label {}", l.label);
      const uint8_t* target = Stub(f);
      if (direct && state_[f].load(std::memory_order_acquire) == kDone)
        target = reinterpret_cast<const uint8_t*>(Slot(f));
      if (!Masm::PatchExternalLink(l.kind, l.rel, rw + l.at, reinterpret_cast<uint64_t>(rx + l.at),
                                   reinterpret_cast<uint64_t>(target)))
        return MakeError(ErrorKind::kUnsupported, "jit: call out of reach");
    }
    return Ok();
  }

  // Compiles defined function i and publishes it. `claim` null: this thread won its
  // kNone -> kCompiling already. Otherwise the claim is made after the compile, right before
  // publishing (*claim tells whether it was won); lost: nothing is published and the result
  // is nullptr.
  Result<const void*> CompileAndPublish(uint32_t i, bool background, bool* claim = nullptr) {
    const uint64_t t0 = ThreadCpuNs();
    ThreadState& ts = Tls();
    if (ts.labels.size() < num_defined_) ts.labels.resize(num_defined_);
    ts.used.clear();
    // Every label this compile creates is reset on the way out, whatever happens.
    struct Reset {
      ThreadState& ts;
      ~Reset() {
        for (uint32_t f : ts.used) {
          uint32_t id = ts.labels[f].id;
          if (id < ts.label_func.size()) ts.label_func[id] = UINT32_MAX;
          ts.labels[f] = Label{};
        }
        ts.used.clear();
      }
    } reset{ts};

    const uint32_t func_index = module_->num_imported_funcs + i;
    std::unique_ptr<Masm> masm = make_masm_();
    ModuleEnv env;
    env.module = module_.get();
    env.func_labels = &ts.labels;
    env.consume_fuel = options_.consume_fuel;
    env.epoch_interruption = options_.epoch_interruption;
    env.used_funcs = &ts.used;
    std::vector<TrapSite> traps;
    std::vector<CallSite> call_sites;
    std::vector<int32_t> stack_maps;
    BaselineCompiler<Masm> compiler(*masm, env);
    compiler.set_call_sites(&call_sites);
    compiler.set_stack_maps(&stack_maps);
    WT_TRY(compiler.CompileFunction(func_index, &traps));
    const uint32_t entry = masm->LabelOffset(ts.labels[i]);
    WT_TRY_ASSIGN(size_t size, masm->Finish());
    for (uint32_t f : ts.used) {
      uint32_t id = ts.labels[f].id;
      if (id >= ts.label_func.size()) ts.label_func.resize(id + 1, UINT32_MAX);
      ts.label_func[id] = f;
    }
    if (claim) {
      uint8_t s = kNone;
      *claim = state_[i].compare_exchange_strong(s, kCompiling, std::memory_order_acq_rel);
      if (!*claim) return static_cast<const void*>(nullptr);
    }
    WT_TRY_ASSIGN(CodeArena::Allocation a,
                  arena_->Allocate(static_cast<uint32_t>(size), func_index));
    WT_TRY(masm->CopyTo(a.rw, size, reinterpret_cast<uint64_t>(a.rx)));
    WT_TRY(ResolveLinks(*masm, a.rw, a.rx, ts.label_func, !options_.lazy_stress));
    WT_TRY(arena_->Commit(a, traps, call_sites, stack_maps));
    if (hook_) {
      auto begin = static_cast<uint32_t>(a.rx - arena_->base());
      hook_(FuncRange{begin, begin + static_cast<uint32_t>(size), func_index}, a.rx);
    }
    const uint8_t* code = a.rx + entry;
    std::atomic_ref<uint64_t>(slots_[i]).store(reinterpret_cast<uint64_t>(code),
                                               std::memory_order_release);
    state_[i].store(kDone, std::memory_order_release);
    state_[i].notify_all();

    code_bytes_.fetch_add(size, std::memory_order_relaxed);
    (background ? by_background_ : by_thunk_).fetch_add(1, std::memory_order_relaxed);
    compile_ns_.fetch_add(ThreadCpuNs() - t0, std::memory_order_relaxed);
    // Background: the uncompiled direct callees of this function.
    if (background_) {
      uint32_t depth = background ? bg_depth_tls() + 1 : 1;
      if (depth <= kMaxQueueDepth) {
        std::lock_guard<std::mutex> lock(bg_->mu);
        size_t before = bg_->queue.size();
        for (uint32_t f : ts.used)
          if (f != i && state_[f].load(std::memory_order_relaxed) == kNone)
            bg_->queue.push_back({f, depth});
        if (!bg_->stopping && bg_->queue.size() > before) {
          // The threads start with the first queued job (a module that never queues any
          // costs none).
          if (bg_->threads.empty()) StartBackgroundLocked(options_.background_jobs);
          bg_->cv.notify_all();
        }
      }
    }
    return static_cast<const void*>(code);
  }

  // ---- Background compilation (docs/lazy-plan.md section 3) ----
  struct Job {
    uint32_t func;
    uint32_t depth;
  };
  static uint32_t& bg_depth_tls() {
    static thread_local uint32_t d = 0;
    return d;
  }
  // The queue and its threads' state, shared with the threads (which may outlive the module:
  // StopBackground detaches them once no compile is in flight).
  struct BgShared {
    std::mutex mu;
    std::condition_variable cv;    // jobs or stopping
    std::condition_variable idle;  // in_flight reached 0
    std::deque<Job> queue;
    bool stopping = false;
    uint32_t in_flight = 0;
    std::vector<std::thread> threads;
  };
  void StartBackgroundLocked(uint32_t n) {
    for (uint32_t t = 0; t < n; ++t) {
      try {
        bg_->threads.emplace_back([self = this, bg = bg_] { BackgroundLoop(self, bg); });
      } catch (const std::system_error&) {
        break;
      }
    }
  }
  // `self` is used only between taking a job and finishing it (in_flight > 0), while
  // StopBackground, hence the module's destruction, waits.
  static void BackgroundLoop(LazyModuleWith* self, std::shared_ptr<BgShared> bg) {
    LowerLazyThreadPriority();
    for (;;) {
      Job job;
      {
        std::unique_lock<std::mutex> lock(bg->mu);
        bg->cv.wait(lock, [&] { return bg->stopping || !bg->queue.empty(); });
        if (bg->stopping) return;
        job = bg->queue.front();
        bg->queue.pop_front();
        ++bg->in_flight;
      }
      bg_depth_tls() = job.depth;
      self->CompileIfIdle(job.func);
      std::lock_guard<std::mutex> lock(bg->mu);
      if (--bg->in_flight == 0 && bg->stopping) bg->idle.notify_all();
    }
  }
  std::shared_ptr<const wasm::Module> module_;
  CompileOptions options_;
  MakeMasm make_masm_;
  uint32_t num_defined_ = 0;
  std::unique_ptr<std::atomic<uint8_t>[]> state_;
  CodeArena* arena_ = nullptr;  // owned by the CompiledModule (destroyed after this)
  uint64_t* slots_ = nullptr;
  const uint8_t* builtin_table_ = nullptr;  // in the data part (null: no table)
  const uint8_t* stubs_ = nullptr;
  const uint8_t* thunk_ = nullptr;
  std::vector<CodeRange> fixed_ranges_;
  PublishHook hook_;
  std::atomic<uint32_t> by_thunk_{0}, by_background_{0}, waited_{0};
  std::atomic<uint64_t> code_bytes_{0}, compile_ns_{0};
  // Background compilation (background_jobs > 0, not lazy_stress).
  bool background_ = false;
  std::shared_ptr<BgShared> bg_ = std::make_shared<BgShared>();
};

}  // namespace wt::jit
