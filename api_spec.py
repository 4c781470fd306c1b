"""The OpenAPI 3.1 document of the JSON API, generated from the marshmallow schemas (apispec).

Two sources, nothing hard-coded: the request schemas are the facts schemas ``engine/facts.py`` builds
from each loaded family's ``facts.yaml`` (so a new family appears by being loaded), and the paths are
every view of the ``api`` blueprint, each describing its own operation in YAML after ``---`` in its
docstring (so a new endpoint appears by being written). Answers and errors come from ``api_schemas.py``.
"""
from __future__ import annotations

import importlib.metadata
from decimal import Decimal
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec_webframeworks.flask import FlaskPlugin
from flask import Flask
from marshmallow import Schema, fields
from marshmallow.validate import OneOf

import api_schemas
from engine.facts import ENGINE_STATUSES, MAX_ITEMS, MAX_TEXT, Check, FactDecl
from engine.money import MAX_MAGNITUDE, MAX_PLACES
from engine.policy import PolicySet

OPENAPI_VERSION = "3.1.0"  # JSON Schema 2020-12: "string or number or null" is said plainly, no `nullable`
BLUEPRINT = "api"
# The decimal text the service documents: plain positional, |x| < 10^15, at most 10 decimals
# (engine/money.py: check_magnitude). The parser also takes a few other spellings ("1e3"); the spec
# promises only this one.
_DIGITS = f"[0-9]{{1,{len(str(MAX_MAGNITUDE)) - 1}}}"
DECIMAL_TEXT = rf"^-?{_DIGITS}(\.[0-9]{{1,{MAX_PLACES}}})?$"
NON_NEGATIVE_DECIMAL_TEXT = rf"^{_DIGITS}(\.[0-9]{{1,{MAX_PLACES}}})?$"
INTEGER_TEXT = rf"^-?{_DIGITS}$"
NON_NEGATIVE_INTEGER_TEXT = rf"^{_DIGITS}$"
DATE_TEXT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DESCRIPTION = "按案件事实与管辖日期选定政策版本，计算补偿、补助与程序结论；金额一律以十进制字符串输出。"

ERROR_RESPONSES = {
    "BadJSON": "请求不合规：请求体不是有效的 JSON（errors 写明行列），explain 的取值无效，"
               "或 Idempotency-Key 超过 200 字符（批量接口：不接受幂等键）",
    "NotFound": "未知的政策族、案件类型、版本或地址",
    "TooLarge": "请求体超过大小限制（LANSHAN_MAX_CONTENT_LENGTH）",
    "Invalid": "案件无效：逐一列出每个问题及其字段路径",
    "LogUnavailable": "决定日志数据库不可用：本次未作出决定，可稍后重试",
    "LogUnreadable": "决定日志数据库不可用，可稍后重试",
    "NotJSON": "请求体未声明为 JSON（Content-Type 应为 application/json）",
}


def openapi(app: Flask, policies: PolicySet) -> dict[str, Any]:
    """Return the app's OpenAPI document for the policies in use, rebuilt only when they change."""
    cached = app.extensions.get("lanshan.openapi")
    if cached is None or cached[0] != policies.content_hash:
        cached = (policies.content_hash, build_spec(app, policies))
        app.extensions["lanshan.openapi"] = cached
    return cached[1]


