;; [wasmgc] GC values as both sides print them (node 24's V8 13.6; selftest.sh skips this with an
;; older node): structs and arrays as "other", i31s by value, typed function references as
;; their index, logged references (log-anyref / log-funcref / log-externref), the JS type
;; errors (an exnref or a non-nullable reference in the signature: "exception" before the
;; function runs), exnref globals ("exnref:null" / non-null), a non-nullable imported extern
;; global, an export with a v128 and a module type (V8 calls it through a wrapper that copies
;; the type section), the GC traps, and a host exception caught by catch_all (V8: a JS
;; exception is a wasm exception of WebAssembly.JSTag).
;; expect-verdict: agree
;; expect-line: result ref:other
;; expect-line: result ref:i31:-5
;; expect-line: result externref:i31:9
;; expect-line: log ref:i31:1073741823
;; expect-line: log ref:other
;; expect-line: log externref:0
;; expect-line: log funcref:8
;; expect-line: result ref:func:8
;; expect-line: trap cast failure
;; expect-line: trap null structure reference
;; expect-line: trap out of bounds array access
;; expect-line: globals ref:0 exnref:tag tag 0 (i32:42) ref:other
;; expect-line: result i32:11
;; expect-line: result i32:3 v128:0x00000000000000000000000000000007
(module
  (import "fuzzing-support" "log-anyref" (func $log_any (param anyref)))
  (import "fuzzing-support" "log-funcref" (func $log_func (param funcref)))
  (import "fuzzing-support" "log-externref" (func $log_extern (param externref)))
  (import "fuzzing-support" "throw" (func $throw (param i32)))
  (import "__fuzz_import" "extern$" (global $host (ref extern)))
  (rec
    (type $s (sub (struct (field (mut i32)))))
    (type $t (sub $s (struct (field (mut i32)) (field i64)))))
  (type $a (array (mut i8)))
  (type $f (func (result i32)))
  (tag $e (param i32))
  (global $exn (mut exnref) (ref.null exn))
  (global $obj (mut (ref null $s)) (ref.null $s))
  (func (export "struct") (result anyref) (struct.new $s (i32.const 1)))
  (func (export "i31") (result i31ref) (ref.i31 (i32.const -5)))
  (func (export "externalized") (result externref) (extern.convert_any (ref.i31 (i32.const 9))))
  (func (export "logs")
    (call $log_any (ref.i31 (i32.const 0x3fffffff)))
    (call $log_any (array.new_default $a (i32.const 3)))
    (call $log_extern (global.get $host))
    (call $log_func (ref.func $seven)))
  (func $seven (export "seven") (type $f) (i32.const 7))
  (func (export "typed") (result (ref $f)) (ref.func $seven))
  (func (export "exn-param") (param exnref))
  (func (export "non-null-param") (param (ref $s)) (global.set $obj (local.get 0)))
  (func (export "catch")
    (block $h (result i32 exnref)
      (try_table (catch_ref $e $h) (throw $e (i32.const 42)))
      (return))
    (global.set $exn)
    (drop)
    (global.set $obj (struct.new $t (i32.const 2) (i64.const 3))))
  (func (export "catch-host") (result i32)
    (block $h
      (try_table (catch_all $h) (call $throw (i32.const 0)))
      (return (i32.const 10)))
    (i32.const 11))
  (func (export "cast") (result i32)
    (struct.get $t 0 (ref.cast (ref $t) (struct.new $s (i32.const 1)))))
  (func (export "null") (result i32) (struct.get $s 0 (ref.null $s)))
  (func (export "oob") (result i32) (array.get_u $a (array.new_default $a (i32.const 2)) (i32.const 2)))
  (func (export "v128-and-type") (param (ref null $s)) (result i32 v128)
    (i32.add (i32.const 2) (ref.is_null (local.get 0)))
    (i32x4.replace_lane 0 (v128.const i64x2 0 0) (i32.const 7))))
