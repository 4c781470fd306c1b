"""WSGI entry points for the HTTP benchmark, served by gunicorn under one configuration.

``bench.wsgi:app`` is the service (``server.create_app()``, configured from LANSHAN_* as usual);
``bench.wsgi:echo`` is the framework's limit: a bare Flask app whose POST /evaluate parses the JSON
body and sends it back.  Each is built on first access, so an echo worker never loads the policies.
"""
from __future__ import annotations

import json
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


def __getattr__(name: str) -> Any:
    # module-level __getattr__ (PEP 562): gunicorn's getattr(module, "app") builds only what it serves
    if name == "app":
        from server import create_app

        value: Any = create_app()
    elif name == "echo":
        value = echo_app()
    else:
        raise AttributeError(name)
    globals()[name] = value
    return value
