"""HTML forms generated from a case kind's facts vocabulary (``facts.yaml``), and form input turned back into facts.

What the officer typed is kept as a tree of strings mirroring the declarations (``Entered``); the case
sent to the engine is built from it with blanks left out, so the engine's own defaults and 422 errors
apply exactly as for the JSON API.  Numbers stay the decimal strings typed, never floats.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

from engine import FieldError
from engine.facts import FactDecl

Entered = dict[str, Any]  # name -> str (scalar), Entered (object) or list[Entered] (list)
MAX_ROWS = 50  # rows of one list a form may carry: bounds the work a crafted request can ask for
BLANK_ROWS = 1  # blank rows offered after the filled ones


@dataclass
class Field:
    """One input: a text box, a date, a choice or a check box."""

    name: str  # the fact path without ``facts.``: property.building_area, events[0].date
    label: str
    widget: str  # text | decimal | date | select | checkbox
    value: str
    required: bool = False
    choices: list[tuple[str, str]] = field(default_factory=list)  # (value, Chinese label)
    errors: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Return the element id (letters, digits and dashes only)."""
        return field_id(self.name)


@dataclass
class Group:
    """An object's fields (a fieldset), or a list's rows."""

    name: str
    label: str
    kind: str  # object | list | row
    children: list[Field | Group] = field(default_factory=list)
    required: bool = False
    errors: list[str] = field(default_factory=list)
    rows: int = 0  # for a list: how many rows the form carries
    filled: bool = False  # something below differs from the blank form (an optional section starts unfolded)

    @property
    def id(self) -> str:
        """Return the element id."""
        return field_id(self.name)



def field_id(name: str) -> str:
    """Turn a field name into an HTML id usable in CSS selectors and fragment links."""
    return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)


def initial(decls: dict[str, FactDecl]) -> Entered:
    """Return the blank form: the vocabulary's defaults, a required choice preset to its first value."""
    entered: Entered = {}
    for name, decl in decls.items():
        if decl.pii:
            continue  # nothing is computed from personal data; the page does not collect it
        if decl.type == "object":
            entered[name] = initial(decl.fields)
        elif decl.type == "list":
            entered[name] = []
        elif decl.type == "bool":
            entered[name] = _bool_text(decl.default)
        else:
            entered[name] = "" if decl.default is None else str(decl.default)
    return entered


def _bool_text(value: Any) -> str:
    return {True: "true", False: "false"}.get(value, "") if value is not None else ""


def read(decls: dict[str, FactDecl], form: MultiDict[str, str], prefix: str = "") -> Entered:
    """Read a submitted form into the entered tree; list rows left blank are dropped."""
    entered: Entered = {}
    for name, decl in decls.items():
        if decl.pii:
            continue
        key = prefix + name
        if decl.type == "object":
            entered[name] = read(decl.fields, form, key + ".")
        elif decl.type == "list":
            rows = [read(decl.fields, form, f"{key}[{i}].") for i in range(_row_count(form, key))]
            entered[name] = [row for row in rows if not _blank(decl.fields, row)]
        elif decl.type == "bool" and _checkbox(decl):
            entered[name] = "true" if form.get(key) == "true" else "false"
        elif decl.type in ("decimal", "integer", "date"):
            # NFKC: full-width digits and points typed with a Chinese input method are read as ASCII
            entered[name] = unicodedata.normalize("NFKC", form.get(key, "")).strip()
        else:  # a name or a text is kept as typed, as the API keeps it (（集团） is not (集团))
            entered[name] = form.get(key, "").strip()
    return entered


def _row_count(form: MultiDict[str, str], key: str) -> int:
    text = form.get(f"rows:{key}", "0")
    return min(int(text), MAX_ROWS) if text.isascii() and text.isdigit() else 0  # "²" is a digit to isdigit


def _checkbox(decl: FactDecl) -> bool:
    """A yes/no fact with a default is a check box; one without (not yet chosen) is a three-way choice."""
    return decl.default is not None


def _blank(decls: dict[str, FactDecl], entered: Entered) -> bool:
    """Tell whether an object was left as the blank form has it."""
    return entered == initial(decls)


