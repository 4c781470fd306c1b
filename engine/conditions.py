"""Conditions: declarative tests over a case, reduced to atoms a backend can decide.

A condition is an expression of type true/false.  At load time it is put in negation normal form:
a tree of ``All`` / ``AnyOf`` over ``Test``s, where each ``Test`` compares one *atom field* with a
constant.  Python computes the atom fields of a case exactly (the sign, -1, 0 or 1, of the difference
of two numbers or dates; an enum string; a true/false flag), and a backend decides the tree.  So a
backend sees only integers, booleans and strings, whichever backend it is.
"""
from __future__ import annotations

import ast
import datetime
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import codegen
from .codegen import Writer, emits
from .expressions import (
    ANY,
    BOOL,
    DATE,
    NUMBER,
    STRING,
    Comparison,
    Compiler,
    Env,
    ExpressionError,
    dotted,
    literal,
    source_segment,
)


@dataclass(frozen=True)
class Test:
    """``field op value``; when the field is null (absent) the test is ``null_passes``."""

    field: str
    op: str  # == != < <= > >=
    value: Any
    null_passes: bool = False

    def negated(self) -> Test:
        return Test(self.field, _NEGATE[self.op], self.value, not self.null_passes)


@dataclass(frozen=True)
class All:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Node, ...]


Node = Test | All | AnyOf
ALWAYS: Node = All(())
NEVER: Node = AnyOf(())


@dataclass(frozen=True)
class Atom:
    """One field of the facts handed to a backend, and how Python computes it for a case."""

    field: str
    encode: Callable[[Env], Any]


@dataclass(frozen=True)
class Reason:
    """The original (not normalised) shape of a condition, kept to explain why it failed."""

    text: str
    kind: str  # and | or | not | leaf
    parts: tuple[Reason, ...] = ()
    test: Callable[[Env], bool] | None = None

    def failing(self, env: Env) -> str | None:
        """Return the text of the smallest part that makes the condition false, or None if it holds."""
        if self.kind == "leaf":
            assert self.test is not None
            return None if self.test(env) else self.text
        if self.kind == "not":
            return self.text if self.parts[0].failing(env) is None else None
        if self.kind == "and":
            for part in self.parts:
                failed = part.failing(env)
                if failed is not None:
                    return failed
            return None
        return None if any(p.failing(env) is None for p in self.parts) else self.text


@dataclass
class Condition:
    """A compiled condition: its tree, the atoms it needs, and how to explain a failure."""

    source: str
    tree: Node
    atoms: list[Atom]
    reason: Reason
    names: set[str] = field(default_factory=set)


class AtomNames:
    """Hands out atom fields within one case kind, sharing a field between rules that test the same thing.

    Forty rules that all ask ``property.legal_status in (...)`` share one field, computed once per case.
    ``scope`` is the list a ``for_each`` rule walks (None for the case), set before compiling its condition.
    """

    def __init__(self) -> None:
        self.count = 0
        self.scope: str | None = None
        self.known: dict[tuple[Any, ...], Atom] = {}

    def atom(self, key: tuple[Any, ...], encode: Callable[[Env], Any]) -> Atom:
        """Return the atom for what ``key`` computes in the current scope, creating it once."""
        full = (self.scope, *key)
        if full not in self.known:
            self.count += 1
            self.known[full] = Atom(f"a{self.count}", codegen.compile_evaluator(encode))
        return self.known[full]


def compile_condition(text: str, compiler: Compiler, names: AtomNames) -> Condition:
    """Compile a condition's text into its normal-form tree and atoms."""
    from .expressions import parse

    node = parse(text)
    atoms: list[Atom] = []
    used: set[str] = set()
    tree, reason = _build(node, compiler, names, atoms, used, negate=False)
    return Condition(text, tree, atoms, reason, used)


