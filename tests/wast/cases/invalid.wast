;; Well-formed modules that do not validate.
(assert_invalid
  (module (func (result i32) (i64.const 1)))
  "type mismatch")
(assert_invalid
  (module (func (br 1)))
  "unknown label")
(assert_invalid
  (module (func (local.get 0)))
  "unknown local")
(assert_invalid
  (module (func (export "f")) (func (export "f")))
  "duplicate export name")
(assert_invalid
  (module binary
    "\00asm" "\01\00\00\00"
    "\01\04\01\60\00\00"            ;; type section: () -> ()
    "\03\02\01\01"                  ;; function section: type 1 does not exist
    "\0a\04\01\02\00\0b")
  "unknown type")
(assert_invalid
  (module definition (func (result i32)))
  "type mismatch")
