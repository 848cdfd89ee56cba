// CompileModuleWith<Masm>: the ISA-neutral driver behind CompileModule (compiler.h). Compiles
// every defined function and one entry trampoline + host stub per distinct signature, then
// copies the code into executable memory.
//
// [perf] Parallel compilation: the defined functions are cut into chunks of consecutive
// functions (~CompileOptions::chunk_bytes of body each; the cut depends on the module only).
// Each chunk is compiled into its own Masm, by worker threads taking chunks in turn; the
// trampolines go at the end of the last chunk. The chunks are laid out in order, each at a
// 16-byte boundary, so the code is the same whatever the thread count or timing. A direct
// call into another chunk is a use of a label its Masm never binds (Masm::ExternalLinks):
// patched once every chunk has its place. Trap sites, call sites (and their stack maps) and
// function ranges are rebased by the chunk's offset. A module of one chunk is compiled
// exactly as before (one Masm, the calling thread).
//
// [perf] Memory: every chunk but the last (which gets the trampolines) is finished by the
// worker that compiled it, right after its last function: its code is copied into an
// exact-size buffer, its function entries and external links are extracted, and its Masm
// (asmjit Zones of labels and links, code buffer with its slack) is destroyed at once. The
// bytes are the same: such a chunk's code has no relocation (Masm::PositionIndependent; a
// chunk that had one would be kept until layout, as the last one is). The per-function label
// array is one per worker, reset after each chunk, not one per chunk. The tables are merged
// into exactly reserved vectors, each chunk's freed as soon as it is appended.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "jit/baseline_compiler.h"
#include "jit/code_memory.h"
#include "jit/compiler.h"
#include "jit/feature_check.h"
#include "wasm/func_validator.h"
#include "wasm/validator.h"

