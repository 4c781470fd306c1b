"""Shared fixtures: policies on both backends, the app, a test client, and a live server on loopback."""
from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from engine import CaseError, PolicySet, UnknownFamily, evaluate, load_policies
from server import create_app

ROOT = Path(__file__).resolve().parent.parent
POLICIES = ROOT / "policies"


@pytest.fixture(scope="session")
def python_policies() -> PolicySet:
    return load_policies(POLICIES, backend="python")


@pytest.fixture(scope="session")
def durable_policies() -> PolicySet:
    return load_policies(POLICIES, backend="durable")


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    database = tmp_path_factory.mktemp("decisions") / "decisions.sqlite3"
    return create_app({"TESTING": True, "POLICIES_DIR": str(POLICIES), "BACKEND": "durable",
                       "DATABASE_URL": str(database)})


@pytest.fixture()
def client(app: Any) -> Any:
    return app.test_client()


@pytest.fixture(scope="session")
def live_server(app: Any) -> Iterator[str]:
    """The real service on 127.0.0.1 (an ephemeral port), for tests that go over HTTP."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def post_json(base: str, path: str, body: Any) -> tuple[int, Any]:
    """POST a JSON body over HTTP and return (status, parsed answer with exact decimals)."""
    data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    req = urllib.request.Request(base + path, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, json.loads(response.read(), parse_float=Decimal)
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read(), parse_float=Decimal)


@pytest.fixture()
def evaluate_case(request: pytest.FixtureRequest, durable_policies: PolicySet) -> Callable[[dict], tuple[int, Any]]:
    """Evaluate a request dict: over HTTP for scenarios tagged @api, in-process otherwise."""
    if request.node.get_closest_marker("api") is not None:
        base = request.getfixturevalue("live_server")
        return lambda body: post_json(base, "/evaluate", body)

    def in_process(body: dict) -> tuple[int, Any]:
        try:
            raw = json.loads(json.dumps(body), parse_float=Decimal)
            return 200, evaluate(durable_policies, raw)
        except CaseError as e:
            return 422, {"errors": [x.as_dict() for x in e.errors]}
        except UnknownFamily as e:
            return 404, {"errors": [{"path": "policy", "message": str(e)}]}

    return in_process
