"""Generated code (engine/codegen.py) gives exactly the answers and errors of the closures it replaces."""
from __future__ import annotations

import datetime
import json
import os
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bench.workload import enterprises, households
from engine import CaseError, PolicySet, codegen, evaluate
from engine.codegen import Writer
from engine.expressions import NUMBER, Compiler, Env, ExpressionError, Symbols, TypeInfo, parse
from tests.conftest import POLICIES, load_with_codegen

from .strategies import cases, projects
from .strategies import households as valid_households

GENERATED = load_with_codegen(POLICIES, True)
CLOSURES = load_with_codegen(POLICIES, False)
KINDS = [(f, k) for f in GENERATED.families.values() for k in f.kinds.values()]


def outcome(policies: PolicySet, request: dict[str, Any], explain: bool = True) -> Any:
    """The whole answer, or the errors (field paths and messages), or the unexpected exception."""
    raw = json.loads(json.dumps(request, default=str), parse_float=Decimal)
    try:
        return evaluate(policies, raw, explain=explain)
    except CaseError as e:
        return {"errors": [x.as_dict() for x in e.errors]}
    except Exception as e:  # noqa: BLE001 - an internal error must be the same one too
        return {"exception": repr(e)}


def test_the_two_sets_differ_in_how_they_run() -> None:
    """Guard the comparison itself: one set runs generated code, the other none."""
    generated = [c.handle.generated for f in GENERATED.families.values() for p in f.versions for c in p.cases.values()]
    closures = [c.handle.generated for f in CLOSURES.families.values() for p in f.versions for c in p.cases.values()]
    assert all(generated) and not any(closures)
    case = GENERATED.families["expropriation"].versions[0].cases["household"]
    assert hasattr(case.derived[0][1].fn, "source")
    assert not hasattr(CLOSURES.families["expropriation"].versions[0].cases["household"].derived[0][1].fn, "source")
    # each rule's items and findings (evaluator.compile_outputs), made when the policies are loaded
    assert all(hasattr(r.outputs, "source") for r in case.rules)
    assert not any(hasattr(r.outputs, "source")
                   for r in CLOSURES.families["expropriation"].versions[0].cases["household"].rules)


@pytest.fixture(autouse=True)
def generated_code_never_needs_its_fallback() -> Any:
    """The closures may take over only to raise their error, never to give an answer the generated code missed."""
    codegen.NEEDLESS.clear()
    yield
    assert not codegen.NEEDLESS


@pytest.mark.parametrize("make", [households, enterprises], ids=["households", "enterprises"])
def test_seeded_workloads_agree(make: Any) -> None:
    compared = errors = 0
    for request in make(600):
        expected = outcome(CLOSURES, request, explain=False)
        assert outcome(GENERATED, request, explain=False) == expected
        compared += 1
        errors += "errors" in expected
    assert compared == 600 and errors < compared


@pytest.mark.parametrize(("family", "kind"), KINDS, ids=[f"{f.name}-{k.kind}" for f, k in KINDS])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_generated_cases_agree(family: Any, kind: Any, data: st.DataObject) -> None:
    request = data.draw(cases(family, kind))
    assert outcome(GENERATED, request) == outcome(CLOSURES, request)
    # without the trace the python backend decides by Decider.ordered, straight from the case
    assert outcome(GENERATED, request, explain=False) == outcome(CLOSURES, request, explain=False)


