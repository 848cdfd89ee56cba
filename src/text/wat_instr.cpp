// Instructions of the text format, flat and folded. Nesting is handled with an explicit frame
// stack (never C++ recursion), so deeply nested input cannot overflow the stack.
#include <cstring>

#include "text/literals.h"
#include "text/wat_parser.h"

namespace wt::text::wat_internal {
namespace {

using wasm::Imm;
using wasm::Op;

enum class FrameKind : uint8_t {
  kFlat,         // block/loop/if/try_table/try opened by a keyword, closed by `end`
  kFoldedPlain,  // (op imm* folded*): the instruction is emitted at ')'
  kFoldedBlock,  // (block|loop|try_table label? bt instr*)
  kFoldedIf,     // (if label? bt folded* (then instr*) (else instr*)?)
  kFoldedTry,    // legacy (try label? bt (do ...) (catch x ...)* (catch_all ...)? | (delegate l))
  kSeq,          // (then ...), (else ...), (do ...), (catch ...), (catch_all ...)
};

// Folded if states.
constexpr uint8_t kIfCond = 0, kIfThen = 1, kIfAfterThen = 2, kIfElse = 3, kIfAfterElse = 4;
// Folded legacy try states.
constexpr uint8_t kTryStart = 0, kTryDo = 1, kTryHandlers = 2, kTryCatch = 3, kTryCatchAll = 4,
                  kTryDone = 5, kTryDelegated = 6, kTryAfterDo = 7;
// Flat legacy try states.
constexpr uint8_t kFlatTryBody = 0, kFlatTryCatch = 1, kFlatTryCatchAll = 2;

struct Frame {
  FrameKind kind = FrameKind::kFlat;
  Op op = Op::Nop;
  std::vector<uint8_t> pending;
  std::string label;
  uint8_t state = 0;
};

Frame SeqFrame() {
  Frame f;
  f.kind = FrameKind::kSeq;
  return f;
}

bool IsBlockOp(Op op) {
  return op == Op::Block || op == Op::Loop || op == Op::If || op == Op::TryTable || op == Op::Try;
}

void WriteOp(BinaryWriter& w, Op op) {
  const wasm::OpInfo& info = wasm::GetOpInfo(op);
  if (info.prefix != 0) {
    w.U8(info.prefix);
    w.U32(info.code);
  } else {
    w.U8(static_cast<uint8_t>(info.code));
  }
}

bool IsNumber(const Token& t) {
  return t.kind == TokenKind::kNat || t.kind == TokenKind::kInt || t.kind == TokenKind::kFloat;
}

// Keywords of module fields and type uses that are never instructions.
bool IsNonInstrKeyword(std::string_view kw) {
  return kw == "param" || kw == "result" || kw == "local" || kw == "type" || kw == "export" ||
         kw == "import" || kw == "then" || kw == "else" || kw == "do" || kw == "item" ||
         kw == "offset";
}

}  // namespace

void WatParser::PushLabel(const std::string& label) {
  if (!label.empty()) label_depths_[label].push_back(labels_.size());
  labels_.push_back(label);
}

void WatParser::PopLabel() {
  const std::string& label = labels_.back();
  if (!label.empty()) label_depths_[label].pop_back();
  labels_.pop_back();
}

Result<std::string> WatParser::ParseOptLabelId() {
  if (Peek().kind != TokenKind::kId) return std::string();
  return IdName(Next());
}

Status WatParser::CheckEndLabel(const std::string& label) {
  if (Peek().kind != TokenKind::kId) return Ok();
  const Token& id = Next();
  if (label.empty() || IdName(id) != label) {
    return Fail(id, fmt::format("mismatching label {}", id.text));
  }
  return Ok();
}

Result<uint32_t> WatParser::ParseLabel() {
  const Token& t = Peek();
  if (t.kind == TokenKind::kNat) return ParseNat32();
  if (t.kind != TokenKind::kId) return Unexpected(t);
  Next();
  auto it = label_depths_.find(IdName(t));
  if (it == label_depths_.end() || it->second.empty()) {
    return Fail(t, fmt::format("unknown label {}", t.text));
  }
  return static_cast<uint32_t>(labels_.size() - 1 - it->second.back());
}

Result<uint32_t> WatParser::ParseLocal(FuncCtx* fn) {
  const Token& t = Peek();
  if (t.kind == TokenKind::kNat) return ParseNat32();
  if (t.kind != TokenKind::kId) return Unexpected(t);
  Next();
  if (fn != nullptr) {
    auto it = fn->locals.find(IdName(t));
    if (it != fn->locals.end()) return it->second;
  }
  return Fail(t, fmt::format("unknown local {}", t.text));
}

Result<uint32_t> WatParser::ParseLaneIndex() {
  const Token& t = Peek();
  if (t.kind != TokenKind::kNat) return Unexpected(t);
  Next();
  std::optional<uint32_t> v = ParseU32(t.text);
  if (!v || *v > 255) return Fail(t, "i8 constant out of range");
  return *v;
}

Status WatParser::ParseBlockType(BinaryWriter& w) {
  WT_TRY_ASSIGN(TypeUse use, ParseTypeUse(false));
  const wasm::FuncType* ft = &use.inline_type;
  if (use.index) {
    WT_TRY_ASSIGN(uint32_t index, ResolveTypeUse(use));
    ft = FuncTypeAt(index);
    if (ft == nullptr || !ft->params.empty() || ft->results.size() > 1) {
      w.S64(index);
      return Ok();
    }
  }
  if (ft->params.empty() && ft->results.empty()) {
    w.U8(0x40);
  } else if (ft->params.empty() && ft->results.size() == 1) {
    WriteValType(w, ft->results[0]);
  } else {
    w.S64(FindOrAddFuncType(*ft));
  }
  return Ok();
}

Status WatParser::ParseTryTableHeader(BinaryWriter& w) {
  WT_TRY(ParseBlockType(w));
  VecBuilder catches;
  while (Peek().kind == TokenKind::kLParen && Peek(1).kind == TokenKind::kKeyword) {
    std::string_view kw = Peek(1).text;
    uint8_t kind;
    if (kw == "catch") {
      kind = 0;
    } else if (kw == "catch_ref") {
      kind = 1;
    } else if (kw == "catch_all") {
      kind = 2;
    } else if (kw == "catch_all_ref") {
      kind = 3;
    } else {
      break;
    }
    pos_ += 2;
    catches.body.U8(kind);
    if (kind < 2) {
      WT_TRY_ASSIGN(uint32_t tag, ParseIndex(Space::kTag));
      catches.body.U32(tag);
    }
    WT_TRY_ASSIGN(uint32_t label, ParseLabel());
    catches.body.U32(label);
    ++catches.count;
    WT_TRY(ExpectRParen());
  }
  w.Append(catches.Finish());
  return Ok();
}

Status WatParser::ParseMemArg(Imm imm, BinaryWriter& w) {
  const bool lane = wasm::LaneCount(imm) != 0;
  uint32_t memory = 0;
  const Token& t = Peek();
  bool has_memory = false;
  if (t.kind == TokenKind::kId) {
    has_memory = true;
  } else if (t.kind == TokenKind::kNat) {
    if (!lane) {
      has_memory = true;
    } else {
      // memidx? memarg laneidx: a nat is the memory if a lane index or memarg follows.
      const Token& n = Peek(1);
      has_memory = n.kind == TokenKind::kNat ||
                   (n.kind == TokenKind::kKeyword &&
                    (n.text.starts_with("offset=") || n.text.starts_with("align=")));
    }
  }
  if (has_memory) {
    WT_TRY_ASSIGN(memory, ParseIndex(Space::kMemory));
  }
  uint64_t offset = 0;
  uint32_t align_log2 = wasm::NaturalAlignLog2(imm);
  if (Peek().kind == TokenKind::kKeyword && Peek().text.starts_with("offset=")) {
    const Token& o = Next();
    std::optional<uint64_t> v = ParseU64(o.text.substr(7));
    if (!v) return Unexpected(o);
    if (*v > UINT32_MAX && !options_.features.has(wasm::Feature::kMemory64)) {
      return Fail(o, "i32 constant out of range: offset");
    }
    offset = *v;
  }
  if (Peek().kind == TokenKind::kKeyword && Peek().text.starts_with("align=")) {
    const Token& a = Next();
    std::optional<uint64_t> v = ParseU64(a.text.substr(6));
    if (!v) return Unexpected(a);
    if (*v == 0 || (*v & (*v - 1)) != 0) return Fail(a, "alignment must be a power of two");
    align_log2 = static_cast<uint32_t>(__builtin_ctzll(*v));
  }
  w.U32(align_log2 | (memory != 0 ? 0x40u : 0u));
  if (memory != 0) w.U32(memory);
  w.U64(offset);
  if (lane) {
    WT_TRY_ASSIGN(uint32_t l, ParseLaneIndex());
    w.U8(static_cast<uint8_t>(l));
  }
  return Ok();
}

Status WatParser::ParseV128Const(BinaryWriter& w) {
  const Token& shape = Peek();
  if (shape.kind != TokenKind::kKeyword) return Unexpected(shape);
  int lanes = 0;
  int kind = 0;  // 0 i8, 1 i16, 2 i32, 3 i64, 4 f32, 5 f64
  if (shape.text == "i8x16") {
    lanes = 16, kind = 0;
  } else if (shape.text == "i16x8") {
    lanes = 8, kind = 1;
  } else if (shape.text == "i32x4") {
    lanes = 4, kind = 2;
  } else if (shape.text == "i64x2") {
    lanes = 2, kind = 3;
  } else if (shape.text == "f32x4") {
    lanes = 4, kind = 4;
  } else if (shape.text == "f64x2") {
    lanes = 2, kind = 5;
  } else {
    return Unexpected(shape);
  }
  Next();
  // Count the literals first: a wrong count is reported before a bad literal.
  int count = 0;
  while (count <= lanes && IsNumber(Peek(static_cast<size_t>(count)))) ++count;
  if (count < lanes) {
    const Token& stop = Peek(static_cast<size_t>(count));
    if (stop.kind == TokenKind::kReserved || stop.kind == TokenKind::kKeyword) {
      return Unexpected(stop);
    }
  }
  if (count != lanes)
    return Fail(Peek(static_cast<size_t>(count)), "wrong number of lane literals");
  for (int i = 0; i < lanes; ++i) {
    const Token& t = Peek();
    if (kind < 4 && t.kind == TokenKind::kFloat) return Unexpected(t);
    Next();
    bool ok = true;
    switch (kind) {
      case 0: {
        auto v = ParseI8(t.text);
        ok = v.has_value();
        if (ok) w.U8(*v);
        break;
      }
      case 1: {
        auto v = ParseI16(t.text);
        ok = v.has_value();
        if (ok) {
          w.U8(static_cast<uint8_t>(*v));
          w.U8(static_cast<uint8_t>(*v >> 8));
        }
        break;
      }
      case 2: {
        auto v = ParseI32(t.text);
        ok = v.has_value();
        if (ok) w.Fixed32(*v);
        break;
      }
      case 3: {
        auto v = ParseI64(t.text);
        ok = v.has_value();
        if (ok) w.Fixed64(*v);
        break;
      }
      case 4: {
        auto v = ParseF32Bits(t.text);
        ok = v.has_value();
        if (ok) w.Fixed32(*v);
        break;
      }
      default: {
        auto v = ParseF64Bits(t.text);
        ok = v.has_value();
        if (ok) w.Fixed64(*v);
        break;
      }
    }
    if (!ok) return Fail(t, "constant out of range");
  }
  return Ok();
}

Status WatParser::ParsePlainInstr(Op op, const Token& op_tok, BinaryWriter& w, FuncCtx* fn) {
  const wasm::OpInfo& info = wasm::GetOpInfo(op);
  switch (info.imm) {
    case Imm::kNone:
      if (op == Op::Select && AtLParenKeyword("result")) {
        std::vector<wasm::ValType> types;
        WT_TRY(ParseResults(&types));
        WriteOp(w, Op::SelectT);
        w.U32(static_cast<uint32_t>(types.size()));
        for (const wasm::ValType& t : types) WriteValType(w, t);
        return Ok();
      }
      WriteOp(w, op);
      return Ok();
    case Imm::kBlockType:
    case Imm::kTryTable:
    case Imm::kSelectT:
      return Unexpected(op_tok);
    case Imm::kLabel: {
      WT_TRY_ASSIGN(uint32_t label, ParseLabel());
      WriteOp(w, op);
      w.U32(label);
      return Ok();
    }
    case Imm::kBrTable: {
      std::vector<uint32_t> labels;
      while (AtIndex()) {
        WT_TRY_ASSIGN(uint32_t label, ParseLabel());
        labels.push_back(label);
      }
      if (labels.empty()) return Unexpected(Peek());
      WriteOp(w, op);
      w.U32(static_cast<uint32_t>(labels.size() - 1));
      for (uint32_t l : labels) w.U32(l);
      return Ok();
    }
    case Imm::kFunc:
    case Imm::kGlobal:
    case Imm::kTag:
    case Imm::kType:
    case Imm::kData:
    case Imm::kElem: {
      Space s = info.imm == Imm::kFunc     ? Space::kFunc
                : info.imm == Imm::kGlobal ? Space::kGlobal
                : info.imm == Imm::kTag    ? Space::kTag
                : info.imm == Imm::kType   ? Space::kType
                : info.imm == Imm::kData   ? Space::kData
                                           : Space::kElem;
      WT_TRY_ASSIGN(uint32_t index, ParseIndex(s));
      if (info.imm == Imm::kData) uses_data_count_ = true;
      WriteOp(w, op);
      w.U32(index);
      return Ok();
    }
    case Imm::kCallIndirect: {
      uint32_t table = 0;
      if (AtIndex()) {
        WT_TRY_ASSIGN(table, ParseIndex(Space::kTable));
      }
      WT_TRY_ASSIGN(TypeUse use, ParseTypeUse(false));
      WT_TRY_ASSIGN(uint32_t type, ResolveTypeUse(use));
      WriteOp(w, op);
      w.U32(type);
      w.U32(table);
      return Ok();
    }
    case Imm::kLocal: {
      WT_TRY_ASSIGN(uint32_t index, ParseLocal(fn));
      WriteOp(w, op);
      w.U32(index);
      return Ok();
    }
    case Imm::kTable:
    case Imm::kMemIdx: {
      uint32_t index = 0;
      if (AtIndex()) {
        WT_TRY_ASSIGN(index, ParseIndex(info.imm == Imm::kTable ? Space::kTable : Space::kMemory));
      }
      WriteOp(w, op);
      w.U32(index);
      return Ok();
    }
    case Imm::kMem1:
    case Imm::kMem2:
    case Imm::kMem4:
    case Imm::kMem8:
    case Imm::kMem16:
    case Imm::kMemLane1:
    case Imm::kMemLane2:
    case Imm::kMemLane4:
    case Imm::kMemLane8:
    case Imm::kAtomic1:
    case Imm::kAtomic2:
    case Imm::kAtomic4:
    case Imm::kAtomic8:
      WriteOp(w, op);
      return ParseMemArg(info.imm, w);
    case Imm::kFence:
      WriteOp(w, op);
      w.U8(0);
      return Ok();
    case Imm::kI32:
    case Imm::kI64: {
      const Token& t = Peek();
      if (t.kind != TokenKind::kNat && t.kind != TokenKind::kInt) return Unexpected(t);
      Next();
      WriteOp(w, op);
      if (info.imm == Imm::kI32) {
        std::optional<uint32_t> v = ParseI32(t.text);
        if (!v) return Fail(t, "constant out of range");
        w.S32(static_cast<int32_t>(*v));
      } else {
        std::optional<uint64_t> v = ParseI64(t.text);
        if (!v) return Fail(t, "constant out of range");
        w.S64(static_cast<int64_t>(*v));
      }
      return Ok();
    }
    case Imm::kF32:
    case Imm::kF64: {
      const Token& t = Peek();
      if (!IsNumber(t)) return Unexpected(t);
      Next();
      WriteOp(w, op);
      if (info.imm == Imm::kF32) {
        std::optional<uint32_t> v = ParseF32Bits(t.text);
        if (!v) return Fail(t, "constant out of range");
        w.Fixed32(*v);
      } else {
        std::optional<uint64_t> v = ParseF64Bits(t.text);
        if (!v) return Fail(t, "constant out of range");
        w.Fixed64(*v);
      }
      return Ok();
    }
    case Imm::kV128:
      WriteOp(w, op);
      return ParseV128Const(w);
    case Imm::kLaneIdx16:
    case Imm::kLaneIdx8:
    case Imm::kLaneIdx4:
    case Imm::kLaneIdx2: {
      WT_TRY_ASSIGN(uint32_t lane, ParseLaneIndex());
      WriteOp(w, op);
      w.U8(static_cast<uint8_t>(lane));
      return Ok();
    }
    case Imm::kShuffle: {
      WriteOp(w, op);
      for (int i = 0; i < 16; ++i) {
        const Token& t = Peek();
        if (!IsNumber(t)) return Fail(t, "invalid lane length");
        Next();
        std::optional<uint32_t> v =
            t.kind == TokenKind::kNat ? ParseU32(t.text) : std::optional<uint32_t>();
        if (!v || *v > 255) return Fail(t, "i8 constant out of range");
        w.U8(static_cast<uint8_t>(*v));
      }
      if (IsNumber(Peek())) return Fail(Peek(), "invalid lane length");
      return Ok();
    }
    case Imm::kHeapType: {
      WT_TRY_ASSIGN(wasm::HeapType ht, ParseHeapType());
      WriteOp(w, op);
      WriteHeapType(w, ht);
      return Ok();
    }
    case Imm::kRefHeap: {
      WT_TRY_ASSIGN(wasm::ValType rt, ParseRefType());
      Op actual = op;
      if (rt.nullable) actual = op == Op::RefTest ? Op::RefTestNull : Op::RefCastNull;
      WriteOp(w, actual);
      WriteHeapType(w, rt.heap);
      return Ok();
    }
    case Imm::kBrOnCast: {
      WT_TRY_ASSIGN(uint32_t label, ParseLabel());
      WT_TRY_ASSIGN(wasm::ValType rt1, ParseRefType());
      WT_TRY_ASSIGN(wasm::ValType rt2, ParseRefType());
      WriteOp(w, op);
      w.U8(static_cast<uint8_t>((rt1.nullable ? 1 : 0) | (rt2.nullable ? 2 : 0)));
      w.U32(label);
      WriteHeapType(w, rt1.heap);
      WriteHeapType(w, rt2.heap);
      return Ok();
    }
    case Imm::kTypeField: {
      WT_TRY_ASSIGN(uint32_t type, ParseIndex(Space::kType));
      const Token& f = Peek();
      uint32_t field = 0;
      if (f.kind == TokenKind::kId) {
        Next();
        bool found = false;
        if (type < types_.size()) {
          auto it = types_[type].field_ids.find(IdName(f));
          if (it != types_[type].field_ids.end()) {
            field = it->second;
            found = true;
          }
        }
        if (!found) return Fail(f, fmt::format("unknown field {}", f.text));
      } else {
        WT_TRY_ASSIGN(field, ParseNat32());
      }
      WriteOp(w, op);
      w.U32(type);
      w.U32(field);
      return Ok();
    }
    case Imm::kTypeData:
    case Imm::kTypeElem:
    case Imm::kTypeType:
    case Imm::kTypeSize: {
      WT_TRY_ASSIGN(uint32_t type, ParseIndex(Space::kType));
      uint32_t second = 0;
      if (info.imm == Imm::kTypeData) {
        WT_TRY_ASSIGN(second, ParseIndex(Space::kData));
        uses_data_count_ = true;
      } else if (info.imm == Imm::kTypeElem) {
        WT_TRY_ASSIGN(second, ParseIndex(Space::kElem));
      } else if (info.imm == Imm::kTypeType) {
        WT_TRY_ASSIGN(second, ParseIndex(Space::kType));
      } else {
        WT_TRY_ASSIGN(second, ParseNat32());
      }
      WriteOp(w, op);
      w.U32(type);
      w.U32(second);
      return Ok();
    }
    case Imm::kDataMem:
    case Imm::kElemTable: {
      // memory.init memidx? dataidx / table.init tableidx? elemidx; binary: segment first.
      const bool data = info.imm == Imm::kDataMem;
      const Space seg_space = data ? Space::kData : Space::kElem;
      const Space dst_space = data ? Space::kMemory : Space::kTable;
      uint32_t dst = 0;
      const TokenKind k1 = Peek(1).kind;
      if (AtIndex() && (k1 == TokenKind::kNat || k1 == TokenKind::kId)) {
        WT_TRY_ASSIGN(dst, ParseIndex(dst_space));
      }
      WT_TRY_ASSIGN(uint32_t seg, ParseIndex(seg_space));
      if (data) uses_data_count_ = true;
      WriteOp(w, op);
      w.U32(seg);
      w.U32(dst);
      return Ok();
    }
    case Imm::kMemMem:
    case Imm::kTableTable: {
      const Space s = info.imm == Imm::kMemMem ? Space::kMemory : Space::kTable;
      uint32_t a = 0, b = 0;
      if (AtIndex()) {
        WT_TRY_ASSIGN(a, ParseIndex(s));
        WT_TRY_ASSIGN(b, ParseIndex(s));
      }
      WriteOp(w, op);
      w.U32(a);
      w.U32(b);
      return Ok();
    }
  }
  return Unexpected(op_tok);
}

Status WatParser::ParseInstrs(BinaryWriter& w, FuncCtx* fn, size_t limit) {
  std::vector<Frame> frames;
  const size_t base_labels = labels_.size();
  while (true) {
    if (frames.empty() && (pos_ >= limit || AtRParen())) break;
    const Token& t = Peek();
    if (t.kind == TokenKind::kEof) return Unexpected(t);

    if (t.kind == TokenKind::kRParen) {
      Frame& f = frames.back();
      switch (f.kind) {
        case FrameKind::kFlat:
          return Fail(t, "unexpected token \")\", expected end");
        case FrameKind::kFoldedPlain:
          w.Bytes(f.pending);
          break;
        case FrameKind::kFoldedBlock:
          w.U8(0x0B);
          PopLabel();
          break;
        case FrameKind::kFoldedIf:
          if (f.state != kIfAfterThen && f.state != kIfAfterElse) {
            return Fail(t, "unexpected token \")\", expected (then ...)");
          }
          w.U8(0x0B);
          PopLabel();
          break;
        case FrameKind::kFoldedTry:
          if (f.state == kTryStart) return Fail(t, "unexpected token \")\", expected (do ...)");
          if (f.state != kTryDelegated) {
            w.U8(0x0B);
            PopLabel();
          }
          break;
        case FrameKind::kSeq: {
          Frame& parent = frames[frames.size() - 2];
          if (parent.kind == FrameKind::kFoldedIf) {
            parent.state = parent.state == kIfThen ? kIfAfterThen : kIfAfterElse;
          } else {
            parent.state = parent.state == kTryCatchAll ? kTryDone
                           : parent.state == kTryDo     ? kTryAfterDo
                                                        : kTryHandlers;
          }
          break;
        }
      }
      Next();
      frames.pop_back();
      continue;
    }

    if (t.kind == TokenKind::kLParen) {
      const Token& kw = Peek(1);
      const bool is_kw = kw.kind == TokenKind::kKeyword;
      if (!frames.empty()) {
        Frame& top = frames.back();
        if (top.kind == FrameKind::kFoldedIf) {
          if (is_kw && kw.text == "then" && top.state == kIfCond) {
            pos_ += 2;
            w.Bytes(top.pending);
            PushLabel(top.label);
            top.state = kIfThen;
            frames.push_back(SeqFrame());
            continue;
          }
          if (is_kw && kw.text == "else" && top.state == kIfAfterThen) {
            pos_ += 2;
            w.U8(0x05);
            top.state = kIfElse;
            frames.push_back(SeqFrame());
            continue;
          }
          if (top.state != kIfCond) return Unexpected(kw);
        } else if (top.kind == FrameKind::kFoldedTry) {
          if (is_kw && kw.text == "do" && top.state == kTryStart) {
            pos_ += 2;
            top.state = kTryDo;
            frames.push_back(SeqFrame());
            continue;
          }
          const bool handlers = top.state == kTryAfterDo || top.state == kTryHandlers;
          if (is_kw && kw.text == "catch" && handlers) {
            pos_ += 2;
            WT_TRY_ASSIGN(uint32_t tag, ParseIndex(Space::kTag));
            w.U8(0x07);
            w.U32(tag);
            top.state = kTryCatch;
            frames.push_back(SeqFrame());
            continue;
          }
          if (is_kw && kw.text == "catch_all" && handlers) {
            pos_ += 2;
            w.U8(0x19);
            top.state = kTryCatchAll;
            frames.push_back(SeqFrame());
            continue;
          }
          if (is_kw && kw.text == "delegate" && top.state == kTryAfterDo) {
            pos_ += 2;
            PopLabel();
            top.state = kTryDelegated;
            WT_TRY_ASSIGN(uint32_t label, ParseLabel());
            WT_TRY(ExpectRParen());
            w.U8(0x18);
            w.U32(label);
            continue;
          }
          return Unexpected(kw);
        }
      }
      pos_ += 2;
      if (!is_kw) return Unexpected(kw);
      std::optional<Op> op = wasm::LookupOpByText(kw.text);
      if (!op) {
        if (IsNonInstrKeyword(kw.text)) return Unexpected(kw);
        return Fail(kw, fmt::format("unknown operator {}", kw.text));
      }
      if (IsBlockOp(*op)) {
        Frame f;
        f.op = *op;
        WT_TRY_ASSIGN(f.label, ParseOptLabelId());
        BinaryWriter hdr;
        WriteOp(hdr, *op);
        if (*op == Op::TryTable) {
          WT_TRY(ParseTryTableHeader(hdr));
        } else {
          WT_TRY(ParseBlockType(hdr));
        }
        if (*op == Op::If) {
          f.kind = FrameKind::kFoldedIf;
          f.pending = std::move(hdr.bytes());
        } else {
          w.Append(hdr);
          PushLabel(f.label);
          f.kind = *op == Op::Try ? FrameKind::kFoldedTry : FrameKind::kFoldedBlock;
        }
        frames.push_back(std::move(f));
        continue;
      }
      if (*op == Op::Else || *op == Op::End || *op == Op::Catch || *op == Op::CatchAll ||
          *op == Op::Delegate) {
        return Unexpected(kw);
      }
      Frame f;
      f.kind = FrameKind::kFoldedPlain;
      BinaryWriter ins;
      WT_TRY(ParsePlainInstr(*op, kw, ins, fn));
      f.pending = std::move(ins.bytes());
      frames.push_back(std::move(f));
      continue;
    }

    // A flat instruction.
    if (t.kind != TokenKind::kKeyword) return Unexpected(t);
    if (!frames.empty()) {
      FrameKind k = frames.back().kind;
      if (k == FrameKind::kFoldedPlain || k == FrameKind::kFoldedIf || k == FrameKind::kFoldedTry) {
        return Unexpected(t);
      }
    }
    Next();
    std::optional<Op> op = wasm::LookupOpByText(t.text);
    if (!op) {
      if (IsNonInstrKeyword(t.text)) return Unexpected(t);
      return Fail(t, fmt::format("unknown operator {}", t.text));
    }
    Frame* top = frames.empty() ? nullptr : &frames.back();
    const bool in_flat = top != nullptr && top->kind == FrameKind::kFlat;
    switch (*op) {
      case Op::Block:
      case Op::Loop:
      case Op::If:
      case Op::TryTable:
      case Op::Try: {
        Frame f;
        f.op = *op;
        f.kind = FrameKind::kFlat;
        WT_TRY_ASSIGN(f.label, ParseOptLabelId());
        WriteOp(w, *op);
        if (*op == Op::TryTable) {
          WT_TRY(ParseTryTableHeader(w));
        } else {
          WT_TRY(ParseBlockType(w));
        }
        PushLabel(f.label);
        frames.push_back(std::move(f));
        break;
      }
      case Op::Else:
        if (!in_flat || top->op != Op::If || top->state != 0) return Unexpected(t);
        WT_TRY(CheckEndLabel(top->label));
        w.U8(0x05);
        top->state = 1;
        break;
      case Op::End:
        if (!in_flat) return Unexpected(t);
        WT_TRY(CheckEndLabel(top->label));
        w.U8(0x0B);
        PopLabel();
        frames.pop_back();
        break;
      case Op::Catch: {
        if (!in_flat || top->op != Op::Try || top->state == kFlatTryCatchAll) {
          return Unexpected(t);
        }
        WT_TRY_ASSIGN(uint32_t tag, ParseIndex(Space::kTag));
        w.U8(0x07);
        w.U32(tag);
        top->state = kFlatTryCatch;
        break;
      }
      case Op::CatchAll:
        if (!in_flat || top->op != Op::Try || top->state == kFlatTryCatchAll) {
          return Unexpected(t);
        }
        w.U8(0x19);
        top->state = kFlatTryCatchAll;
        break;
      case Op::Delegate: {
        if (!in_flat || top->op != Op::Try || top->state != kFlatTryBody) return Unexpected(t);
        PopLabel();
        frames.pop_back();
        WT_TRY_ASSIGN(uint32_t label, ParseLabel());
        w.U8(0x18);
        w.U32(label);
        break;
      }
      default:
        WT_TRY(ParsePlainInstr(*op, t, w, fn));
        break;
    }
  }
  WT_DCHECK(labels_.size() == base_labels);
  (void)base_labels;
  return Ok();
}

}  // namespace wt::text::wat_internal
