;; Modules that are well-formed and valid, in every module form.
(module)
(module $named
  (type $t (func (param i32) (result i32)))
  (import "spectest" "print_i32" (func $print (param i32)))
  (memory 1)
  (table 2 funcref)
  (global $g (mut i32) (i32.const 7))
  (func $id (export "id") (type $t) (local.get 0))
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (elem (i32.const 0) $id)
  (data (i32.const 16) "hello")
)
(module binary
  "\00asm" "\01\00\00\00"
  "\01\05\01\60\00\01\7f"          ;; type section: () -> i32
  "\03\02\01\00"                    ;; function section: one function of type 0
  "\0a\06\01\04\00\41\2a\0b"        ;; code: i32.const 42, end
)
(module quote "(func (result i32) (i32.const 1))")
(module definition $def (func (export "f")))

;; Commands that run code on these modules.
(module $m
  (func (export "one") (result i32) (i32.const 1))
  (func (export "trap") (unreachable)))
(register "m" $m)
(invoke "one")
(assert_return (invoke "one") (i32.const 1))
(assert_trap (invoke "trap") "unreachable")
(assert_trap (module (func $t (unreachable)) (start $t)) "unreachable")
(assert_unlinkable (module (import "m" "nothing" (func))) "unknown import")