def build_spec(app: Flask, policies: PolicySet) -> dict[str, Any]:
    """Build the OpenAPI document for an app and the policies it has loaded."""
    marshmallow = MarshmallowPlugin()
    spec = APISpec(
        title="兰山区规则服务 (Lanshan rules service)",
        version=_version(),
        openapi_version=OPENAPI_VERSION,
        plugins=[FlaskPlugin(), marshmallow],
        info={"description": DESCRIPTION},
    )
    assert marshmallow.converter is not None  # set by APISpec when it initialises its plugins
    marshmallow.converter.add_attribute_function(fact_properties)
    for name, schema in api_schemas.COMPONENTS.items():
        spec.components.schema(name, schema=_with_statuses(schema, policies) if name == "Answer" else schema)
    for name, description in ERROR_RESPONSES.items():
        spec.components.response(name, {"description": description,
                                         "content": {"application/json": {"schema": _ref("Errors")}}})
    spec.components.schema("EvaluateRequest", {"oneOf": _requests(spec, policies)})
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint.split(".")[0] == BLUEPRINT:
            # every URL variable is a required path parameter even if the docstring forgets it (an
            # operation that declares it, with a description or example, overrides this default)
            parameters = [{"in": "path", "name": name, "required": True, "schema": {"type": "string"}}
                          for name in sorted(rule.arguments)]
            spec.path(view=app.view_functions[rule.endpoint], app=app, parameters=parameters)
    document = spec.to_dict()
    limit = app.config.get("BATCH_MAX_CASES")  # configurable, so not in the docstring; a bare app has none
    if limit is not None and "/evaluate/batch" in document["paths"]:
        batch = document["paths"]["/evaluate/batch"]["post"]["requestBody"]["content"]["application/json"]
        batch["schema"]["properties"]["cases"]["maxItems"] = int(limit)
    return document


def api_views(app: Flask) -> dict[str, tuple[str, set[str]]]:
    """Return each ``api`` blueprint endpoint with its URL rule and HTTP methods (HEAD/OPTIONS aside)."""
    return {rule.endpoint: (rule.rule, set(rule.methods or ()) - {"HEAD", "OPTIONS"})
            for rule in app.url_map.iter_rules() if rule.endpoint.split(".")[0] == BLUEPRINT}


def _requests(spec: APISpec, policies: PolicySet) -> list[dict[str, str]]:
    """Register one envelope schema per loaded (family, case kind) and return references to them.

    ``oneOf`` over envelopes whose ``policy`` and ``kind`` are each pinned to one value, rather than
    a discriminator: the choice depends on two properties (and ``kind`` may be left out when the
    family has one kind), which an OpenAPI discriminator (one property) cannot say; plain JSON Schema
    ``oneOf`` with ``enum`` is understood by every validator and lets schemathesis generate each branch.
    """
    refs = []
    for family in sorted(policies.families.values(), key=lambda f: f.name):
        for kind_name, kind in sorted(family.kinds.items()):
            assert kind.schema is not None
            envelope = Schema.from_dict({
                "policy": fields.String(required=True, validate=OneOf([family.name]),
                                        metadata={"description": "政策族"}),
                "kind": fields.String(required=len(family.kinds) > 1, validate=OneOf([kind_name]),
                                      metadata={"description": "案件类型（政策族只有一种时可省略）"}),
                "facts": fields.Nested(type(kind.schema), required=True, metadata={
                    "description": kind.description + _checks_note(kind.checks)}),
            }, name=f"{family.name}.{kind_name}.request")
            name = f"EvaluateRequest.{family.name}.{kind_name}"
            spec.components.schema(name, schema=envelope)
            refs.append(_ref(name))
    return refs


def _with_statuses(schema: type[Schema], policies: PolicySet) -> type[Schema]:
    """Pin the answer's ``status`` to the engine's statuses and those each case kind declares in facts.yaml
    (the loader refuses a rule whose status is not declared)."""
    statuses = set(ENGINE_STATUSES)
    for family in policies.families.values():
        for kind in family.kinds.values():
            statuses.update(kind.statuses)
    status = fields.String(required=True, validate=OneOf(sorted(statuses)), metadata=schema().fields["status"].metadata)
    return type(schema.__name__, (schema,), {"status": status})


