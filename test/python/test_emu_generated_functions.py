"""The emulator's helper functions (lowering/emu/generated_functions.py): built with the op
builders or from MLIR text; text is verified where it is made, and a generator's error names
the helper there, not at the end of the instrumentation."""

from __future__ import annotations

import pytest
from mlir import ir
from mlir.dialects import arith, func

from pypto_mlir.dialect.context import make_context
from pypto_mlir.dialect.ir_queries import block_ops, symbol_name
from pypto_mlir.lowering.emu import runtime_hooks
from pypto_mlir.lowering.emu.generated_functions import GeneratorError, Helpers


@pytest.fixture
def module():
    ctx = make_context(sink=lambda d: None)
    with ctx, ir.Location.unknown():
        yield ir.Module.parse("func.func @user() { return }", ctx)


def names(module) -> list[str]:
    return [symbol_name(op) for op in block_ops(module.body)]


def test_text_that_does_not_parse_is_an_error_naming_the_helper(module):
    helpers = Helpers(module.operation)
    bad = "func.func private @{name}(%a: i64) {{\n  %x = arith.addi %a, %a : i32\n  return\n}}"
    with pytest.raises(GeneratorError, match=r"@__pl_emu_broken_0 does not parse"):
        helpers.get(("broken",), lambda name: bad.format(name=name))
    assert names(module) == ["user"]  # nothing half-made joins the module


def test_text_may_call_the_hooks_and_the_helpers_made_before(module):
    helpers = Helpers(module.operation)
    helpers.add(
        "__pl_emu_g",
        'memref.global "private" @__pl_emu_g : memref<2xi64> = dense<0>',
    )
    hook = runtime_hooks.HOOK_GROUP_END
    hook_type = f"({', '.join(['i64'] * runtime_hooks.HOOKS[hook])}) -> ()"
    first = helpers.get(
        ("first",),
        lambda name: (
            f"func.func private @{name}(%a: i64) {{\n"
            f"  func.call @{hook}(%a) : {hook_type}\n"
            f"  %g = memref.get_global @__pl_emu_g : memref<2xi64>\n"
            f"  return\n}}"
        ),
    )
    second = helpers.get(
        ("second",),
        lambda name: (
            f"func.func private @{name}(%a: i64) {{\n"
            f"  func.call @{first}(%a) : (i64) -> ()\n  return\n}}"
        ),
    )
    assert helpers.get(("first",), lambda name: "not called again") == first
    # The hooks' declarations are not copied in: the instrumentation declares them itself.
    assert names(module) == ["user", "__pl_emu_g", first, second]


def test_built_helpers_are_made_once_and_callable_from_text(module):
    helpers = Helpers(module.operation)
    i64 = ir.IntegerType.get_signless(64)
    built = []

    def build(fn, entry):
        built.append(fn)
        func.ReturnOp([arith.addi(entry.arguments[0], entry.arguments[0])])

    ftype = ir.FunctionType.get([i64], [i64])
    name = helpers.function(("twice",), ftype, build)
    assert helpers.function(("twice",), ftype, build) == name and len(built) == 1
    caller = helpers.get(
        ("caller",),
        lambda n: (
            f"func.func private @{n}(%a: i64) -> i64 {{\n"
            f"  %r = func.call @{name}(%a) : (i64) -> i64\n  return %r : i64\n}}"
        ),
    )
    assert names(module) == ["user", name, caller]
    assert module.operation.verify()
