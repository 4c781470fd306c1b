"""The compiled validator accepts only what the marshmallow schema accepts, and loads it identically."""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from .strategies import cases, households
from .test_backend_equivalence import EXPROPRIATION, KINDS


def agree(kind: Any, request: dict[str, Any]) -> bool:
    raw = json.loads(json.dumps(request), parse_float=Decimal)["facts"]
    fast = kind.fast(raw)
    try:
        slow = kind.schema.load(raw)
    except ValidationError:
        assert fast is None, "the fast path accepted a case the schema refuses"
        return False
    assert fast is None or fast == slow
    return fast is not None


@pytest.mark.parametrize(("family", "kind"), KINDS, ids=[f"{f.name}-{k.kind}" for f, k in KINDS])
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fast_path_agrees_with_the_schema(family: Any, kind: Any, data: st.DataObject) -> None:
    agree(kind, data.draw(cases(family, kind)))


@settings(max_examples=300, deadline=None)
@given(request=households(EXPROPRIATION))
def test_fast_path_takes_well_formed_households(request: dict[str, Any]) -> None:
    assert agree(EXPROPRIATION.kinds["household"], request), "a valid household fell back to the schema"


@pytest.mark.parametrize(("family", "kind"), KINDS, ids=[f"{f.name}-{k.kind}" for f, k in KINDS])
def test_no_declared_name_is_written_into_the_generated_source(family: Any, kind: Any) -> None:
    from engine.fastpath import _Source

    source = _Source()
    source.build(kind.facts, kind.checks)
    text = "\n".join(source.lines)

    def names(decls: Any) -> set[str]:
        return {n for n, d in decls.items()} | {n for d in decls.values() for n in names(d.fields)}

    assert text and not [n for n in names(kind.facts) if repr(n) in text or f'"{n}"' in text]
