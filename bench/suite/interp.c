/* A switch-dispatch bytecode interpreter: a stack machine (push, load/store of registers,
 * arithmetic, compares, jumps) running a program that counts the primes below n by trial
 * division and hashes them. */
#define BENCH_NAME "interp"
#define BENCH_DEFAULT_N 700000
#include "bench.h"

enum Op {
  OP_PUSH,
  OP_LOAD,
  OP_STORE,
  OP_ADD,
  OP_SUB,
  OP_MUL,
  OP_MOD,
  OP_XOR,
  OP_SHL,
  OP_SHR,
  OP_LT,
  OP_GT,
  OP_EQ,
  OP_JMP,
  OP_JZ,
  OP_JNZ,
  OP_INC,
  OP_DUP,
  OP_DROP,
  OP_HALT
};

typedef struct {
  int32_t op, arg;
} Insn;

/* Registers: r0 = i, r1 = d, r2 = count, r3 = limit, r4 = hash. */
#define L_OUTER 6
#define L_INNER 12
#define L_PRIME 24
#define L_NEXT 37
#define L_END 39
static const Insn program[] = {
    {OP_PUSH, 2},
    {OP_STORE, 0},
    {OP_PUSH, 0},
    {OP_STORE, 2},
    {OP_PUSH, 7},
    {OP_STORE, 4},
    /* L_OUTER: while (i < limit) { d = 2; */
    {OP_LOAD, 0},
    {OP_LOAD, 3},
    {OP_LT, 0},
    {OP_JZ, L_END},
    {OP_PUSH, 2},
    {OP_STORE, 1},
    /* L_INNER: if (d * d > i) goto prime; if (i % d == 0) goto next; d++; */
    {OP_LOAD, 1},
    {OP_DUP, 0},
    {OP_MUL, 0},
    {OP_LOAD, 0},
    {OP_GT, 0},
    {OP_JNZ, L_PRIME},
    {OP_LOAD, 0},
    {OP_LOAD, 1},
    {OP_MOD, 0},
    {OP_JZ, L_NEXT},
    {OP_INC, 1},
    {OP_JMP, L_INNER},
    /* L_PRIME: count++; x = hash ^ i; hash = x - (x << 5) + (hash >> 27); */
    {OP_INC, 2},
    {OP_LOAD, 4},
    {OP_LOAD, 0},
    {OP_XOR, 0},
    {OP_DUP, 0},
    {OP_PUSH, 5},
    {OP_SHL, 0},
    {OP_SUB, 0},
    {OP_LOAD, 4},
    {OP_PUSH, 27},
    {OP_SHR, 0},
    {OP_ADD, 0},
    {OP_STORE, 4},
    /* L_NEXT: i++ } */
    {OP_INC, 0},
    {OP_JMP, L_OUTER},
    /* L_END */
    {OP_HALT, 0},
};

static uint32_t run(const Insn* code, uint32_t* regs) {
  uint32_t stack[64];
  int sp = 0;
  int pc = 0;
  for (;;) {
    Insn in = code[pc++];
    switch (in.op) {
      case OP_PUSH:
        stack[sp++] = (uint32_t)in.arg;
        break;
      case OP_LOAD:
        stack[sp++] = regs[in.arg];
        break;
      case OP_STORE:
        regs[in.arg] = stack[--sp];
        break;
      case OP_ADD:
        sp--;
        stack[sp - 1] += stack[sp];
        break;
      case OP_SUB:
        sp--;
        stack[sp - 1] -= stack[sp];
        break;
      case OP_MUL:
        sp--;
        stack[sp - 1] *= stack[sp];
        break;
      case OP_MOD:
        sp--;
        stack[sp - 1] = stack[sp] ? stack[sp - 1] % stack[sp] : 0;
        break;
      case OP_XOR:
        sp--;
        stack[sp - 1] ^= stack[sp];
        break;
      case OP_SHL:
        sp--;
        stack[sp - 1] <<= (stack[sp] & 31);
        break;
      case OP_SHR:
        sp--;
        stack[sp - 1] >>= (stack[sp] & 31);
        break;
      case OP_LT:
        sp--;
        stack[sp - 1] = stack[sp - 1] < stack[sp];
        break;
      case OP_GT:
        sp--;
        stack[sp - 1] = stack[sp - 1] > stack[sp];
        break;
      case OP_EQ:
        sp--;
        stack[sp - 1] = stack[sp - 1] == stack[sp];
        break;
      case OP_JMP:
        pc = in.arg;
        break;
      case OP_JZ:
        if (stack[--sp] == 0) pc = in.arg;
        break;
      case OP_JNZ:
        if (stack[--sp] != 0) pc = in.arg;
        break;
      case OP_INC:
        regs[in.arg]++;
        break;
      case OP_DUP:
        stack[sp] = stack[sp - 1];
        sp++;
        break;
      case OP_DROP:
        sp--;
        break;
      case OP_HALT:
        return (uint32_t)sp;
      default:
        return 0xbadu;
    }
    if (sp < 0 || sp >= 63) return 0xbad0u;
  }
}

static uint32_t bench(int n) {
  uint32_t regs[8] = {0};
  regs[3] = (uint32_t)n;
  uint32_t sp = run(program, regs);
  return bench_mix(bench_mix(bench_mix(0, regs[2]), regs[4]), sp);
}
