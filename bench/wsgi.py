"""WSGI entry points for the HTTP benchmark, served by gunicorn under one configuration.

``bench.wsgi:app`` is the service (``server.create_app()``, configured from LANSHAN_* as usual);
``bench.wsgi:echo`` is the framework's limit: a bare Flask app whose POST /evaluate parses the JSON
body and sends it back.  ``bench.wsgi:floor`` is the echo plus the two parts every answer must have
by the design (issues 2 and 6), and nothing else: an evaluation on LANSHAN_BACKEND and one durable
commit of the input and the answer; its ratio to the echo is the most any /evaluate making one
durable commit per answer could reach.  Each is built on first access, so an echo worker never
loads the policies.
"""
from __future__ import annotations

import json
import os
import sqlite3
import uuid
from decimal import Decimal
from typing import Any

from flask import Flask, Response, request


def echo_app() -> Flask:
    """Build the bare Flask app: POST /evaluate echoes the JSON body (parsed and serialised again)."""
    echo = Flask("echo")

    @echo.post("/evaluate")
    def echo_body() -> Response:
        body = json.loads(request.get_data(cache=False), parse_float=Decimal)
        return Response(json.dumps(body, ensure_ascii=False, default=str), mimetype="application/json")

    return echo


def floor_app() -> Flask:
    """Build the floor: parse, evaluate, commit the input and answer to SQLite (WAL, fsync), send the answer.

    Each worker writes its own file beside LANSHAN_DATABASE_URL's, so no worker ever waits for the
    other's commit (the service's workers share one log and take turns): the floor errs on the fast side.
    It keeps no request log, no policy files, no idempotency key, no masking.
    """
    from bench.workload import POLICIES
    from engine import case_json, evaluate, load_policies

    floor = Flask("floor")
    policies = load_policies(POLICIES, os.environ.get("LANSHAN_BACKEND", "durable"))
    log = sqlite3.connect(f"{os.environ['LANSHAN_DATABASE_URL']}.floor-{os.getpid()}", isolation_level=None,
                          check_same_thread=False)
    log.execute("PRAGMA journal_mode=WAL")
    log.execute("PRAGMA synchronous=FULL")  # as the decision log: the commit is on disk before the answer leaves
    log.execute("CREATE TABLE IF NOT EXISTS decisions (id TEXT PRIMARY KEY, input TEXT NOT NULL, answer TEXT NOT NULL)")

    @floor.post("/evaluate")
    def evaluate_and_commit() -> Response:
        raw = request.get_data(cache=False)
        answer = {"decision_id": uuid.uuid4().hex, **evaluate(policies, case_json.loads(raw))}
        text = json.dumps(answer, ensure_ascii=False, default=str)
        # autocommit (isolation_level=None): the INSERT is its own transaction, on disk before the answer leaves
        log.execute("INSERT INTO decisions VALUES (?, ?, ?)", (answer["decision_id"], raw.decode(), text))
        return Response(text, mimetype="application/json")

    return floor


def __getattr__(name: str) -> Any:
    # module-level __getattr__ (PEP 562): gunicorn's getattr(module, "app") builds only what it serves
    if name == "app":
        from server import create_app

        value: Any = create_app()
    elif name == "echo":
        value = echo_app()
    elif name == "floor":
        value = floor_app()
    else:
        raise AttributeError(name)
    globals()[name] = value
    return value
