"""The HTTP service: a thin Flask layer over the engine (``create_app`` is the app factory)."""
from __future__ import annotations

import hmac
import json
import logging
import os
import re
import time
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, request
from werkzeug.exceptions import HTTPException, NotFound, RequestEntityTooLarge

from api_spec import openapi
from decision_log import Decision, DecisionLog, LogUnavailable, decision_of, default_url, log_secret, new_answer, now
from engine import CaseError, PolicyLoadError, RulesError, UnknownFamily, case_json
from engine.catalog import describe, find_version, list_policies
from policy_store import PolicyStore
from replay import replay
from web import PAGE_PREFIXES, web_error
from web import blueprint as web_pages

DEFAULT_POLICIES = Path(__file__).resolve().parent / "policies"
BATCH_MAX_CASES = 1000  # the default limit of /evaluate/batch (LANSHAN_BATCH_MAX_CASES)
DECISION_ID = re.compile(r"[0-9a-f]{32}")
log = logging.getLogger("lanshan")
requests_log = logging.getLogger("lanshan.requests")
api = Blueprint("api", __name__)
admin = Blueprint("admin", __name__)


class BadJSON(Exception):
    """The request body is not JSON."""


class NotJSON(Exception):
    """The request body is not declared as JSON (its Content-Type)."""


class NotAdmin(Exception):
    """An admin endpoint was called without the configured bearer token."""


