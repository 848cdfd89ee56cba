#!/usr/bin/env python3
"""Writes a large C program to stdout for the compile-throughput benchmark: N generated
functions (loops over arrays, switches, integer and float arithmetic, calls to earlier
functions), all reachable through a function-pointer table so the linker keeps them.
Usage: gen_bigprog.py N > big.c"""
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
rng = random.Random(1234)
out = ["#include <stdint.h>", "#include <stdlib.h>", "#include <unistd.h>",
       "static int32_t g_arr[4096];", "static double g_dbl[1024];", ""]
ops = ["+", "-", "*", "^", "&", "|"]


def expr(depth, vars_):
    if depth == 0 or rng.random() < 0.3:
        return rng.choice(vars_) if rng.random() < 0.7 else str(rng.randint(1, 1000))
    return f"({expr(depth - 1, vars_)} {rng.choice(ops)} {expr(depth - 1, vars_)})"


for i in range(n):
    body = [f"int32_t f{i}(int32_t a, int32_t b) {{", "  int32_t x = a, y = b, z = a ^ b;"]
    for _ in range(rng.randint(2, 6)):
        kind = rng.randrange(6)
        v = ["x", "y", "z", "a", "b"]
        if kind == 0:
            body += [f"  for (int32_t i = 0; i < (b & 63); i++) {{",
                     f"    x += g_arr[(i + {rng.randint(0, 4000)}) & 4095] * {rng.randint(2, 9)};",
                     f"    y ^= x >> {rng.randint(1, 7)};", "  }"]
        elif kind == 1:
            cases = "".join(f"    case {c}: z = {expr(2, v)}; break;\n" for c in range(rng.randint(3, 9)))
            body += [f"  switch ((x ^ y) & 15) {{\n{cases}    default: z += {rng.randint(1, 99)};\n  }}"]
        elif kind == 2:
            body += [f"  {{ double d = g_dbl[(x + {rng.randint(0, 999)}) & 1023] * {rng.random():.6f} + y;",
                     f"    if (d > {rng.randint(1, 100)}.5) z += (int32_t)(d / 3.0); else y -= (int32_t)d; }}"]
        elif kind == 3 and i > 0:
            body += [f"  if ((x & 3) == {rng.randint(0, 3)}) z += f{rng.randrange(i)}(y, z);"]
        elif kind == 4:
            body += [f"  while (x > {rng.randint(100, 10000)}) {{ x = (x >> 1) + {expr(1, v)}; y++; }}"]
        else:
            body += [f"  x = {expr(3, v)};", f"  y = {expr(3, v)};",
                     f"  g_arr[(z + {rng.randint(0, 4000)}) & 4095] = x + y;"]
    body += ["  return x + y * 3 + z;", "}", ""]
    out += body
out.append("typedef int32_t (*Fn)(int32_t, int32_t);")
out.append("static Fn const table[] = {" + ", ".join(f"f{i}" for i in range(n)) + "};")
out.append("""int main(int argc, char** argv) {
  (void)argv;
  int32_t s = 0;
  for (int i = 0; i < 64; i++) s += table[(uint32_t)(i * 7919 + argc) % (sizeof(table) / sizeof(table[0]))](i, s);
  char c = (char)('a' + (s & 15));
  return write(1, &c, 1) == 1 ? 0 : 1;
}""")
print("\n".join(out))
