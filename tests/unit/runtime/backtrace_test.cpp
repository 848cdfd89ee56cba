// Wasm backtraces through the runtime API: the frames of a trap (trap sites, builtins, host
// traps, faults), nested activations (wasm -> host -> wasm -> trap), the current backtrace
// asked by a host function, capped captures, and the CLI report built from them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/trap_report.h"
#include "runtime/runtime.h"
#include "runtime/trap/backtrace.h"
#include "runtime_test_util.h"
#include "wasm/code_reader.h"
#include "wasm/module.h"

namespace wt::runtime {
namespace {

using testing::Instantiate;
using testing::Sig;

// Module offsets of the instructions with opcode `op` in defined function `func_index`.
std::vector<uint32_t> OffsetsOf(const wasm::Module& m, uint32_t func_index, wasm::Op op) {
  const wasm::Code& body = m.codes[func_index - m.num_imported_funcs];
  wasm::CodeReader reader(m.Slice(body.body), body.body.offset, wasm::Features::Wasm20());
  std::vector<uint32_t> out;
  wasm::Instr in;
  while (!reader.AtEnd()) {
    if (!reader.Next(&in).ok()) break;
    if (in.op == op) out.push_back(in.offset);
  }
  return out;
}

const wasm::Module& ModuleOf(const Instance* inst) {
  return inst->module();
}

struct Expect {
  uint32_t func;
  wasm::Op op;
};

void ExpectFrames(const WasmBacktrace& bt, const wasm::Module& m, std::vector<Expect> want) {
  ASSERT_EQ(bt.frames.size(), want.size());
  EXPECT_EQ(bt.total, want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(bt.frames[i].func_index, want[i].func) << "frame " << i;
    std::vector<uint32_t> offs = OffsetsOf(m, want[i].func, want[i].op);
    ASSERT_EQ(offs.size(), 1u) << "frame " << i;
    EXPECT_EQ(bt.frames[i].wasm_offset, offs[0]) << "frame " << i;
    EXPECT_EQ(bt.frames[i].module.get(), &m) << "frame " << i;
  }
}

// [lazy] Every test in both compile modes.
class Backtrace : public testing::LoadModeTest {};
WT_BOTH_COMPILE_MODES(Backtrace);

TEST_P(Backtrace, TrapSiteFramesInnermostFirst) {
  Store store;
  Linker linker;
  Instance* inst = Instantiate(linker, store, R"((module
    (func $div (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
    (func $mid (param i32) (result i32) (call $div (local.get 0)))
    (func (export "run") (result i32) (call $mid (i32.const 0))))
  )");
  ASSERT_NE(inst, nullptr);
  auto r = Invoke(store, *inst->GetFunc("run"), {});
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->trap);
  EXPECT_EQ(r->trap->code, TrapCode::kIntegerDivideByZero);
  const wasm::Module& m = ModuleOf(inst);
  ExpectFrames(r->trap->backtrace, m,
               {{0, wasm::Op::I32DivS}, {1, wasm::Op::Call}, {2, wasm::Op::Call}});
  EXPECT_EQ(r->trap->wasm_offset, OffsetsOf(m, 0, wasm::Op::I32DivS)[0]);
  EXPECT_FALSE(r->trap->fault);
}

TEST_P(Backtrace, MemoryFaultRecordsAddressAndSize) {
  Store store;
  Linker linker;
  Instance* inst = Instantiate(linker, store, R"((module (memory 1)
    (func $load (param i32) (result i32) (i32.load offset=4 (local.get 0)))
    (func (export "run") (result i32) (call $load (i32.const 0xfffe))))
  )");
  ASSERT_NE(inst, nullptr);
  auto r = Invoke(store, *inst->GetFunc("run"), {});
  ASSERT_TRUE(r.ok() && r->trap);
  EXPECT_EQ(r->trap->code, TrapCode::kMemoryOutOfBounds);
  ExpectFrames(r->trap->backtrace, ModuleOf(inst), {{0, wasm::Op::I32Load}, {1, wasm::Op::Call}});
  ASSERT_TRUE(r->trap->fault);
  // The address of the access (0xfffe + offset 4), entirely past the committed page.
  EXPECT_EQ(r->trap->fault->wasm_address, 0x10002u);
  EXPECT_EQ(r->trap->fault->memory_size, 0x10000u);
}

TEST_P(Backtrace, BuiltinTrapStartsAtTheCallingInstruction) {
  Store store;
  Linker linker;
  Instance* inst = Instantiate(linker, store, R"((module (memory 1)
    (func $fill (memory.fill (i32.const 0xffff) (i32.const 0) (i32.const 2)))
    (func (export "run") (call $fill)))
  )");
  ASSERT_NE(inst, nullptr);
  auto r = Invoke(store, *inst->GetFunc("run"), {});
  ASSERT_TRUE(r.ok() && r->trap);
  EXPECT_EQ(r->trap->code, TrapCode::kMemoryOutOfBounds);
  ExpectFrames(r->trap->backtrace, ModuleOf(inst),
               {{0, wasm::Op::MemoryFill}, {1, wasm::Op::Call}});
  EXPECT_FALSE(r->trap->fault);  // no fault: the builtin checked the bounds
}

uint32_t FailingHost(void*, VMContext*, ValueSlot*) noexcept {
  return 1 + static_cast<uint32_t>(TrapCode::kHostError);
}

