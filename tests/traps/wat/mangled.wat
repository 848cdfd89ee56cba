;; Mangled names in the name section are demangled: C++, Rust legacy, Rust v0.
(module
  (func $_ZN5hello6divide17h0123456789abcdefE (param i32) (result i32)
    (i32.div_u (i32.const 1) (local.get 0)))
  (func $_RNvCs1234_5hello3mid (param i32) (result i32)
    (call $_ZN5hello6divide17h0123456789abcdefE (local.get 0)))
  (func $_Z4mainv (result i32) (call $_RNvCs1234_5hello3mid (i32.const 0)))
  (func (export "_start") (drop (call $_Z4mainv))))