class KeyReused(Exception):
    """An Idempotency-Key already answered a different request: its answer is not this request's."""


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then LANSHAN_* environment variables, then the test override."""
    app = Flask(__name__)
    app.config.from_mapping(
        POLICIES_DIR=str(DEFAULT_POLICIES),
        BACKEND="durable",
        MAX_CONTENT_LENGTH=1024 * 1024,
        DATABASE_URL=None,  # None: sqlite file decisions.sqlite3 in the instance folder
        MASK_PII=False,
        LOG_SECRET=None,  # the key of the masked inputs' digests; None: a key file in the instance folder
        ADMIN_TOKEN=None,  # None: the admin endpoints are off (404)
        BATCH_MAX_CASES=BATCH_MAX_CASES,
        BATCH_MAX_BYTES=16 * 1024 * 1024,
        # cases still waiting after this many seconds are answered "not computed": inside gunicorn's 30 s timeout
        BATCH_SECONDS=20,
        RELOAD_WATCH_SECONDS=2.0,  # 0: no file watching, reload only by POST /admin/reload
    )
    app.config.from_prefixed_env("LANSHAN")
    if test_config:
        app.config.from_mapping(test_config)
    url = app.config["DATABASE_URL"] or default_url(app.instance_path)
    app.extensions["lanshan.store"] = PolicyStore(app.config["POLICIES_DIR"], app.config["BACKEND"],
                                                  float(app.config["RELOAD_WATCH_SECONDS"]))
    mask = bool(app.config["MASK_PII"])
    secret = log_secret(app.instance_path, app.config["LOG_SECRET"]) if mask else None
    app.extensions["lanshan.log"] = DecisionLog(url, mask_pii=mask, secret=secret)
    _log_requests(app)
    app.register_blueprint(api)
    app.register_blueprint(admin)
    app.register_blueprint(web_pages)
    app.register_error_handler(Exception, _error)
    return app


def _log_requests(app: Flask) -> None:
    """One JSON line per request, with the decision ids it produced."""
    if not requests_log.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        requests_log.addHandler(handler)
        requests_log.setLevel(logging.INFO)

    @app.before_request
    def start() -> None:
        g.started = time.perf_counter()
        g.decision_ids = []

    @app.after_request
    def finish(response: Response) -> Response:
        record = {"time": now(), "method": request.method, "path": request.path, "status": response.status_code,
                  "ms": round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 2)}
        ids = g.get("decision_ids") or []
        if ids:  # a batch logs its count and its first ids; the log has them all
            record["decisions"] = len(ids)
            record["decision_ids"] = ids[:10]
        requests_log.info(json.dumps(record, ensure_ascii=False))
        return response


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status=status, mimetype="application/json")


def _store() -> PolicyStore:
    return current_app.extensions["lanshan.store"]


def _decisions() -> DecisionLog:
    return current_app.extensions["lanshan.log"]


def _body() -> Any:
    if not request.is_json:  # also keeps a web page's cross-site text/plain form post from making decisions
        raise NotJSON(request.content_type or "")
    raw = request.get_data(cache=False)
    limit = request.max_content_length
    if request.content_length is None and limit is not None and len(raw) >= limit:
        raise RequestEntityTooLarge()  # a chunked body is cut at the limit, not refused, by the input stream
    try:
        return case_json.loads(raw)
    except (ValueError, RecursionError) as e:
        raise BadJSON(str(e)) from e


def answer(case: Any, *, explain: bool = False, request_key: str | None = None) -> dict[str, Any]:
    """Evaluate one parsed case with the current policies, log the decision, and return the answer.

    Every caller inside the app (the JSON API, the web pages) goes through here, so every answer
    given is a logged decision with an id; the log commits before the answer is returned. A request
    key already answered gives back that decision, for the same request only (``KeyReused`` otherwise).
    Raises ``CaseError``/``UnknownFamily`` like ``evaluate``.
    """
    return _decided(case, explain, request_key).answer


def _decided(case: Any, explain: bool, request_key: str | None) -> Decision:
    """``answer``, returning the logged decision itself (its ``answer_json`` is the text the log holds)."""
    decisions = _decisions()
    with _store().use() as policies:
        if request_key is not None:
            earlier = decisions.find(request_key=request_key)
            if earlier is not None:
                return _replayed(decisions, policies, earlier, case, explain)
        made = decision_of(policies, case, new_answer(policies, case, explain), request_key)
        try:
            decisions.record(policies, [made])
        except Exception:
            earlier = decisions.find(request_key=request_key) if request_key is not None else None
            if earlier is None:  # not a concurrent twin of the same request: a real failure
                raise
            return _replayed(decisions, policies, earlier, case, explain)
    g.decision_ids.append(made.id)
    return made


def _replayed(decisions: DecisionLog, policies: Any, earlier: Decision, case: Any, explain: bool) -> Decision:
    """The decision already made for a key, if this is the request it answered: a client that reuses a
    key for another household must not receive that household's amounts, nor an answer without the trace
    it asked for (``?explain``), or with one it did not ask for."""
    traced = bool(earlier.answer.get("trace"))  # no rule is considered where no version is in force: no trace
    other_query = traced != explain and (traced or earlier.answer.get("policy") is not None)
    if other_query or not decisions.same_request(policies, earlier, case):
        raise KeyReused(earlier.id)
    return earlier


_EXPLAIN = {"1": True, "true": True, "0": False, "false": False}


def _explain_asked() -> bool | None:
    """``?explain`` as asked, or None for a value other than 1, true, 0 and false (answered with a 400)."""
    return _EXPLAIN.get(request.args.get("explain", "0"))


def _bad_explain() -> Response:
    # ?explain=yes used to give no trace without a word
    message = f"explain 应为 1、true、0 或 false，收到“{request.args['explain']}”"
    return _errors([{"path": "explain", "message": message}], 400)


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
          description: 为 1 或 true 时，trace 列出考虑过的每条规则、是否触发及不成立的条件（0 或 false：不列）
          schema: {type: string, enum: ["1", "true", "0", "false"]}
        - in: header
          name: Idempotency-Key
          description: 重试的客户端每个请求给一个键（至多 200 字符）；同一请求重试返回同一决定，用于另一请求为 422
          schema: {type: string, maxLength: 200}
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
        "415": {$ref: '#/components/responses/NotJSON'}
        "422": {$ref: '#/components/responses/Invalid'}
        "503": {$ref: '#/components/responses/LogUnavailable'}
    """
    key = (request.headers.get("Idempotency-Key") or "").strip() or None  # surrounding blanks are not the key
    if key is not None and len(key) > 200:
        return _errors([{"path": "Idempotency-Key", "message": "幂等键不能超过 200 个字符"}], 400)
    explain = _explain_asked()
    if explain is None:
        return _bad_explain()
    made = _decided(_body(), explain, key)
    return Response(made.answer_json, mimetype="application/json")  # the very text the log holds


