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
// worker that compiled it, right after its last function: its function entries and external
// links are extracted and its Masm (asmjit Zones of labels and links, code buffer with its
// slack) is destroyed at once. The final code region is reserved up front (an upper bound,
// virtual only: pages cost memory once written) and chunks are committed into it in order
// (ChunkPlacer): a chunk whose predecessors are all placed is copied straight from its Masm
// to its final place; one finished out of order waits as an exact-size buffer until they are.
// So the code exists once. The bytes are the same: such a chunk's code has no relocation
// (Masm::PositionIndependent; a chunk that had one would be kept until layout, as the last
// one is). As each chunk is placed, its tables are appended (rebased) to the final vectors,
// reserved up front for a bound of the module (virtual too), and freed. The per-function
// label array is one per worker, reset after each chunk, not one per chunk.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "jit/baseline_compiler.h"
#include "jit/code_memory.h"
#include "jit/compiler.h"
#include "jit/feature_check.h"
#include "util/run_on_threads.h"
#include "wasm/func_validator.h"
#include "wasm/validator.h"

namespace wt::jit {

inline constexpr uint32_t kDefaultChunkBytes = 256 * 1024;
inline constexpr uint32_t kMaxCompileJobs = 8;

// A direct call into another chunk: the field at chunk offset `at` (an ExternalLink of `kind`
// with addend `rel`, masm.h) gets entry(func), func a defined function index; func
// kBuiltinTableLink: a builtin call (runtime/builtin_table.h), which gets the table.
inline constexpr uint32_t kBuiltinTableLink = UINT32_MAX;
struct ChunkLink {
  uint32_t at = 0;
  int32_t rel = 0;
  uint32_t func = 0;
  uint8_t kind = 0;
};

// One chunk's output, offsets relative to the chunk's start.
template <MacroAssembler Masm>
struct CompiledChunk {
  // Until placed: the Masm (null once the code is in `bytes`), and for a chunk kept until
  // layout (the last one, or one whose code depends on its address) its label per defined
  // function (invalid: unused); empty when `func_entry`/`links` were extracted.
  std::unique_ptr<Masm> masm;
  std::vector<Label> func_labels;
  std::vector<uint8_t> bytes;        // finished out of order: the code (size bytes)
  std::vector<uint32_t> func_entry;  // finished early: offset of each of the chunk's functions
  std::vector<ChunkLink> links;      // finished early: direct calls into other chunks, builtins
  std::vector<TrapSite> traps;
  std::vector<FuncRange> ranges;
  std::vector<CallSite> call_sites;
  std::vector<int32_t> stack_maps;
  size_t size = 0;
  bool waiting = false;   // finished out of order: code in `bytes`, placed when its turn comes
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

// [perf] In-order placement of chunks into the final code region (see the header comment).
// Place/Offer run under the placer's mutex (workers finish chunks concurrently); Finish runs
// on the calling thread once every worker is done.
template <MacroAssembler Masm>
class ChunkPlacer {
 public:
  ChunkPlacer(std::vector<CompiledChunk<Masm>>& chunks, const std::vector<uint32_t>& starts,
              uint32_t num_defined)
      : chunks_(chunks), starts_(starts), func_offset_(num_defined, 0) {}

  // Reserves the region for `capacity` bytes of code and the tables for their bounds.
  Status Reserve(size_t capacity, size_t traps, size_t call_sites, size_t stack_maps) {
    WT_TRY_ASSIGN(region_, ExecutableCode::Reserve(capacity));
    capacity_ = capacity;
    traps_.reserve(traps);
    ranges_.reserve(func_offset_.size());
    call_sites_.reserve(call_sites);
    stack_maps_.reserve(stack_maps);
    return Ok();
  }

  // A worker's chunk c, finished (Finish done) and position-independent, with `func_entry`
  // and `links` extracted: placed straight from its Masm if its predecessors are, else copied
  // to its buffer to wait; then the waiting chunks that follow are placed. Its Masm is
  // destroyed either way.
  Status Offer(uint32_t c) {
    CompiledChunk<Masm>& ch = chunks_[c];
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (c == next_) {
        WT_TRY(Place(c));
        ++next_;
        WT_TRY(PlaceWaiting());
        ch.masm.reset();
        return Ok();
      }
    }
    ch.bytes.resize(ch.size);
    Status st =
        ch.masm->CopyTo(ch.bytes.data(), ch.size, reinterpret_cast<uint64_t>(ch.bytes.data()));
    ch.masm.reset();
    WT_TRY(std::move(st));
    // It waits: its tables without growth slack.
    ch.traps.shrink_to_fit();
    ch.call_sites.shrink_to_fit();
    ch.stack_maps.shrink_to_fit();
    std::lock_guard<std::mutex> lock(mu_);
    ch.waiting = true;
    return PlaceWaiting();
  }

