"""The facts vocabulary of a family (``policies/<family>/facts.yaml``) turned into strict case schemas.

Each case kind declares its facts: type, whether required, default, allowed values, bounds, a
Chinese label, whether it is personal data, and cross-field checks written in the expression
language.  From that one declaration come the marshmallow schema that validates a case (unknown
fields refused, every problem reported at its field path) and the static types expressions are
checked against.
"""
from __future__ import annotations

import copy
import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validates_schema

from .errors import FieldError
from .expressions import BOOL, DATE, LIST, NUMBER, OBJECT, STRING, Compiler, Env, Expr, Symbols, TypeInfo, parse
from .money import check_magnitude, to_decimal, too_large

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
# the longest text fact accepted, in characters: the whole 2022 gazette is about 85,000.  A bound keeps the
# text functions' work per case (engine/texts.py) well under a worker's timeout, also in a full batch
MAX_TEXT = 100_000
# the text functions compare NFKC-normalised text, and one character can normalise to 18 (U+FDFA): a text
# longer than this is also measured normalised, so that 100,000 such characters (1.8 million) are refused
NORMALISED_FROM = MAX_TEXT // 18
_CHUNK = 2_000  # normalised piece by piece, stopping once past the bound
# the longest list fact accepted, in elements: a household's ancillary rooms, an enterprise's listing events
# or payments number a few; 20,000 events took 1.3 s per case, so a full batch ran past the worker's timeout
MAX_ITEMS = 1_000
_KIND_OF = {"string": STRING, "enum": STRING, "bool": BOOL, "decimal": NUMBER, "integer": NUMBER,
            "date": DATE, "object": OBJECT, "list": LIST}

MESSAGES = {
    "required": "必填字段",
    "null": "不能为空",
    "unknown": "未知字段",
}


@dataclass
class Check:
    """A cross-field rule on one object: ``assert`` must hold, else ``message`` at ``field``."""

    expr: Expr | None
    field: str
    message: str
    when: Expr | None = None  # required_when: the field is required when this holds


@dataclass
class FactDecl:
    """One declared fact."""

    name: str
    type: str
    label: str = ""
    required: bool = False
    default: Any = None
    values: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)  # Chinese label of each enum value
    minimum: Decimal | None = None
    exclusive_minimum: Decimal | None = None
    maximum: Decimal | None = None
    min_items: int = 0
    pii: bool = False
    multiline: bool = False  # a text of several lines (a whole document): a text area in the web form
    default_from: str | None = None  # when null, take the value of this sibling fact
    fields: dict[str, FactDecl] = field(default_factory=dict)  # object fields / list item fields
    checks: list[Check] = field(default_factory=list)

    def type_info(self) -> TypeInfo:
        """Return the static type expressions see for this fact."""
        if self.type == "object":
            return TypeInfo(OBJECT, {k: v.type_info() for k, v in self.fields.items()})
        if self.type == "list":
            item = TypeInfo(OBJECT, {k: v.type_info() for k, v in self.fields.items()})
            return TypeInfo(LIST, item=item)
        return TypeInfo(_KIND_OF[self.type], values=self.values or None,
                        labels=tuple(self.labels.items()) or None)


# the statuses the engine itself answers, with their labels; a case kind's facts.yaml adds its rules' own
ENGINE_STATUSES = {"evaluated": "已计算", "no_policy_in_force": "无适用的政策版本"}


