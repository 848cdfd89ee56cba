// LoadModule: decode, validate, compute canonical type ids, compile, register the code.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "jit/lazy.h"
#include "runtime/code_registry.h"
#include "runtime/instance_data.h"
#include "runtime/profile.h"
#include "wasm/reader.h"
#include "wasm/validator.h"

namespace wt::runtime {

namespace {

// [lazy] WTRUN_COMPILE=lazy|eager overrides CompileOptions::mode (the CLI's --compile sets
// it too); WTRUN_LAZY_STRESS=1 sets lazy_stress; WTRUN_LAZY_BACKGROUND=N sets
// background_jobs; WTRUN_LAZY_STATS=1 prints each lazily compiled module's figures when it is
// unloaded. Read once per process.
struct LazyEnv {
  bool bad_compile = false;  // WTRUN_COMPILE set to something else
  bool has_mode = false;
  jit::CompileMode mode = jit::CompileMode::kEager;
  bool stress = false;
  bool stats = false;
  int background = -1;  // WTRUN_LAZY_BACKGROUND=N: background compile threads (-1: unset)
};

const LazyEnv& GetLazyEnv() {
  static const LazyEnv env = [] {
    LazyEnv e;
    if (const char* v = std::getenv("WTRUN_COMPILE"); v != nullptr && *v != '\0') {
      std::string_view s(v);
      e.has_mode = s == "lazy" || s == "eager";
      e.bad_compile = !e.has_mode;
      e.mode = s == "lazy" ? jit::CompileMode::kLazy : jit::CompileMode::kEager;
    }
    const char* stress = std::getenv("WTRUN_LAZY_STRESS");
    e.stress = stress != nullptr && std::strcmp(stress, "1") == 0;
    const char* stats = std::getenv("WTRUN_LAZY_STATS");
    e.stats = stats != nullptr && std::strcmp(stats, "1") == 0;
    if (const char* bg = std::getenv("WTRUN_LAZY_BACKGROUND"); bg != nullptr && *bg != '\0')
      e.background = std::clamp(std::atoi(bg), 0, 16);
    return e;
  }();
  return env;
}

// The features of `f` whose instructions the JIT compiles (Wasm 2.0, SIMD, relaxed SIMD; see
// BaselineCompiler::EmitInstr).
wasm::Features JitBodyFeatures(wasm::Features f) {
  for (int i = 0; i < static_cast<int>(wasm::Feature::kCount); ++i) {
    auto x = static_cast<wasm::Feature>(i);
    if (x > wasm::Feature::kBulk && x != wasm::Feature::kSimd && x != wasm::Feature::kRelaxedSimd)
      f.set(x, false);
  }
  return f;
}

// Profiling of lazily compiled code: the code written at creation now, each function when it
// is compiled (the registration hook skips the arena: it has no functions yet).
void ProfileLazy(jit::LazyModule& lazy, const wasm::Module* module) {
  if (GetProfileMode() == ProfileMode::kNone) return;
  for (const jit::LazyModule::CodeRange& r : lazy.FixedCode())
    ProfileRange(r.start, r.size, r.name);
  lazy.SetPublishHook([module](const jit::FuncRange& range, const uint8_t* code) {
    ProfileRange(code, range.end - range.begin, ProfileFuncName(module, range.func_index));
  });
}

}  // namespace

LoadedModule::~LoadedModule() {
  // [lazy] No compile may run once the code is unregistered (background threads stop first).
  if (code && code->lazy) {
    code->lazy->StopBackground();
    if (GetLazyEnv().stats) {
      jit::LazyModule::Stats s = code->lazy->stats();
      std::fprintf(stderr,
                   "lazy: %u functions compiled (%u by the thunk, %u in the background, %u "
                   "waits), %llu KB of code, %.1f ms compiling\n",
                   s.compiled, s.by_thunk, s.by_background, s.waited,
                   static_cast<unsigned long long>((s.code_bytes + 1023) / 1024),
                   static_cast<double>(s.compile_ns) / 1e6);
    }
  }
  if (code && code->code) UnregisterCode(code->code.get());
}

Result<std::shared_ptr<LoadedModule>> LoadModule(std::vector<uint8_t> bytes,
                                                 const wasm::Features& features) {
  wasm::ReadOptions ro;
  ro.features = features;
  // The validator decodes every body anyway and reports malformed code as kMalformed, so the
  // reader's separate syntax walk over the bodies is skipped here (only the order between a
  // malformed and an invalid body can differ; `wtrun wast` keeps the spec's order).
  ro.check_code_syntax = false;
  WT_TRY_ASSIGN(wasm::Module m, wasm::ReadModule(std::move(bytes), ro));
  return LoadModule(std::move(m), features, false);
}

Result<std::shared_ptr<LoadedModule>> LoadModule(wasm::Module module,
                                                 const wasm::Features& features, bool validated) {
  jit::CompileOptions co;
  co.features = features;
  return LoadModule(std::move(module), co, validated);
}

Result<std::shared_ptr<LoadedModule>> LoadModule(wasm::Module module,
                                                 const jit::CompileOptions& options,
                                                 bool validated) {
  return LoadModule(std::make_shared<const wasm::Module>(std::move(module)), options, validated);
}

Result<std::shared_ptr<LoadedModule>> LoadModule(std::shared_ptr<const wasm::Module> m,
                                                 const jit::CompileOptions& options,
                                                 bool validated) {
  const wasm::Features& features = options.features;
  const LazyEnv& env = GetLazyEnv();
  if (env.bad_compile)
    return MakeError(ErrorKind::kUsage, "WTRUN_COMPILE: unknown value (expected lazy or eager)");
  // Not yet validated: the declarations here, each body by the JIT worker that compiles it
  // (CompileOptions::validate_bodies), so validation runs in parallel too.
  wasm::TypeContext types;
  jit::CompileOptions co = options;
  if (env.has_mode) co.mode = env.mode;
  if (env.stress) co.lazy_stress = true;
  if (env.background >= 0) co.background_jobs = static_cast<uint32_t>(env.background);
  if (co.lazy_stress) co.background_jobs = 0;
  if (!validated) {
    wasm::ValidateOptions vo;
    vo.features = features;
    WT_TRY(wasm::ValidateModuleDecls(*m, vo, &types));
    co.validate_bodies = &types;
  }
  auto lm = std::make_shared<LoadedModule>();
  lm->type_ids = ComputeTypeIds(*m);
  lm->module = m;
  if (co.mode == jit::CompileMode::kLazy) {
    // [lazy] Every body validated now (validation errors stay load errors), none compiled.
    // The JIT refuses instructions beyond what it supports ("unsupported feature: ...") as it
    // compiles them, which eager mode reports at load: so bodies are validated with only the
    // features the JIT supports when more are enabled. Valid with fewer features means valid
    // with more (no extra pass); otherwise the full validation gives eager's error, and if the
    // module is valid, an eager compile of it gives eager's refusal (a rare, slow path).
    const wasm::Features jit_features = JitBodyFeatures(features);
    const bool beyond = jit_features.bits() != features.bits();
    bool check_compiles = false;
    if (co.validate_bodies) {
      Status st = wasm::ValidateBodies(*m, types, beyond ? jit_features : features, co.jobs);
      if (!st.ok()) {
        if (!beyond) return std::move(st).error();
        WT_TRY(wasm::ValidateBodies(*m, types, features, co.jobs));
        check_compiles = true;
      }
      co.validate_bodies = nullptr;
    } else if (beyond) {
      // Validated by the caller with `features`.
      wasm::ValidateOptions vo;
      vo.features = features;
      wasm::TypeContext decl_types;
      WT_TRY(wasm::ValidateModuleDecls(*m, vo, &decl_types));
      check_compiles = !wasm::ValidateBodies(*m, decl_types, jit_features, co.jobs).ok();
    }
    if (check_compiles) {
      jit::CompileOptions eager = co;
      eager.mode = jit::CompileMode::kEager;
      WT_TRY(jit::CompileModule(*m, eager));
    }
    lm->code = std::make_unique<jit::CompiledModule>();
    WT_TRY_ASSIGN(std::shared_ptr<jit::LazyModule> lazy,
                  jit::LazyModule::Create(m, co, lm->code.get()));
    ProfileLazy(*lazy, m.get());
  } else {
    WT_TRY_ASSIGN(lm->code, jit::CompileModule(*lm->module, co));
  }
  if (lm->code->code) RegisterCode(lm->code->code.get(), lm->module);
  return lm;
}

}  // namespace wt::runtime