def fact_properties(self: Any, field: fields.Field, **kwargs: Any) -> dict[str, Any]:
    """Describe a facts field from its ``facts.yaml`` declaration (an apispec attribute function)."""
    decl: FactDecl | None = field.metadata.get("fact")
    if decl is None:
        return {}
    ret: dict[str, Any] = kwargs.get("ret", {})
    out: dict[str, Any] = {"description": _label(decl)}
    nullable = field.allow_none and decl.type not in ("object", "list")  # apispec already did those two
    if decl.type == "decimal":
        text = NON_NEGATIVE_DECIMAL_TEXT if _at_least_zero(decl) else DECIMAL_TEXT
        out["anyOf"] = [{"type": "string", "pattern": text}, {"type": "number", **_bounds(decl)}]
    elif decl.type == "integer":
        text = NON_NEGATIVE_INTEGER_TEXT if _at_least_zero(decl) else INTEGER_TEXT
        out["anyOf"] = [{"type": "integer", **_bounds(decl)}, {"type": "string", "pattern": text}]
    elif decl.type == "enum":
        out.update(type="string", enum=list(decl.values))
    elif decl.type == "bool":
        out["type"] = "boolean"
    elif decl.type == "date":
        out.update(type="string", format="date", pattern=DATE_TEXT)
    elif decl.type == "string":
        out.update(type="string", maxLength=MAX_TEXT)
        out["description"] += f"（NFKC 规范化后也不超过 {MAX_TEXT} 个字符）"
    elif decl.type == "list":
        out["maxItems"] = MAX_ITEMS
        if decl.min_items:
            out["minItems"] = decl.min_items
    if nullable:
        if "anyOf" in out:
            out["anyOf"].append({"type": "null"})
        else:
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"].append(None)
    if "default" in ret:
        out["default"] = _json_value(ret["default"])
    if decl.pii:
        out["x-personal-data"] = True
    return out


def _label(decl: FactDecl) -> str:
    """Say in words what the schema cannot: bounds on the string spelling, and the cross-field checks."""
    notes = [f"{k}：{v}" for k, v in decl.labels.items()]
    if decl.type in ("decimal", "integer"):
        notes += [f"{word} {bound}" for word, bound in (("大于", decl.exclusive_minimum), ("不小于", decl.minimum),
                                                        ("不大于", decl.maximum)) if bound is not None]
    if decl.type == "decimal":
        notes.append(f"至多 {MAX_PLACES} 位小数")
    text = f"{decl.label}（{'，'.join(notes)}）" if notes else decl.label
    return text + _checks_note(decl.checks)


def _checks_note(checks: list[Check]) -> str:
    return "。另需：" + "；".join(check.message for check in checks) if checks else ""


def _at_least_zero(decl: FactDecl) -> bool:
    return (decl.minimum is not None and decl.minimum >= 0) or \
        (decl.exclusive_minimum is not None and decl.exclusive_minimum >= 0)


def _bounds(decl: FactDecl) -> dict[str, Any]:
    bounds: dict[str, Any] = {"exclusiveMinimum": -_number(MAX_MAGNITUDE), "exclusiveMaximum": _number(MAX_MAGNITUDE)}
    if decl.minimum is not None:
        del bounds["exclusiveMinimum"]
        bounds["minimum"] = _number(decl.minimum)
    if decl.exclusive_minimum is not None:
        bounds["exclusiveMinimum"] = _number(decl.exclusive_minimum)
    if decl.maximum is not None:
        del bounds["exclusiveMaximum"]
        bounds["maximum"] = _number(decl.maximum)
    return bounds


def _number(value: Decimal) -> int | float:
    # a bound in the spec document, not an amount: JSON has only numbers, and the bounds in facts.yaml are whole
    return int(value) if value == value.to_integral_value() else float(value)


def _json_value(value: Any) -> Any:
    """Write a default as a client would send it: decimals as strings, containers recursively."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    return value


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _version() -> str:
    try:
        return importlib.metadata.version("lanshan-rules")
    except importlib.metadata.PackageNotFoundError:  # run from a checkout without installing
        return "0.0.0"