@dataclass
class CaseKind:
    """The facts of one case kind (``enterprise``, ``household``...)."""

    family: str
    kind: str
    description: str
    facts: dict[str, FactDecl]
    checks: list[Check] = field(default_factory=list)
    statuses: dict[str, str] = field(default_factory=dict)  # the rule statuses other than evaluated, with labels
    schema: Schema | None = None
    fast: Any = None  # the compiled validator of fastpath.py: the schema's answer for well-formed cases

    def status_label(self, code: str) -> str:
        """Return the Chinese label of an answer status: the engine's own, or one declared in facts.yaml."""
        return self.statuses.get(code) or ENGINE_STATUSES.get(code, code)

    def symbols(self) -> dict[str, TypeInfo]:
        """Return the static types of the top-level facts."""
        return {k: v.type_info() for k, v in self.facts.items()}

    def pii_paths(self) -> set[str]:
        """Dotted paths of the facts marked ``pii`` (``[]`` stands for any list element)."""
        def walk(decls: dict[str, FactDecl], prefix: str) -> set[str]:
            found = set()
            for name, decl in decls.items():
                if decl.pii:
                    found.add(prefix + name)
                step = "[]." if decl.type == "list" else "."
                found |= walk(decl.fields, f"{prefix}{name}{step}")
            return found

        return walk(self.facts, "")

    def load(self, raw: Any) -> dict[str, Any]:
        """Validate and normalise a case's facts; raise ``ValidationError`` listing every problem."""
        assert self.schema is not None
        if self.fast is not None:
            loaded = self.fast(raw)
            if loaded is not None:
                return loaded
        return self.schema.load(raw)



def build_schema(kind: CaseKind) -> None:
    """Build the marshmallow schema of a case kind from its declarations."""
    from .fastpath import compile_kind

    kind.schema = _object_schema(kind.facts, f"{kind.family}_{kind.kind}", kind.checks)()
    kind.fast = compile_kind(kind.facts, kind.checks)


class _Decimal(fields.Field):
    default_error_messages = {"invalid": "不是有效的数值（请用十进制字符串，如 \"405000.00\"）"}

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Decimal:
        try:
            number = to_decimal(value)
        except ValueError as e:
            if isinstance(value, str) and value.strip():  # say what was read: "1,234.50", "120.5㎡", "１４０．０３"
                raise ValidationError(_not_a_number(value)) from e
            raise self.make_error("invalid") from e
        try:
            check_magnitude(number)
        except ValueError as e:
            raise ValidationError(str(e)) from e
        return number


def _not_a_number(text: str) -> str:
    shown = text if len(text) <= 40 else text[:40] + "…"
    try:
        to_decimal(unicodedata.normalize("NFKC", text))
    except ValueError:
        return f"“{shown}”不是有效的数值（只写数字和小数点，不加单位、千分位逗号或空格，如 \"405000.00\"）"
    return f"“{shown}”中有全角字符：请用半角数字和小数点，如 \"{unicodedata.normalize('NFKC', text).strip()}\""


class _Integer(fields.Field):
    default_error_messages = {"invalid": "应为整数"}

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> int:
        try:
            number = to_decimal(value)
        except ValueError as e:
            raise self.make_error("invalid") from e
        if too_large(number):  # first: to_integral_value of 1e1000000 overflows
            raise self.make_error("invalid")
        if number != number.to_integral_value():
            raise self.make_error("invalid")
        return int(number)