def _build(node: ast.expr, compiler: Compiler, names: AtomNames, atoms: list[Atom], used: set[str],
           negate: bool) -> tuple[Node, Reason]:
    text = source_segment(compiler.source, node) or compiler.source
    if isinstance(node, ast.BoolOp):
        built = [_build(v, compiler, names, atoms, used, negate) for v in node.values]
        parts = tuple(b[0] for b in built)
        is_and = isinstance(node.op, ast.And) != negate
        reason = Reason(text, "and" if isinstance(node.op, ast.And) else "or", tuple(b[1] for b in built))
        return (All(parts) if is_and else AnyOf(parts)), reason
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        tree, inner = _build(node.operand, compiler, names, atoms, used, not negate)
        return tree, Reason(text, "not", (inner,))
    is_const, value = literal(node, compiler.source)
    if is_const:
        if not isinstance(value, bool):
            raise ExpressionError(f"“{text}”不是条件（应为真/假）", node.col_offset)
        return (ALWAYS if value != negate else NEVER), Reason(text, "leaf", test=_constant(bool(value)))
    if isinstance(node, ast.Compare):
        comparison = compiler.comparison(node)
        used |= comparison.names
        operands = (ast.dump(node.left), ast.dump(node.comparators[0]))
        tree = _comparison_tree(comparison, operands, names, atoms)
        return (_negate(tree) if negate else tree), Reason(text, "leaf", test=comparison.evaluate)
    if dotted(node) is not None:
        kind, getter, n = compiler.resolve(node)
        if kind not in (BOOL, ANY):
            raise ExpressionError(f"“{text}”不是条件（应为真/假），请写出比较", node.col_offset)
        used |= n
        atom = names.atom(("true", ast.dump(node)), _is_true(getter))
        atoms.append(atom)
        return Test(atom.field, "==", not negate), Reason(text, "leaf", test=_is_true(getter))
    raise ExpressionError(f"“{text}”不是条件（应为比较、and、or 或 not）", node.col_offset)


def _constant(value: bool) -> Callable[[Env], bool]:
    return lambda env: value


def _is_true(getter: Callable[[Env], Any]) -> Callable[[Env], bool]:
    return emits(lambda env: getter(env) is True, lambda w: f"{w.expr(getter)} is True")


def _comparison_tree(c: Comparison, operands: tuple[str, str], names: AtomNames, atoms: list[Atom]) -> Node:
    left, right = operands
    if c.op in ("is null", "is not null"):
        subject = right if left == ast.dump(ast.Name("null", ast.Load())) else left
        atom = names.atom(("null", subject), _is_null(c.left))
        atoms.append(atom)
        return Test(atom.field, "==", c.op == "is null")
    if c.op in ("in", "not in"):
        atom = names.atom(("value", left), c.left)
        atoms.append(atom)
        tests = tuple(Test(atom.field, "==" if c.op == "in" else "!=", v) for v in c.constants)
        return AnyOf(tests) if c.op == "in" else All(tests)
    if c.kind in (NUMBER, DATE, ANY):
        atom = names.atom(("difference", left, right), _difference_of(c))
        atoms.append(atom)
        return Test(atom.field, c.op, 0)
    if c.kind == STRING:
        # text is decided in Python and handed over as a boolean: durable_rules sees no free text
        # (a null stays null, so a comparison with it is false either way, as in the reference rules)
        atom = names.atom(("text", left, c.op, repr(c.constants)), _text_test(c))
        atoms.append(atom)
        return Test(atom.field, "==", True)
    atom = names.atom(("value", left), c.left)
    atoms.append(atom)
    return Test(atom.field, c.op, c.constants[0])


def _text_test(c: Comparison) -> Callable[[Env], bool | None]:
    def emit(w: Writer) -> str:
        t = w.temp()
        return f"None if ({t} := {w.expr(c.left)}) is None else ({c.emit(w, known=t)})"

    return emits(lambda env: None if c.left(env) is None else c.evaluate(env), emit)


def _is_null(getter: Callable[[Env], Any]) -> Callable[[Env], bool]:
    return emits(lambda env: getter(env) is None, lambda w: f"{w.expr(getter)} is None")