  // After every worker: places the chunks not placed yet (kept Masms at their final address),
  // resolves every link, puts the builtin table after the code and returns the code object.
  Result<std::unique_ptr<ExecutableCode>> Finish() {
    std::lock_guard<std::mutex> lock(mu_);
    // Room for everything left first: a kept chunk may depend on its address (no move after).
    size_t need = cursor_;
    for (uint32_t c = next_; c < chunks_.size(); ++c)
      need = ((need + 15) & ~size_t{15}) + chunks_[c].size;
    if (need > UINT32_MAX) return MakeError(ErrorKind::kUnsupported, "jit: code too large");
    if (need > capacity_) WT_TRY(Grow(need));
    for (; next_ < chunks_.size(); ++next_) WT_TRY(Place(next_));
    WT_TRY(region_->FinishReserved(cursor_));
    uint8_t* w = region_->writable();
    const uint32_t table = region_->builtin_table_offset();
    for (const ChunkLink& l : links_) {
      uint64_t target = l.func == kBuiltinTableLink ? table : func_offset_[l.func];
      if (!Masm::PatchExternalLink(l.kind, l.rel, w + l.at, reinterpret_cast<uint64_t>(w + l.at),
                                   reinterpret_cast<uint64_t>(w + target)))
        return MakeError(ErrorKind::kUnsupported, "jit: code too large (a call out of reach)");
    }
    std::vector<ChunkLink>().swap(links_);
    return std::move(region_);
  }

  bool position_independent() const { return position_independent_; }
  const std::vector<uint32_t>& func_offset() const { return func_offset_; }
  size_t chunk_base(uint32_t c) const { return chunk_base_[c]; }
  std::vector<TrapSite>& traps() { return traps_; }
  std::vector<FuncRange>& ranges() { return ranges_; }
  std::vector<CallSite>& call_sites() { return call_sites_; }
  std::vector<int32_t>& stack_maps() { return stack_maps_; }

 private:
  Status PlaceWaiting() {
    while (next_ + 1 < chunks_.size() && chunks_[next_].waiting) {
      WT_TRY(Place(next_));
      ++next_;
    }
    return Ok();
  }

  // A bigger region, the code placed so far copied (position-independent: the links are
  // resolved at Finish).
  Status Grow(size_t need) {
    size_t cap = std::max(need, capacity_ + capacity_ / 2);
    WT_TRY_ASSIGN(std::unique_ptr<ExecutableCode> bigger, ExecutableCode::Reserve(cap));
    std::memcpy(bigger->writable(), region_->writable(), cursor_);
    region_ = std::move(bigger);
    capacity_ = cap;
    return Ok();
  }

