"""Shared fixtures: policies on both backends, the app, a test client, and a live server on loopback."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
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


RELABELLED = "不予补偿（违法建筑）"


@pytest.fixture()
def relabelled_policies(tmp_path: Path) -> Path:
    """A copy of the bundled policies whose facts.yaml labels the status not_compensable ``RELABELLED``."""
    policies = tmp_path / "relabelled"
    shutil.copytree(POLICIES, policies)
    facts = policies / "expropriation" / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    declared = "statuses: {not_compensable: 不予补偿}"
    assert declared in text
    facts.write_text(text.replace(declared, f"statuses: {{not_compensable: {RELABELLED}}}"), encoding="utf-8")
    return policies


def load_with_codegen(root: Path, generated: bool, backend: str = "python") -> PolicySet:
    """Load a policies directory with generated code on or off (LANSHAN_CODEGEN), restoring the setting after."""
    before = os.environ.get("LANSHAN_CODEGEN")
    os.environ["LANSHAN_CODEGEN"] = "on" if generated else "off"
    try:
        return load_policies(root, backend=backend)
    finally:
        if before is None:
            del os.environ["LANSHAN_CODEGEN"]
        else:
            os.environ["LANSHAN_CODEGEN"] = before


@pytest.fixture(scope="session")
def python_policies() -> PolicySet:
    return load_policies(POLICIES, backend="python")


@pytest.fixture(scope="session")
def durable_policies() -> PolicySet:
    return load_policies(POLICIES, backend="durable")


def _app(tmp_path_factory: pytest.TempPathFactory, backend: str) -> Any:
    database = tmp_path_factory.mktemp("decisions") / "decisions.sqlite3"
    return create_app({"TESTING": True, "POLICIES_DIR": str(POLICIES), "BACKEND": backend,
                       "DATABASE_URL": str(database)})


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return _app(tmp_path_factory, "durable")


@pytest.fixture()
def client(app: Any) -> Any:
    return app.test_client()


@pytest.fixture(scope="session")
def live_server(app: Any) -> Iterator[str]:
    """The real service on 127.0.0.1 (an ephemeral port), for tests that go over HTTP."""
    yield from _serve(app)


@pytest.fixture(scope="session")
def python_live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same service on the python backend, for the @api scenarios' second run."""
    yield from _serve(_app(tmp_path_factory, "python"))


def _serve(app: Any) -> Iterator[str]:
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
def evaluate_case(request: pytest.FixtureRequest, backend: str) -> Callable[[dict], tuple[int, Any]]:
    """Evaluate a request dict on a backend (``backend``: the features run every scenario on both): over HTTP for
    scenarios tagged @api, in-process otherwise."""
    if request.node.get_closest_marker("api") is not None:
        base = request.getfixturevalue("live_server" if backend == "durable" else "python_live_server")
        return lambda body: post_json(base, "/evaluate", body)
    policies = request.getfixturevalue(f"{backend}_policies")

    def in_process(body: dict) -> tuple[int, Any]:
        try:
            raw = json.loads(json.dumps(body), parse_float=Decimal)
            return 200, evaluate(policies, raw)
        except CaseError as e:
            return 422, {"errors": [x.as_dict() for x in e.errors]}
        except UnknownFamily as e:
            return 404, {"errors": [{"path": "policy", "message": str(e)}]}

    return in_process


# -- a real PostgreSQL server on loopback, started by the fixture (installed with apt when missing) -----

def _postgres_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-q"], check=True, env=env, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "postgresql"], check=True, env=env, capture_output=True)
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        pytest.fail("没有 PostgreSQL：以 root 运行测试（会用 apt-get 安装），或先 apt-get install postgresql")
    return found[-1].parent


def free_port() -> int:
    """A TCP port nobody listens on right now, on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on 127.0.0.1 (as the postgres user when the tests run as root)."""
    bin_dir = _postgres_bin()
    folder = Path(tempfile.mkdtemp(prefix="lanshan-pg-"))
    data = folder / "data"
    as_user: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root
        shutil.chown(folder, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    subprocess.run([*as_user, str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "lanshan",
                    "-E", "UTF8", "--no-sync"], check=True, capture_output=True)
    subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w",
                    "-o", f"-h 127.0.0.1 -p {port} -k {folder}", "start"], check=True, capture_output=True)
    try:
        yield f"postgresql://lanshan@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each decision-log test runs on the embedded SQLite file and on a real PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "decisions.sqlite3")
    url: str = request.getfixturevalue("postgres_url")
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:  # each test starts from empty tables
        connection.execute("DROP TABLE IF EXISTS decisions, policy_sets, policy_files")
    return url
