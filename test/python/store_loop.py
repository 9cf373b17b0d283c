"""The smallest chunked program, shared by the tests of the command-line tools."""


def store_loop(name: str = "f", loop_attrs: str = "pl.chunk = 4") -> str:
    """`func.func @name(%a: memref<?xf32>, %n: index)` that stores 1.0 into a[0 .. n) in one
    loop carrying `loop_attrs`."""
    return f"""func.func @{name}(%a: memref<?xf32>, %n: index) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %n step %c1 {{
    memref.store %one, %a[%i] : memref<?xf32>
  }} {{{loop_attrs}}}
  return
}}
"""
