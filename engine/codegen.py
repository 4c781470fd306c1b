"""Generating Python source at load time, so a case is evaluated by straight-line code, not closures.

The closures that ``expressions.py`` and ``conditions.py`` build stay the reference: each may carry
an ``emit(writer) -> str`` that writes the same computation as one Python expression.  A compiled
function runs the generated code and, on any exception, calls the closure it was made from, so every
error (its type, its message with the expression text) is exactly the closure's; the generated code
only ever has to be right on the success path.

What a drafter writes never becomes code: the source is generated from checked syntax nodes, and
every constant, name and helper is a bound variable of the generated function (``k0``, ``k1``, ...),
never a re-serialised literal.  Set ``LANSHAN_CODEGEN=off`` to use the closures alone (the
equivalence test compares both).
"""
from __future__ import annotations

import collections
import itertools
import os
import sys
from collections.abc import Callable
from typing import Any

# the generated code reads only these; everything else it uses is a bound variable
_BUILTINS = {"type": type, "dict": dict, "str": str, "len": len, "bool": bool, "abs": abs, "Exception": Exception}
_SERIAL = itertools.count(1)
_NAMESPACES = {"facts": "F", "params": "P", "derived": "D", "quantities": "Q", "element": "E"}
# compiled code by its source: constants are bound, not written, so rules of the same shape share
# one source (the bundled policies compile 176 distinct sources for 2,003 functions)
_COMPILED: dict[str, Any] = {}
_COMPILED_MAX = 10_000


# generated code that raised where its closure did not, by label and exception: a bug of this module
# that costs only time (the closure's answer is used); the tests require that it never happens
NEEDLESS: collections.Counter[str] = collections.Counter()


def enabled() -> bool:
    """Tell whether policies loaded now get generated code (``LANSHAN_CODEGEN=off``: closures only)."""
    return os.environ.get("LANSHAN_CODEGEN", "on") != "off"


def emits(fn: Callable[..., Any], emit: Callable[[Writer], str]) -> Callable[..., Any]:
    """Attach to an evaluator the writer of its generated source, and return the evaluator."""
    fn.emit = emit  # type: ignore[attr-defined]
    return fn


class Writer:
    """Collects what one generated function binds: constants, helpers and temporaries."""

    def __init__(self) -> None:
        self.values: list[Any] = []
        self.names: dict[Any, str] = {}  # a bound value's identity (a text: its value) -> its name
        self.temps = 0
        self.namespaces: dict[str, None] = {}
        self.reads: dict[str, str] = {}  # code of a read of the case -> the local computed at the start

    def bind(self, value: Any) -> str:
        """Return the name under which the generated code sees a value."""
        if value is None or value is True or value is False:
            return repr(value)
        key = ("text", value) if type(value) is str else id(value)  # values are kept alive in self.values
        name = self.names.get(key)
        if name is None:
            name = self.names[key] = f"k{len(self.values)}"
            self.values.append(value)
        return name

    def temp(self) -> str:
        """Return a fresh local variable name."""
        self.temps += 1
        return f"t{self.temps}"

    def env(self, namespace: str) -> str:
        """Return the local that holds ``env.<namespace>`` (read once, when the function starts)."""
        self.namespaces[namespace] = None
        return _NAMESPACES[namespace]

    def read(self, code: str) -> str:
        """Return a local computed once, when the function starts, for a read of the case.

        Only for code that cannot raise and reads what does not change during a call (a fact, a
        parameter, a derived value or a quantity, below dict checks), so reading it early is unseen.
        """
        local = self.reads.get(code)
        if local is None:
            local = self.reads[code] = f"r{len(self.reads)}"
        return local

    def expr(self, fn: Callable[..., Any]) -> str:
        """Return the source of an evaluator: its own emitted code, or a call of the closure itself."""
        emit = getattr(fn, "emit", None)
        return f"({emit(self)})" if emit is not None else f"{self.bind(fn)}(env)"

    def function(self, body: list[str], fallback: Callable[..., Any] | None,
                 label: str = "expression", args: str = "env") -> Callable[..., Any] | None:
        """Compile ``def generated(<args>)`` from body lines; with a fallback, any exception calls it instead.

        ``label`` names the function for profilers (a file name ``<engine.codegen N: label>``).

        Returns None when the source does not compile (too deeply nested): the caller keeps its closures.
        """
        prologue = [f"{_NAMESPACES[n]} = env.{n}" for n in self.namespaces]
        prologue += [f"{local} = {code}" for code, local in self.reads.items()]
        lines = prologue + body
        if fallback is not None:
            fallback_name = self.bind(recovery(fallback, label))
            lines = ["try:", *("    " + line for line in lines), "except Exception:",
                     f"    return {fallback_name}({args})"]
        params = ", ".join(f"k{i}" for i in range(len(self.values)))
        source = "\n".join([f"def make({params}):", f"    def generated({args}):",
                            *("        " + line for line in lines), "    return generated", ""])
        namespace: dict[str, Any] = {"__builtins__": _BUILTINS}
        try:
            code = _COMPILED.get(source)
            if code is None:
                code = compile(source, f"<engine.codegen {next(_SERIAL)}: {label}>", "exec")
                if len(_COMPILED) >= _COMPILED_MAX:
                    _COMPILED.clear()
                _COMPILED[source] = code
            exec(code, namespace)  # noqa: S102 - our source, see above
        except (SyntaxError, RecursionError, MemoryError, ValueError):
            return None
        generated = namespace["make"](*self.values)
        generated.source = source
        return generated


def recovery(fallback: Callable[..., Any], label: str) -> Callable[..., Any]:
    """Wrap the closure that takes over when generated code raises, counting the times it then succeeds."""
    def recover(*args: Any) -> Any:
        error = sys.exc_info()[1]
        result = fallback(*args)  # normally raises the reference error
        NEEDLESS[f"{label}: {error!r}"[:300]] += 1
        return result

    return recover


def compile_evaluator(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Return a generated function equivalent to an evaluator closure, or the closure when none can be made."""
    if not enabled() or getattr(fn, "emit", None) is None:
        return fn
    w = Writer()
    try:
        code = w.expr(fn)
    except RecursionError:
        return fn
    generated = w.function([f"return {code}"], fallback=fn)
    if generated is None:
        return fn
    generated.emit = fn.emit  # type: ignore[attr-defined]  # still composable into larger generated functions
    return generated
