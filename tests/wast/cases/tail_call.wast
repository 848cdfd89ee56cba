;; [wasm3] tail calls (src/jit/compiler_tailcall.h, docs/tail-calls.md): in place (the callee's
;; frame replaces the caller's) when the callee's params and results fit the caller's incoming
;; area, else a call and a return; through FuncRefs in place only within one instance.

;; A module of another instance, with memory (its memory base must be its own when it runs)
;; and the stack-argument-heavy functions tail calls reach.
(module $lib
  (memory (export "mem") 1)
  (data (i32.const 0) "\2a")
  (func $peek (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func $sum6 (export "sum6") (param i32 i64 f32 f64 i32 i64) (result i64)
    (i64.add
      (i64.add (i64.extend_i32_u (local.get 0)) (local.get 1))
      (i64.add (i64.trunc_f32_s (local.get 2))
               (i64.add (i64.trunc_f64_s (local.get 3))
                        (i64.add (i64.extend_i32_u (local.get 4)) (local.get 5))))))
  (table (export "tab") 2 funcref)
  (elem (i32.const 0) $peek $sum6)
)
(register "lib" $lib)

(module $m
  (import "lib" "peek" (func $lib_peek (param i32) (result i32)))
  (import "lib" "sum6" (func $lib_sum6 (param i32 i64 f32 f64 i32 i64) (result i64)))
  (import "lib" "tab" (table $ltab 2 funcref))
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (memory 1)
  (data (i32.const 0) "\07")
  (type $t_peek (func (param i32) (result i32)))
  (type $t_sum6 (func (param i32 i64 f32 f64 i32 i64) (result i64)))
  (type $t_i64 (func (param i64) (result i64)))
  (table $tab 8 funcref)
  (elem (table $tab) (i32.const 0) func $sum6 $count $peek $lib_peek $lib_sum6)

  (func $sum6 (param i32 i64 f32 f64 i32 i64) (result i64)
    (i64.add
      (i64.add (i64.extend_i32_u (local.get 0)) (local.get 1))
      (i64.add (i64.trunc_f32_s (local.get 2))
               (i64.add (i64.trunc_f64_s (local.get 3))
                        (i64.add (i64.extend_i32_u (local.get 4)) (local.get 5))))))
  (func $peek (param i32) (result i32) (i32.load8_u (local.get 0)))

  ;; Fewer args than the caller's area: in place.
  (func (export "shrink") (param i32 i64 f32 f64 i32 i64) (result i64)
    (return_call $count (local.get 1)))
  ;; More args than the caller's area: call and return.
  (func (export "grow") (param i64) (result i64)
    (return_call $sum6 (i32.const 1) (local.get 0) (f32.const 3.5) (f64.const 4.5)
                       (i32.const 5) (i64.const 6)))
  ;; Arguments permuted from our own params (each read before any is overwritten).
  (func $rot (export "rot") (param i32 i64 f32 f64 i32 i64) (result i64)
    (if (result i64) (i32.eqz (local.get 0))
      (then (call $sum6 (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4)
                        (local.get 5)))
      (else (return_call $rot (i32.sub (local.get 0) (i32.const 1)) (local.get 5)
                              (f32.convert_i64_s (local.get 1)) (f64.promote_f32 (local.get 2))
                              (local.get 4) (i64.trunc_f64_s (local.get 3))))))
  (func $count (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 0))
      (else (return_call $count (i64.sub (local.get 0) (i64.const 1))))))

  ;; Imports (another instance: call and return), its memory is its own.
  (func (export "import_peek") (param i32) (result i32) (return_call $lib_peek (local.get 0)))
  (func (export "import_sum6") (result i64)
    (return_call $lib_sum6 (i32.const 1) (i64.const 2) (f32.const 3) (f64.const 4) (i32.const 5)
                           (i64.const 6)))
  ;; A host function.
  (func (export "host") (param i32) (return_call $print_i32 (local.get 0)))

  ;; Through tables: same instance (in place) and other instance (call and return).
  (func (export "indirect_peek") (param i32 i32) (result i32)
    (return_call_indirect $tab (type $t_peek) (local.get 0) (local.get 1)))
  (func (export "indirect_count") (param i64) (result i64)
    (return_call_indirect $tab (type $t_i64) (local.get 0) (i32.const 1)))
  (func (export "indirect_sum6") (param i32) (result i64)
    (return_call_indirect $tab (type $t_sum6) (i32.const 1) (i64.const 2) (f32.const 3)
                          (f64.const 4) (i32.const 5) (i64.const 6) (local.get 0)))
  (func (export "lib_table_peek") (param i32) (result i32)
    (return_call_indirect $ltab (type $t_peek) (local.get 0) (i32.const 0)))

  ;; return_call_ref.
  (elem declare func $peek $count)
  (func (export "ref_count") (param i64) (result i64)
    (return_call_ref $t_i64 (local.get 0) (ref.func $count)))
  (func (export "ref_null") (param i32) (result i32)
    (return_call_ref $t_peek (local.get 0) (ref.null $t_peek)))

  ;; Multiple results: same layout (in place), and a callee with more params (call and return).
  (func $pair (param i32 i32) (result i32 i64 f64)
    (local.get 0) (i64.extend_i32_u (local.get 1)) (f64.convert_i32_u (local.get 1)))
  (func $pair3 (param i32 i32 i32) (result i32 i64 f64)
    (local.get 0) (i64.extend_i32_u (i32.add (local.get 1) (local.get 2))) (f64.const 0.5))
  (func (export "multi_same") (param i32 i32) (result i32 i64 f64)
    (return_call $pair (local.get 1) (local.get 0)))
  (func (export "multi_grow") (param i32 i32) (result i32 i64 f64)
    (return_call $pair3 (local.get 1) (local.get 0) (i32.const 100)))
  (func (export "multi_shrink") (param i32 i32 i32) (result i32 i64 f64)
    (return_call $pair (local.get 2) (local.get 0)))

  ;; v128 params.
  (func $vsum (param v128 i32) (result i32)
    (i32.add (i32x4.extract_lane 3 (local.get 0)) (local.get 1)))
  (func (export "v128") (param i32) (result i32)
    (return_call $vsum (i32x4.splat (local.get 0)) (i32.const 1)))

  ;; externref params through tail calls (the GC's stack maps).
  (func $keep (param externref i32) (result externref) (local.get 0))
  (func (export "extern") (param externref) (result externref)
    (return_call $keep (local.get 0) (i32.const 3)))

  ;; Traps in a tail-called function.
  (func $div (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
  (func (export "trap") (param i32) (result i32) (return_call $div (i32.const 1) (local.get 0)))

  ;; 10^8 mutual tail calls between different signatures of the same area size: constant stack.
  (func $ping (export "ping") (param i64 f64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.trunc_f64_s (local.get 1)))
      (else (return_call $pong (i32.wrap_i64 (local.get 0)) (i64.sub (local.get 0) (i64.const 1))))))
  (func $pong (param i32 i64) (result i64)
    (return_call $ping (local.get 1) (f64.convert_i32_u (local.get 0))))
)

(assert_return (invoke "shrink" (i32.const 0) (i64.const 1000) (f32.const 0) (f64.const 0)
                                (i32.const 0) (i64.const 0)) (i64.const 0))
(assert_return (invoke "grow" (i64.const 2)) (i64.const 21))
(assert_return (invoke "rot" (i32.const 5) (i64.const 1) (f32.const 2) (f64.const 3) (i32.const 4)
                             (i64.const 5)) (i64.const 15))
(assert_return (invoke "import_peek" (i32.const 0)) (i32.const 42))
(assert_return (invoke "import_sum6") (i64.const 21))
(assert_return (invoke "host" (i32.const 7)))
(assert_return (invoke "indirect_peek" (i32.const 0) (i32.const 2)) (i32.const 7))
(assert_return (invoke "indirect_peek" (i32.const 0) (i32.const 3)) (i32.const 42))
(assert_return (invoke "indirect_count" (i64.const 1_000_000)) (i64.const 0))
(assert_return (invoke "indirect_sum6" (i32.const 0)) (i64.const 21))
(assert_return (invoke "indirect_sum6" (i32.const 4)) (i64.const 21))
(assert_trap (invoke "indirect_sum6" (i32.const 1)) "indirect call type mismatch")
(assert_trap (invoke "indirect_sum6" (i32.const 5)) "uninitialized element")
(assert_trap (invoke "indirect_sum6" (i32.const 8)) "undefined element")
(assert_return (invoke "lib_table_peek" (i32.const 0)) (i32.const 42))
(assert_return (invoke "ref_count" (i64.const 1_000_000)) (i64.const 0))
(assert_trap (invoke "ref_null" (i32.const 0)) "null")
(assert_return (invoke "multi_same" (i32.const 3) (i32.const 4))
               (i32.const 4) (i64.const 3) (f64.const 3))
(assert_return (invoke "multi_grow" (i32.const 3) (i32.const 4))
               (i32.const 4) (i64.const 103) (f64.const 0.5))
(assert_return (invoke "multi_shrink" (i32.const 3) (i32.const 4) (i32.const 5))
               (i32.const 5) (i64.const 3) (f64.const 3))
(assert_return (invoke "v128" (i32.const 41)) (i32.const 42))
(assert_return (invoke "extern" (ref.extern 5)) (ref.extern 5))
(assert_return (invoke "trap" (i32.const 1)) (i32.const 1))
(assert_trap (invoke "trap" (i32.const 0)) "integer divide by zero")
(assert_return (invoke "ping" (i64.const 100_000_000) (f64.const 0)) (i64.const 1))

;; Growing tail calls through adapter frames (docs/tail-calls.md): a tail call to a function
;; with more params than the caller's area holds, one result at most.
(module $grow
  ;; a (1 slot) <-> b (3 slots): a -> b builds an adapter once, later ones reuse it.
  (func $a (export "a") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 7))
      (else (return_call $b (local.get 0) (i64.const 1) (i32.const 2)))))
  (func $b (param i64 i64 i32) (result i64)
    (return_call $a (i64.sub (local.get 0) (local.get 1))))
  ;; c1 (0 slots) -> c2 (2) -> c3 (6, with a v128) -> c1: the adapter is rebuilt larger once.
  (global $n (mut i64) (i64.const 0))
  (func $c1 (result i64) (return_call $c2 (global.get $n) (i64.const 2)))
  (func $c2 (param i64 i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (local.get 1))
      (else (return_call $c3 (local.get 0) (local.get 1) (f64.const 1) (i32.const 3)
                             (v128.const i32x4 1 2 3 4)))))
  (func $c3 (param i64 i64 f64 i32 v128) (result i64)
    (global.set $n (i64.sub (local.get 0) (i64.const 1)))
    (if (i32.ne (i32x4.extract_lane 3 (local.get 4)) (i32.const 4)) (then unreachable))
    (return_call $c1))
  (func (export "run_c") (param i64) (result i64)
    (global.set $n (local.get 0))
    (call $c1))
  ;; A callee entered through an adapter calls, computes and returns a float.
  (func (export "g1") (param i32) (result f64)
    (return_call $g2 (local.get 0) (i32.const 5) (f64.const 0.5)))
  (func $g2 (param i32 i32 f64) (result f64)
    (f64.add (local.get 2) (f64.convert_i32_u (call $sq (i32.add (local.get 0) (local.get 1))))))
  (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  ;; A trap below an adapter.
  (func (export "t1") (param i32) (result i32)
    (return_call $t2 (local.get 0) (i32.const 0) (i32.const 0)))
  (func $t2 (param i32 i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
  ;; Our reference param would be overwritten by a non-reference: an adapter, our caller's area
  ;; stays as it is.
  (func (export "ref_arg") (param externref i64) (result i64)
    (return_call $b (local.get 1) (i64.const 1) (i32.const 0)))
)
(assert_return (invoke "a" (i64.const 0)) (i64.const 7))
(assert_return (invoke "a" (i64.const 5)) (i64.const 7))
(assert_return (invoke "a" (i64.const 10_000_000)) (i64.const 7))
(assert_return (invoke "run_c" (i64.const 0)) (i64.const 2))
(assert_return (invoke "run_c" (i64.const 1_000_000)) (i64.const 2))
(assert_return (invoke "g1" (i32.const 1)) (f64.const 36.5))
(assert_trap (invoke "t1" (i32.const 1)) "integer divide by zero")
(assert_return (invoke "ref_arg" (ref.extern 1) (i64.const 1000)) (i64.const 7))

;; Growing tail calls through tables and refs (same instance: adapters; another instance: call
;; and return).
(module $grow_indirect
  (import "lib" "sum6" (func $lib_sum6 (param i32 i64 f32 f64 i32 i64) (result i64)))
  (type $t1 (func (param i64) (result i64)))
  (type $t3 (func (param i64 i64 i32) (result i64)))
  (type $t6 (func (param i32 i64 f32 f64 i32 i64) (result i64)))
  (table $tab 4 funcref)
  (elem (table $tab) (i32.const 0) func $a $b $lib_sum6)
  (elem declare func $b)
  (func $a (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 7))
      (else (return_call_indirect $tab (type $t3) (local.get 0) (i64.const 1) (i32.const 2)
                                  (i32.const 1)))))
  (func $b (param i64 i64 i32) (result i64)
    (return_call_indirect $tab (type $t1) (i64.sub (local.get 0) (local.get 1)) (i32.const 0)))
  (func (export "a") (param i64) (result i64) (return_call $a (local.get 0)))
  (func $r (export "r") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 9))
      (else (return_call_ref $t3 (local.get 0) (i64.const 1) (i32.const 0) (ref.func $b2)))))
  (elem declare func $b2)
  (func $b2 (param i64 i64 i32) (result i64)
    (return_call $r (i64.sub (local.get 0) (local.get 1))))
  (func (export "other") (result i64)
    (return_call_indirect $tab (type $t6) (i32.const 1) (i64.const 2) (f32.const 3) (f64.const 4)
                          (i32.const 5) (i64.const 6) (i32.const 2)))
)
(assert_return (invoke "a" (i64.const 1_000_000)) (i64.const 7))
(assert_return (invoke "r" (i64.const 1_000_000)) (i64.const 9))
(assert_return (invoke "other") (i64.const 21))

