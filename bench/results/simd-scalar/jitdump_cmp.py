#!/usr/bin/env python3
"""jitdump_cmp.py A.dump B.dump: compares the JIT_CODE_LOAD records of two jitdump files (two
wtrun builds, same module, both run under `setarch -R`). Records whose bytes are identical
count as identical; the others are disassembled (objdump, Intel syntax, no raw bytes) with
64-bit address immediates (>= 9 hex digits: builtins' addresses in the wtrun binary, which
differ between builds) replaced by ADDR, and compared again. Exit status 1 if any differ.
Making the dumps (docs/performance.md, "SIMD session: scalar code unchanged"):
  JITDUMPDIR=a setarch -R build-a/wtrun --profile jitdump K.wasm 1
  JITDUMPDIR=b setarch -R build-b/wtrun --profile jitdump K.wasm 1
  python3 jitdump_cmp.py a/jit-*.dump b/jit-*.dump"""
import re, struct, subprocess, sys, tempfile
def records(path):
    data = open(path, "rb").read()
    p = struct.unpack_from("<III", data, 0)[2]
    out = []
    while p + 16 <= len(data):
        rid, size, ts = struct.unpack_from("<IIQ", data, p)
        if size == 0: break
        if rid == 0:
            csize = struct.unpack_from("<IIQQQQ", data, p + 16)[4]
            q = p + 56
            e = data.index(b"\0", q)
            out.append((data[q:e].decode(errors="replace"), data[e + 1:e + 1 + csize]))
        p += size
    return out
def dis(code):
    with tempfile.NamedTemporaryFile() as tmp:
        tmp.write(code); tmp.flush()
        lines = subprocess.run(["objdump", "-D", "-b", "binary", "-mi386:x86-64", "-M", "intel",
                                "--no-show-raw-insn", tmp.name], capture_output=True,
                               text=True).stdout.splitlines()[7:]
    return [re.sub(r"0x[0-9a-f]{9,}", "ADDR", l) for l in lines]
a, b = records(sys.argv[1]), records(sys.argv[2])
same = masked = differ = 0
nbytes = sum(len(c) for _, c in a)
if len(a) != len(b):
    print(f"record counts differ: {len(a)} vs {len(b)}")
rest = []
for (na, ca), (nb, cb) in zip(a, b):
    if na == nb and ca == cb: same += 1; continue
    if na != nb or len(ca) != len(cb):
        differ += 1
        if differ <= 5: print(f"DIFFERENT: {na} ({len(ca)} vs {len(cb)} bytes)")
        continue
    rest.append((na, ca, cb))
# The rest in batches (one objdump per batch; equal sizes so the offsets line up).
for i in range(0, len(rest), 200):
    batch = rest[i:i + 200]
    if dis(b"".join(x[1] for x in batch)) == dis(b"".join(x[2] for x in batch)):
        masked += len(batch); continue
    for na, ca, cb in batch:
        if dis(ca) == dis(cb): masked += 1; continue
        differ += 1
        if differ <= 5: print(f"DIFFERENT: {na} ({len(ca)} bytes, disassembly differs)")
print(f"{len(a)} records, {nbytes} bytes: {same} byte-identical, {masked} identical but for "
      f"embedded 64-bit addresses, {differ} different")
sys.exit(1 if differ or len(a) != len(b) else 0)
