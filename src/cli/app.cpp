#include "cli/app.h"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <new>
#include <optional>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/logging.h"
#include "cli/options.h"
#include "cli/run_options.h"
#include "jit/compiler.h"

namespace wt::cli {
namespace {

constexpr const char* kSubcommands[] = {"run", "compile", "wast", "help"};

bool IsSubcommand(std::string_view s) {
  return std::find(std::begin(kSubcommands), std::end(kSubcommands), s) != std::end(kSubcommands);
}
// Options of the main app and of `run` that take a separate value ("--wasm 2.0", "--dir D").
bool TakesValue(std::string_view s) {
  if (s == "--simd-isa") return true;
  for (const RunOptionName& o : RunOptionNames()) {
    if (o.name == s) return o.takes_value;
  }
  return false;
}

// [lazy] --compile of run (wast adds cwasm).
constexpr const char* kCompileHelp =
    kCompileEagerByDefault
        ? "When function bodies are compiled: eager (all at load) or lazy (each at its first "
          "call) (default: $WTRUN_COMPILE, else eager)"
        : "When function bodies are compiled: eager (all at load) or lazy (each at its first "
          "call) (default: $WTRUN_COMPILE, else lazy)";

int UsageError(std::string_view message) {
  PrintError(fmt::format("{} (see wtrun --help)", message));
  return kExitUsage;
}

int MainImpl(const std::vector<std::string>& args) {
  GlobalOptions global;
  WastOptions wast;
  RunCommandOptions run_options;
  std::string help_topic;

  CLI::App app{"wtrun: a WebAssembly runner", "wtrun"};
  app.set_version_flag("--version", "wtrun " WTRUN_VERSION);
  app.fallthrough();
  app.add_option("--log-level", global.log_level,
                 "trace, debug, info, warn, error, critical or off (default: $WTRUN_LOG, "
                 "else warn)")
      ->type_name("LEVEL");
  app.add_option("--wasm", global.wasm, "Feature preset: 2.0 or 3.0 (default: 3.0)")
      ->type_name("VERSION");
  app.add_option("--features", global.features,
                 "Feature changes on top of the preset: +name,-name,... (e.g. -simd,+threads)")
      ->type_name("LIST");
  CLI::Option* simd_isa_option =
      app.add_option("--simd-isa", global.simd_isa,
                     "Highest vector ISA SIMD code may use: auto, sse4.1, sse4.2, avx or avx2 "
                     "(default: $WTRUN_SIMD_ISA, else auto: what the CPU has)")
          ->type_name("ISA");

  // The run options belong to the main command and to `run` (options come before FILE).
  std::string invoke_name;
  RawRunOptions raw;
  auto add_run_options = [&](CLI::App* a) {
    RunCommandOptions& o = run_options;
    CLI::Option* invoke =
        a->add_option("--invoke", invoke_name,
                      "Call the exported function NAME with ARGS (parsed by its parameter "
                      "types) and print its results, instead of running _start")
            ->type_name("NAME");
    a->add_option("--dir", o.dirs,
                  "Preopen the host directory HOST as GUEST (default: HOST) for the program; "
                  "repeatable")
        ->type_name("HOST[::GUEST]");
    a->add_option("--env", o.envs,
                  "Set an environment variable for the program (NAME alone: the host's value); "
                  "repeatable")
        ->type_name("NAME[=VALUE]");
    a->add_flag("--inherit-env", o.inherit_env,
                "Give the program the host's whole environment (before --env)");
    a->add_option("--argv0", o.argv0, "The program's argv[0] (default: FILE's base name)")
        ->type_name("NAME");
    a->add_option("--preload", o.preloads,
                  "Instantiate FILE first and make its exports importable as module NAME; "
                  "repeatable")
        ->type_name("NAME=FILE");
    a->add_flag("--trap-unknown-imports", o.trap_unknown_imports,
                "Define every unknown function import as a function that traps");
    a->add_flag("--default-values-unknown-imports", o.default_values_unknown_imports,
                "Define every unknown function import as a function returning zeros");
    a->add_flag("--no-backtrace", o.no_backtrace, "Print traps without the wasm backtrace");
    a->add_option("--max-backtrace", raw.max_backtrace,
                  "Print at most N frames of a trap's backtrace (default: 20)")
        ->type_name("N");
    a->add_option("--profile", o.profile, "Tell perf about the compiled code: perfmap or jitdump")
        ->type_name("MODE");
    a->add_option("--fuel", raw.fuel, "Trap after N units of fuel (about one per instruction)")
        ->type_name("N");
    a->add_option("--timeout", raw.timeout, "Interrupt wasm code after this long (500ms, 2s, 1m)")
        ->type_name("DURATION");
    a->add_option("--max-wasm-stack", raw.max_wasm_stack,
                  "Native stack wasm code may use (bytes, or with K/M/G)")
        ->type_name("BYTES");
    a->add_option("--max-memory-size", raw.max_memory_size,
                  "No linear memory grows beyond this (bytes, or with K/M/G)")
        ->type_name("BYTES");
    a->add_option("--max-table-elements", raw.max_table_elements,
                  "No table grows beyond N elements")
        ->type_name("N");
    a->add_option("--max-gc-heap-size", raw.max_gc_heap_size,  // [wasmgc]
                  "The GC heap (structs, arrays) stays within this (bytes, or with K/M/G; "
                  "default 4G); beyond it allocation traps")
        ->type_name("BYTES");
    a->add_option("--gc-collector", raw.gc_collector,  // [wasmgc]
                  "tracing (default: reclaims unreachable objects, cycles too) or null (never "
                  "frees: a control run that shows what the collector reclaims)")
        ->type_name("NAME");
    a->add_flag("--pooling", o.pooling, "Take instances from a pooling allocator");
    a->add_option("--pool-instances", raw.pool_instances,
                  "Instance slots of the pool (implies --pooling)")
        ->type_name("N");
    a->add_option("--pool-memory-size", raw.pool_memory_size,
                  "Bytes per linear memory slot of the pool (implies --pooling)")
        ->type_name("BYTES");
    a->add_option("--pool-table-elements", raw.pool_table_elements,
                  "Elements per table slot of the pool (implies --pooling)")
        ->type_name("N");
    a->add_flag("--pool-uffd", o.pool_uffd,
                "Fill pool memories with userfaultfd (Linux; implies --pooling)");
    // [lazy]
    a->add_option("--compile", raw.compile, kCompileHelp)->type_name("MODE");
    a->add_option("--compile-threads", raw.compile_threads,
                  "eager: compile jobs (default: all cores, at most 8); lazy: threads compiling "
                  "in the background (default: cores - 1, at most 4)")
        ->type_name("N");
    a->add_flag("--allow-precompiled", o.allow_precompiled,
                "FILE may be a .cwasm artifact from wtrun compile -o (only artifacts you trust: "
                "their code runs as is)");
    return invoke;
  };
  CLI::Option* invoke_main = add_run_options(&app);

  CLI::App* run = app.add_subcommand("run", "Decode, validate and run a module (the default)");
  CLI::Option* invoke_run = add_run_options(run);
  std::string run_file_for_help;
  std::vector<std::string> run_args_for_help;
  run->add_option("FILE", run_file_for_help, "A .wasm or .wat module")->type_name("");
  run->add_option("ARGS", run_args_for_help, "Arguments for the program (everything after FILE)")
      ->type_name("");

  CLI::App* compile =
      app.add_subcommand("compile",
                         "Decode, validate and compile a module as run does (failing the same "
                         "way), print a summary");
  std::string compile_file;
  compile->add_option("FILE", compile_file, "A .wasm or .wat module")->type_name("")->required();
  CompileCommandOptions compile_options;
  compile
      ->add_option("-o", compile_options.output,
                   "Write the compiled code as a .cwasm artifact (run it with "
                   "--allow-precompiled)")
      ->type_name("FILE");
  compile->add_flag("--fuel-checks", compile_options.fuel_checks,
                    "Compile fuel checks in: the artifact may run with --fuel");
  compile->add_flag("--interrupt-checks", compile_options.interrupt_checks,
                    "Compile interrupt checks in: the artifact may run with --timeout");

  CLI::App* wast_cmd = app.add_subcommand("wast", "Run .wast spec scripts");
  wast_cmd->add_option("FILE", wast.files, "Script files")->type_name("");
  wast_cmd->add_option("--dir", wast.dirs, "Also run every *.wast directly in this folder")
      ->type_name("DIR");
  wast_cmd->add_option("--json", wast.json_path, "Write one JSON record per command (- = stdout)")
      ->type_name("PATH");
  wast_cmd
      ->add_option("--expect", wast.expect_path,
                   "Check per-file counts against this expectations file")
      ->type_name("FILE");
  wast_cmd->add_flag("--update-expect", wast.update_expect,
                     "Rewrite the --expect file with the counts of this run");
  wast_cmd->add_flag("--skip-missing-dir", wast.skip_missing_dir,
                     "Exit with 77 (skipped) when a --dir folder does not exist");
  wast_cmd->add_flag("-v,--verbose", wast.verbose, "Print every failure with its location");
  wast_cmd->add_flag("--pooling", wast.pooling, "Take instances from a pooling allocator");
  wast_cmd->add_flag("--pool-uffd", wast.pool_uffd,
                     "The pooling allocator with userfaultfd (implies --pooling)");
  // [limits] Applied per command by WastCommand (wast_command.cpp).
  wast_cmd
      ->add_option("--fuel", wast.fuel,
                   "Fuel for each command (invoke, assert_*, instantiation); running out traps")
      ->type_name("N");
  wast_cmd
      ->add_option("--timeout", wast.timeout,
                   "Interrupt each command after this long (500ms, 2s, 1m), then go on")
      ->type_name("DURATION");
  wast_cmd  // [wasmgc]
      ->add_option("--max-gc-heap-size", wast.max_gc_heap_size,
                   "Each store's GC heap stays within this (bytes, or with K/M/G; default 4G)")
      ->type_name("BYTES");
  // [lazy]
  wast_cmd
      ->add_option("--compile", wast.compile,
                   "eager, lazy, or cwasm: every module compiled eagerly, written to an "
                   "in-memory .cwasm artifact and run from it (default: $WTRUN_COMPILE, else " +
                       std::string(kCompileEagerByDefault ? "eager" : "lazy") + ")")
      ->type_name("MODE");

  CLI::App* help = app.add_subcommand("help", "Describe a command");
  help->add_option("COMMAND", help_topic, "run, compile, wast or help")->type_name("");

  app.footer(  // after the subcommands, which would inherit it
      "wtrun [OPTIONS] FILE [ARGS...] is short for wtrun run [OPTIONS] FILE [ARGS...]: wtrun's\n"
      "options come before FILE, everything after FILE goes to the program.\n"
      "wtrun --invoke NAME FILE [ARGS...] calls the export NAME with ARGS.\n"
      "Exit status: the program's proc_exit status (0 when _start returns), 134 when it\n"
      "traps, 1 for a bad module or a missing file, 2 for a usage error.\n"
      "wtrun help COMMAND describes a command.");

  SplitArgs split = SplitRunArguments(args);
  try {
    std::vector<std::string> reversed(split.cli.rbegin(), split.cli.rend());
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    fmt::print("{}", app.help());  // the help of the (sub)command that was given
    return kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    fmt::print("{}", app.help("", CLI::AppFormatMode::All));
    return kExitOk;
  } catch (const CLI::CallForVersion& e) {
    fmt::print("{}\n", e.what());
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    return UsageError(e.what());
  }

  if (Status s = SetUpLogging(global.log_level); !s.ok()) return UsageError(s.error().message);
  auto features = ResolveFeatures(global.wasm, global.features);
  if (!features.ok()) return UsageError(features.error().message);
  jit::SimdIsa simd_isa = jit::SimdIsa::kAuto;
  if (simd_isa_option->count() > 0 && !jit::ParseSimdIsa(global.simd_isa, &simd_isa)) {
    return UsageError(
        fmt::format("--simd-isa: unknown value '{}' (expected auto, sse4.1, sse4.2, avx or avx2)",
                    global.simd_isa));
  }
  run_options.simd_isa = simd_isa;
  wast.simd_isa = global.simd_isa;

  if (help->parsed()) {  // `help` alone, `help help` or an unknown topic
    if (!help_topic.empty() && help_topic != "help") {
      return UsageError(fmt::format("help: unknown command '{}'", help_topic));
    }
    // Not app.help(), which would describe the selected subcommand (`help`).
    fmt::print("{}", app.get_formatter()->make_help(&app, "wtrun", CLI::AppFormatMode::Normal));
    return kExitOk;
  }
  // Run options before another command (`wtrun --fuel 10 wast x.wast`) would be dropped
  // silently: refuse them, naming where they go.
  for (CLI::App* cmd : {compile, wast_cmd, help}) {
    if (!cmd->parsed()) continue;
    for (const CLI::Option* opt : app.get_options()) {
      const std::string name = opt->get_name();
      if (opt->count() == 0 || name == "--log-level" || name == "--wasm" || name == "--features" ||
          name == "--simd-isa") {
        continue;
      }
      return UsageError(fmt::format(
          "{} before '{}' is an option of run: give {}'s own options after the command name", name,
          cmd->get_name(), cmd->get_name()));
    }
  }
  if (compile->parsed()) {
    compile_options.simd_isa = simd_isa;
    return CompileCommand(*features, compile_file, compile_options);
  }
  if (wast_cmd->parsed()) {
    if (wast.files.empty() && wast.dirs.empty()) {
      return UsageError("wast: give at least one FILE or --dir DIR");
    }
    if (wast.update_expect && wast.expect_path.empty()) {
      return UsageError("wast: --update-expect needs --expect FILE");
    }
    return WastCommand(*features, wast);
  }
  if (run->parsed()) {
    if (!split.run_file) return UsageError("run: no FILE given");
    if (invoke_main->count() > 0 || invoke_run->count() > 0) run_options.invoke = invoke_name;
    if (Status s = FinishRunOptions(raw, &run_options); !s.ok()) {
      return UsageError(s.error().message);
    }
    if (!raw.compile.empty()) HideCompileEnvironment();  // [lazy] --compile wins
    int code = RunCommand(*features, *split.run_file, split.program_args, run_options);
    if (code != kExitOk) {
      if (auto misplaced = MisplacedRunOption(split.program_args)) {
        std::fflush(stdout);
        fmt::print(stderr,
                   "wtrun: hint: {} came after FILE, so it went to the program; wtrun's own "
                   "options go before FILE\n",
                   *misplaced);
      }
    }
    return code;
  }
  return UsageError("no FILE or command given");
}

}  // namespace

SplitArgs SplitRunArguments(const std::vector<std::string>& args) {
  SplitArgs out;
  bool in_run = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--" && i + 1 < args.size()) {  // `wtrun -- FILE ARGS...`: FILE may start with '-'
      if (!in_run) out.cli.push_back("run");
      out.run_file = args[i + 1];
      out.program_args.assign(args.begin() + static_cast<std::ptrdiff_t>(i) + 2, args.end());
      return out;
    }
    if (a.size() > 1 && a[0] == '-') {
      out.cli.push_back(a);
      if (TakesValue(a) && i + 1 < args.size()) out.cli.push_back(args[++i]);
      continue;
    }
    if (!in_run && a == "help") {  // `help COMMAND` is `COMMAND --help`
      if (i + 1 < args.size() && IsSubcommand(args[i + 1]) && args[i + 1] != "help") {
        out.cli.push_back(args[i + 1]);
        out.cli.push_back("--help");
      } else {
        out.cli.insert(out.cli.end(), args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
      }
      return out;
    }
    if (!in_run && IsSubcommand(a)) {
      out.cli.push_back(a);
      if (a != "run") {
        out.cli.insert(out.cli.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                       args.end());
        return out;
      }
      in_run = true;
      continue;
    }
    if (!in_run) out.cli.push_back("run");
    out.run_file = a;
    out.program_args.assign(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
    return out;
  }
  return out;
}

int Main(const std::vector<std::string>& args) {
  try {
    return MainImpl(args);
  } catch (const std::bad_alloc&) {
    PrintError("out of memory");
  } catch (const std::exception& e) {
    PrintError(fmt::format("internal error: {}", e.what()));
  } catch (...) {
    PrintError("internal error: unknown exception");
  }
  return kExitFailure;
}

int Main(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  return Main(args);
}

}  // namespace wt::cli
