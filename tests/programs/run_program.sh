#!/usr/bin/env bash
# One program test: run_program.sh CASE WTRUN PROGRAMS_DIR
#   CASE          a case below (case_NAME)
#   WTRUN         the wtrun binary
#   PROGRAMS_DIR  where NAME.wasm (clang --target=wasm32-wasi) and NAME.native were built
# Each case runs wtrun in a fresh temporary directory and checks the exit status and output;
# where the program is portable, the output must equal the native build's.
set -u
CASE=$1
WTRUN=$2
BIN=$3
SRC=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wtrun-program-$CASE.XXXXXX")
trap 'chmod -R u+w "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
FAILED=0

fail() {
  echo "FAIL: $*"
  FAILED=1
}

# run OUT_PREFIX CMD...: stdout -> OUT_PREFIX.out, stderr -> OUT_PREFIX.err, status -> $STATUS
run() {
  local prefix=$1
  shift
  "$@" >"$prefix.out" 2>"$prefix.err"
  STATUS=$?
}

expect_status() {  # WANT
  if [ "$STATUS" != "$1" ]; then
    fail "exit status $STATUS, expected $1"
    echo "--- stderr"; cat "$TMP"/*.err 2>/dev/null | head -20
  fi
}

expect_file() {  # FILE EXPECTED_TEXT
  local want
  want=$(printf '%s' "$2")
  if [ "$(cat "$1")" != "$want" ]; then
    fail "$1 differs"
    diff <(printf '%s\n' "$want") "$1" | head -40
  fi
}

same_files() {  # A B
  if ! cmp -s "$1" "$2"; then
    fail "$1 and $2 differ"
    diff "$1" "$2" | head -40
  fi
}

# wasm_vs_native NAME [ARGS...]: runs NAME.wasm (preopen ".") and NAME.native, each in a fresh
# directory of its own, and compares stdout and status.
wasm_vs_native() {
  local name=$1
  shift
  mkdir -p "$TMP/w" "$TMP/n"
  (cd "$TMP/w" && "$WTRUN" --dir . "$BIN/$name.wasm" "$@" >"$TMP/wasm.out" 2>"$TMP/wasm.err")
  local wasm_status=$?
  (cd "$TMP/n" && "$BIN/$name.native" "$@" >"$TMP/native.out" 2>"$TMP/native.err")
  STATUS=$wasm_status
  expect_status 0
  same_files "$TMP/native.out" "$TMP/wasm.out"
}

case_hello() {
  run "$TMP/r" "$WTRUN" "$BIN/hello.wasm"
  expect_status 0
  expect_file "$TMP/r.out" "Hello, world!"
  [ -s "$TMP/r.err" ] && fail "stderr not empty"
  # `run` spelled out, and stdout into a closed pipe (EPIPE for the guest, no signal).
  run "$TMP/r" "$WTRUN" run "$BIN/hello.wasm"
  expect_file "$TMP/r.out" "Hello, world!"
  wasm_vs_native hello
}

case_args_env() {
  run "$TMP/r" env -i PATH="$PATH" FROMHOST=host "$WTRUN" --argv0 prog --env GREETING=hi \
    --env=EMPTY= --env FROMHOST --env NOTSET "$BIN/args_env.wasm" a "b c" "" -x --env
  expect_status 0
  expect_file "$TMP/r.out" "argc=6
argv[0]=prog
argv[1]=a
argv[2]=b c
argv[3]=
argv[4]=-x
argv[5]=--env
env: GREETING=hi
env: EMPTY=
env: FROMHOST=host
environ: 3
getenv(GREETING)=hi"
  # The same natively.
  env -i GREETING=hi EMPTY= FROMHOST=host "$BIN/args_env.native" a "b c" "" -x --env |
    sed 's/^argv\[0\]=.*/argv[0]=prog/' >"$TMP/n.out"
  same_files "$TMP/n.out" "$TMP/r.out"
  # argv[0] defaults to FILE's base name; --inherit-env passes the host's, --env overrides.
  run "$TMP/r" env -i A=1 GREETING=host "$WTRUN" --inherit-env --env GREETING=flag \
    "$BIN/args_env.wasm"
  expect_status 0
  expect_file "$TMP/r.out" "argc=1
argv[0]=args_env.wasm
env: A=1
env: GREETING=flag
environ: 2
getenv(GREETING)=flag"
  # No environment unless asked for.
  run "$TMP/r" env -i A=1 "$WTRUN" "$BIN/args_env.wasm"
  grep -q "^environ: 0$" "$TMP/r.out" || fail "the host's environment leaked"
}