;; Tail calls between instances (through adapters: the adapter's return point gives the
;; original caller its vmctx and memory back): A.f -> B.g -> A.f ... through a shared table.
(module $xa
  (type $t (func (param i64) (result i64)))
  (memory 1)
  (data (i32.const 0) "\05")
  (table (export "tab") 2 funcref)
  (elem (i32.const 0) $f)
  (func $f (export "f") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.load8_u (i32.const 0)))  ;; A's memory
      (else (return_call_indirect (type $t) (i64.sub (local.get 0) (i64.const 1)) (i32.const 1)))))
  ;; Our memory base and vmctx after a cross-instance tail chain that ended in A or B.
  (func (export "check") (param i64) (result i64)
    (i64.add (call $f (local.get 0)) (i64.load8_u (i32.const 0))))
)
(register "xa" $xa)
(module $xb
  (type $t (func (param i64) (result i64)))
  (import "xa" "tab" (table 2 funcref))
  (memory 1)
  (data (i32.const 0) "\09")
  (elem (i32.const 1) $g)
  (func $g (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.load8_u (i32.const 0)))  ;; B's memory
      (else (return_call_indirect (type $t) (i64.sub (local.get 0) (i64.const 1)) (i32.const 0)))))
  (func (export "check") (param i64) (result i64)
    (i64.add (call $g (local.get 0)) (i64.load8_u (i32.const 0))))
)
(assert_return (invoke $xa "f" (i64.const 0)) (i64.const 5))
(assert_return (invoke $xa "f" (i64.const 1)) (i64.const 9))
(assert_return (invoke $xa "f" (i64.const 1_000_000)) (i64.const 5))
(assert_return (invoke $xa "check" (i64.const 7)) (i64.const 14))
(assert_return (invoke $xa "check" (i64.const 8)) (i64.const 10))
(assert_return (invoke $xb "check" (i64.const 7)) (i64.const 14))
(assert_return (invoke $xb "check" (i64.const 8)) (i64.const 18))