  // Chunk c at the next 16-byte boundary: code, entries, links and tables.
  Status Place(uint32_t c) {
    CompiledChunk<Masm>& ch = chunks_[c];
    size_t at = (cursor_ + 15) & ~size_t{15};
    if (at + ch.size > capacity_) WT_TRY(Grow(at + ch.size));
    uint8_t* w = region_->writable();
    std::memset(w + cursor_, 0xcc, at - cursor_);
    const uint32_t first = starts_[c], end = starts_[c + 1];
    if (ch.masm) {
      WT_TRY(ch.masm->CopyTo(w + at, ch.size, reinterpret_cast<uint64_t>(w + at)));
    } else {
      std::memcpy(w + at, ch.bytes.data(), ch.size);
      std::vector<uint8_t>().swap(ch.bytes);
    }
    if (!ch.func_labels.empty()) {
      // Kept until layout: entries and links from the Masm.
      Masm& m = *ch.masm;
      position_independent_ = position_independent_ && m.PositionIndependent();
      for (uint32_t i = first; i < end; ++i)
        func_offset_[i] = static_cast<uint32_t>(at + m.LabelOffset(ch.func_labels[i]));
      std::vector<typename Masm::ExternalLink> links;
      WT_TRY(m.ExternalLinks(&links));
      const uint32_t table_label = m.BuiltinTableLabelId();
      std::vector<uint32_t> label_func;  // label id -> defined function
      for (const auto& l : links) {
        if (l.label == table_label) {
          links_.push_back(
              ChunkLink{static_cast<uint32_t>(at + l.at), l.rel, kBuiltinTableLink, l.kind});
          continue;
        }
        if (label_func.empty()) {
          for (uint32_t i = 0; i < ch.func_labels.size(); ++i) {
            uint32_t id = ch.func_labels[i].id;
            if (id == UINT32_MAX) continue;
            if (id >= label_func.size()) label_func.resize(id + 1, UINT32_MAX);
            label_func[id] = i;
          }
        }
        uint32_t i = l.label < label_func.size() ? label_func[l.label] : UINT32_MAX;
        if (i >= func_offset_.size() || (i >= first && i < end))
          return MakeError(ErrorKind::kUnsupported, "jit: unresolved label {}", l.label);
        links_.push_back(ChunkLink{static_cast<uint32_t>(at + l.at), l.rel, i, l.kind});
      }
    } else {
      for (uint32_t i = first; i < end; ++i)
        func_offset_[i] = static_cast<uint32_t>(at + ch.func_entry[i - first]);
      std::vector<uint32_t>().swap(ch.func_entry);
      for (ChunkLink l : ch.links) {
        l.at += static_cast<uint32_t>(at);
        links_.push_back(l);
      }
      std::vector<ChunkLink>().swap(ch.links);
    }
    chunk_base_.push_back(at);
    AppendTables(ch, static_cast<uint32_t>(at));
    cursor_ = at + ch.size;
    return Ok();
  }

  void AppendTables(CompiledChunk<Masm>& ch, uint32_t cb) {
    if (traps_.empty() && ranges_.empty() && call_sites_.empty() && stack_maps_.empty() &&
        cb == 0 && chunks_.size() == 1) {
      traps_ = std::move(ch.traps);  // one chunk: moved as they are
      ranges_ = std::move(ch.ranges);
      call_sites_ = std::move(ch.call_sites);
      stack_maps_ = std::move(ch.stack_maps);
      return;
    }
    auto sb = static_cast<uint32_t>(stack_maps_.size());
    for (TrapSite t : ch.traps) {
      t.code_offset += cb;
      traps_.push_back(t);
    }
    std::vector<TrapSite>().swap(ch.traps);
    for (FuncRange r : ch.ranges) {
      r.begin += cb;
      r.end += cb;
      ranges_.push_back(r);
    }
    std::vector<FuncRange>().swap(ch.ranges);
    for (CallSite s : ch.call_sites) {
      s.return_offset += cb;
      if (s.stack_map != UINT32_MAX) s.stack_map += sb;
      call_sites_.push_back(s);
    }
    std::vector<CallSite>().swap(ch.call_sites);
    stack_maps_.insert(stack_maps_.end(), ch.stack_maps.begin(), ch.stack_maps.end());
    std::vector<int32_t>().swap(ch.stack_maps);
  }

