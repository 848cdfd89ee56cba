#!/usr/bin/env python3
"""Start-up of big real modules (docs/lazy-plan.md section 9; docs/benchmarks.md "bigstart").

Each job (a module and its guest arguments, e.g. `clang --version`) runs under every runner,
interleaved in one run (round r runs every job under every runner before round r + 1), RUNS
rounds. Per job and runner: median wall time, median CPU time (user + system of the process
and its children) and median peak RSS (/usr/bin/time -f %M), and the load average around each
round. A runner's output must be byte-identical to the first runner's (else "differs").

Runners: wtrun lazy (--compile lazy), wtrun eager (--compile eager), wtrun .cwasm (the module
compiled once by `wtrun compile -o`, run with --allow-precompiled), node default (lazy
Liftoff), node --no-wasm-lazy-compilation. A runner that is not available yet (lazy: "not
implemented yet"; cwasm: no `compile -o`) is left out with a note saying why; one that fails
otherwise reads "fail".

Usage: bigstart.py --wtrun WTRUN --out DIR [--runs 5] [--cache DIR] [--runners a,b]
                   [--jobs NAME,...] MODULE_SPEC...
MODULE_SPEC: NAME=FILE.wasm:ARGV0 (the jobs --version and --help, or for yosys -V and -h).
Writes DIR/bigstart.{txt,csv,md,dat}."""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# Guest arguments per job name (yosys spells them -V and -h).
JOB_ARGS = {
    "version": {"default": ["--version"], "yosys": ["-V"]},
    "help": {"default": ["--help"], "yosys": ["-h"]},
}
RUNNER_ORDER = ["wtrun-lazy", "wtrun-eager", "wtrun-cwasm", "node", "node-eager"]
RUNNER_LABELS = {
    "wtrun-lazy": "wtrun lazy",
    "wtrun-eager": "wtrun eager",
    "wtrun-cwasm": "wtrun .cwasm",
    "node": "node default",
    "node-eager": "node --no-wasm-lazy-compilation",
}


