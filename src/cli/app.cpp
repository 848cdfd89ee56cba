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

namespace wt::cli {
namespace {

constexpr const char* kSubcommands[] = {"run", "compile", "wast", "help"};
// Options of the main app that take a separate value ("--wasm 2.0").
constexpr const char* kValueOptions[] = {"--log-level", "--wasm", "--features", "--invoke"};

bool IsSubcommand(std::string_view s) {
  return std::find(std::begin(kSubcommands), std::end(kSubcommands), s) != std::end(kSubcommands);
}
bool TakesValue(std::string_view s) {
  return std::find(std::begin(kValueOptions), std::end(kValueOptions), s) !=
         std::end(kValueOptions);
}

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

  // --invoke is an option of the main command and of `run` (options come before FILE).
  std::string invoke_name;
  auto add_invoke = [&](CLI::App* a) {
    return a
        ->add_option("--invoke", invoke_name,
                     "Call the exported function NAME with ARGS (parsed by its parameter types) "
                     "and print its results, instead of running _start")
        ->type_name("NAME");
  };
  CLI::Option* invoke_main = add_invoke(&app);

  CLI::App* run = app.add_subcommand("run", "Decode, validate and run a module (the default)");
  CLI::Option* invoke_run = add_invoke(run);
  std::string run_file_for_help;
  std::vector<std::string> run_args_for_help;
  run->add_option("FILE", run_file_for_help, "A .wasm or .wat module")->type_name("");
  run->add_option("ARGS", run_args_for_help, "Arguments for the program (everything after FILE)")
      ->type_name("");

  CLI::App* compile =
      app.add_subcommand("compile", "Decode and validate a module, print a summary");
  std::string compile_file;
  compile->add_option("FILE", compile_file, "A .wasm or .wat module")->type_name("")->required();

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

  CLI::App* help = app.add_subcommand("help", "Describe a command");
  help->add_option("COMMAND", help_topic, "run, compile, wast or help")->type_name("");

  app.footer(  // after the subcommands, which would inherit it
      "wtrun FILE [ARGS...] is short for wtrun run FILE [ARGS...].\n"
      "wtrun --invoke NAME FILE [ARGS...] calls the export NAME with ARGS.\n"
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

  if (help->parsed()) {  // `help` alone, `help help` or an unknown topic
    if (!help_topic.empty() && help_topic != "help") {
      return UsageError(fmt::format("help: unknown command '{}'", help_topic));
    }
    // Not app.help(), which would describe the selected subcommand (`help`).
    fmt::print("{}", app.get_formatter()->make_help(&app, "wtrun", CLI::AppFormatMode::Normal));
    return kExitOk;
  }
  if (compile->parsed()) return CompileCommand(*features, compile_file);
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
    return RunCommand(*features, *split.run_file, split.program_args, run_options);
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
