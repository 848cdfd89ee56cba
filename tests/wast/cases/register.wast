;; register, imports between instances, named modules, module definitions and instances.
(module $A
  (memory (export "mem") 1)
  (global (export "counter") (mut i32) (i32.const 0))
  (table (export "tab") 2 funcref)
  (func $seven (export "seven") (result i32) (i32.const 7))
  (elem (i32.const 0) $seven)
  (func (export "inc") (result i32)
    (global.set 0 (i32.add (global.get 0) (i32.const 1)))
    (global.get 0))
  (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0)))
)
(register "A" $A)

(module $B
  (import "A" "seven" (func $seven (result i32)))
  (import "A" "inc" (func $inc (result i32)))
  (import "A" "mem" (memory 1))
  (import "A" "counter" (global $counter (mut i32)))
  (import "A" "tab" (table 2 funcref))
  (import "spectest" "global_i32" (global $sg i32))
  (type $r (func (result i32)))
  (func (export "eight") (result i32) (i32.add (call $seven) (i32.const 1)))
  (func (export "inc") (result i32) (call $inc))
  (func (export "poke") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "counter") (result i32) (global.get $counter))
  (func (export "set_counter") (param i32) (global.set $counter (local.get 0)))
  (func (export "call_tab") (param i32) (result i32) (call_indirect (type $r) (local.get 0)))
  (func (export "spectest") (result i32) (global.get $sg))
)

;; $B is the current module now; $A stays reachable by name.
(assert_return (invoke "eight") (i32.const 8))
(assert_return (invoke $A "seven") (i32.const 7))
(assert_return (invoke "call_tab" (i32.const 0)) (i32.const 7))
(assert_trap (invoke "call_tab" (i32.const 1)) "uninitialized element")
(assert_return (invoke "spectest") (i32.const 666))

;; Memory and globals are shared, not copied.
(invoke "poke" (i32.const 10) (i32.const 99))
(assert_return (invoke $A "peek" (i32.const 10)) (i32.const 99))
(assert_return (invoke "inc") (i32.const 1))
(assert_return (invoke $A "inc") (i32.const 2))
(assert_return (invoke "counter") (i32.const 2))
(invoke "set_counter" (i32.const 40))
(assert_return (get $A "counter") (i32.const 40))

;; Registering under a second name, and registering the current module.
(register "A2" $A)
(module (import "A2" "seven" (func (result i32))) (func (export "x") (result i32) (call 0)))
(register "C")
(module (import "C" "x" (func $x (result i32))) (func (export "y") (result i32) (call $x)))
(assert_return (invoke "y") (i32.const 7))

;; Link errors.
(assert_unlinkable (module (import "A" "missing" (func))) "unknown import")
(assert_unlinkable (module (import "Z" "seven" (func (result i32)))) "unknown import")
(assert_unlinkable (module (import "A" "seven" (func (result i64)))) "incompatible import type")
(assert_unlinkable (module (import "A" "mem" (func))) "incompatible import type")
(assert_unlinkable (module (import "A" "counter" (global i32))) "incompatible import type")

;; Module definitions are instantiated on demand, each instance with its own state.
(module definition $D
  (global $g (mut i32) (i32.const 100))
  (func (export "next") (result i32)
    (global.set $g (i32.add (global.get $g) (i32.const 1)))
    (global.get $g)))
(module instance $d1 $D)
(module instance $d2 $D)
(assert_return (invoke $d1 "next") (i32.const 101))
(assert_return (invoke $d1 "next") (i32.const 102))
(assert_return (invoke $d2 "next") (i32.const 101))
(assert_return (invoke "next") (i32.const 102))
