(module
  (table 2 funcref)
  (func $get (drop (table.get (i32.const 5))))
  (func (export "_start") (call $get)))
