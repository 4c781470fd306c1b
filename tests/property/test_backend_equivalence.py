"""The durable_rules backend and the compiled Python backend give identical answers on every policy."""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import CaseError, PolicySet, evaluate, load_policies
from tests.conftest import POLICIES

from .strategies import cases, households, projects

PYTHON = load_policies(POLICIES, backend="python")
DURABLE = load_policies(POLICIES, backend="durable")
KINDS = [(f, k) for f in PYTHON.families.values() for k in f.kinds.values()]


def outcome(policies: PolicySet, request: dict[str, Any]) -> Any:
    raw = json.loads(json.dumps(request), parse_float=Decimal)
    try:
        return evaluate(policies, raw, explain=True)
    except CaseError as e:
        return {"errors": [x.as_dict() for x in e.errors]}


def test_every_bundled_policy_is_covered() -> None:
    assert {f.name for f, _ in KINDS} == set(PYTHON.families)
    assert KINDS, "no bundled policy to compare"


@pytest.mark.parametrize(("family", "kind"), KINDS, ids=[f"{f.name}-{k.kind}" for f, k in KINDS])
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_backends_agree(family: Any, kind: Any, data: st.DataObject) -> None:
    request = data.draw(cases(family, kind))
    expected = outcome(PYTHON, request)
    actual = outcome(DURABLE, request)
    assert actual == expected


EXPROPRIATION = PYTHON.families["expropriation"]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_backends_agree_on_valid_households(data: st.DataObject) -> None:
    request = data.draw(households(EXPROPRIATION))
    expected = outcome(PYTHON, request)
    assert "errors" not in expected, expected  # the generator makes valid households only
    assert outcome(DURABLE, request) == expected


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_backends_agree_on_project_timelines(data: st.DataObject) -> None:
    request = data.draw(projects(EXPROPRIATION))
    expected = outcome(PYTHON, request)
    assert "errors" not in expected or all("2027" in e["message"] for e in expected["errors"]), expected
    assert outcome(DURABLE, request) == expected
