// Target "simd_isa": a self-differential test of the two SIMD lowerings (docs/simd.md). The
// input is compiled twice, with the vector ISA capped at SSE4.1 (the floor: no VEX, no
// pcmpgtq, no FMA) and at auto (this host's best: AVX2 and FMA on the machines the project
// runs on), instantiated with the same stand-in imports, and every export is called with zero
// arguments (and once more with edge values, v128 lanes included, when it has parameters)
// under the same fuel. The two runs must agree on every result (bit for bit: both
// are wtrun's code, NaNs included), on the trap of each call, on the globals and on a hash of
// memory 0 after the calls. Relaxed madd/nmadd are the one deliberate difference between the
// paths (fused only with FMA): a module that uses them runs on both, unchecked.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "run_common.h"
#include "runtime/instance_data.h"
#include "runtime/runtime.h"
#include "targets.h"
#include "wasm/code_reader.h"
#include "wasm/reader.h"

namespace wt::fuzz {
namespace {

// An edge value (the k-th of a few): the run target's for scalars and references; the v128
// values mix lanes that the SSE4.1 and AVX sequences treat specially: sign bits, NaNs (quiet,
// signalling, negative), infinities, -0, 2^31, 2^32, 0x80 bytes and indices >= 16 for swizzles.
runtime::Value SimdEdgeValue(wasm::ValType type, size_t k) {
  static constexpr uint64_t kV128[][2] = {
      {0x7fc000004f800000ull, 0xff8000017f800000ull},  // f32: 2^32, qNaN, sNaN, -inf
      {0x8000000000000000ull, 0x41f0000000000000ull},  // f64: -0, 2^32
      {0x807f00ff10203f40ull, 0x0f0e8d8c1f11ff01ull},  // bytes: 0x80, 0x7f, indices >= 16
      {0xfff8000000000001ull, 0x7ff4000000000000ull},  // f64: negative NaN, sNaN
      {0x4f0000004effffffull, 0xcf000000cf000001ull},  // f32: 2^31, 2^31 - 128, -2^31, below
      {0x8000800080008000ull, 0x7fff7fff00010001ull},  // i16: 0x8000 (q15mulr)
  };
  if (type.kind != wasm::ValKind::kV128) return EdgeValue(type, k);
  uint8_t bytes[16];
  std::memcpy(bytes, &kV128[k % std::size(kV128)][0], 8);
  std::memcpy(bytes + 8, &kV128[k % std::size(kV128)][1], 8);
  return runtime::Value::V128(bytes);
}

// Whether a function body uses an op whose result depends on FMA (relaxed madd/nmadd).
bool UsesFusedOps(const wasm::Module& module, const wasm::Features& features) {
  wasm::CodeReader reader(std::span<const uint8_t>(), 0, features);
  wasm::Instr in;
  for (const wasm::Code& code : module.codes) {
    reader.Reset(module.Slice(code.body), code.body.offset);
    while (!reader.AtEnd()) {
      if (!reader.Next(&in).ok()) return true;  // cannot tell: do not compare
      switch (in.op) {
        case wasm::Op::F32x4RelaxedMadd:
        case wasm::Op::F32x4RelaxedNmadd:
        case wasm::Op::F64x2RelaxedMadd:
        case wasm::Op::F64x2RelaxedNmadd:
          return true;
        default:
          break;
      }
    }
  }
  return false;
}

// A value as raw bits (references by null-ness only: the two stores' objects differ).
std::string Bits(const runtime::Value& v) {
  switch (v.type.kind) {
    case wasm::ValKind::kI32:
    case wasm::ValKind::kF32:
      return fmt::format("{:08x}", v.bits.i32);
    case wasm::ValKind::kI64:
    case wasm::ValKind::kF64:
      return fmt::format("{:016x}", v.bits.i64);
    case wasm::ValKind::kV128: {
      std::string s = "v";
      for (int i = 15; i >= 0; --i) s += fmt::format("{:02x}", v.bits.v128[i]);
      return s;
    }
    case wasm::ValKind::kRef:
      return v.ref() == nullptr ? "null" : "ref";
    case wasm::ValKind::kBot:
      break;
  }
  return "?";
}

// One run of the module at one ISA cap: a transcript of every call's outcome and the state.
struct Transcript {
  std::vector<std::string> lines;
  bool loaded = false;
};

Transcript RunAt(const uint8_t* data, size_t size, const wasm::Features& features,
                 jit::SimdIsa isa) {
  Transcript t;
  wasm::ReadOptions read;
  read.features = features;
  auto module = wasm::ReadModule(std::vector<uint8_t>(data, data + size), read);
  if (!module.ok()) {
    t.lines.push_back("malformed");
    return t;
  }
  jit::CompileOptions compile;
  compile.features = features;
  compile.consume_fuel = true;
  compile.jobs = 1;
  compile.simd_isa = isa;
  auto loaded = runtime::LoadModule(std::move(*module), compile);
  if (!loaded.ok()) {
    t.lines.push_back(fmt::format("load {}", loaded.error().ToString()));
    return t;
  }
  t.loaded = true;
  runtime::Store store(RunStoreOptions());
  runtime::Linker linker;
  DefineImports(*(*loaded)->module, store, linker);
  runtime::Trap trap;
  trap.code = runtime::TrapCode::kCount;
  auto instance = linker.Instantiate(store, *loaded, &trap);
  if (!instance.ok()) {
    t.lines.push_back(fmt::format("instantiate error {} trap {}", instance.error().ToString(),
                                  static_cast<int>(trap.code)));
    return t;
  }
  size_t calls = 0;
  for (const runtime::ExportEntry& e : (*instance)->exports()) {
    runtime::Func* f = e.value.func();
    if (f == nullptr || !AllDefaultable(f->type().params)) continue;
    const std::vector<wasm::ValType>& params = f->type().params;
    // Zero arguments, then (with parameters) edge values.
    for (int round = 0; round < (params.empty() ? 1 : 2) && calls < kMaxCalls; ++round) {
      std::vector<runtime::Value> args;
      for (size_t i = 0; i < params.size(); ++i) {
        args.push_back(round == 0 ? runtime::Value::Default(params[i])
                                  : SimdEdgeValue(params[i], i + calls));
      }
      ++calls;
      store.ResetLimits();
      auto r = runtime::Invoke(store, *f, args);
      std::string line = fmt::format("call {} {}:", e.name, round);
      if (!r.ok()) {
        line += fmt::format(" error {}", r.error().ToString());
      } else if (r->trap) {
        line += fmt::format(" trap {}", static_cast<int>(r->trap->code));
      } else {
        for (const runtime::Value& v : r->results) line += fmt::format(" {}", Bits(v));
      }
      t.lines.push_back(std::move(line));
    }
  }
  std::string globals = "globals";
  for (runtime::Global* g : (*instance)->data().global_objs) {
    globals += fmt::format(" {}", Bits(g->Get()));
  }
  t.lines.push_back(std::move(globals));
  for (const runtime::Memory* m : (*instance)->data().memory_objs) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (uint64_t i = 0; i < m->size_bytes(); ++i) h = (h ^ m->data()[i]) * 0x100000001b3ull;
    t.lines.push_back(fmt::format("memory {} {:016x}", m->pages(), h));
  }
  return t;
}

}  // namespace