  std::vector<CompiledChunk<Masm>>& chunks_;
  const std::vector<uint32_t>& starts_;
  std::mutex mu_;
  uint32_t next_ = 0;  // the first chunk not placed
  size_t cursor_ = 0;  // the end of the code placed
  size_t capacity_ = 0;
  std::unique_ptr<ExecutableCode> region_;
  std::vector<size_t> chunk_base_;
  std::vector<uint32_t> func_offset_;  // per defined function: entry offset in the region
  std::vector<ChunkLink> links_;       // every link, `at` in the region
  bool position_independent_ = true;
  std::vector<TrapSite> traps_;
  std::vector<FuncRange> ranges_;
  std::vector<CallSite> call_sites_;
  std::vector<int32_t> stack_maps_;
};

// Bounds for the reservations (virtual memory; a module beyond them only costs copies): code
// bytes, trap sites, call sites and stack-map words per byte of function bodies, plus per
// function. Measured: llvm.core.wasm has 2.0 bytes of x86 per body byte, 0.07 trap sites,
// 0.03 call sites.
struct PlacementBounds {
  size_t code, traps, call_sites, stack_maps;
};
// Tests only: when nonzero, the code reservation in bytes (ParallelCompile tests make the
// placement outgrow it).
inline size_t& TestCodeReserve() {
  static size_t bytes = 0;
  return bytes;
}
inline PlacementBounds BoundsFor(const wasm::Module& module) {
  uint64_t body = 0;
  for (const wasm::Code& c : module.codes) body += c.body.size;
  uint64_t n = module.codes.size();
  PlacementBounds b;
  b.code = static_cast<size_t>(std::min<uint64_t>(8 * body + 64 * n + (1u << 20), UINT32_MAX));
  b.traps = static_cast<size_t>(body / 4 + 4 * n);
  b.call_sites = static_cast<size_t>(body / 8 + 2 * n);
  b.stack_maps = static_cast<size_t>(body / 16 + n);
  if (TestCodeReserve() != 0) b.code = TestCodeReserve();
  return b;
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
  ChunkPlacer<Masm> placer(chunks, starts, num_defined);
  {
    PlacementBounds b = BoundsFor(module);
    WT_TRY(placer.Reserve(b.code, b.traps, b.call_sites, b.stack_maps));
  }
  // Finishes chunk c (functions [first, end)) in its worker: entries and external links
  // extracted, then offered to the placer (which destroys the Masm); `labels` (the worker's)
  // is left all invalid. If the code depends on its address, the chunk stays as it is until
  // layout (labels moved into it).
  auto finish_early = [&](uint32_t c, uint32_t first, uint32_t end,
                          std::vector<Label>& labels) -> Status {
    CompiledChunk<Masm>& out = chunks[c];
    Masm& masm = *out.masm;
    WT_TRY_ASSIGN(out.size, masm.Finish());
    if (!masm.PositionIndependent()) {
      out.func_labels = std::move(labels);
      return Ok();
    }
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
        out.links.push_back(ChunkLink{l.at, l.rel, kBuiltinTableLink, l.kind});
        continue;
      }
      uint32_t i = l.label < label_func.size() ? label_func[l.label] : UINT32_MAX;
      if (i >= num_defined || (i >= first && i < end))
        return MakeError(ErrorKind::kUnsupported, "jit: unresolved label {}", l.label);
      out.links.push_back(ChunkLink{l.at, l.rel, i, l.kind});
    }
    return placer.Offer(c);
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
    if (c + 1 < num_chunks) {
      out.status = finish_early(c, starts[c], starts[c + 1], labels);
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
    util::RunOnThreads(jobs, worker);
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

  // Layout: the chunks not placed yet (the last one with the trampolines, any kept until
  // layout), the links, the builtin table at the first page boundary after the code.
  WT_TRY_ASSIGN(chunks.back().size, chunks.back().masm->Finish());
  WT_TRY_ASSIGN(std::unique_ptr<ExecutableCode> code, placer.Finish());
  const std::vector<uint32_t>& func_offset = placer.func_offset();

  auto out = std::make_unique<CompiledModule>();
  // The code depends on its address only through the table (chunks finished early are
  // position-independent by construction).
  if (placer.position_independent()) out->builtin_table_offset = code->builtin_table_offset();
  const uint8_t* base = code->base();
  out->func_code.reserve(num_defined);
  for (uint32_t i = 0; i < num_defined; ++i) out->func_code.push_back(base + func_offset[i]);
  out->entries.assign(module.types.size(), nullptr);
  out->host_stubs.assign(module.types.size(), nullptr);
  const size_t last_base = placer.chunk_base(num_chunks - 1);
  for (size_t ti = 0; ti < module.types.size(); ++ti) {
    if (!per_type[ti]) continue;
    out->entries[ti] =
        reinterpret_cast<EntryFn>(const_cast<uint8_t*>(base + last_base + per_type[ti]->entry));
    out->host_stubs[ti] = base + last_base + per_type[ti]->host_stub;
  }

  // The tables, rebased as the chunks were placed.
  std::vector<TrapSite> traps = std::move(placer.traps());
  std::vector<FuncRange> ranges = std::move(placer.ranges());
  std::vector<CallSite> call_sites = std::move(placer.call_sites());
  std::vector<int32_t> stack_maps = std::move(placer.stack_maps());  // [gc]
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