case_file_io() {
  wasm_vs_native file_io
  expect_file "$TMP/w/data.txt" "HELLO world"
  [ "$(stat -c %s "$TMP/w/big.bin")" = 100000 ] || fail "big.bin is not 100000 bytes"
  # The preopen under another guest name, the program run from elsewhere: no such file.
  mkdir -p "$TMP/x"
  (cd "$TMP" && "$WTRUN" --dir "$TMP/x::/data" "$BIN/file_io.wasm" >"$TMP/r.out" 2>"$TMP/r.err")
  STATUS=$?
  expect_status 1
  grep -q "FAILED" "$TMP/r.out" || fail "file_io without a preopen at . should fail"
}

case_dir_list() { wasm_vs_native dir_list; }
case_stat() { wasm_vs_native stat; }
case_rename() { wasm_vs_native rename; }

case_clock() {
  wasm_vs_native clock
  grep -q ": bad\|: no$" "$TMP/wasm.out" && fail "a clock check failed"
}

case_random() {
  wasm_vs_native random
  expect_file "$TMP/wasm.out" "non-zero: yes
two draws differ: yes
byte values seen: 256
arc4random varies: yes"
}

case_exit_code() {
  local how n
  for how in exit return; do
    for n in 0 1 3 125; do
      run "$TMP/r" "$WTRUN" "$BIN/exit_code.wasm" $how $n
      expect_status $n
      expect_file "$TMP/r.out" "before $how $n"
      [ -s "$TMP/r.err" ] && fail "$how $n printed on stderr"
    done
  done
  # As wasmtime: statuses from 126 up are refused (exit 1, one explanation).
  run "$TMP/r" "$WTRUN" "$BIN/exit_code.wasm" exit 200
  expect_status 1
  grep -q "exit with invalid exit status outside of \[0..126): 200" "$TMP/r.err" ||
    fail "no message for status 200"
  # abort() is a trap: the report and 134.
  run "$TMP/r" "$WTRUN" "$BIN/exit_code.wasm" abort 0
  expect_status 134
  expect_file "$TMP/r.out" "before abort 0"
  grep -q "wasm trap: wasm \`unreachable\` instruction executed" "$TMP/r.err" ||
    fail "no trap report"
  # A wtrun option after FILE went to the program; when it fails, a hint says so.
  run "$TMP/r" "$WTRUN" "$BIN/exit_code.wasm" --dir
  expect_status 2
  grep -q "^wtrun: hint: --dir came after FILE" "$TMP/r.err" || fail "no hint for --dir after FILE"
  run "$TMP/r" "$WTRUN" "$BIN/exit_code.wasm" --fuel=5
  grep -q "^wtrun: hint: --fuel came after FILE" "$TMP/r.err" ||
    fail "no hint for --fuel=5 after FILE"
  # No hint when the program succeeds.
  run "$TMP/r" "$WTRUN" "$BIN/exit_code.wasm" exit 0 --dir
  expect_status 0
  [ -s "$TMP/r.err" ] && fail "hint printed for a successful run"
}

case_stdin() {
  printf 'abc\nhello world\n\nno newline at the end' >"$TMP/in.txt"
  run "$TMP/r" "$WTRUN" "$BIN/stdin.wasm" <"$TMP/in.txt"
  expect_status 0
  expect_file "$TMP/r.out" "cba
dlrow olleh

dne eht ta enilwen on
4 lines, 38 bytes, eof yes"
  run "$TMP/n" "$BIN/stdin.native" <"$TMP/in.txt"
  same_files "$TMP/n.out" "$TMP/r.out"
  # From a pipe, and an empty stdin.
  printf 'x\ny\n' | "$WTRUN" "$BIN/stdin.wasm" >"$TMP/r.out"
  expect_file "$TMP/r.out" "x
y
2 lines, 4 bytes, eof yes"
  run "$TMP/r" "$WTRUN" "$BIN/stdin.wasm" </dev/null
  expect_file "$TMP/r.out" "0 lines, 0 bytes, eof yes"
}

case_poll() {
  mkdir -p "$TMP/w"
  (cd "$TMP/w" && { sleep 0.3; echo "late line"; } |
    "$WTRUN" --dir . "$BIN/poll.wasm" >"$TMP/r.out" 2>"$TMP/r.err")
  STATUS=$?
  expect_status 0
  expect_file "$TMP/r.out" "poll(no fds, 50 ms): 0, waited >= 50 ms: yes
file: 1 ready, POLLIN yes, at once yes
stdin: 1 ready, POLLIN yes
read: late line"
  mkdir -p "$TMP/n"
  (cd "$TMP/n" && { sleep 0.3; echo "late line"; } | "$BIN/poll.native" >"$TMP/n.out")
  same_files "$TMP/n.out" "$TMP/r.out"
}

# Sandbox: the guest's "/" is $TMP/box; next to it lie secret.txt, outside/ and a link.
snapshot() {  # everything outside the box: path, type, size, mode, mtime, content hash
  (cd "$TMP" && find . -mindepth 1 -path ./box -prune -o -path ./snap.\* -prune -o \
    -path ./r.\* -prune -o -printf '%p %y %s %m %T@ %l\n' | sort
   cd "$TMP" && find . -path ./box -prune -o -type f ! -name 'snap.*' ! -name 'r.*' -print0 |
     sort -z | xargs -0 -r sha256sum)
}

