"""A compiled validator for well-formed cases: the same result as the marshmallow schema, faster.

marshmallow builds the error list of a bad case, field path by field path; that thoroughness costs
about a millisecond per household.  Most cases are well formed, so each case kind also gets a plain
Python function generated from the same declarations: one straight-line function per object, with
no loop over declarations at run time.  It either returns exactly what the schema would (defaults
filled, Decimals and dates parsed) or gives up at the first doubt, and the schema then runs and
reports every problem.  So the fast path can only ever accept what the schema accepts;
``tests/property/test_fastpath.py`` checks both give the same facts.

The generated source holds no text a drafter wrote: field names, bounds, allowed values and
defaults are all bound by name (``c12``), as in ``codegen.py``.
"""
from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .expressions import Env
from .facts import ISO_DATE, MAX_ITEMS, NORMALISED_FROM, Check, FactDecl, blank, text_too_long
from .money import MAX_MAGNITUDE, MAX_PLACES

Loader = Callable[[Any], Any]


class _Reject(Exception):
    """The fast path declines this case; the schema decides."""


def compile_kind(facts: dict[str, FactDecl], checks: list[Check]) -> Callable[[Any], dict[str, Any] | None]:
    """Compile the validator of a case kind; it returns the loaded facts, or None to defer to the schema."""
    source = _Source()
    load = source.build(facts, checks)

    def validate(raw: Any) -> dict[str, Any] | None:
        try:
            return load(raw)
        except (_Reject, ValueError, TypeError, ArithmeticError):
            return None

    return validate