def loadavg():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run_once(cmd, timefile):
    """(wall ms, cpu ms, peak RSS MB, exit status, stdout bytes)."""
    full = ["/usr/bin/time", "-f", "%U %S %M", "-o", timefile] + cmd
    t0 = time.perf_counter()
    proc = subprocess.run(full, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wall = (time.perf_counter() - t0) * 1e3
    with open(timefile) as f:
        last = f.read().strip().splitlines()[-1].split()
    user, sys_, rss_kb = float(last[0]), float(last[1]), int(last[2])
    return wall, (user + sys_) * 1e3, rss_kb / 1024.0, proc.returncode, proc.stdout, proc.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wtrun", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cache", default=tempfile.gettempdir())
    ap.add_argument("--runners", default=",".join(RUNNER_ORDER))
    ap.add_argument("--jobs", default="version,help")
    ap.add_argument("modules", nargs="+")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    timefile = os.path.join(a.cache, f"bigstart-time-{os.getpid()}.txt")
    notes = []
    wanted = [r for r in a.runners.split(",") if r]
    for r in wanted:
        if r not in RUNNER_LABELS:
            sys.exit(f"bigstart: unknown runner '{r}' (known: {', '.join(RUNNER_ORDER)})")

    modules = []  # (name, path, argv0)
    for spec in a.modules:
        name, rest = spec.split("=", 1)
        path, argv0 = rest.rsplit(":", 1)
        if not os.path.isfile(path):
            notes.append(f"{name}: {path} not found: left out")
            continue
        modules.append((name, path, argv0))
    if not modules:
        sys.exit("bigstart: no module found (" + "; ".join(notes) + ")")

    def wtrun_cmd(mode, path, argv0, args):
        if mode == "cwasm":
            return [a.wtrun, "--allow-precompiled", "--argv0", argv0, cwasm_of[path]] + args
        return [a.wtrun, "--compile", mode, "--argv0", argv0, path] + args

    def node_cmd(flags, path, argv0, args):
        return ["node", "--no-warnings"] + flags + [os.path.join(HERE, "wasi_node.mjs"), path,
                                                    argv0] + args

    def cmd_for(runner, path, argv0, args):
        if runner == "wtrun-lazy":
            return wtrun_cmd("lazy", path, argv0, args)
        if runner == "wtrun-eager":
            return wtrun_cmd("eager", path, argv0, args)
        if runner == "wtrun-cwasm":
            return wtrun_cmd("cwasm", path, argv0, args)
        if runner == "node":
            return node_cmd([], path, argv0, args)
        return node_cmd(["--no-wasm-lazy-compilation"], path, argv0, args)

    # Availability: lazy mode and .cwasm artifacts are new (issue 15); left out with a note
    # while the wtrun under test does not have them.
    cwasm_of = {}
    runners = list(wanted)
    if "wtrun-lazy" in runners:
        name, path, argv0 = modules[0]
        p = subprocess.run(wtrun_cmd("lazy", path, argv0, JOB_ARGS["version"]["default"]),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        err = p.stderr.decode(errors="replace").strip()
        if p.returncode != 0 and ("not implemented" in err or "unknown value" in err or
                                  "--compile" in err):
            runners.remove("wtrun-lazy")
            notes.append(f"wtrun lazy: not available in this wtrun ({err.splitlines()[-1]})")
    if "wtrun-cwasm" in runners:
        for name, path, argv0 in modules:
            out = os.path.join(a.cache, os.path.basename(path).replace(".wasm", "") + ".cwasm")
            t0 = time.perf_counter()
            p = subprocess.run([a.wtrun, "compile", "-o", out, path], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
            if p.returncode != 0 or not os.path.isfile(out):
                err = p.stderr.decode(errors="replace").strip()
                runners.remove("wtrun-cwasm")
                notes.append("wtrun .cwasm: `wtrun compile -o` not available in this wtrun (" +
                             (err.splitlines()[-1] if err else f"status {p.returncode}") + ")")
                cwasm_of.clear()
                break
            cwasm_of[path] = out
            notes.append(f"{name}: `wtrun compile -o` {(time.perf_counter() - t0) * 1e3:.0f} ms"
                         f" wall, {os.path.getsize(out) / 1e6:.1f} MB artifact")

    jobs = []  # (module name, job name, path, argv0, args)
    for name, path, argv0 in modules:
        for j in a.jobs.split(","):
            args = JOB_ARGS[j].get(argv0, JOB_ARGS[j]["default"])
            jobs.append((name, j, path, argv0, args))

    samples = {}  # (module, job, runner) -> [(wall, cpu, rss)]
    status = {}  # (module, job, runner) -> "ok" | "fail" | "differs"
    reference = {}  # (module, job) -> stdout of the first runner that succeeded
    loads = []
    print(f"# load average before: {loadavg()}", flush=True)
    for rnd in range(a.runs):
        loads.append(os.getloadavg()[0])
        for name, j, path, argv0, args in jobs:
            for r in runners:
                key = (name, j, r)
                if status.get(key) == "fail":
                    continue
                wall, cpu, rss, rc, out, err = run_once(cmd_for(r, path, argv0, args), timefile)
                if rc != 0:
                    status[key] = "fail"
                    msg = err.decode(errors="replace").strip().splitlines()
                    notes.append(f"{name} {j} {RUNNER_LABELS[r]}: exit {rc}" +
                                 (f": {msg[-1]}" if msg else ""))
                    continue
                ref = reference.setdefault((name, j), out)
                if out != ref:
                    if status.get(key) != "differs":
                        notes.append(f"{name} {j} {RUNNER_LABELS[r]}: output differs from "
                                     f"{RUNNER_LABELS[runners[0]]}'s")
                    status[key] = "differs"
                else:
                    status.setdefault(key, "ok")
                samples.setdefault(key, []).append((wall, cpu, rss))
        print(f"# round {rnd + 1}/{a.runs} done, load average {loadavg()}", flush=True)
    loads.append(os.getloadavg()[0])
    try:
        os.remove(timefile)
    except OSError:
        pass

    def med(key, i):
        s = samples.get(key)
        return statistics.median(x[i] for x in s) if s else None

    header = (f"# bigstart: {time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime())}, "
              f"{os.cpu_count()} cores, median of {a.runs} interleaved rounds, load average "
              f"(1 min) {min(loads):.2f}-{max(loads):.2f} during the run, node "
              f"{subprocess.run(['node', '--version'], stdout=subprocess.PIPE).stdout.decode().strip()}")
    lines = [header]
    csv = ["module,job,runner,wall_ms,cpu_ms,rss_mb,wall_min_ms,wall_max_ms,runs,status"]
    dat = ["# runners " + " ".join(runners)]
    md = ["| job | " + " | ".join(RUNNER_LABELS[r] for r in runners) + " |",
          "| --- | " + " | ".join("---:" for _ in runners) + " |"]
    lines.append(f"{'job':22s} {'runner':32s} {'wall ms':>9s} {'CPU ms':>9s} {'RSS MB':>8s}"
                 f" {'wall min-max':>15s}")
    for name, j, path, argv0, args in jobs:
        job = f"{argv0} {' '.join(args)}"
        cells, datrow = [], [f'"{name} {" ".join(args)}"']
        for r in runners:
            key = (name, j, r)
            st = status.get(key, "fail")
            s = samples.get(key, [])
            if not s:
                lines.append(f"{job:22s} {RUNNER_LABELS[r]:32s} {'fail':>9s}")
                csv.append(f"{name},{j},{r},,,,,,0,{st}")
                cells.append("fail")
                datrow += ["NaN", "NaN", "NaN"]
                continue
            w, c, m = med(key, 0), med(key, 1), med(key, 2)
            walls = [x[0] for x in s]
            flag = "" if st == "ok" else f" ({st})"
            lines.append(f"{job:22s} {RUNNER_LABELS[r]:32s} {w:9.0f} {c:9.0f} {m:8.0f}"
                         f" {min(walls):7.0f}-{max(walls):<7.0f}{flag}")
            csv.append(f"{name},{j},{r},{w:.1f},{c:.1f},{m:.1f},{min(walls):.1f},"
                       f"{max(walls):.1f},{len(s)},{st}")
            cells.append(f"{w:.0f} ms / {c:.0f} ms / {m:.0f} MB{flag}")
            datrow += [f"{w:.1f}", f"{c:.1f}", f"{m:.1f}"]
        md.append(f"| `{job}` | " + " | ".join(cells) + " |")
        dat.append(" ".join(datrow))
    md.append("")
    md.append("Each cell: median wall / median CPU (user+sys) / median peak RSS. " +
              header.lstrip("# ") + ".")
    if notes:
        lines.append("# notes:")
        lines += [f"#   {n}" for n in notes]
        md.append("")
        md += [f"- {n}" for n in notes]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    for ext, body in (("txt", text), ("csv", "\n".join(csv) + "\n"),
                      ("md", "\n".join(md) + "\n"), ("dat", "\n".join(dat) + "\n")):
        with open(os.path.join(a.out, f"bigstart.{ext}"), "w") as f:
            f.write(body)
    bad = [k for k, v in status.items() if v != "ok"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