EXPROPRIATION = GENERATED.families["expropriation"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(request=st.one_of(valid_households(EXPROPRIATION), projects(EXPROPRIATION)))
def test_valid_households_and_projects_agree(request: dict[str, Any]) -> None:
    assert outcome(GENERATED, request) == outcome(CLOSURES, request)
    assert outcome(GENERATED, request, explain=False) == outcome(CLOSURES, request, explain=False)


# -- expressions on their own: every operator, nulls and errors ----------------------------------

SYMBOLS = Symbols(facts={name: TypeInfo(NUMBER) for name in ("x", "y", "z")}, params={})
NUMBERS = st.one_of(st.none(), st.sampled_from(["0", "1", "-2.5", "0.01", "1E+30", "3"]).map(Decimal),
                    st.integers(-3, 3))


def _numeric_forms(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        inner.map(lambda a: f"-({a})"),
        st.tuples(st.sampled_from(["min", "max"]), inner, inner).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        inner.map(lambda a: f"abs({a})"),
        inner.map(lambda a: f"round({a}, 0.01)"),
        st.tuples(inner, inner).map(lambda t: f"coalesce({t[0]}, {t[1]})"),
    )


NUMERIC = st.recursive(st.sampled_from(["x", "y", "z", "0", "2", "0.5", "null"]), _numeric_forms, max_leaves=8)
LEAF_CONDITION = st.one_of(
    st.tuples(NUMERIC, st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), NUMERIC).map(" ".join),
    st.tuples(NUMERIC, st.sampled_from(["== null", "!= null"])).map(" ".join),
    NUMERIC.map(lambda a: f"{a} in (1, 2.5, 0)"),
    NUMERIC.map(lambda a: f"{a} not in (1, 2.5, 0)"),
)
CONDITION = st.recursive(LEAF_CONDITION, lambda inner: st.one_of(
    inner.map(lambda c: f"not ({c})"),
    st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(lambda t: f"({t[0]}) {t[1]} ({t[2]})")),
    max_leaves=4)


def _result(expr: Any, env: Env) -> Any:
    try:
        return ("value", expr(env))
    except Exception as e:  # noqa: BLE001 - the error's type and message must be the same
        return ("error", type(e).__name__, str(e))


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(NUMERIC, CONDITION), x=NUMBERS, y=NUMBERS, z=NUMBERS)
def test_expressions_agree_with_their_closures(text: str, x: Any, y: Any, z: Any) -> None:
    try:
        expr = Compiler(SYMBOLS, text).compile(parse(text))
    except ExpressionError:
        assume(False)  # e.g. a comparison of two constants, refused at load time
    assert hasattr(expr.fn, "source"), text
    env = Env(facts={"x": x, "y": y, "z": z}, params={})
    os.environ["LANSHAN_CODEGEN"] = "off"
    try:
        reference = Compiler(SYMBOLS, text).compile(parse(text))
    finally:
        del os.environ["LANSHAN_CODEGEN"]
    assert not hasattr(reference.fn, "source")
    expected = _result(reference, env)
    assert _result(expr, env) == expected
    if expected[0] == "value":  # the generated code alone, without the closure it falls back to
        w = Writer()
        unguarded = w.function([f"return {w.expr(reference.fn)}"], fallback=None)
        assert unguarded is not None and unguarded(env) == expected[1]


def test_an_error_in_generated_code_is_the_closures_error() -> None:
    expr = Compiler(SYMBOLS, "x / y").compile(parse("x / y"))
    with pytest.raises(Exception, match="无法计算“x / y”：除数为 0"):
        expr(Env(facts={"x": Decimal(1), "y": Decimal(0)}, params={}))


def test_drafted_text_never_becomes_source() -> None:
    symbols = Symbols(facts={"kind": TypeInfo("string"), "day": TypeInfo("date")}, params={})
    text = 'kind == "x\\") or __import__(\\"os\\") or (\\"" and day != null'
    expr = Compiler(symbols, text).compile(parse(text))
    source = vars(expr.fn)["source"]  # the generated function's text (codegen keeps it on the function)
    assert "__import__" not in source and '"' not in source and "'" not in source
    day = datetime.date(2022, 4, 1)
    assert expr(Env(facts={"kind": 'x") or __import__("os") or ("', "day": day}, params={})) is True
    assert expr(Env(facts={"kind": "x", "day": day}, params={})) is False
