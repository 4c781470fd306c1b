"""A compiled validator for well-formed cases: the same result as the marshmallow schema, faster.

marshmallow builds the error list of a bad case, field path by field path; that thoroughness costs
about a millisecond per household.  Most cases are well formed, so each case kind also gets plain
closures compiled from the same declarations.  They either return exactly what the schema would
(defaults filled, Decimals and dates parsed) or give up with ``None`` at the first doubt, and the
schema then runs and reports every problem.  So the fast path can only ever accept what the schema
accepts; ``tests/property/test_fastpath.py`` checks both give the same facts.
"""
from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .expressions import Env
from .facts import ISO_DATE, Check, FactDecl, value_at
from .money import check_magnitude, to_decimal

Loader = Callable[[Any], Any]


class _Reject(Exception):
    """The fast path declines this case; the schema decides."""


MISSING = object()


def compile_kind(facts: dict[str, FactDecl], checks: list[Check]) -> Callable[[Any], dict[str, Any] | None]:
    """Compile the validator of a case kind; it returns the loaded facts, or None to defer to the schema."""
    load = _object(facts, checks)

    def validate(raw: Any) -> dict[str, Any] | None:
        try:
            return load(raw)
        except (_Reject, ValueError, TypeError, ArithmeticError):
            return None

    return validate


def _object(decls: dict[str, FactDecl], checks: list[Check]) -> Loader:
    fields = [(name, _field(decl), decl) for name, decl in decls.items()]
    known = set(decls)
    defaults = {k: d.default for k, d in decls.items() if not d.required and d.default is not None}
    for key, decl in decls.items():
        if decl.type == "object" and decl.default == {}:
            loaded = _object(decl.fields, decl.checks)({})
            defaults[key] = loaded
    copied = [(k, d.default_from) for k, d in decls.items() if d.default_from]

    def load(raw: Any) -> dict[str, Any]:
        if type(raw) is not dict or not known.issuperset(raw):
            raise _Reject
        out: dict[str, Any] = {}
        for name, convert, decl in fields:
            value = raw.get(name, MISSING)
            if value is MISSING:
                if decl.required:
                    raise _Reject
                value = None
            elif value is None:
                if decl.required:
                    raise _Reject
            else:
                value = convert(value)
            if value is None and name in defaults:
                value = _fresh(defaults[name])
            out[name] = value
        for key, source in copied:
            if out.get(key) is None:
                out[key] = out.get(source)
        if checks and not _checks_pass(checks, out):
            raise _Reject
        return out

    return load


def _fresh(value: Any) -> Any:
    """Copy a default (an empty list, or an object of defaults) so no case shares it with another."""
    if type(value) is dict:
        return {k: _fresh(v) for k, v in value.items()}
    if type(value) is list:
        return [_fresh(v) for v in value]
    return value


def _checks_pass(checks: list[Check], filled: dict[str, Any]) -> bool:
    env = Env(facts=filled, params={})
    for check in checks:
        if check.when is not None:
            if check.when(env) and value_at(filled, check.field) is None:
                return False
        elif check.expr is not None:
            if all(value_at(filled, n) is not None for n in check.expr.names) and check.expr(env) is False:
                return False
    return True


def _field(decl: FactDecl) -> Loader:
    if decl.type == "object":
        return _object(decl.fields, decl.checks)
    if decl.type == "list":
        item = _object(decl.fields, decl.checks)
        least = decl.min_items

        def load_list(raw: Any) -> list[Any]:
            if type(raw) is not list or len(raw) < least:
                raise _Reject
            return [item(x) for x in raw]

        return load_list
    if decl.type in ("decimal", "integer"):
        low, floor, high, whole = decl.minimum, decl.exclusive_minimum, decl.maximum, decl.type == "integer"

        def load_number(raw: Any) -> Decimal | int:
            number = to_decimal(raw)
            check_magnitude(number)
            if (low is not None and number < low) or (floor is not None and not number > floor) \
                    or (high is not None and number > high):
                raise _Reject
            if whole:
                if number != number.to_integral_value():
                    raise _Reject
                return int(number)
            return number

        return load_number
    if decl.type == "bool":
        def load_bool(raw: Any) -> bool:
            if type(raw) is not bool:
                raise _Reject
            return raw

        return load_bool
    if decl.type == "date":
        def load_date(raw: Any) -> datetime.date:
            if type(raw) is not str or not ISO_DATE.fullmatch(raw):
                raise _Reject
            return datetime.date.fromisoformat(raw)

        return load_date
    allowed = frozenset(decl.values) if decl.type == "enum" else None

    def load_text(raw: Any) -> str:
        if type(raw) is not str or (allowed is not None and raw not in allowed):
            raise _Reject
        return raw

    return load_text
