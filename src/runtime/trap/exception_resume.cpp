// [exceptions] wt_exn_resume(pc, sp, fp, exn): the jump into a landing pad, per ISA (the
// only machine code of the unwinder). The pad expects fp and sp of its frame, the exception in
// the JIT's first return register (rax / x0), and reloads vmctx and memory 0's base itself.
#include "runtime/exn/exception.h"

#if defined(__x86_64__)
// System V: rdi = pc, rsi = sp, rdx = fp, rcx = exn.
__asm__(
    ".text\n"
    ".globl wt_exn_resume\n"
    ".type wt_exn_resume, @function\n"
    "wt_exn_resume:\n"
    "  mov %rsi, %rsp\n"
    "  mov %rdx, %rbp\n"
    "  mov %rcx, %rax\n"
    "  jmp *%rdi\n"
    ".size wt_exn_resume, .-wt_exn_resume\n");
#elif defined(__aarch64__)
// AAPCS64: x0 = pc, x1 = sp, x2 = fp, x3 = exn.
__asm__(
    ".text\n"
    ".globl wt_exn_resume\n"
    ".type wt_exn_resume, %function\n"
    "wt_exn_resume:\n"
    "  mov sp, x1\n"
    "  mov x29, x2\n"
    "  mov x16, x0\n"
    "  mov x0, x3\n"
    "  br x16\n"
    ".size wt_exn_resume, .-wt_exn_resume\n");
#else
#error "wt_exn_resume: unsupported ISA"
#endif
