"""The columns of a household register (户籍登记表), derived from the facts vocabulary.

One column per leaf fact of ``policies/expropriation/facts.yaml`` (kind ``household``), headed by
its Chinese label, so that the register and the schema cannot drift apart: a fact added there is a
column here. A list of (kind, amount) pairs (配房、储藏室、车库) becomes one amount column per kind.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from engine.facts import CaseKind, FactDecl

FAMILY, KIND = "expropriation", "household"
HOUSEHOLD_ID = "户号"
NOTE = "备注"

# Chinese names of enum values facts.yaml does not label (its own ``labels`` win where given).
ENUM_LABELS: dict[str, dict[str, str]] = {
    "property.use": {"residential": "住宅", "non_residential": "非住宅"},
    "property.certificate_use": {"residential": "住宅", "business": "营业", "other": "其他"},
    "property.legal_status": {"registered": "已登记", "legal_unregistered": "未登记但认定合法",
                              "temporary_in_period": "未超过批准期限的临时建筑",
                              "temporary_expired": "超过批准期限的临时建筑", "illegal": "违法建筑"},
    "property.decoration": {"none": "无装修", "simple": "简装修", "fine": "精装修", "special": "特殊装修"},
    "choice.mode": {"monetary": "货币补偿", "property_swap": "产权调换"},
    "choice.swap_building": {"multi_storey": "多层", "high_rise": "高层"},
    "choice.remaining_area_choice": {"money": "货币补偿", "extra_unit": "再选一套最小户型"},
}
# Headers the label alone would make ambiguous or awkward.
HEADER_OVERRIDES = {"owner.name": "被征收人"}
PREFIXES = {"choice.new_unit": "安置房", "property.courtyard": "院落"}  # nested objects whose labels repeat


@dataclass(frozen=True)
class Column:
    """One register column: its Chinese header and the fact it fills."""

    header: str
    path: str  # dotted fact path; for a list column, the list path
    decl: FactDecl
    list_key: tuple[str, str, str] | None = None  # (enum field, its value, amount field): adds list elements


def columns(kind: CaseKind) -> list[Column]:
    """Derive the register's columns from a case kind's facts, in declaration order."""
    found: list[Column] = []
    _walk(kind.facts, "", "", found)
    headers = [c.header for c in found] + [HOUSEHOLD_ID, NOTE]
    duplicates = sorted({h for h in headers if headers.count(h) > 1})
    if duplicates:  # a new fact whose label repeats another's: give it a prefix or an override
        raise ValueError(f"户籍登记表列名重复：{'、'.join(duplicates)}")
    return found


def _walk(decls: dict[str, FactDecl], prefix: str, label_prefix: str, out: list[Column]) -> None:
    for name, decl in decls.items():
        path = f"{prefix}{name}"
        if decl.type == "object":
            _walk(decl.fields, f"{path}.", PREFIXES.get(path, label_prefix), out)
        elif decl.type == "list":
            out.extend(_list_columns(path, decl))
        else:
            out.append(Column(HEADER_OVERRIDES.get(path) or _header(decl.label, label_prefix), path, decl))


def _list_columns(path: str, decl: FactDecl) -> list[Column]:
    """A list of (kind, amount) pairs becomes one amount column per kind (配房评估金额（元）...)."""
    enums = [n for n, d in decl.fields.items() if d.type == "enum"]
    others = [n for n, d in decl.fields.items() if d.type != "enum"]
    if len(enums) != 1 or len(others) != 1:
        raise ValueError(f"{path}：户籍登记表只支持“类别 + 金额”两个字段的列表")
    key, value = decl.fields[enums[0]], decl.fields[others[0]]
    return [Column(_header(value.label, enum_labels(f"{path}.{enums[0]}", key)[code]), path, value,
                   (enums[0], code, others[0])) for code in key.values]


def _header(label: str, prefix: str) -> str:
    label = label.removeprefix("（扩展）").split("；")[0]
    return label if label.startswith(prefix) else prefix + label


def enum_labels(path: str, decl: FactDecl) -> dict[str, str]:
    """Return the Chinese label of each value of an enum fact (the code itself when none is known)."""
    known = {**ENUM_LABELS.get(path, {}), **decl.labels}
    return {code: known.get(code, code) for code in decl.values}


def normalise(header: str) -> str:
    """Fold a header for matching: full-width forms, ASCII brackets and spaces do not matter."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", header))