@api.post("/evaluate/batch")
def evaluate_batch() -> Response:
    """Evaluate up to ``BATCH_MAX_CASES`` cases: each gets its answer or its own errors; all answers are logged.
    ---
    post:
      summary: 批量计算案件
      description: >-
        每个案件各得其答复或其自身的问题（路径以 cases[序号] 开头），一件出错不影响其他；
        每个答复都记入决定日志。
      parameters:
        - in: query
          name: explain
          description: 为 1 或 true 时，每件答复的 trace 列出考虑过的每条规则（同 /evaluate）
          schema: {type: string, enum: ["1", "true", "0", "false"]}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [cases]
              properties:
                cases:
                  type: array
                  minItems: 1
                  items: {$ref: '#/components/schemas/EvaluateRequest'}
      responses:
        "200":
          description: 逐件的答复或问题
          content:
            application/json:
              schema: {$ref: '#/components/schemas/BatchAnswer'}
        "400": {$ref: '#/components/responses/BadJSON'}
        "413": {$ref: '#/components/responses/TooLarge'}
        "415": {$ref: '#/components/responses/NotJSON'}
        "422": {$ref: '#/components/responses/Invalid'}
        "503": {$ref: '#/components/responses/LogUnavailable'}
    """
    if (request.headers.get("Idempotency-Key") or "").strip():  # a retry would make a second batch of decisions
        message = "批量接口不支持幂等键：重试会再作出一批决定；需要幂等的，请逐件调用 /evaluate，各带一个键"
        return _errors([{"path": "Idempotency-Key", "message": message}], 400)
    explain = _explain_asked()  # before, ignored: ?explain=1 gave no trace and ?explain=yes no error
    if explain is None:
        return _bad_explain()
    request.max_content_length = current_app.config["BATCH_MAX_BYTES"]
    body = _body()
    limit = current_app.config["BATCH_MAX_CASES"]
    if not isinstance(body, dict):
        return _errors([{"path": "", "message": '请求体应为 {"cases": [案件, ...]}'}], 422)
    envelope = [{"path": key, "message": "未知字段"} for key in body if key != "cases"]
    if not isinstance(body.get("cases"), list):
        envelope.append({"path": "cases", "message": "必填字段：案件列表" if "cases" not in body else "应为案件列表"})
    if envelope:
        return _errors(envelope, 422)
    if not body["cases"] or len(body["cases"]) > limit:
        message = f"案件数应在 1 至 {limit} 之间，收到 {len(body['cases'])} 件"
        return _errors([{"path": "cases", "message": message}], 422)
    results: list[dict[str, Any]] = []
    budget = float(current_app.config["BATCH_SECONDS"])
    deadline = time.monotonic() + budget
    with _store().use() as policies:
        decisions = []
        for index, case in enumerate(body["cases"]):
            if time.monotonic() >= deadline:  # answer in time with what is done: a worker killed answers nothing
                message = f"批量计算已超过 {budget:g} 秒，本件未计算，请分批重新提交"
                results.append({"index": index, "errors": [{"path": f"cases[{index}]", "message": message}]})
                continue
            try:
                result = new_answer(policies, case, explain)
            except CaseError as e:
                results.append({"index": index, "errors": [_prefixed(index, x.as_dict()) for x in e.errors]})
                continue
            except UnknownFamily as e:
                results.append({"index": index, "errors": [{"path": f"cases[{index}].{e.field}", "message": str(e)}]})
                continue
            results.append({"index": index, "answer": result})
            decisions.append(decision_of(policies, case, result))
        if decisions:
            _decisions().record(policies, decisions)
    g.decision_ids.extend(d.id for d in decisions)
    return _json({"evaluated": len(decisions), "rejected": len(results) - len(decisions), "results": results})


def _prefixed(index: int, error: dict[str, str]) -> dict[str, str]:
    return {"path": f"cases[{index}].{error['path']}" if error["path"] else f"cases[{index}]",
            "message": error["message"]}


@api.get("/decisions/<decision_id>")
def decision(decision_id: str) -> Response:
    """The logged record of one decision: input, answer, policy version and file hashes.
    ---
    get:
      summary: 查询一个决定的记录
      parameters:
        - {in: path, name: decision_id, required: true, schema: {type: string}, description: 决定编号（32 位十六进制）}
      responses:
        "200":
          description: 决定记录
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Decision'}
        "404": {$ref: '#/components/responses/NotFound'}
        "503": {$ref: '#/components/responses/LogUnreadable'}
    """
    return _json(_find(decision_id).as_dict())


@api.post("/decisions/<decision_id>/replay")
def replay_decision(decision_id: str) -> Response:
    """Re-evaluate a decision on the policy files it was made with, and against the current policies.
    ---
    post:
      summary: 重放一个决定
      description: 用作出决定时的政策文件重算，并与现行政策比较，逐处列出差异。
      parameters:
        - {in: path, name: decision_id, required: true, schema: {type: string}, description: 决定编号（32 位十六进制）}
      responses:
        "200":
          description: 重放结果
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Replay'}
        "404": {$ref: '#/components/responses/NotFound'}
        "409":
          description: 当时的政策文件已无法由当前引擎加载（逐条列出 文件:行:列）
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Errors'}
        "503": {$ref: '#/components/responses/LogUnreadable'}
    """
    found = _find(decision_id)
    with _store().use() as policies:
        try:
            return _json(replay(_decisions(), found, policies))
        except PolicyLoadError as e:  # the stored files no longer load with this engine: say where
            problems = [{"path": "", "message": "作出该决定时的政策文件已无法由当前版本的引擎加载，无法重放"}]
            return _errors(problems + [_located(p) for p in e.problems], 409)


def _find(decision_id: str) -> Decision:
    found = _decisions().find(decision_id) if DECISION_ID.fullmatch(decision_id) else None
    if found is None:
        raise NoSuchDecision(decision_id)
    return found


