;; Modules that do not follow the binary or the text format.
(assert_malformed (module binary "") "unexpected end")
(assert_malformed (module binary "\00asm") "unexpected end")
(assert_malformed (module binary "\00asm" "\02\00\00\00") "unknown binary version")
(assert_malformed (module binary "wasm" "\01\00\00\00") "magic header not detected")
(assert_malformed
  (module binary "\00asm" "\01\00\00\00" "\01\01")
  "unexpected end")
(assert_malformed (module quote "(func (i32.add") "unexpected end")
(assert_malformed (module quote "(func (nop.nop))") "unknown operator")
(assert_malformed (module quote "(memory 1 2 3)") "unexpected token")
(assert_malformed
  (module quote "(func $f) (func $f)")
  "duplicate func")