namespace wt::jit {

inline constexpr uint32_t kDefaultChunkBytes = 256 * 1024;
inline constexpr uint32_t kMaxCompileJobs = 8;

// A direct call into another chunk: the rel32 field at chunk offset `at` gets
// entry(func) - at + rel, func a defined function index; func kBuiltinTableLink: a builtin
// call (runtime/builtin_table.h), which gets table - at + rel.
inline constexpr uint32_t kBuiltinTableLink = UINT32_MAX;
struct ChunkLink {
  uint32_t at = 0;
  int32_t rel = 0;
  uint32_t func = 0;
};

// One chunk's output, offsets relative to the chunk's start.
template <MacroAssembler Masm>
struct CompiledChunk {
  // Until layout (the last chunk, or one whose code depends on its address): the Masm and its
  // label per defined function (invalid: unused). Otherwise null, and `bytes` holds the code.
  std::unique_ptr<Masm> masm;
  std::vector<Label> func_labels;
  std::vector<uint8_t> bytes;        // finished early: the code (size bytes)
  std::vector<uint32_t> func_entry;  // finished early: offset of each of the chunk's functions
  std::vector<ChunkLink> links;      // finished early: direct calls into other chunks
  std::vector<TrapSite> traps;
  std::vector<FuncRange> ranges;
  std::vector<CallSite> call_sites;
  std::vector<int32_t> stack_maps;
  size_t size = 0;
  Status invalid = Ok();  // the chunk's first invalid body (CompileOptions::validate_bodies)
  Status status = Ok();
};

// Cuts [0, num_defined) into runs of consecutive functions of about `chunk_bytes` of body.
inline std::vector<uint32_t> ChunkStarts(const wasm::Module& module, uint32_t chunk_bytes) {
  std::vector<uint32_t> starts{0};
  uint64_t acc = 0;
  auto n = static_cast<uint32_t>(module.codes.size());
  for (uint32_t i = 0; i < n; ++i) {
    if (acc >= chunk_bytes) {
      starts.push_back(i);
      acc = 0;
    }
    acc += module.codes[i].body.size + 16;  // + per-function overhead (frame, stubs)
  }
  return starts;
}

template <MacroAssembler Masm, class MakeMasm>
Result<std::unique_ptr<CompiledModule>> CompileModuleWith(const MakeMasm& make_masm,
                                                          const wasm::Module& module,
                                                          const CompileOptions& options) {
  if (Status st = CheckModuleFeatures(module); !st.ok()) {
    // An invalid body is the error before an unsupported feature (validation comes first).
    if (options.validate_bodies) {
      wasm::FuncValidator v(*options.validate_bodies, options.features);
      for (uint32_t i = 0; i < module.codes.size(); ++i) WT_TRY(wasm::ValidateFunctionBody(v, i));
    }
    return std::move(st).error();
  }
  auto num_defined = static_cast<uint32_t>(module.codes.size());
  std::vector<uint32_t> starts =
      ChunkStarts(module, options.chunk_bytes ? options.chunk_bytes : kDefaultChunkBytes);
  const auto num_chunks = static_cast<uint32_t>(starts.size());
  starts.push_back(num_defined);

  std::vector<CompiledChunk<Masm>> chunks(num_chunks);
  // Finishes chunk `out` (functions [first, end)) in its worker: code, entries and external
  // links extracted, Masm destroyed; `labels` (the worker's) is left all invalid. If the code
  // depends on its address, the chunk stays as it is until layout (labels moved into it).
  auto finish_early = [&](CompiledChunk<Masm>& out, uint32_t first, uint32_t end,
                          std::vector<Label>& labels) -> Status {
    Masm& masm = *out.masm;
    WT_TRY_ASSIGN(out.size, masm.Finish());
    if (!masm.PositionIndependent()) {
      out.func_labels = std::move(labels);
      return Ok();
    }
    out.bytes.resize(out.size);
    WT_TRY(masm.CopyTo(out.bytes.data(), out.size, reinterpret_cast<uint64_t>(out.bytes.data())));
    out.func_entry.resize(end - first);
    for (uint32_t i = first; i < end; ++i) out.func_entry[i - first] = masm.LabelOffset(labels[i]);
    std::vector<typename Masm::ExternalLink> links;
    WT_TRY(masm.ExternalLinks(&links));
    // Label id -> defined function (labels are created on demand, in no fixed order); every
    // used entry of `labels` is reset on the way.
    std::vector<uint32_t> label_func;
    for (uint32_t i = 0; i < num_defined; ++i) {
      uint32_t id = labels[i].id;
      if (id == UINT32_MAX) continue;
      labels[i] = Label{};
      if (links.empty()) continue;
      if (id >= label_func.size()) label_func.resize(id + 1, UINT32_MAX);
      label_func[id] = i;
    }
    const uint32_t table_label = masm.BuiltinTableLabelId();
    out.links.reserve(links.size());
    for (const auto& l : links) {
      if (l.label == table_label) {
        out.links.push_back(ChunkLink{l.at, l.rel, kBuiltinTableLink});
        continue;
      }
      uint32_t i = l.label < label_func.size() ? label_func[l.label] : UINT32_MAX;
      if (i >= num_defined || (i >= first && i < end))
        return MakeError(ErrorKind::kUnsupported, "jit: unresolved label {}", l.label);
      out.links.push_back(ChunkLink{l.at, l.rel, i});
    }
    out.masm.reset();
    return Ok();
  };
  // Compiles chunk c (functions [starts[c], starts[c+1])) into its own Masm; `labels` is the
  // worker's label array (all invalid on entry; moved into the chunk if kept until layout).
  auto compile_chunk = [&](uint32_t c, std::vector<Label>& labels) {
    CompiledChunk<Masm>& out = chunks[c];
    out.masm = make_masm();
    Masm& masm = *out.masm;
    ModuleEnv env;
    env.module = &module;
    env.consume_fuel = options.consume_fuel;
    env.epoch_interruption = options.epoch_interruption;
    // Labels on demand: only the chunk's own functions and its callees get one.
    if (labels.size() != num_defined) labels.assign(num_defined, Label{});
    env.func_labels = &labels;
    out.ranges.reserve(starts[c + 1] - starts[c]);
    // Fused walk: the compiler validates each instruction before compiling it.
    std::optional<wasm::FuncValidator> validator;
    if (options.validate_bodies) {
      validator.emplace(*options.validate_bodies, options.features);
      env.validator = &*validator;
    }
    BaselineCompiler<Masm> compiler(masm, env);
    compiler.set_call_sites(&out.call_sites);
    compiler.set_stack_maps(&out.stack_maps);
    for (uint32_t i = starts[c]; i < starts[c + 1]; ++i) {
      masm.AlignCode(16);
      uint32_t begin = masm.Offset();
      uint32_t func_index = module.num_imported_funcs + i;
      out.status = compiler.CompileFunction(func_index, &out.traps);
      if (!out.status.ok()) {
        if (validator) {
          // Validation comes first: the error is the first invalid body of the chunk (this
          // one included: the compiler may have stopped before its invalid instruction)
          // and only then the compile error, as with a validation pass before compiling.
          for (uint32_t k = i; k < starts[c + 1]; ++k) {
            out.invalid = wasm::ValidateFunctionBody(*validator, k);
            if (!out.invalid.ok()) break;
          }
        }
        labels.clear();  // stale labels: assigned afresh for the next chunk
        return;
      }
      out.ranges.push_back(FuncRange{begin, masm.Offset(), func_index});
    }
    // The tables live until the merge: no growth slack.
    out.traps.shrink_to_fit();
    out.call_sites.shrink_to_fit();
    out.stack_maps.shrink_to_fit();
    if (c + 1 < num_chunks) {
      out.status = finish_early(out, starts[c], starts[c + 1], labels);
      if (!out.status.ok()) labels.clear();  // stale labels: assigned afresh for the next chunk
    } else {
      out.func_labels = std::move(labels);  // the trampolines come after it
    }
  };

  uint32_t jobs = options.jobs;
  if (jobs == 0) jobs = std::clamp(std::thread::hardware_concurrency(), 1u, kMaxCompileJobs);
  jobs = std::min(jobs, num_chunks);
  if (jobs <= 1) {
    std::vector<Label> labels;
    for (uint32_t c = 0; c < num_chunks; ++c) compile_chunk(c, labels);
  } else {
    std::atomic<uint32_t> next{0};
    auto worker = [&] {
      std::vector<Label> labels;
      for (uint32_t c = next.fetch_add(1); c < num_chunks; c = next.fetch_add(1))
        compile_chunk(c, labels);
    };
    std::vector<std::thread> threads;
    threads.reserve(jobs - 1);
    for (uint32_t t = 1; t < jobs; ++t) {
      // No thread (resource limits): the threads there are, or this one, take every chunk.
      try {
        threads.emplace_back(worker);
      } catch (const std::system_error&) {
        break;
      }
    }
    worker();
    for (std::thread& t : threads) t.join();
  }
  for (CompiledChunk<Masm>& c : chunks) WT_TRY(std::move(c.invalid));
  for (CompiledChunk<Masm>& c : chunks) WT_TRY(std::move(c.status));

  // Trampolines, shared between equal signatures, at the end of the last chunk.
  Masm& last = *chunks.back().masm;
  struct Tramps {
    uint32_t entry;
    uint32_t host_stub;
  };
  std::map<std::string, Tramps> by_sig;
  std::vector<const Tramps*> per_type(module.types.size(), nullptr);
  for (size_t ti = 0; ti < module.types.size(); ++ti) {
    const wasm::FuncType* ft = module.GetFuncType(static_cast<uint32_t>(ti));
    if (!ft) continue;
    std::string key;
    for (const wasm::ValType& t : ft->params) {
      WT_TRY_ASSIGN(JType j, JTypeOf(t));
      key.push_back(static_cast<char>('0' + static_cast<int>(j)));
    }
    key.push_back(':');
    for (const wasm::ValType& t : ft->results) {
      WT_TRY_ASSIGN(JType j, JTypeOf(t));
      key.push_back(static_cast<char>('0' + static_cast<int>(j)));
    }
    auto it = by_sig.find(key);
    if (it == by_sig.end()) {
      Tramps t;
      t.entry = last.EmitEntryTrampoline(*ft);
      t.host_stub = last.EmitHostStub(*ft);
      it = by_sig.emplace(std::move(key), t).first;
    }
    per_type[ti] = &it->second;
  }

  // Layout: chunk c at chunk_base[c], 16-byte aligned.
  std::vector<size_t> chunk_base(num_chunks, 0);
  size_t total = 0;
  for (uint32_t c = 0; c < num_chunks; ++c) {
    // The other chunks were finished by their workers.
    if (c + 1 == num_chunks) {
      WT_TRY_ASSIGN(chunks[c].size, chunks[c].masm->Finish());
    }
    total = (total + 15) & ~size_t{15};
    chunk_base[c] = total;
    total += chunks[c].size;
  }
  if (total > UINT32_MAX) return MakeError(ErrorKind::kUnsupported, "jit: code too large");
  // The builtin table at the first page boundary after the code.
  WT_TRY_ASSIGN(std::unique_ptr<ExecutableCode> code,
                ExecutableCode::AllocateWithBuiltinTable(total));
  uint8_t* w = code->writable();
  const uint32_t table_offset = code->builtin_table_offset();
  // Whether the code depends on its address only through the table (chunks finished early
  // are position-independent by construction).
  bool position_independent = true;
  // Function entry offsets in the whole code.
  std::vector<uint32_t> func_offset(num_defined, 0);
  for (uint32_t c = 0; c < num_chunks; ++c) {
    CompiledChunk<Masm>& ch = chunks[c];
    if (c > 0)
      std::memset(w + chunk_base[c - 1] + chunks[c - 1].size, 0xcc,
                  chunk_base[c] - chunk_base[c - 1] - chunks[c - 1].size);
    if (!ch.masm) {
      std::memcpy(w + chunk_base[c], ch.bytes.data(), ch.size);
      std::vector<uint8_t>().swap(ch.bytes);
      for (uint32_t i = starts[c]; i < starts[c + 1]; ++i)
        func_offset[i] = static_cast<uint32_t>(chunk_base[c] + ch.func_entry[i - starts[c]]);
      std::vector<uint32_t>().swap(ch.func_entry);
      continue;
    }
    position_independent = position_independent && ch.masm->PositionIndependent();
    WT_TRY(
        ch.masm->CopyTo(w + chunk_base[c], ch.size, reinterpret_cast<uint64_t>(w + chunk_base[c])));
    for (uint32_t i = starts[c]; i < starts[c + 1]; ++i)
      func_offset[i] =
          static_cast<uint32_t>(chunk_base[c] + ch.masm->LabelOffset(ch.func_labels[i]));
  }
  // Direct calls between chunks, and builtin calls (to the table).
  {
    std::vector<typename Masm::ExternalLink> links;
    std::vector<uint32_t> label_func;
    for (uint32_t c = 0; c < num_chunks; ++c) {
      CompiledChunk<Masm>& ch = chunks[c];
      if (!ch.masm) {
        for (const ChunkLink& l : ch.links) {
          uint64_t target = l.func == kBuiltinTableLink ? table_offset : func_offset[l.func];
          ExecutableCode::PatchRel32(w, chunk_base[c] + l.at, target, l.rel);
        }
        std::vector<ChunkLink>().swap(ch.links);
        continue;
      }
      links.clear();
      WT_TRY(ch.masm->ExternalLinks(&links));
      if (links.empty()) continue;
      const uint32_t table_label = ch.masm->BuiltinTableLabelId();
      // Label id -> defined function (labels are created on demand, in no fixed order).
      label_func.clear();
      if (num_chunks > 1) {
        for (uint32_t i = 0; i < num_defined; ++i) {
          uint32_t id = ch.func_labels[i].id;
          if (id == UINT32_MAX) continue;
          if (id >= label_func.size()) label_func.resize(id + 1, UINT32_MAX);
          label_func[id] = i;
        }
      }
      for (const auto& l : links) {
        if (l.label == table_label) {
          ExecutableCode::PatchRel32(w, chunk_base[c] + l.at, table_offset, l.rel);
          continue;
        }
        uint32_t i = l.label < label_func.size() ? label_func[l.label] : UINT32_MAX;
        if (i >= num_defined || (i >= starts[c] && i < starts[c + 1]))
          return MakeError(ErrorKind::kUnsupported, "jit: unresolved label {}", l.label);
        ExecutableCode::PatchRel32(w, chunk_base[c] + l.at, func_offset[i], l.rel);
      }
    }
  }

  auto out = std::make_unique<CompiledModule>();
  if (position_independent) out->builtin_table_offset = table_offset;
  const uint8_t* base = code->base();
  out->func_code.reserve(num_defined);
  for (uint32_t i = 0; i < num_defined; ++i) out->func_code.push_back(base + func_offset[i]);
  out->entries.assign(module.types.size(), nullptr);
  out->host_stubs.assign(module.types.size(), nullptr);
  const size_t last_base = chunk_base.back();
  for (size_t ti = 0; ti < module.types.size(); ++ti) {
    if (!per_type[ti]) continue;
    out->entries[ti] =
        reinterpret_cast<EntryFn>(const_cast<uint8_t*>(base + last_base + per_type[ti]->entry));
    out->host_stubs[ti] = base + last_base + per_type[ti]->host_stub;
  }

  // The tables, rebased (one chunk: moved as they are).
  std::vector<TrapSite> traps;
  std::vector<FuncRange> ranges;
  std::vector<CallSite> call_sites;
  std::vector<int32_t> stack_maps;  // [gc]
  if (num_chunks == 1) {
    traps = std::move(chunks[0].traps);
    ranges = std::move(chunks[0].ranges);
    call_sites = std::move(chunks[0].call_sites);
    stack_maps = std::move(chunks[0].stack_maps);
  } else {
    size_t nt = 0, nr = 0, nc = 0, ns = 0;
    for (const CompiledChunk<Masm>& ch : chunks) {
      nt += ch.traps.size();
      nr += ch.ranges.size();
      nc += ch.call_sites.size();
      ns += ch.stack_maps.size();
    }
    traps.reserve(nt);
    ranges.reserve(nr);
    call_sites.reserve(nc);
    stack_maps.reserve(ns);
    for (uint32_t c = 0; c < num_chunks; ++c) {
      CompiledChunk<Masm>& ch = chunks[c];
      auto cb = static_cast<uint32_t>(chunk_base[c]);
      auto sb = static_cast<uint32_t>(stack_maps.size());
      for (TrapSite t : ch.traps) {
        t.code_offset += cb;
        traps.push_back(t);
      }
      std::vector<TrapSite>().swap(ch.traps);
      for (FuncRange r : ch.ranges) {
        r.begin += cb;
        r.end += cb;
        ranges.push_back(r);
      }
      std::vector<FuncRange>().swap(ch.ranges);
      for (CallSite s : ch.call_sites) {
        s.return_offset += cb;
        if (s.stack_map != UINT32_MAX) s.stack_map += sb;
        call_sites.push_back(s);
      }
      std::vector<CallSite>().swap(ch.call_sites);
      stack_maps.insert(stack_maps.end(), ch.stack_maps.begin(), ch.stack_maps.end());
      std::vector<int32_t>().swap(ch.stack_maps);
    }
  }
  chunks.clear();
  // Sites come in code order (inline ones during a body, its stubs after it); sort if not.
  auto by_offset = [](const TrapSite& a, const TrapSite& b) {
    return a.code_offset < b.code_offset;
  };
  if (!std::is_sorted(traps.begin(), traps.end(), by_offset))
    std::sort(traps.begin(), traps.end(), by_offset);
  code->SetStackMaps(std::move(stack_maps));
  WT_TRY(code->Seal(std::move(ranges), std::move(traps), std::move(call_sites)));
  out->code = std::move(code);
  return out;
}

}  // namespace wt::jit
