"""The shape of policy files, and a validator that reports every deviation at its line and column.

Two kinds of file live under ``policies/<family>/``:

- ``facts.yaml``: the facts vocabulary of the family's case kinds (see ``facts.py``);
- one file per version of the legal instrument (``VERSION_FILE`` below).

The shapes are data; ``check`` walks a parsed file against one and returns ``Problem``s.  Meaning
(expressions, names, overlaps) is checked afterwards by the loader.
"""
from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar

from .errors import Problem
from .expressions import did_you_mean
from .money import ROUNDING_MODES
from .yaml_source import InvalidDate, key_position, value_position


class Shape:
    """What a value must look like."""

    name = "值"

    def check(self, value: Any, ctx: Ctx, parent: Any, key: Any) -> None:
        raise NotImplementedError


@dataclass
class Ctx:
    file: str
    problems: list[Problem] = field(default_factory=list)
    path: tuple[Any, ...] = ()

    def report(self, parent: Any, key: Any, message: str, at_key: bool = False) -> None:
        line, col = key_position(parent, key) if at_key else value_position(parent, key)
        yaml_path = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in self.path)
        self.problems.append(Problem(self.file, line, col, message, yaml_path.replace(".[", "[")))

    def at(self, key: Any) -> Ctx:
        return Ctx(self.file, self.problems, self.path + (key,))


class Text(Shape):
    name = "文本"

    def check(self, value: Any, ctx: Ctx, parent: Any, key: Any) -> None:
        if not isinstance(value, str) or not value.strip():
            ctx.report(parent, key, f"应为非空文本，实际为{describe(value)}")


class VersionName(Text):
    """A version's name; an unquoted date such as 2022-04-29 is accepted as its text."""

    def check(self, value: Any, ctx: Ctx, parent: Any, key: Any) -> None:
        if not isinstance(value, datetime.date) or isinstance(value, InvalidDate):
            super().check(value, ctx, parent, key)


class Expression(Text):
    """An expression's text; numbers are accepted too (``amount: 2000``), and true/false for a condition."""

    name = "表达式"

    def __init__(self, condition: bool = False):
        self.condition = condition

    def check(self, value: Any, ctx: Ctx, parent: Any, key: Any) -> None:
        if isinstance(value, bool) and self.condition:
            return
        if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
            ctx.report(parent, key, f"应为表达式（文本或数值），实际为{describe(value)}")


class Boolean(Shape):
    name = "真假值"

    def check(self, value: Any, ctx: Ctx, parent: Any, key: Any) -> None:
        if not isinstance(value, bool):
            ctx.report(parent, key, f"应为 true 或 false，实际为{describe(value)}")