def _difference_of(c: Comparison) -> Callable[[Env], int | None]:
    return emits(lambda env: _difference(*c.operands(env)),
                 lambda w: f"{w.bind(_difference)}({w.expr(c.left)}, {c.emit_right(w)})")


def _negate(node: Node) -> Node:
    if isinstance(node, Test):
        return node.negated()
    if isinstance(node, All):
        return AnyOf(tuple(_negate(p) for p in node.parts))
    return All(tuple(_negate(p) for p in node.parts))


def _difference(a: Any, b: Any) -> int | None:
    """Encode ``a - b`` by its sign, -1, 0 or 1, or None if either is null.

    Every comparison of two numbers or dates becomes ``difference op 0`` (``_comparison_tree``), so the
    sign is all a backend reads; comparing is exact for any two Decimals and never rounds or overflows.
    """
    if type(a) is not Decimal or type(b) is not Decimal:  # two Decimals, the common case, need no checks
        if isinstance(a, datetime.date) and isinstance(b, datetime.date):
            return (a > b) - (a < b)
        if isinstance(a, int) and not isinstance(a, bool):
            a = Decimal(a)  # integer facts (counts of households) compare as exact numbers
        if isinstance(b, int) and not isinstance(b, bool):
            b = Decimal(b)
        if not isinstance(a, Decimal) or not isinstance(b, Decimal):
            return None
    return (a > b) - (a < b)


def holds(node: Node, atoms: dict[str, Any]) -> bool:
    """Decide a normal-form tree over computed atom fields (the reference semantics)."""
    if isinstance(node, Test):
        value = atoms.get(node.field)
        if value is None:
            return node.null_passes
        return _COMPARE[node.op](value, node.value)
    if isinstance(node, All):
        return all(holds(p, atoms) for p in node.parts)
    return any(holds(p, atoms) for p in node.parts)


_NEGATE = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}
_SYMBOLS = {op: op for op in _NEGATE}  # what generated code may write
# a test of a local made at the start: as cheap to compute again as to fetch from a memo, so never memoised
_CHEAP = re.compile(r"\(r\d+\)|\(\(r\d+\) is (?:True|None)\)"
                    r"|\(None if \((?P<t>t\d+) := \(r\d+\)\) is None else \((?P=t) [=!]= k\d+\)\)")
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}


Decide = Callable[[dict[str, Any]], bool]


def compile_tree(node: Node) -> Decide:
    """Turn a normal-form tree into nested closures that decide it (same semantics as ``holds``)."""
    if isinstance(node, Test):
        name, value, passes, compare = node.field, node.value, node.null_passes, _COMPARE[node.op]

        def test(atoms: dict[str, Any]) -> bool:
            found = atoms[name]  # a lazy mapping computes the atom on first use
            return passes if found is None else compare(found, value)

        return test
    parts = tuple(compile_tree(p) for p in node.parts)
    if len(parts) == 1:
        return parts[0]
    if isinstance(node, All):
        def every(atoms: dict[str, Any]) -> bool:
            for part in parts:
                if not part(atoms):
                    return False
            return True

        return every

    def some(atoms: dict[str, Any]) -> bool:
        for part in parts:
            if part(atoms):
                return True
        return False

    return some