class _Source:
    """Generates one function per declared object; ``build`` compiles them and returns the top one."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.names: dict[str, Any] = {
            "Reject": _Reject, "Decimal": Decimal, "fresh": _fresh,
            "Env": Env, "iso_date": ISO_DATE.fullmatch, "from_iso": datetime.date.fromisoformat,
            "too_long": text_too_long,
            "MAX": MAX_MAGNITUDE, "PLACES": -MAX_PLACES,
        }
        self.empty_objects: list[tuple[str, str]] = []
        self.levels = 0

    def build(self, decls: dict[str, FactDecl], checks: list[Check]) -> Loader:
        top = self._object(decls, checks)
        code = compile("\n".join(self.lines), "<engine.fastpath>", "exec")
        exec(code, self.names)  # noqa: S102 - source generated above from declarations, no drafter text
        for empty, loader in self.empty_objects:
            self.names[empty] = self.names[loader]({})
        return self.names[top]

    def _bind(self, value: Any) -> str:
        name = f"c{len(self.names)}"
        self.names[name] = value
        return name

    def _object(self, decls: dict[str, FactDecl], checks: list[Check]) -> str:
        loaders = {key: self._object(d.fields, d.checks) for key, d in decls.items() if d.type in ("object", "list")}
        name = f"load{len(self.names)}"
        self.names[name] = None  # reserve the name
        known = self._bind(frozenset(decls))
        body = [f"def {name}(raw):",
                f"    if type(raw) is not dict or not {known}.issuperset(raw):",
                "        raise Reject"]
        keys = {key: self._bind(key) for key in decls}
        for index, (key, decl) in enumerate(decls.items()):
            body += self._field(f"v{index}", keys[key], decl, loaders.get(key))
        body.append("    out = {" + ", ".join(f"{keys[key]}: v{i}" for i, key in enumerate(decls)) + "}")
        for key, decl in decls.items():
            if decl.default_from:
                body += [f"    if out.get({keys[key]}) is None:",
                         f"        out[{keys[key]}] = out.get({self._bind(decl.default_from)})"]
        body += self._checks(checks)
        body.append("    return out")
        self.lines += body + [""]
        return name

    def _checks(self, checks: list[Check]) -> list[str]:
        """Inline an object's cross-field checks, each as the schema's ``run_checks`` runs it: a failing one rejects."""
        if not checks:
            return []
        lines = ["    env = Env(out, {})"]
        for check in checks:
            if check.when is not None:
                test = f"{self._bind(check.when.fn)}(env) and {self._read(check.field)} is None"
            else:
                assert check.expr is not None
                present = [f"{self._read(n)} is not None" for n in check.expr.names]
                test = " and ".join([*present, f"{self._bind(check.expr.fn)}(env) is False"])
            lines += [f"    if {test}:", "        raise Reject"]
        return lines

    def _read(self, path: str) -> str:
        """The code of ``value_at(out, path)``: each level read once, a level that is not an object gives None."""
        code = "out"
        for part in path.split("."):
            key = self._bind(part)
            if code == "out":  # out is the object's dict
                code = f"out.get({key})"
            else:
                self.levels += 1
                level = f"p{self.levels}"  # a local of the generated function
                code = f"({level}.get({key}) if isinstance({level} := {code}, dict) else None)"
        return code

    def _field(self, var: str, key: str, decl: FactDecl, loader: str | None) -> list[str]:
        lines = [f"    {var} = raw.get({key})",  # absent and null are alike: required, or the default
                 f"    if {var} is None:"]
        if decl.required:
            lines.append("        raise Reject")
        else:
            lines.append(f"        {var} = {self._default(decl, loader)}")
        lines.append("    else:")
        lines += ["        " + line for line in self._convert(var, decl, loader)]
        return lines

    def _default(self, decl: FactDecl, loader: str | None) -> str:
        if decl.type == "object" and decl.default == {}:
            assert loader is not None
            empty = self._bind(None)  # the object's defaults, loaded from {} once the functions exist
            self.empty_objects.append((empty, loader))
            return f"fresh({empty})"
        if decl.default is None:
            return "None"
        if type(decl.default) not in (dict, list):  # a text, number or flag is shared as _fresh would
            return self._bind(decl.default)
        return f"fresh({self._bind(decl.default)})"

    def _convert(self, var: str, decl: FactDecl, loader: str | None) -> list[str]:
        if decl.type == "object":
            return [f"{var} = {loader}({var})"]
        if decl.type == "list":
            return [f"if type({var}) is not list or not {int(decl.min_items)} <= len({var}) <= {MAX_ITEMS}:",
                    "    raise Reject",
                    f"{var} = [{loader}(x) for x in {var}]"]
        if decl.type in ("decimal", "integer"):
            return self._number(var, decl)
        if decl.type == "bool":
            return [f"if type({var}) is not bool:", "    raise Reject"]
        if decl.type == "date":
            return [f"if type({var}) is not str or not iso_date({var}):", "    raise Reject",
                    f"{var} = from_iso({var})"]
        lines = [f"if type({var}) is not str:", "    raise Reject"]
        if decl.type == "enum":
            lines += [f"if {var} not in {self._bind(frozenset(decl.values))}:", "    raise Reject"]
        else:
            # a short text cannot be too long even normalised: only a long one is measured (by the schema's rule);
            # a blank one is the schema's too (null, or 不能为空 when required)
            lines += [f"if len({var}) > {NORMALISED_FROM} and too_long({var}) is not None "
                      f"or {self._bind(blank)}({var}):", "    raise Reject"]
        return lines

    def _number(self, var: str, decl: FactDecl) -> list[str]:
        # money.to_decimal and check_magnitude, inlined: anything unusual is left to the schema. The decimal
        # places are counted (as_tuple, slow) only where there can be too many: a text of at most 11 characters
        # without an exponent has at most 10 digits after its point, and an int has none
        lines = [f"t = type({var})",
                 "if t is str:", f"    if '_' in {var}:", "        raise Reject", f"    s = {var}.strip()",
                 f"    {var} = Decimal(s)",
                 f"    if (len(s) > 11 or 'e' in s or 'E' in s) and {var}.as_tuple().exponent < PLACES:",
                 "        raise Reject",
                 "elif t is int:", f"    {var} = Decimal({var})",
                 "elif t is not Decimal:", "    raise Reject",
                 f"elif {var}.as_tuple().exponent < PLACES:", "    raise Reject",
                 f"if not {var}.is_finite() or not -MAX < {var} < MAX:",
                 "    raise Reject"]
        for bound, test in ((decl.minimum, "{v} < {b}"), (decl.exclusive_minimum, "not {v} > {b}"),
                            (decl.maximum, "{v} > {b}")):
            if bound is not None:
                lines += [f"if {test.format(v=var, b=self._bind(bound))}:", "    raise Reject"]
        if decl.type == "integer":
            lines += [f"if {var} != {var}.to_integral_value():", "    raise Reject", f"{var} = int({var})"]
        return lines


def _fresh(value: Any) -> Any:
    """Copy a default (an empty list, or an object of defaults) so no case shares it with another."""
    if type(value) is dict:
        return {k: _fresh(v) for k, v in value.items()}
    if type(value) is list:
        return [_fresh(v) for v in value]
    return value