def to_facts(decls: dict[str, FactDecl], entered: Entered) -> dict[str, Any]:
    """Build the case's facts from what was entered: blanks are left out, numbers stay decimal strings."""
    facts: dict[str, Any] = {}
    for name, decl in decls.items():
        value = entered.get(name)
        if value is None:
            continue
        if decl.type == "object":
            if decl.required or not _blank(decl.fields, value):
                facts[name] = to_facts(decl.fields, value)
        elif decl.type == "list":
            if value or decl.required:
                facts[name] = [to_facts(decl.fields, row) for row in value]
        elif decl.type == "bool":
            if value in ("true", "false"):
                facts[name] = value == "true"
        elif value != "":
            facts[name] = value
    return facts


def errors_by_field(errors: list[FieldError]) -> dict[str, list[str]]:
    """Group the engine's errors by form field name (``facts.events[0].date`` -> ``events[0].date``)."""
    grouped: dict[str, list[str]] = {}
    for error in errors:
        name = error.path[len("facts."):] if error.path.startswith("facts.") else ""
        grouped.setdefault(name, []).append(error.message)
    return grouped


def widgets(decls: dict[str, FactDecl], entered: Entered, errors: dict[str, list[str]],
            prefix: str = "", extra_rows: dict[str, int] | None = None) -> list[Field | Group]:
    """Build the inputs of a form from the declarations, the values entered and the errors by field."""
    nodes: list[Field | Group] = []
    for name, decl in decls.items():
        if decl.pii:
            continue
        key = prefix + name
        value = entered.get(name)
        if decl.type == "object":
            children = widgets(decl.fields, value or initial(decl.fields), errors, key + ".", extra_rows)
            filled = isinstance(value, dict) and not _blank(decl.fields, value)
            nodes.append(Group(key, decl.label or name, "object", children, decl.required, errors.get(key, []),
                               filled=filled or any(_has_errors(errors, key))))
        elif decl.type == "list":
            rows = list(value or [])
            blank = BLANK_ROWS + (extra_rows or {}).get(key, 0)
            rows += [initial(decl.fields) for _ in range(max(blank, decl.min_items - len(rows)))]
            rows = rows[:MAX_ROWS]
            group = Group(key, decl.label or name, "list", required=decl.required, errors=errors.get(key, []),
                          rows=len(rows))
            for i, row in enumerate(rows):
                row_key = f"{key}[{i}]"
                group.children.append(Group(row_key, f"{decl.label or name} 第 {i + 1} 项", "row",
                                            widgets(decl.fields, row, errors, row_key + ".", extra_rows),
                                            errors=errors.get(row_key, [])))
            nodes.append(group)
        else:
            same_as = decls[decl.default_from].label if decl.default_from in decls else ""
            nodes.append(_field(key, decl, "" if value is None else str(value), errors.get(key, []), same_as))
    return nodes


def _has_errors(errors: dict[str, list[str]], key: str) -> list[str]:
    """Return the names at or below ``key`` that carry errors."""
    return [name for name in errors if name == key or name.startswith((key + ".", key + "["))]


def _field(key: str, decl: FactDecl, value: str, errors: list[str], same_as: str) -> Field:
    label = decl.label or decl.name
    if decl.type == "enum":
        choices = [(v, decl.labels.get(v, v)) for v in decl.values]
        if not decl.required or decl.default_from:
            blank = f"（同{same_as}）" if same_as else "（未填）"
            choices.insert(0, ("", blank))
        elif decl.default is None:  # a required choice is the officer's to make: none is made for them
            choices.insert(0, ("", "（请选择）"))
        return Field(key, label, "select", value, decl.required, choices, errors)
    if decl.type == "bool":
        if _checkbox(decl):
            return Field(key, label, "checkbox", value, False, [], errors)
        return Field(key, label, "select", value, False, [("", "（未选择）"), ("true", "是"), ("false", "否")], errors)
    widget = {"decimal": "decimal", "integer": "decimal", "date": "date"}.get(decl.type, "text")
    if decl.multiline:
        widget = "textarea"  # an <input> would drop its line breaks, and with them the headings read from them
    return Field(key, label, widget, value, decl.required, [], errors)

