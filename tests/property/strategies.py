"""Hypothesis strategies that generate cases for any bundled family from its facts declarations."""
from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from engine.facts import CaseKind, FactDecl
from engine.policy import Family

INTERESTING = ["0", "0.01", "1", "44.99", "45", "45.00", "45.01", "100", "2000", "123456789.01",
               "250000000", "250000000.01", "249999999.99", "5000000"]


def dates_for(family: Family) -> st.SearchStrategy[str]:
    """Dates spread over the years around the family's versions, with every validity boundary."""
    edges: list[datetime.date] = []
    for policy in family.versions:
        edges += [policy.effective_from, policy.effective_from - datetime.timedelta(days=1)]
        if policy.effective_to:
            edges += [policy.effective_to, policy.effective_to + datetime.timedelta(days=1)]
    spread = st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2028, 12, 31))
    return st.one_of(st.sampled_from(edges), spread).map(datetime.date.isoformat)


def decimals(decl: FactDecl) -> st.SearchStrategy[Any]:
    low = decl.minimum if decl.minimum is not None else Decimal("-1000")
    cents = st.integers(min_value=int(low * 100), max_value=10**11).map(lambda c: str(Decimal(c) / 100))
    return st.one_of(st.sampled_from(INTERESTING), cents, st.integers(min_value=0, max_value=10**6))


def value(decl: FactDecl, dates: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    """A value for one declared fact: mostly valid, sometimes null."""
    if decl.type == "enum":
        base: st.SearchStrategy[Any] = st.sampled_from(list(decl.values))
    elif decl.type == "bool":
        base = st.booleans()
    elif decl.type == "decimal":
        base = decimals(decl)
    elif decl.type == "integer":
        base = st.integers(min_value=0, max_value=60)
    elif decl.type == "date":
        base = dates
    elif decl.type == "string":
        base = st.text(alphabet="兰山企业ABC", min_size=1, max_size=6)
    elif decl.type == "object":
        base = obj(decl.fields, dates)
    else:
        base = st.lists(obj(decl.fields, dates), min_size=max(decl.min_items, 0), max_size=5)
    return base if decl.required else st.one_of(base, base, st.none())


def obj(decls: dict[str, FactDecl], dates: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, Any]]:
    """An object with its required fields and a random subset of the optional ones."""
    required = {k: value(d, dates) for k, d in decls.items() if d.required}
    optional = {k: value(d, dates) for k, d in decls.items() if not d.required}
    return st.fixed_dictionaries(required, optional=optional)


def cases(family: Family, kind: CaseKind) -> st.SearchStrategy[dict[str, Any]]:
    """Whole requests for one family and case kind."""
    return obj(kind.facts, dates_for(family)).map(
        lambda facts: {"policy": family.name, "kind": kind.kind, "facts": facts})