int FuzzSimdIsa(const uint8_t* data, size_t size) {
  static const bool verbose = std::getenv("WTRUN_FUZZ_VERBOSE") != nullptr;
  wasm::ReadOptions read;
  read.features = wasm::Features::Wasm30();
  auto decoded = wasm::ReadModule(std::vector<uint8_t>(data, data + size), read);
  if (!decoded.ok()) return 0;
  const bool compare = !UsesFusedOps(*decoded, read.features);
  Transcript floor = RunAt(data, size, read.features, jit::SimdIsa::kSse41);
  if (!floor.loaded) {
    if (verbose) std::fprintf(stderr, "fuzz simd_isa: %s\n", floor.lines[0].c_str());
    return 0;
  }
  Transcript best = RunAt(data, size, read.features, jit::SimdIsa::kAuto);
  if (verbose) {
    std::fprintf(stderr, "fuzz simd_isa: %zu lines%s\n", floor.lines.size(),
                 compare ? "" : " (relaxed madd: not compared)");
  }
  if (!compare) return 0;
  if (floor.lines.size() != best.lines.size()) {
    Fail("simd_isa",
         fmt::format("sse4.1 gave {} lines, auto {}", floor.lines.size(), best.lines.size()));
    return 0;
  }
  for (size_t i = 0; i < floor.lines.size(); ++i) {
    if (floor.lines[i] != best.lines[i]) {
      Fail("simd_isa", fmt::format("sse4.1: {} | auto: {}", floor.lines[i], best.lines[i]));
      return 0;
    }
  }
  return 0;
}

}  // namespace wt::fuzz