class NoSuchDecision(Exception):
    """No decision with this id is logged."""


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
    return _json(list_policies(_store().latest()))


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
    found = find_version(_store().latest(), family, version)
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
        "503":
          description: 决定日志数据库不可用（status 为 degraded）
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Health'}
    """
    store = _store()
    policies = store.latest()
    database = _decisions().state()
    refused = store.last_error
    return _json({"status": "ok" if database["status"] == "ok" else "degraded",
                  "policies": policies.content_hash, "backend": policies.backend.name,
                  "families": sorted(policies.families), "reloads": store.reloads,
                  "last_reload_error": [_located(p) for p in refused.problems] if refused else None,
                  "database": database}, 200 if database["status"] == "ok" else 503)


@admin.before_request
def _require_admin() -> None:
    token = current_app.config["ADMIN_TOKEN"]
    if not token:
        raise NotFound()  # without a configured token the admin endpoints do not exist
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        raise NotAdmin()


@admin.post("/admin/reload")
def reload_policies() -> Response:
    """Reload the policies directory now; a broken change is refused and the last good set kept."""
    try:
        policies = _store().reload()
    except PolicyLoadError as e:
        log.warning("policy reload refused: %s", "; ".join(map(str, e.problems)))
        return _errors([_located(p) for p in e.problems], 422)
    return _json({"status": "reloaded", "policies": policies.content_hash, "families": sorted(policies.families)})


def _located(problem: Any) -> dict[str, str]:
    return {"path": f"{problem.file}:{problem.line}:{problem.column}", "message": str(problem.message)}


def _errors(errors: list[dict[str, str]], status: int) -> Response:
    return _json({"errors": errors}, status)


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
    return _json(openapi(current_app, _store().latest()))


def _is_page(path: str) -> bool:
    return path == "/" or path.startswith(PAGE_PREFIXES)


def _error(error: Exception) -> Response:
    """Map every error to one JSON shape: ``{"errors": [{"path", "message"}]}``."""
    if isinstance(error, CaseError):
        return _json({"errors": [e.as_dict() for e in error.errors]}, 422)
    if isinstance(error, LogUnavailable):
        log.error("decision log unavailable: %s", error)
        deciding = request.path.startswith("/evaluate")  # a read of the log makes no decision either way
        unavailable = "决定日志数据库不可用，" + ("本次未作出决定，" if deciding else "") + "请稍后重试"
        return _json({"errors": [{"path": "", "message": unavailable}]}, 503)
    if isinstance(error, NoSuchDecision):
        return _json({"errors": [{"path": "decision_id", "message": "没有此决定记录"}]}, 404)
    if isinstance(error, NotAdmin):
        response = _json({"errors": [{"path": "Authorization", "message": "需要管理令牌（Bearer）"}]}, 401)
        response.headers["WWW-Authenticate"] = "Bearer"
        return response
    if isinstance(error, UnknownFamily):
        return _json({"errors": [{"path": error.field, "message": str(error)}]}, 404)
    if isinstance(error, KeyReused):
        # the earlier decision's id is not given: it would open that request's record to this caller
        reused = "此幂等键已用于另一个请求，其答复不是本请求的；不同的请求请使用新的键"
        return _json({"errors": [{"path": "Idempotency-Key", "message": reused}]}, 422)
    if isinstance(error, BadJSON):
        return _json({"errors": [{"path": "", "message": f"请求体不是有效的 JSON：{error}"}]}, 400)
    if isinstance(error, NotJSON):
        declared = f"，收到“{error}”" if str(error) else "，请求未声明"
        return _json({"errors": [{"path": "Content-Type",
                                  "message": f"请求体应声明为 JSON：Content-Type: application/json{declared}"}]}, 415)
    if isinstance(error, HTTPException) and _is_page(request.path):  # a mistyped page address: a page, not JSON
        return web_error(error)
    if isinstance(error, HTTPException):
        message = {413: "请求体超过大小限制", 404: "没有此地址", 405: "不支持此方法"}.get(error.code or 0,
                                                                                  error.description)
        response = _json({"errors": [{"path": "", "message": message}]}, error.code or 500)
        if getattr(error, "valid_methods", None):  # a 405 says which methods there are
            response.headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
        return response
    if isinstance(error, RulesError):
        log.exception("rules error")
        return _json({"errors": [{"path": "", "message": str(error)}]}, 500)
    log.exception("unexpected error")
    return _json({"errors": [{"path": "", "message": "服务内部错误，已记录"}]}, 500)


if __name__ == "__main__":  # pragma: no cover
    create_app().run(host=os.environ.get("LANSHAN_HOST", "127.0.0.1"), port=int(os.environ.get("LANSHAN_PORT", "8000")))
