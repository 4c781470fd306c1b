"""Normal-form conditions decide exactly what the expression means in Python, nulls included."""
from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.conditions import ALWAYS, NEVER, All, AnyOf, AtomNames, Condition, compile_condition, holds
from engine.conditions import Test as Leaf  # renamed so pytest does not take it for a test class
from engine.expressions import BOOL, DATE, NUMBER, STRING, Compiler, Env, ExpressionError, Symbols, TypeInfo, parse

SYMBOLS = Symbols(
    facts={"x": TypeInfo(NUMBER), "y": TypeInfo(NUMBER), "kind": TypeInfo(STRING), "flag": TypeInfo(BOOL),
           "day": TypeInfo(DATE)},
    params={"limit": TypeInfo(NUMBER), "start": TypeInfo(DATE)},
)
PARAMS = {"limit": Decimal("1.0"), "start": datetime.date(2022, 4, 29)}


def condition(text: str) -> Condition:
    """Compile a condition against the test symbols."""
    return compile_condition(text, Compiler(SYMBOLS, text), AtomNames())


def decided(cond: Condition, env: Env) -> bool:
    """Decide a condition the way a backend does: compute the atoms, then walk the normal-form tree."""
    return holds(cond.tree, {atom.field: atom.encode(env) for atom in cond.atoms})


def python(text: str, env: Env) -> bool:
    """Decide the same text as a plain expression (Comparison.evaluate and Python and/or/not)."""
    return bool(Compiler(SYMBOLS, text).compile(parse(text))(env))


def case(**facts: Any) -> Env:
    return Env(facts=facts, params=PARAMS)


# -- holds on hand-built trees ---------------------------------------------------------------

def test_empty_all_holds_and_empty_any_does_not() -> None:
    assert holds(ALWAYS, {}) is True
    assert holds(NEVER, {}) is False


@pytest.mark.parametrize("node, atoms, expected", [
    (Leaf("a", ">", 0), {"a": 1}, True),
    (Leaf("a", ">", 0), {"a": 0}, False),
    (Leaf("a", "<=", 0), {"a": 0}, True),
    (Leaf("a", "==", "x"), {"a": "x"}, True),
    (Leaf("a", "!=", "x"), {"a": "x"}, False),
    (Leaf("a", ">", 0), {"a": None}, False),
    (Leaf("a", ">", 0, null_passes=True), {"a": None}, True),
    (Leaf("a", ">", 0), {}, False),
    (All((Leaf("a", ">", 0), Leaf("b", "==", True))), {"a": 1, "b": True}, True),
    (All((Leaf("a", ">", 0), Leaf("b", "==", True))), {"a": 1, "b": False}, False),
    (AnyOf((Leaf("a", ">", 0), Leaf("b", "==", True))), {"a": -1, "b": True}, True),
    (AnyOf((Leaf("a", ">", 0), Leaf("b", "==", True))), {"a": -1, "b": False}, False),
])
def test_holds_on_trees(node: Any, atoms: dict[str, Any], expected: bool) -> None:
    assert holds(node, atoms) is expected


@pytest.mark.parametrize("op", ["==", "!=", "<", "<=", ">", ">="])
@pytest.mark.parametrize("value", [-1, 0, 1, None])
def test_a_negated_test_decides_the_opposite(op: str, value: int | None) -> None:
    test = Leaf("a", op, 0)
    assert holds(test.negated(), {"a": value}) is not holds(test, {"a": value})


# -- compiled conditions agree with Python ---------------------------------------------------

NUMBERS = st.one_of(st.none(), st.sampled_from([Decimal("-1"), Decimal("0"), Decimal("1"), Decimal("1.0"),
                                                Decimal("1.0000000001"), Decimal("0.9999999999"), Decimal("2")]))
KINDS = st.one_of(st.none(), st.sampled_from(["a", "b", "c"]))
FLAGS = st.one_of(st.none(), st.booleans())
DAYS = st.one_of(st.none(), st.sampled_from([datetime.date(2022, 4, 28), datetime.date(2022, 4, 29),
                                             datetime.date(2022, 4, 30)]))