;; Args written straight to the incoming area: params passed in other positions (swaps), and
;; params cached (and dirty) in registers inside a loop.
(module $direct
  (func $sub (param i64 i64 i64) (result i64)
    (i64.sub (i64.mul (local.get 0) (i64.const 100)) (i64.add (local.get 1) (local.get 2))))
  (func (export "rot") (param i64 i64 i64) (result i64)
    (return_call $sub (local.get 1) (local.get 2) (local.get 0)))
  (func (export "rot2") (param i64 i64 i64) (result i64)
    (return_call $sub (local.get 2) (local.get 0) (local.get 1)))
  (func (export "same") (param i64 i64 i64) (result i64)
    (return_call $sub (local.get 0) (local.get 1) (local.get 2)))
  (func (export "looped") (param i64 i64 i64) (result i64)
    (loop $l
      (local.set 0 (i64.add (local.get 0) (i64.const 1)))
      (local.set 2 (i64.add (local.get 2) (local.get 0)))
      (br_if $l (i64.lt_u (local.get 0) (i64.const 3))))
    (return_call $sub (local.get 1) (local.get 2) (local.get 0)))
)
(assert_return (invoke "rot" (i64.const 1) (i64.const 2) (i64.const 3)) (i64.const 196))
(assert_return (invoke "rot2" (i64.const 1) (i64.const 2) (i64.const 3)) (i64.const 297))
(assert_return (invoke "same" (i64.const 1) (i64.const 2) (i64.const 3)) (i64.const 95))
(assert_return (invoke "looped" (i64.const 0) (i64.const 5) (i64.const 0)) (i64.const 491))