class Number(Shape):
    name = "数值"

    def check(self, value: Any, ctx: Ctx, parent: Any, key: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            if isinstance(value, str):
                try:
                    Decimal(value)
                    return
                except ArithmeticError:
                    pass
            ctx.report(parent, key, f"应为数值，实际为{describe(value)}")


class Integer(Shape):
    name = "整数"

    def check(self, value: Any, ctx: Ctx, parent: Any, key: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            ctx.report(parent, key, f"应为非负整数，实际为{describe(value)}")


def _bad_date(text: str) -> str:
    """Say why a date-like text is not a date: a time after a real day (2022-04-29 00:00:00), or no such day."""
    day = text.strip()[:10]
    try:
        datetime.date.fromisoformat(day)
    except ValueError:
        return f"不存在的日期：{text}"
    return f"日期不能带时间：{text}（写作 {day}）"


class Date(Shape):
    name = "日期"

    def __init__(self, nullable: bool = False):
        self.nullable = nullable

    def check(self, value: Any, ctx: Ctx, parent: Any, key: Any) -> None:
        if value is None and self.nullable:
            return
        if isinstance(value, InvalidDate):
            ctx.report(parent, key, _bad_date(value.text))
        elif not isinstance(value, datetime.date):
            ctx.report(parent, key, f"应为日期（YYYY-MM-DD），实际为{describe(value)}")


class OneOf(Shape):
    def __init__(self, *values: str):
        self.values = values
        self.name = " | ".join(values)

    def check(self, value: Any, ctx: Ctx, parent: Any, key: Any) -> None:
        if value not in self.values:
            hint = did_you_mean(str(value), self.values) if isinstance(value, str) else ""
            ctx.report(parent, key, f"取值应为 {self.name} 之一，实际为{describe(value)}{hint}")


class Scalar(Shape):
    """A plain value: number, text, true/false or date (an empty list too, where ``lists`` is set)."""

    name = "数值、文本、真假值或日期"

    def __init__(self, lists: bool = False):
        self.lists = lists

    def check(self, value: Any, ctx: Ctx, parent: Any, key: Any) -> None:
        if isinstance(value, (str, int, Decimal, bool, datetime.date)) and not isinstance(value, InvalidDate):
            return
        if self.lists and isinstance(value, (CommentedSeq, CommentedMap)) and not value:
            return
        ctx.report(parent, key, f"应为{self.name}，实际为{describe(value)}")


class Either(Shape):
    """One of several shapes (``once: true`` or ``once: {finding: ...}``; ``in_total: subtract``)."""

    def __init__(self, name: str, *shapes: Shape):
        self.shapes = shapes
        self.name = name

    def check(self, value: Any, ctx: Ctx, parent: Any, key: Any) -> None:
        for shape in self.shapes:
            if isinstance(shape, Map) and isinstance(value, CommentedMap):
                shape.check(value, ctx, parent, key)  # a mapping gets the mapping's detailed problems
                return
            trial = Ctx(ctx.file, [], ctx.path)
            shape.check(value, trial, parent, key)
            if not trial.problems:
                return
        ctx.report(parent, key, f"应为{self.name}，实际为{describe(value)}")


class Map(Shape):
    """A mapping with known keys: unknown keys are refused with a "did you mean", required ones demanded."""

    name = "映射"

    def __init__(self, keys: dict[str, Shape], required: tuple[str, ...] = ()):
        self.keys = keys
        self.required = required

    def check(self, value: Any, ctx: Ctx, parent: Any, key: Any) -> None:
        if not isinstance(value, CommentedMap):
            ctx.report(parent, key, f"应为映射（键: 值），实际为{describe(value)}")
            return
        meant: set[str] = set()  # a misspelt key already says which key was meant: not "missing" twice
        for name in value:
            if name not in self.keys:
                allowed = "、".join(self.keys)
                close = difflib.get_close_matches(str(name), list(self.keys), n=1, cutoff=0.6)
                meant.update(close)
                split = str(name).isdigit() and value[name] is None  # {value: 1,500} reads as 1 and a key 500
                hint = ("；数值中的千分位逗号在 { } 中把数字拆成了几项，请不写逗号（如 1500000）" if split else "")
                ctx.at(name).report(value, name, f"未知的键“{name}”{did_you_mean(str(name), self.keys)}"
                                    f"（可用：{allowed}）{hint}", at_key=True)
        for name in self.required:
            if name not in value and name not in meant:
                ctx.report(parent, key, f"缺少必需的键“{name}”")
        for name, shape in self.keys.items():
            if name in value:
                shape.check(value[name], ctx.at(name), value, name)


class DictOf(Shape):
    """A mapping with free keys (names, dates) whose values share one shape."""

    name = "映射"

    def __init__(self, keys: Shape, values: Shape, non_empty: bool = False):
        self.key_shape = keys
        self.values = values
        self.non_empty = non_empty

    def check(self, value: Any, ctx: Ctx, parent: Any, key: Any) -> None:
        if not isinstance(value, CommentedMap):
            ctx.report(parent, key, f"应为映射（键: 值），实际为{describe(value)}")
            return
        if self.non_empty and not value:
            ctx.report(parent, key, "不能为空")
        for name, item in value.items():
            if isinstance(self.key_shape, Date):
                if isinstance(name, InvalidDate):
                    ctx.at(str(name)).report(value, name, _bad_date(str(name)), at_key=True)
                elif not isinstance(name, datetime.date):
                    ctx.at(str(name)).report(value, name, f"键应为日期（YYYY-MM-DD），实际为{describe(name)}",
                                             at_key=True)
            elif not isinstance(name, str) or not name.isidentifier():
                ctx.at(str(name)).report(value, name, f"名称应由字母、数字和下划线组成，实际为{describe(name)}",
                                         at_key=True)
            self.values.check(item, ctx.at(str(name)), value, name)


class ListOf(Shape):
    name = "列表"

    def __init__(self, items: Shape, non_empty: bool = False):
        self.items = items
        self.non_empty = non_empty

    def check(self, value: Any, ctx: Ctx, parent: Any, key: Any) -> None:
        if not isinstance(value, CommentedSeq):
            ctx.report(parent, key, f"应为列表，实际为{describe(value)}")
            return
        if self.non_empty and not value:
            ctx.report(parent, key, "列表不能为空")
        for index, item in enumerate(value):
            self.items.check(item, ctx.at(index), value, index)


def describe(value: Any) -> str:
    """A value as a drafter would name it: 文本“…”, 数值 5, 日期 2022-01-01, 列表 ..."""
    tag = getattr(getattr(value, "tag", None), "value", None)
    if isinstance(tag, str) and tag.startswith("tag:yaml.org,2002:python"):
        return f"不允许的 YAML 标签 !!{tag.split(':', 2)[-1]}"
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return f"真假值 {str(value).lower()}"
    if isinstance(value, (int, Decimal)):
        return f"数值 {value}"
    if isinstance(value, InvalidDate):
        return f"不存在的日期 {value.text}"
    if isinstance(value, datetime.date):
        return f"日期 {value.isoformat()}"
    if isinstance(value, str):
        return f"文本“{value}”"
    if isinstance(value, CommentedMap):
        return "映射"
    if isinstance(value, CommentedSeq):
        return "列表"
    if isinstance(value, TaggedScalar):  # effective_to: !date 2022-01-01
        return f"带标签 {value.tag.value} 的值“{value.value}”（请去掉标签）"
    return "无法识别的值"


# -- the facts file ------------------------------------------------------------------------

FACT_TYPE_NAMES = ("string", "enum", "bool", "decimal", "integer", "date", "object", "list")

CHECK = Map({"assert": Expression(), "required_when": Expression(), "field": Text(), "message": Text()},
            required=("field", "message"))


class _FactShape(Map):
    """A fact declaration; object and list facts nest further declarations under ``fields``."""

    def __init__(self) -> None:
        super().__init__({}, required=("type",))

    def check(self, value: Any, ctx: Ctx, parent: Any, key: Any) -> None:
        self.keys = {
            "type": OneOf(*FACT_TYPE_NAMES), "label": Text(), "description": Text(), "required": Boolean(),
            "default": Scalar(lists=True), "values": ListOf(Text(), non_empty=True), "minimum": Number(),
            "exclusive_minimum": Number(), "maximum": Number(), "min_items": Integer(), "pii": Boolean(),
            "multiline": Boolean(),
            "fields": DictOf(Text(), self), "checks": ListOf(CHECK), "default_from": Text(),
            "labels": DictOf(Text(), Text()),
        }
        super().check(value, ctx, parent, key)
        if not isinstance(value, CommentedMap):
            return
        kind = value.get("type")
        if kind == "enum" and "values" not in value:
            ctx.report(parent, key, "enum 类型的事实需要“values”列出可选值")
        if kind in ("object", "list") and "fields" not in value:
            ctx.report(parent, key, f"{kind} 类型的事实需要“fields”声明其字段")


FACTS_FILE = Map(
    {"family": Text(), "kinds": DictOf(Text(), Map(
        {"description": Text(), "facts": DictOf(Text(), _FactShape(), non_empty=True),
         "checks": ListOf(CHECK), "statuses": DictOf(Text(), Text())}, required=("facts",)), non_empty=True)},
    required=("family", "kinds"),
)

# -- a version file ------------------------------------------------------------------------

ARTICLE_LIST = ListOf(Text(), non_empty=True)
ARTICLE_STATUSES = ("computed", "procedural", "declaratory")

ITEM = Map(
    {"code": Text(), "label": Text(), "amount": Expression(), "explanation": Text(),
     "rounding": Map({"quantum": Number(), "mode": OneOf(*ROUNDING_MODES)}),
     "in_total": Either("true、false 或 subtract", Boolean(), OneOf("subtract")),
     "articles": ARTICLE_LIST},
    required=("code", "label", "amount", "explanation"),
)
FINDING = Map(
    {"code": Text(), "severity": OneOf("info", "warning", "violation"), "message": Text(),
     "articles": ARTICLE_LIST},
    required=("code", "severity", "message"),
)
RULE = Map(
    {"id": Text(), "article": Text(), "text": Text(), "for_each": Text(), "as": Text(),
     "when": Expression(condition=True),
     "once": Either("true、false 或 {finding: 提示}", Boolean(), Map({"finding": Text()}, required=("finding",))),
     "interpretations": ListOf(Text()), "sets": DictOf(Text(), Expression()), "items": ListOf(ITEM),
     "findings": ListOf(FINDING), "status": Map({"code": Text(), "reason": Text()}, required=("code", "reason")),
     "articles": ARTICLE_LIST},
    # when is required: a rule that forgot it would apply to every case ("when: true" says so on purpose)
    required=("id", "article", "text", "when"),
)
QUANTITY = Map({"expr": Expression(), "label": Text(), "report": Boolean()}, required=("expr",))
# an indicator table (engine/indicators.py): numeric targets and dated milestones, compiled into rules
TARGET_ROW = Map(
    {"id": Text(), "article": Text(), "text": Text(), "label": Text(),
     "direction": OneOf("at_least", "at_most", "about", "reach_about"), "target": Expression(), "unit": Text(),
     "lead_units": ARTICLE_LIST, "target_year": Integer(), "every_year": Boolean(), "advocated": Boolean(),
     "interpretations": ListOf(Text())},
    required=("id", "article", "text", "label", "direction", "target", "lead_units"),
)
MILESTONE_ROW = Map(
    {"id": Text(), "article": Text(), "text": Text(), "label": Text(), "deadline": Text(),
     "lead_units": ARTICLE_LIST, "interpretations": ListOf(Text())},
    required=("id", "article", "text", "label", "deadline", "lead_units"),
)
INDICATORS = Map(
    {"figures": Text(), "baselines": Text(), "base_year": Integer(), "due": Expression(), "due_label": Text(),
     "progress": Expression(), "period": Text(), "about_tolerance": Number(),
     "at_risk_interpretations": ListOf(Text()), "milestone_interpretations": ListOf(Text()),
     "milestones_fact": Text(), "reported_on": Text(),
     "targets": ListOf(TARGET_ROW), "milestones": ListOf(MILESTONE_ROW)},
    required=("period",),
)
CASE = Map(
    {"governing_date": Text(), "derived": DictOf(Text(), Expression()), "quantities": DictOf(Text(), QUANTITY),
     "rules": ListOf(RULE, non_empty=True), "indicators": INDICATORS,
     "deductions": Map({"list": Text(), "code": Text(), "amount": Text(), "article": Text(), "text": Text()},
                       required=("list", "code", "amount", "article", "text"))},
    required=("governing_date",),  # and rules, or indicators: checked by the version compiler
)
VALUE = Map({"value": Scalar(), "article": Text(), "text": Text()}, required=("value", "article", "text"))
VERSION_FILE = Map(
    {
        "family": Text(),
        "version": VersionName(),
        "document": Map({"title": Text(), "number": Text(), "issuer": Text(), "issued": Date(),
                         "section": Text(), "source": Text()},
                        required=("title", "number", "issuer", "issued")),
        "effective_from": Date(),
        "effective_to": Date(nullable=True),
        "validity": Map({"article": Text(), "text": Text(), "before": Text(), "after": Text(),
                         "before_article": Text(), "after_article": Text()},
                        required=("article", "text", "before", "after")),
        "parameters": DictOf(Text(), Map({"label": Text(), "unit": Text(),
                                          "values": DictOf(Date(), VALUE, non_empty=True)},
                                         required=("label", "values"))),
        "interpretations": ListOf(Map({"id": Text(), "article": Text(), "text": Text(), "reading": Text(),
                                       "alternative": Text(), "source": Text()},
                                      required=("id", "article", "text", "reading", "alternative"))),
        "cases": DictOf(Text(), CASE, non_empty=True),
        "articles": ListOf(Map({"id": Text(), "chapter": Text(), "status": OneOf(*ARTICLE_STATUSES),
                                "note": Text(), "text": Text()}, required=("id", "status", "text"))),
    },
    required=("family", "version", "document", "effective_from", "validity", "cases"),
)


def check(data: Any, shape: Shape, file: str) -> list[Problem]:
    """Validate a parsed file against a shape; return every problem found."""
    ctx = Ctx(file)
    holder = CommentedMap()
    holder["<root>"] = data
    if data is None:
        return [Problem(file, 1, 1, "文件为空")]
    shape.check(data, ctx, holder, "<root>")
    return ctx.problems