case_sandbox() {
  mkdir -p "$TMP/box/sub" "$TMP/outside"
  echo SECRET >"$TMP/secret.txt"
  echo inside >"$TMP/box/inside.txt"
  echo other >"$TMP/outside/file.txt"
  ln -s ../secret.txt "$TMP/box/link_up"
  ln -s "$TMP/secret.txt" "$TMP/box/link_abs"
  ln -s .. "$TMP/box/link_dir"
  ln -s ../../secret.txt "$TMP/box/sub/link_up2"
  ln -s inside.txt "$TMP/box/link_inside"
  ln -s secret.txt "$TMP/link_elsewhere"
  touch -d '2020-01-01 00:00:00' "$TMP/secret.txt" "$TMP/outside/file.txt" "$TMP/outside"
  snapshot >"$TMP/snap.before"
  run "$TMP/r" "$WTRUN" --dir "$TMP/box::/" "$BIN/sandbox.wasm"
  expect_status 0
  same_files "$SRC/expected/sandbox.txt" "$TMP/r.out"
  snapshot >"$TMP/snap.after"
  same_files "$TMP/snap.before" "$TMP/snap.after"
  grep -q SECRET "$TMP/r.out" && fail "the secret was read"
  # Links the guest planted stay inside the box (they are data).
  [ "$(readlink "$TMP/box/mine")" = "../secret.txt" ] || fail "the guest's link is missing"
  [ -e "$TMP/box/mine_abs" ] && fail "an absolute link was created"
  # The same with the box as a named preopen and the program told to use it by path.
  true
}

# ---- Modules in the text format (no C compiler needed; see tests/programs/wat).
W=$SRC/wat
case_wat_hello() {
  run "$TMP/r" "$WTRUN" "$W/hello.wat"
  expect_status 0
  expect_file "$TMP/r.out" "hello from wat"
}

case_wat_exit_in_start() {  # proc_exit during the start function
  run "$TMP/r" "$WTRUN" "$W/exit_in_start.wat"
  expect_status 7
  [ -s "$TMP/r.err" ] && fail "stderr not empty"
}

case_wat_reactor() {  # _initialize before --invoke; proc_exit in _initialize
  run "$TMP/r" "$WTRUN" --invoke get "$W/reactor.wat"
  expect_status 0
  expect_file "$TMP/r.out" "init
42"
  run "$TMP/r" "$WTRUN" --invoke add "$W/reactor.wat" 5
  expect_file "$TMP/r.out" "init
47"
  run "$TMP/r" "$WTRUN" --invoke get "$W/reactor_exit.wat"
  expect_status 9
  [ -s "$TMP/r.out" ] && fail "stdout not empty"
}

case_wat_unknown_imports() {
  run "$TMP/r" "$WTRUN" "$W/unknown_imports.wat"
  expect_status 1
  grep -q "unknown import: env::missing_f has not been defined" "$TMP/r.err" ||
    fail "no unknown import error"
  run "$TMP/r" "$WTRUN" --default-values-unknown-imports --invoke sum "$W/unknown_imports.wat"
  expect_status 0
  expect_file "$TMP/r.out" "0"
  run "$TMP/r" "$WTRUN" --trap-unknown-imports --invoke sum "$W/unknown_imports.wat"
  expect_status 134
  grep -q "unknown import \`env::missing_g\` has not been defined" "$TMP/r.err" ||
    fail "the trap does not name the import"
  # Defined but never called: traps are only raised when called.
  run "$TMP/r" "$WTRUN" --trap-unknown-imports --invoke unused "$W/unknown_imports.wat"
  expect_status 0
  expect_file "$TMP/r.out" "5"
}

case_wat_preload() {
  run "$TMP/r" "$WTRUN" --preload lib="$W/preload_lib.wat" --invoke twice "$W/preload_main.wat" 21
  expect_status 0
  expect_file "$TMP/r.out" "lib ready
42"
  run "$TMP/r" "$WTRUN" --preload=lib="$W/missing.wat" --invoke twice "$W/preload_main.wat" 1
  expect_status 1
  run "$TMP/r" "$WTRUN" --preload "$W/preload_lib.wat" "$W/preload_main.wat"
  expect_status 2
  grep -q "is not NAME=FILE" "$TMP/r.err" || fail "no NAME=FILE error"
}

case_wat_sigpipe() {  # a guest writing into a closed pipe sees EPIPE, exits normally
  run "$TMP/r" bash -c "'$WTRUN' '$W/epipe.wat' | true; echo \${PIPESTATUS[0]}"
  expect_file "$TMP/r.out" "64"
}

"case_$CASE"
exit $FAILED
