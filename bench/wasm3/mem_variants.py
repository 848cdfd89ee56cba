#!/usr/bin/env python3
"""Derives multi-memory and memory64 variants of a module from its wasm2wat text.

Usage: mem_variants.py {mem1,m64,m32tmp} IN.wat OUT.wat

mem1: the module's memory becomes memory 1 behind an unused 1-page memory 0: every load,
      store and memory.* instruction gets the memory index 1, data segments and the memory
      export name memory 1. The code is otherwise byte-for-byte the same.
m64:  the memory becomes a 64-bit memory (same pages), every address stays computed in i32
      and is zero-extended where it is used: `i64.extend_i32_u` right before each load; before
      each store the value is parked in a fresh local of its type, the address extended, the
      value reloaded (`local.set $v; i64.extend_i32_u; local.get $v`). Data segment offsets
      become i64.const. memory.size/grow/fill/copy/init are refused (the kernels use none).
m32tmp: the control for m64: the same store temporaries (`local.set $v; local.get $v`), no
      extension, the memory stays 32-bit; m64 / m32tmp is the cost of the 64-bit memory alone.

Written for bench/wasm3/run.sh (issue 17's memory benchmark); the input is wasm2wat's flat
output for one module with one memory (clang's freestanding kernels).
"""
import re
import sys

ACCESS = re.compile(r"^(\s*)((i32|i64|f32|f64)\.(load|store)[0-9a-z_]*)\b(.*)$")
MEMORY = re.compile(r"^(\s*)\(memory \(;0;\) (.*)\)$")
BULK = re.compile(r"^\s*memory\.(size|grow|fill|copy|init)\b")


def die(msg):
    sys.exit("mem_variants.py: " + msg)


def mem1(lines):
    out, seen = [], False
    for line in lines:
        m = MEMORY.match(line)
        if m:
            seen = True
            out.append(f"{m.group(1)}(memory (;0;) 1)")
            out.append(f"{m.group(1)}(memory (;1;) {m.group(2)})")
            continue
        if "(memory (;" in line and not m:
            die("more than one memory: " + line.strip())
        a = ACCESS.match(line)
        if a:
            out.append(f"{a.group(1)}{a.group(2)} 1{a.group(5)}")
            continue
        b = BULK.match(line)
        if b:
            n = {"size": 1, "grow": 1, "fill": 1, "copy": 2, "init": 1}[b.group(1)]
            op = "memory." + b.group(1)
            out.append(line.replace(op, op + " 1" * n, 1) if b.group(1) != "init"
                       else line.replace(op, op + " 1", 1))
            continue
        line = line.replace('(memory 0))', '(memory 1))')
        line = re.sub(r"\(data (\(;\d+;\) )?\((i32|i64)\.const", r"(data \1(memory 1) (\2.const", line)
        out.append(line)
    if not seen:
        die("no memory")
    return out


def m64(lines, is64=True):
    out, seen = [], False
    for line in lines:
        m = MEMORY.match(line)
        if m:
            seen = True
            out.append(f"{m.group(1)}(memory (;0;) {'i64 ' if is64 else ''}{m.group(2)})")
            continue
        if BULK.match(line):
            die("memory.* instructions are not rewritten: " + line.strip())
        stripped = line.strip()
        if stripped.startswith("(func "):
            out.append(line)
            # the store temporaries, named so that they do not shift the unnamed locals
            out.append("    (local $__v_i32 i32) (local $__v_i64 i64) (local $__v_f32 f32)"
                       " (local $__v_f64 f64)")
            continue
        a = ACCESS.match(line)
        if a:
            ind, op, ty, kind = a.group(1), a.group(2), a.group(3), a.group(4)
            ext = [f"{ind}i64.extend_i32_u"] if is64 else []
            if kind == "load":
                out += ext
            else:
                out += [f"{ind}local.set $__v_{ty}"] + ext + [f"{ind}local.get $__v_{ty}"]
            out.append(line)
            continue
        out.append(re.sub(r"\(data (\(;\d+;\) )?\(i32\.const", r"(data \1(i64.const", line)
                   if is64 else line)
    if not seen:
        die("no memory")
    return out


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("mem1", "m64", "m32tmp"):
        die("usage: mem_variants.py {mem1,m64,m32tmp} IN.wat OUT.wat")
    lines = open(sys.argv[2]).read().split("\n")
    fixed = []
    # named locals must follow the unnamed ones: move our declaration after a (local ...) line
    res = mem1(lines) if sys.argv[1] == "mem1" else m64(lines, sys.argv[1] == "m64")
    i = 0
    while i < len(res):
        if res[i].startswith("    (local $__v_i32") and i + 1 < len(res) and \
                res[i + 1].strip().startswith("(local "):
            fixed += [res[i + 1], res[i]]
            i += 2
            continue
        fixed.append(res[i])
        i += 1
    open(sys.argv[3], "w").write("\n".join(fixed))


main()