TEST_P(Backtrace, HostTrapShowsTheCallingWasmFrames) {
  Store store;
  Linker linker;
  linker.Define("env", "fail", store.NewHostFunc(Sig({}, {}), FailingHost, nullptr));
  Instance* inst = Instantiate(linker, store, R"((module
    (import "env" "fail" (func $fail))
    (func $a (call $fail))
    (func (export "run") (call $a)))
  )");
  ASSERT_NE(inst, nullptr);
  auto r = Invoke(store, *inst->GetFunc("run"), {});
  ASSERT_TRUE(r.ok() && r->trap);
  EXPECT_EQ(r->trap->code, TrapCode::kHostError);
  ExpectFrames(r->trap->backtrace, ModuleOf(inst), {{1, wasm::Op::Call}, {2, wasm::Op::Call}});
}

// wasm (run -> outer) -> host `reenter` -> wasm (inner -> deep -> unreachable): the inner
// trap's backtrace has the frames of both activations in order.
struct Nested {
  Store* store = nullptr;
  Instance* inst = nullptr;
  std::optional<Trap> inner_trap;
  WasmBacktrace seen_by_host;
};

uint32_t Reenter(void* env, VMContext*, ValueSlot*) noexcept {
  auto* n = static_cast<Nested*>(env);
  n->seen_by_host = CurrentWasmBacktrace();
  auto r = Invoke(*n->store, *n->inst->GetFunc("inner"), {});
  if (r.ok() && r->trap) n->inner_trap = *r->trap;
  return 0;
}

TEST_P(Backtrace, NestedActivationsShowEveryWasmFrame) {
  Store store;
  Linker linker;
  Nested n;
  n.store = &store;
  linker.Define("env", "reenter", store.NewHostFunc(Sig({}, {}), Reenter, &n));
  Instance* inst = Instantiate(linker, store, R"((module
    (import "env" "reenter" (func $reenter))
    (func $deep unreachable)
    (func (export "inner") (call $deep))
    (func $outer (call $reenter))
    (func (export "run") (call $outer)))
  )");
  ASSERT_NE(inst, nullptr);
  n.inst = inst;
  auto r = Invoke(store, *inst->GetFunc("run"), {});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->trap);
  const wasm::Module& m = ModuleOf(inst);
  // The host function's view: outer (its call to the host) and run.
  ExpectFrames(n.seen_by_host, m, {{3, wasm::Op::Call}, {4, wasm::Op::Call}});
  ASSERT_TRUE(n.inner_trap);
  EXPECT_EQ(n.inner_trap->code, TrapCode::kUnreachable);
  ExpectFrames(
      n.inner_trap->backtrace, m,
      {{1, wasm::Op::Unreachable}, {2, wasm::Op::Call}, {3, wasm::Op::Call}, {4, wasm::Op::Call}});
}

TEST_P(Backtrace, NoWasmRunningMeansAnEmptyBacktrace) {
  WasmBacktrace bt = CurrentWasmBacktrace();
  EXPECT_TRUE(bt.frames.empty());
  EXPECT_EQ(bt.total, 0u);
}

TEST_P(Backtrace, DeepRecursionIsCappedButCounted) {
  Store store;
  Linker linker;
  Instance* inst = Instantiate(linker, store, R"((module
    (func $down (param i32)
      (if (i32.eqz (local.get 0)) (then unreachable))
      (call $down (i32.sub (local.get 0) (i32.const 1))))
    (func (export "run") (param i32) (call $down (local.get 0))))
  )");
  ASSERT_NE(inst, nullptr);
  auto r = Invoke(store, *inst->GetFunc("run"), std::vector<Value>{Value::I32(5000)});
  ASSERT_TRUE(r.ok() && r->trap);
  const WasmBacktrace& bt = r->trap->backtrace;
  EXPECT_EQ(bt.frames.size(), kMaxRawFrames);
  EXPECT_EQ(bt.total, 5000u + 2u);  // 5001 frames of $down, then run
  for (size_t i = 0; i < bt.frames.size(); ++i) EXPECT_EQ(bt.frames[i].func_index, 0u);

  // The report shows 20 frames and counts the rest.
  std::string report = cli::FormatTrap("deep.wasm", "", *r->trap);
  EXPECT_NE(report.find("       19:"), std::string::npos) << report;
  EXPECT_EQ(report.find("       20:"), std::string::npos) << report;
  EXPECT_NE(report.find("… 4982 more frames"), std::string::npos) << report;
  cli::TrapReportOptions three;
  three.max_frames = 3;
  report = cli::FormatTrap("deep.wasm", "", *r->trap, three);
  EXPECT_NE(report.find("… 4999 more frames"), std::string::npos) << report;
  cli::TrapReportOptions off;
  off.backtrace = false;
  report = cli::FormatTrap("deep.wasm", "", *r->trap, off);
  EXPECT_EQ(report,
            "Error: failed to run main module `deep.wasm`\n\nCaused by:\n"
            "    wasm trap: wasm `unreachable` instruction executed\n");
}

TEST_P(Backtrace, StackExhaustionHasFrames) {
  Store store;
  Linker linker;
  Instance* inst = Instantiate(linker, store, R"((module
    (func $f (call $f))
    (func (export "run") (call $f)))
  )");
  ASSERT_NE(inst, nullptr);
  auto r = Invoke(store, *inst->GetFunc("run"), {});
  ASSERT_TRUE(r.ok() && r->trap);
  EXPECT_EQ(r->trap->code, TrapCode::kStackExhausted);
  EXPECT_EQ(r->trap->backtrace.frames.size(), kMaxRawFrames);
  EXPECT_GT(r->trap->backtrace.total, kMaxRawFrames);
  // The innermost frame traps in its prologue (the function's body offset), the others call.
  EXPECT_EQ(r->trap->backtrace.frames[0].func_index, 0u);
  EXPECT_EQ(r->trap->backtrace.frames[1].wasm_offset,
            OffsetsOf(ModuleOf(inst), 0, wasm::Op::Call)[0]);
}

}  // namespace
}  // namespace wt::runtime
