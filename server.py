"""The HTTP service: a thin Flask layer over the engine (``create_app`` is the app factory)."""
from __future__ import annotations

import json
import logging
import os
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException

from api_spec import openapi
from engine import CaseError, RulesError, UnknownFamily, evaluate, load_policies
from engine.catalog import describe, find_version, list_policies

DEFAULT_POLICIES = Path(__file__).resolve().parent / "policies"
log = logging.getLogger("lanshan")
api = Blueprint("api", __name__)


class BadJSON(Exception):
    """The request body is not JSON."""


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then LANSHAN_* environment variables, then the test override."""
    app = Flask(__name__)
    app.config.from_mapping(
        POLICIES_DIR=str(DEFAULT_POLICIES),
        BACKEND="durable",
        MAX_CONTENT_LENGTH=1024 * 1024,
    )
    app.config.from_prefixed_env("LANSHAN")
    if test_config:
        app.config.from_mapping(test_config)
    app.extensions["lanshan.policies"] = load_policies(app.config["POLICIES_DIR"], app.config["BACKEND"])
    app.register_blueprint(api)
    app.register_error_handler(Exception, _error)
    return app


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status=status, mimetype="application/json")


def _policies() -> Any:
    return current_app.extensions["lanshan.policies"]


def _body() -> Any:
    raw = request.get_data(cache=False)
    try:
        return json.loads(raw, parse_float=Decimal, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as e:
        raise BadJSON(str(e)) from e


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"不接受 {name}")


def answer(case: Any, *, explain: bool = False) -> dict[str, Any]:
    """Evaluate one parsed case with the app's current policies and give it a decision id.

    Every caller inside the app (the JSON API, the web pages) goes through here, so that every
    answer given is a decision with an id. Raises ``CaseError``/``UnknownFamily`` like ``evaluate``.
    """
    return {"decision_id": uuid.uuid4().hex, **evaluate(_policies(), case, explain=explain)}


@api.post("/evaluate")
def evaluate_case() -> Response:
    """Evaluate one case; ``?explain=1`` adds the trace of every rule considered.
    ---
    post:
      summary: 计算一个案件
      description: 按案件的管辖日期选定政策版本，返回逐项金额、结论、所用解读和决定编号。
      parameters:
        - in: query
          name: explain
          description: 为 1 或 true 时，trace 列出考虑过的每条规则、是否触发及不成立的条件
          schema: {type: string}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/EvaluateRequest'}
      responses:
        "200":
          description: 计算结果（含无适用版本时的 no_policy_in_force）
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Answer'}
        "400": {$ref: '#/components/responses/BadJSON'}
        "404": {$ref: '#/components/responses/NotFound'}
        "413": {$ref: '#/components/responses/TooLarge'}
        "422": {$ref: '#/components/responses/Invalid'}
    """
    return _json(answer(_body(), explain=request.args.get("explain") in ("1", "true")))


@api.get("/policies")
def policies_index() -> Response:
    """List the families, their case kinds and versions.
    ---
    get:
      summary: 列出政策族、案件类型与版本
      responses:
        "200":
          description: 已加载的政策
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Policies'}
    """
    return _json(list_policies(_policies()))


@api.get("/policies/<family>/<version>")
def policy_detail(family: str, version: str) -> Response:
    """Describe one version: articles, rules, parameters, interpretations.
    ---
    get:
      summary: 一个政策版本的条款、规则、参数与解读
      parameters:
        - {in: path, name: family, required: true, schema: {type: string}, description: 政策族, example: listing}
        - {in: path, name: version, required: true, schema: {type: string}, description: 版本, example: "2022-04-29"}
      responses:
        "200":
          description: 该版本的全部内容
          content:
            application/json:
              schema: {$ref: '#/components/schemas/PolicyDetail'}
        "404": {$ref: '#/components/responses/NotFound'}
    """
    found = find_version(_policies(), family, version)
    if found is None:
        return _json({"errors": [{"path": "", "message": f"没有政策 {family}/{version}"}]}, 404)
    return _json(describe(found))


@api.get("/health")
def health() -> Response:
    """Report that the service runs, with the policy set's hash and backend.
    ---
    get:
      summary: 服务状态
      responses:
        "200":
          description: 服务正常
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Health'}
    """
    policies = _policies()
    return _json({"status": "ok", "policies": policies.content_hash, "backend": policies.backend.name,
                  "families": sorted(policies.families)})


@api.get("/openapi.json")
def openapi_document() -> Response:
    """Serve the OpenAPI document of this API, built from the loaded policies.
    ---
    get:
      summary: 本接口的 OpenAPI 3.1 文档
      responses:
        "200":
          description: OpenAPI 文档
          content:
            application/json:
              schema: {type: object}
    """
    return _json(openapi(current_app, _policies()))


def _error(error: Exception) -> Response:
    """Map every error to one JSON shape: ``{"errors": [{"path", "message"}]}``."""
    if isinstance(error, CaseError):
        return _json({"errors": [e.as_dict() for e in error.errors]}, 422)
    if isinstance(error, UnknownFamily):
        return _json({"errors": [{"path": "policy", "message": str(error)}]}, 404)
    if isinstance(error, BadJSON):
        return _json({"errors": [{"path": "", "message": f"请求体不是有效的 JSON：{error}"}]}, 400)
    if isinstance(error, HTTPException):
        message = {413: "请求体超过大小限制", 404: "没有此地址", 405: "不支持此方法"}.get(error.code or 0,
                                                                                  error.description)
        return _json({"errors": [{"path": "", "message": message}]}, error.code or 500)
    if isinstance(error, RulesError):
        log.exception("rules error")
        return _json({"errors": [{"path": "", "message": str(error)}]}, 500)
    log.exception("unexpected error")
    return _json({"errors": [{"path": "", "message": "服务内部错误，已记录"}]}, 500)


if __name__ == "__main__":  # pragma: no cover
    create_app().run(host=os.environ.get("LANSHAN_HOST", "127.0.0.1"), port=int(os.environ.get("LANSHAN_PORT", "8000")))
