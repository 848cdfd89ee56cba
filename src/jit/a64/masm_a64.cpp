// aarch64 MacroAssembler: core: set-up, labels, moves, frame, control, trap stubs, direct calls and
// output (links, veneers). STUB (session 7 skeleton): every function below that says "not
// implemented" still is.
#include "jit/a64/masm_a64_impl.h"

namespace wt::jit::a64 {

using wasm::Op;

Masm::Impl::Impl(const CpuFeatures& features) : cpu(features) {
  asmjit::Environment env(asmjit::Arch::kAArch64);
  code.init(env);
  code.setErrorHandler(this);
  code.attach(&a);
}

void Masm::Impl::handleError(asmjit::Error, const char* message, asmjit::BaseEmitter*) {
  Fail(message);
}

void Masm::Impl::MovImm(const asmjit::a64::Gp& /*dst*/, uint64_t /*bits*/) {
  Fail("a64: MovImm not implemented");
}

void Masm::Impl::LoadConst(JType /*t*/, Reg /*dst*/, uint64_t /*bits*/) {
  Fail("a64: LoadConst not implemented");
}

asmjit::a64::Mem Masm::Impl::MemOperand(Mem /*m*/, unsigned /*size*/,
                                        const asmjit::a64::Gp& /*scratch*/) {
  Fail("a64: MemOperand not implemented");
  return asmjit::a64::ptr(asmjit::a64::x17);
}

void Masm::Impl::AddImm(const asmjit::a64::Gp& /*dst*/, const asmjit::a64::Gp& /*src*/,
                        int64_t /*imm*/) {
  Fail("a64: AddImm not implemented");
}

void Masm::Impl::AddLink(const asmjit::Label& /*label*/, uint8_t /*kind*/, int32_t /*rel*/) {
  Fail("a64: AddLink not implemented");
}

void Masm::Impl::CallBuiltinId(uint32_t /*id*/) {
  Fail("a64: CallBuiltinId not implemented");
}

Masm::Masm(const CpuFeatures& cpu) : impl_(std::make_unique<Impl>(cpu)) {}

Masm::~Masm() = default;

const std::string& Masm::error() const {
  return impl_->error;
}

Label Masm::NewLabel() {
  return Label{impl_->a.newLabel().id()};
}

void Masm::Bind(Label /*l*/) {
  impl_->Fail("a64: Bind not implemented");
}

uint32_t Masm::Offset() const {
  impl_->Fail("a64: Offset not implemented");
  return {};
}

uint32_t Masm::LabelOffset(Label /*l*/) const {
  impl_->Fail("a64: LabelOffset not implemented");
  return {};
}

void Masm::AlignCode(uint32_t /*alignment*/) {
  impl_->Fail("a64: AlignCode not implemented");
}

uint32_t Masm::EnterFrame(Label /*stack_trap*/) {
  impl_->Fail("a64: EnterFrame not implemented");
  return {};
}

void Masm::PatchFrameSize(uint32_t /*handle*/, uint32_t /*bytes*/) {
  impl_->Fail("a64: PatchFrameSize not implemented");
}

void Masm::ZeroFill(Mem /*start*/, uint32_t /*count*/) {
  impl_->Fail("a64: ZeroFill not implemented");
}

void Masm::LeaveFrameAndReturn() {
  impl_->Fail("a64: LeaveFrameAndReturn not implemented");
}

void Masm::RestoreVmctx() {
  impl_->Fail("a64: RestoreVmctx not implemented");
}

void Masm::ReloadMemBase() {
  impl_->Fail("a64: ReloadMemBase not implemented");
}

void Masm::Move(JType /*t*/, Reg /*dst*/, Reg /*src*/) {
  impl_->Fail("a64: Move not implemented");
}

void Masm::Swap(JType /*t*/, Reg /*a*/, Reg /*b*/) {
  impl_->Fail("a64: Swap not implemented");
}

void Masm::LoadConst(JType /*t*/, Reg /*dst*/, uint64_t /*bits*/) {
  impl_->Fail("a64: LoadConst not implemented");
}

void Masm::Load(JType /*t*/, Reg /*dst*/, Mem /*src*/) {
  impl_->Fail("a64: Load not implemented");
}

void Masm::Store(JType /*t*/, Mem /*dst*/, Reg /*src*/) {
  impl_->Fail("a64: Store not implemented");
}

void Masm::StoreConst(JType /*t*/, Mem /*dst*/, uint64_t /*bits*/) {
  impl_->Fail("a64: StoreConst not implemented");
}

void Masm::CopyMem(JType /*t*/, Mem /*dst*/, Mem /*src*/) {
  impl_->Fail("a64: CopyMem not implemented");
}

void Masm::Select(JType /*t*/, Reg /*dst*/, Reg /*cond*/, Reg /*a*/, Reg /*b*/) {
  impl_->Fail("a64: Select not implemented");
}

void Masm::Jump(Label /*l*/) {
  impl_->Fail("a64: Jump not implemented");
}

void Masm::BranchIfZero(JType /*t*/, Reg /*r*/, Label /*l*/) {
  impl_->Fail("a64: BranchIfZero not implemented");
}

void Masm::BranchIfNonZero(JType /*t*/, Reg /*r*/, Label /*l*/) {
  impl_->Fail("a64: BranchIfNonZero not implemented");
}

void Masm::BranchCmp(JType /*t*/, Cond /*c*/, Reg /*lhs*/, Reg /*rhs*/, Label /*l*/) {
  impl_->Fail("a64: BranchCmp not implemented");
}

void Masm::BranchCmpImm(JType /*t*/, Cond /*c*/, Reg /*lhs*/, int32_t /*imm*/, Label /*l*/) {
  impl_->Fail("a64: BranchCmpImm not implemented");
}

void Masm::SelectCmp(JType /*ct*/, Cond /*c*/, Reg /*lhs*/, Reg /*rhs*/, int32_t /*imm*/,
                     JType /*t*/, Reg /*dst*/, Reg /*src*/) {
  impl_->Fail("a64: SelectCmp not implemented");
}

void Masm::JumpTable(Reg /*index*/, std::span<const Label> /*labels*/) {
  impl_->Fail("a64: JumpTable not implemented");
}

uint32_t Masm::Ud2() {
  impl_->Fail("a64: Ud2 not implemented");
  return {};
}

uint32_t Masm::EmitTrapStub(Label /*l*/, runtime::TrapCode /*code*/) {
  impl_->Fail("a64: EmitTrapStub not implemented");
  return {};
}

void Masm::CallLabel(Label /*l*/) {
  impl_->Fail("a64: CallLabel not implemented");
}

void Masm::RawRet() {
  impl_->Fail("a64: RawRet not implemented");
}

Result<size_t> Masm::Finish() {
  impl_->Fail("a64: Finish not implemented");
  return MakeError(ErrorKind::kUnsupported, "a64: not implemented");
}

Status Masm::CopyTo(uint8_t* /*dst*/, size_t /*size*/, uint64_t /*base_address*/) {
  impl_->Fail("a64: CopyTo not implemented");
  return MakeError(ErrorKind::kUnsupported, "a64: not implemented");
}

bool Masm::PositionIndependent() const {
  impl_->Fail("a64: PositionIndependent not implemented");
  return {};
}

Status Masm::ExternalLinks(std::vector<ExternalLink>* /*out*/) const {
  impl_->Fail("a64: ExternalLinks not implemented");
  return MakeError(ErrorKind::kUnsupported, "a64: not implemented");
}

bool Masm::PatchExternalLink(uint8_t /*kind*/, int32_t /*rel*/, uint8_t* /*field_rw*/,
                             uint64_t /*field_addr*/, uint64_t /*target*/) {
  return {};
}

uint32_t Masm::BuiltinTableLabelId() const {
  impl_->Fail("a64: BuiltinTableLabelId not implemented");
  return {};
}

}  // namespace wt::jit::a64
