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

from engine import CaseError, RulesError, UnknownFamily, evaluate, load_policies
from engine.catalog import describe, find_version, list_policies
from web import blueprint as web_pages

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
    app.register_blueprint(web_pages)
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
    """Evaluate one case; ``?explain=1`` adds the trace of every rule considered."""
    return _json(answer(_body(), explain=request.args.get("explain") in ("1", "true")))


@api.get("/policies")
def policies_index() -> Response:
    """List the families, their case kinds and versions."""
    return _json(list_policies(_policies()))


@api.get("/policies/<family>/<version>")
def policy_detail(family: str, version: str) -> Response:
    """Describe one version: articles, rules, parameters, interpretations."""
    found = find_version(_policies(), family, version)
    if found is None:
        return _json({"errors": [{"path": "", "message": f"没有政策 {family}/{version}"}]}, 404)
    return _json(describe(found))


@api.get("/health")
def health() -> Response:
    """Report that the service runs, with the policy set's hash and backend."""
    policies = _policies()
    return _json({"status": "ok", "policies": policies.content_hash, "backend": policies.backend.name,
                  "families": sorted(policies.families)})


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