class _Bool(fields.Field):
    default_error_messages = {"invalid": "应为 true 或 false"}

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class _BoundedList(fields.List):
    """A list of at most MAX_ITEMS elements, refused before its elements are read (which would take the time
    the bound saves)."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, list) and len(value) > MAX_ITEMS:
            raise ValidationError(f"列表不能超过 {MAX_ITEMS} 项，收到 {len(value)} 项")
        return super()._deserialize(value, attr, data, **kwargs)


class _Text(fields.Field):
    default_error_messages = {"invalid": "应为文本"}

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str | None:
        if not isinstance(value, str):
            raise self.make_error("invalid")
        if _not_given(value):  # blank is not given: a required text must say something
            if self.required:
                raise ValidationError(MESSAGES["null"])
            return None
        return value


class _Date(fields.Field):
    default_error_messages = {"invalid": "不是有效日期（格式 YYYY-MM-DD）"}

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> datetime.date:
        if isinstance(value, str) and not value.isascii() and ISO_DATE.fullmatch(unicodedata.normalize("NFKC", value)):
            raise ValidationError(f"日期请用半角数字书写，如 2023-09-28：收到 {value}")  # not 不存在的日期: it exists
        if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
            raise self.make_error("invalid")
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as e:
            raise ValidationError(f"不存在的日期：{value}") from e


def _field(decl: FactDecl, owner: str) -> fields.Field:
    messages = {"required": MESSAGES["required"], "null": MESSAGES["null"]}
    # the declaration rides along in metadata so that api_spec.py can describe the field in OpenAPI
    common: dict[str, Any] = {"required": decl.required, "allow_none": not decl.required,
                              "error_messages": messages, "metadata": {"fact": decl}}
    if not decl.required:
        # an absent object that defaults to {} is filled after loading (fill_defaults), with its own defaults
        common["load_default"] = None if decl.type == "object" else decl.default
    validators = []
    if decl.type in ("decimal", "integer"):
        validators.append(bounds_check(decl))
    if decl.type == "enum":
        allowed = decl.values

        def one_of(value: Any) -> None:
            if value is not None and value not in allowed:  # None: an optional choice left blank, not given
                raise ValidationError(f"取值应为 {' | '.join(allowed)} 之一，收到 {value!r}")

        validators.append(one_of)
    if decl.type == "string":
        validators.append(_short_enough)
    if validators:
        common["validate"] = validators
    if decl.type == "object":
        return fields.Nested(_object_schema(decl.fields, f"{owner}_{decl.name}", decl.checks), **common)
    if decl.type == "list":
        inner = fields.Nested(_object_schema(decl.fields, f"{owner}_{decl.name}", decl.checks),
                              error_messages={"type": "每一项应为对象", "null": MESSAGES["null"]})
        if decl.min_items:
            count = decl.min_items

            def at_least(value: list[Any]) -> None:
                if len(value) < count:
                    raise ValidationError(f"至少需要 {count} 项")

            common["validate"] = [at_least]
        messages["invalid"] = "应为列表"
        return _BoundedList(inner, **common)
    if decl.type == "decimal":
        return _Decimal(**common)
    if decl.type == "integer":
        return _Integer(**common)
    if decl.type == "bool":
        return _Bool(**common)
    if decl.type == "date":
        return _Date(**common)
    return _Text(**common)


def text_too_long(value: str) -> str | None:
    """Why a text fact is too long to accept, or None: over MAX_TEXT characters as sent, or once normalised."""
    if len(value) > MAX_TEXT:
        return f"文本不能超过 {MAX_TEXT} 个字符，收到 {len(value)} 个"
    if len(value) > NORMALISED_FROM and not unicodedata.is_normalized("NFKC", value):
        normalised = 0
        for start in range(0, len(value), _CHUNK):  # normalising all of 100,000 U+FDFA at once takes 150 ms
            normalised += len(unicodedata.normalize("NFKC", value[start:start + _CHUNK]))
            if normalised > MAX_TEXT:
                return f"文本规范化（NFKC，全角半角等统一写法）后不能超过 {MAX_TEXT} 个字符，收到 {len(value)} 个"
    return None


def _short_enough(value: str | None) -> None:
    if value is None:  # a blank text, read as not given
        return
    why = text_too_long(value)
    if why is not None:
        raise ValidationError(why)


def bounds_check(decl: FactDecl) -> Any:
    def check(value: Decimal) -> None:
        if decl.exclusive_minimum is not None and not value > decl.exclusive_minimum:
            raise ValidationError(f"必须大于 {decl.exclusive_minimum}")
        if decl.minimum is not None and value < decl.minimum:
            raise ValidationError(f"不能小于 {decl.minimum}")
        if decl.maximum is not None and value > decl.maximum:
            raise ValidationError(f"不能大于 {decl.maximum}")

    return check


def _object_schema(decls: dict[str, FactDecl], name: str, checks: list[Check] | None = None) -> type[Schema]:
    attrs: dict[str, Any] = {name_: _field(decl, name) for name_, decl in decls.items()}
    own_checks = list(checks or [])
    defaults = {k: d.default for k, d in decls.items() if not d.required and d.default is not None}
    for key, decl in decls.items():
        if decl.type == "object" and decl.default == {}:
            # an absent object stands for one with all its own defaults (owner.individual: true ...)
            defaults[key] = _object_schema(decl.fields, f"{name}_{key}_default", decl.checks)().load({})
    copied = {k: d.default_from for k, d in decls.items() if d.default_from}

    class Meta:
        unknown = RAISE

    attrs["Meta"] = Meta
    attrs["error_messages"] = {"unknown": MESSAGES["unknown"], "type": "应为对象"}

    def fill_defaults(self: Schema, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        for key, default in defaults.items():
            if data.get(key) is None:
                data[key] = copy.deepcopy(default)
        for key, source in copied.items():
            if data.get(key) is None:
                data[key] = data.get(source)
        return data

    def run_checks(self: Schema, data: dict[str, Any], original: Any = None, **kwargs: Any) -> None:
        filled = fill_defaults(self, dict(data))
        env = Env(facts=filled, params={})
        errors: dict[str, Any] = {}
        for check in own_checks:
            if check.when is not None:  # a value given but invalid has its own error: it is not also missing
                failed = (bool(check.when(env)) and value_at(filled, check.field) is None
                          and _not_given(value_at(original, check.field)))
            else:
                # a check on a missing or invalid value is left to that value's own error
                assert check.expr is not None
                failed = all(value_at(filled, n) is not None for n in check.expr.names) and check.expr(env) is False
            if failed:
                _nest(errors, check.field.split("."), check.message)
        if errors:
            raise ValidationError(errors)

    attrs["_fill_defaults"] = post_load(fill_defaults)
    attrs["_run_checks"] = validates_schema(skip_on_field_errors=False, pass_original=True)(run_checks)
    return type(name, (Schema,), attrs)


def _not_given(value: Any) -> bool:
    """Absent, null, or a blank text (read as null)."""
    return value is None or (isinstance(value, str) and blank(value))


def blank(text: str) -> bool:
    """A text that shows nothing: empty, spaces, or only invisible format characters (U+200B, U+FEFF)."""
    return all(c.isspace() or unicodedata.category(c) == "Cf" for c in text)


def value_at(data: Any, path: str) -> Any:
    """Read a dotted path (``prices.market_unit_price``) in loaded facts; a missing level gives None."""
    for part in path.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _nest(errors: dict[str, Any], parts: list[str], message: str) -> None:
    for part in parts[:-1]:
        errors = errors.setdefault(part, {})
    errors.setdefault(parts[-1], []).append(message)


def flatten_errors(messages: Any, prefix: str = "facts") -> list[FieldError]:
    """Flatten marshmallow's nested error dict into field-path errors (``facts.events[0].date``)."""
    found: list[FieldError] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            if key == "_schema":
                found.extend(flatten_errors(value, prefix))
            elif isinstance(key, int):
                found.extend(flatten_errors(value, f"{prefix}[{key}]"))
            else:
                found.extend(flatten_errors(value, f"{prefix}.{key}"))
    elif isinstance(messages, list):
        for value in messages:
            if isinstance(value, (dict, list)):
                found.extend(flatten_errors(value, prefix))
            else:
                found.append(FieldError(prefix, str(value)))
    else:
        found.append(FieldError(prefix, str(messages)))
    return found


def compile_check(text: str, decls: dict[str, FactDecl]) -> Expr:
    """Compile a check expression; it sees the fields of the object it is declared on, by bare name."""
    symbols = Symbols(facts={k: v.type_info() for k, v in decls.items()}, params={})
    return Compiler(symbols, text).compile(parse(text))