def compile_decider(trees: list[tuple[Any, Node]], atoms: list[Atom],
                    label: str = "decide") -> Callable[[Env], list[Any]] | None:
    """Generate one function that decides several trees over one fact and returns the keys (a rule's id, or its
    place) of those that hold.

    Each atom is computed once, the first time a tree reads it, and trees short-circuit as
    ``compile_tree`` does, so exactly the same atoms are computed.  It has no fallback of its own: a
    caller that meets an exception decides again with the closures, which raise the reference error.
    Returns None when code generation is off or impossible.
    """
    if not codegen.enabled():
        return None
    w = Writer()
    unset = object()
    uses: dict[str, int] = {}
    for _, node in trees:
        for test in _tests(node):
            uses[test.field] = uses.get(test.field, 0) + 1
    codes = {a.field: w.expr(a.encode) for a in atoms if a.field in uses}
    # an atom read by several tests is computed once, by the first; one that is a plain read of the
    # case (a local made at the start), a cheap test of one, or read by one test only is computed where it is read
    locals_ = {name: w.temp() for name, code in codes.items() if uses[name] > 1 and not _CHEAP.fullmatch(code)}
    body = [f"{local} = {w.bind(unset)}" for local in locals_.values()]
    body.append("fired = []")

    def lazy(name: str) -> str:
        local = locals_.get(name)
        if local is None:
            return codes[name]
        return f"({local} if {local} is not {w.bind(unset)} else ({local} := {codes[name]}))"

    def tree(node: Node) -> str:
        if isinstance(node, Test):
            if node.value is not None and (node.op, node.null_passes) in (("==", False), ("!=", True)):
                # a null atom is unequal to any constant: ``==`` is false and ``!=`` true, as the test says
                return f"({lazy(node.field)} {_SYMBOLS[node.op]} {w.bind(node.value)})"
            t = w.temp()
            passes = "True" if node.null_passes else "False"
            compared = f"{t} {_SYMBOLS[node.op]} {w.bind(node.value)}"
            return f"({passes} if ({t} := {lazy(node.field)}) is None else {compared})"
        if not node.parts:
            return "True" if isinstance(node, All) else "False"
        joiner = " and " if isinstance(node, All) else " or "
        return "(" + joiner.join(tree(p) for p in node.parts) + ")"

    def emit(branch: _Branch, indent: str) -> None:
        body.extend(f"{indent}fired.append({w.bind(rule_id)})" for rule_id in branch.holds)
        for part, child in branch.children.values():
            body.append(f"{indent}if {tree(part)}:")
            emit(child, indent + "    ")

    root = _Branch()
    for rule_id, node in trees:
        root.add(_conjuncts(node), rule_id)
    try:
        emit(root, "")
    except RecursionError:
        return None
    body.append("return fired")
    return w.function(body, fallback=None, label=label)


class _Branch:
    """Rules sharing their first conjuncts, tested once for all of them (a trie over the conjuncts).

    Each rule still evaluates its own conjuncts in order and stops at the first false one, so the
    atoms computed are the same as rule by rule; only the order among rules changes, which a set of
    fired rules does not see.
    """

    def __init__(self) -> None:
        self.holds: list[Any] = []  # rules (their keys) all of whose conjuncts hold on the way here
        self.children: dict[tuple[Any, ...], tuple[Node, _Branch]] = {}

    def add(self, conjuncts: list[Node], rule_id: Any) -> None:
        if not conjuncts:
            self.holds.append(rule_id)
            return
        first = conjuncts[0]
        key = _signature(first)
        if key not in self.children:
            self.children[key] = (first, _Branch())
        self.children[key][1].add(conjuncts[1:], rule_id)


def _conjuncts(node: Node) -> list[Node]:
    """The parts of a conjunction, nested ones flattened in order (the same short-circuit)."""
    if isinstance(node, All):
        return [c for part in node.parts for c in _conjuncts(part)]
    return [node]


def _signature(node: Node) -> tuple[Any, ...]:
    """A key telling tests apart that compare equal across types (``== 1`` and ``== true``)."""
    if isinstance(node, Test):
        return ("test", node.field, node.op, type(node.value), node.value, node.null_passes)
    return (type(node), tuple(_signature(p) for p in node.parts))


def _tests(node: Node) -> list[Test]:
    if isinstance(node, Test):
        return [node]
    return [t for part in node.parts for t in _tests(part)]


def compile_encoders(atoms: list[Atom], fallback: Callable[[Env], dict[str, Any]]) -> Callable[[Env], dict[str, Any]]:
    """Generate one function computing every atom of a fact into a dict; on any exception it calls ``fallback``."""
    if not codegen.enabled() or not atoms:
        return fallback
    w = Writer()
    try:
        fields = ", ".join(f"{w.bind(a.field)}: {w.expr(a.encode)}" for a in atoms)
    except RecursionError:
        return fallback
    return w.function([f"return {{{fields}}}"], fallback=fallback, label="atoms") or fallback