LEAVES = st.sampled_from([
    "x > y", "x >= 1", "x < param.limit", "x <= 1.0000000001", "x == y", "x != 1", "1 < x", "x + y > 1",
    'kind == "a"', 'kind != "b"', 'kind in ("a", "b")', 'kind not in ("a",)', "x in (1, 2)", "x not in (0,)",
    "x == null", "x != null", "kind == null", "flag", "flag == true", "flag != false", "day >= param.start",
    "day < param.start", "true", "false",
])


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        children.map(lambda c: f"not ({c})"),
        st.tuples(children, children).map(lambda t: f"({t[0]}) and ({t[1]})"),
        st.tuples(children, children).map(lambda t: f"({t[0]}) or ({t[1]})"),
    )


CONDITIONS = st.recursive(LEAVES, _combine, max_leaves=6)


@settings(max_examples=400, deadline=None)
@given(text=CONDITIONS, x=NUMBERS, y=NUMBERS, kind=KINDS, flag=FLAGS, day=DAYS)
def test_normal_form_agrees_with_python(text: str, x: Any, y: Any, kind: Any, flag: Any, day: Any) -> None:
    env = case(x=x, y=y, kind=kind, flag=flag, day=day)
    assert decided(condition(text), env) is python(text, env)


@pytest.mark.parametrize("text", ["x > 1", "not (x > 1)", 'kind in ("a",)', 'not (kind in ("a",))',
                                  'kind not in ("a",)', 'not (kind not in ("a",))', 'kind != "a"', "flag",
                                  "not flag", "x == y", "not (x != y)", "(x > 1) or not (x > 1)"])
def test_null_facts_agree_with_python(text: str) -> None:
    env = case()
    assert decided(condition(text), env) is python(text, env)


def test_comparison_with_null_is_false_and_its_negation_true() -> None:
    env = case()
    assert decided(condition("x > 1"), env) is False
    assert decided(condition("x <= 1"), env) is False
    assert decided(condition("not (x > 1)"), env) is True


# -- numeric atoms keep the sign of a - b ----------------------------------------------------

def _sign(value: Any) -> int:
    return (value > 0) - (value < 0)


@pytest.mark.parametrize("a, b, sign", [
    ("1.0000000001", "1.0", 1),
    ("1.0", "1.0000000001", -1),
    ("1.0", "1.00", 0),
    ("0.000000000000000000000000000001", "0", 1),
    ("-0.000000000000000000000000000001", "0", -1),
    ("100000000000000000000000000000.000001", "100000000000000000000000000000", 1),
    ("1E+40", "-1E+40", 1),
])
def test_numeric_atom_has_the_sign_of_the_difference(a: str, b: str, sign: int) -> None:
    cond = condition("x > y")
    (atom,) = cond.atoms
    encoded = atom.encode(case(x=Decimal(a), y=Decimal(b)))
    assert isinstance(encoded, int) and _sign(encoded) == sign
    assert decided(cond, case(x=Decimal(a), y=Decimal(b))) is (sign > 0)


@settings(max_examples=300, deadline=None)
@given(a=st.decimals(allow_nan=False, allow_infinity=False, places=12, min_value=-10**15, max_value=10**15),
       b=st.decimals(allow_nan=False, allow_infinity=False, places=12, min_value=-10**15, max_value=10**15))
def test_numeric_atoms_agree_with_python_for_any_pair(a: Decimal, b: Decimal) -> None:
    for op in ("==", "!=", "<", "<=", ">", ">="):
        text = f"x {op} y"
        env = case(x=a, y=b)
        assert decided(condition(text), env) is python(text, env), (text, a, b)


def test_date_atom_counts_days() -> None:
    (atom,) = condition("day >= param.start").atoms
    assert atom.encode(case(day=datetime.date(2022, 4, 28))) == -1
    assert atom.encode(case(day=datetime.date(2022, 4, 29))) == 0


def test_null_number_encodes_as_null() -> None:
    (atom,) = condition("x > y").atoms
    assert atom.encode(case(x=Decimal("1"))) is None


# -- what is not a condition is refused ------------------------------------------------------

@pytest.mark.parametrize("text", ["x", "1", '"a"', "x + 1", "param.limit", "min(x, 1)", "null", "x and flag"])
def test_non_boolean_conditions_are_refused(text: str) -> None:
    with pytest.raises(ExpressionError):
        condition(text)
