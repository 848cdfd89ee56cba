// A bytecode interpreter whose handlers dispatch with guaranteed tail calls
// ([[clang::musttail]] / __attribute__((musttail))): with -mtail-call each dispatch is a wasm
// return_call_indirect; without tail calls the stack would grow with every executed instruction.
// One line per handler, bytecode laid out by instruction:
// clang-format off
#include <stdint.h>
#include <stdio.h>

typedef struct Vm Vm;
typedef int64_t (*Handler)(Vm *vm, const int32_t *pc, int64_t *sp, int64_t acc);
struct Vm {
  int64_t regs[16];
  uint64_t steps;
};

enum { OP_HALT, OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_SUB, OP_MUL, OP_MOD, OP_LT, OP_JZ, OP_JMP,
       OP_DUP, OP_DROP, OP_PRINT, OP_COUNT };
static const Handler table[OP_COUNT];

#define DISPATCH() __attribute__((musttail)) return table[*pc](vm, pc, sp, acc)
#define H(name) static int64_t name(Vm *vm, const int32_t *pc, int64_t *sp, int64_t acc)

H(op_halt) { (void)pc; (void)sp; vm->steps++; return acc; }
H(op_push) { *sp++ = acc; acc = pc[1]; pc += 2; vm->steps++; DISPATCH(); }
H(op_load) { *sp++ = acc; acc = vm->regs[pc[1]]; pc += 2; vm->steps++; DISPATCH(); }
H(op_store) { vm->regs[pc[1]] = acc; acc = *--sp; pc += 2; vm->steps++; DISPATCH(); }
H(op_add) { acc = *--sp + acc; pc++; vm->steps++; DISPATCH(); }
H(op_sub) { acc = *--sp - acc; pc++; vm->steps++; DISPATCH(); }
H(op_mul) { acc = *--sp * acc; pc++; vm->steps++; DISPATCH(); }
H(op_mod) { acc = *--sp % acc; pc++; vm->steps++; DISPATCH(); }
H(op_lt) { acc = *--sp < acc; pc++; vm->steps++; DISPATCH(); }
H(op_jz) { int64_t c = acc; acc = *--sp; pc = c ? pc + 2 : pc + pc[1]; vm->steps++; DISPATCH(); }
H(op_jmp) { pc += pc[1]; vm->steps++; DISPATCH(); }
H(op_dup) { *sp++ = acc; pc++; vm->steps++; DISPATCH(); }
H(op_drop) { acc = *--sp; pc++; vm->steps++; DISPATCH(); }
H(op_print) { printf("  out: %lld\n", (long long)acc); acc = *--sp; pc++; vm->steps++; DISPATCH(); }

static const Handler table[OP_COUNT] = {op_halt, op_push, op_load, op_store, op_add, op_sub,
                                        op_mul, op_mod, op_lt, op_jz, op_jmp, op_dup, op_drop,
                                        op_print};

static int64_t run(Vm *vm, const int32_t *code) {
  int64_t stack[64];
  int64_t *sp = stack;
  return table[*code](vm, code, sp, 0);
}

// sum of i*i mod 7 for i in [0, n): a loop of ~14 instructions per iteration.
static const int32_t sum_prog[] = {
    OP_PUSH, 0, OP_STORE, 0,  // r0 = i = 0
    OP_PUSH, 0, OP_STORE, 1,  // r1 = sum = 0
    // loop (offset 8):
    OP_LOAD, 0, OP_LOAD, 2, OP_LT, OP_JZ, 24,     // if !(i < n) goto end
    OP_LOAD, 1, OP_LOAD, 0, OP_LOAD, 0, OP_MUL,   // sum, i*i
    OP_PUSH, 7, OP_MOD, OP_ADD, OP_STORE, 1,      // sum += i*i % 7
    OP_LOAD, 0, OP_PUSH, 1, OP_ADD, OP_STORE, 0,  // i++
    OP_JMP, -27,
    // end (offset 37):
    OP_LOAD, 1, OP_HALT};

// Fibonacci numbers below a bound, printed.
static const int32_t fib_prog[] = {
    OP_PUSH, 0, OP_STORE, 0, OP_PUSH, 1, OP_STORE, 1,
    // loop (offset 8):
    OP_LOAD, 0, OP_PUSH, 1000, OP_LT, OP_JZ, 18,
    OP_LOAD, 0, OP_PRINT,
    OP_LOAD, 0, OP_LOAD, 1, OP_ADD,                 // a + b
    OP_LOAD, 1, OP_STORE, 0, OP_STORE, 1,           // a = b, b = a + b
    OP_JMP, -21,
    // end (offset 31):
    OP_PUSH, -1, OP_HALT};

int main(void) {
  Vm vm = {{0}, 0};
  printf("fib below 1000:\n");
  int64_t r = run(&vm, fib_prog);
  printf("fib: result %lld, %llu steps\n", (long long)r, (unsigned long long)vm.steps);
  const int64_t ns[] = {10, 1000, 3000000};
  for (int i = 0; i < 3; ++i) {
    vm.steps = 0;
    vm.regs[2] = ns[i];
    r = run(&vm, sum_prog);
    printf("sum(%lld): %lld in %llu steps\n", (long long)ns[i], (long long)r,
           (unsigned long long)vm.steps);
  }
  return 0;
}
