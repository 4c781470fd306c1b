"""Load and faults on loopback: gunicorn with 2 workers, concurrent clients, a reload, a worker killed,
then the whole server killed with SIGKILL and restarted. Every answer received must be a logged decision,
and every logged decision an answer received (clients retry with the same idempotency key).

Run on SQLite and on PostgreSQL; the figures are written to tests/artifacts/load-and-fault-<database>.json.
"""
from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from tests.conftest import POLICIES, free_port

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
TOKEN = "load-test-token"
CLIENTS = 6
LISTING = {"policy": "listing", "kind": "enterprise",
           "facts": {"name": "兰山示范股份有限公司", "events": [{"type": "domestic_listing", "date": "2023-05-10"}]}}
HOUSEHOLD = json.loads((ROOT / "examples" / "household-case.json").read_text(encoding="utf-8"))
# listing: 企业完成上市后，一次性给予财政资金补助 500 万元; household: the README's hand-checked 515,500.00
EXPECTED = {"listing": "5000000.00", "expropriation": "515500.00"}


class Server:
    """gunicorn with the production configuration, in its own process group."""

    def __init__(self, folder: Path, port: int, database_url: str):
        self.port = port
        self.env = {**os.environ, "LANSHAN_BIND": f"127.0.0.1:{port}", "LANSHAN_WORKERS": "2",
                    "LANSHAN_POLICIES_DIR": str(folder / "policies"), "LANSHAN_BACKEND": "durable",
                    "LANSHAN_DATABASE_URL": database_url, "LANSHAN_ADMIN_TOKEN": TOKEN}
        self.log = open(folder / "gunicorn.log", "ab")  # noqa: SIM115 - closed in stop()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy/gunicorn.conf.py")],
                                        cwd=ROOT, env=self.env, stdout=self.log, stderr=self.log,
                                        start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=5) as r:
                    if r.status == 200 and len(self.workers()) == 2:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError("gunicorn did not start: see gunicorn.log")

    def workers(self) -> list[int]:
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(p) for p in children.read_text().split()] if children.exists() else []

    def kill_all(self) -> None:
        """SIGKILL the master and its workers at once: a crash, nothing flushed or finished."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.log.close()


def logged_keys(database_url: str) -> dict[str, str]:
    """Idempotency key -> decision id of every logged decision, read straight from the database."""
    if database_url.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(database_url) as db:
            return dict(db.execute("SELECT request_key, id FROM decisions").fetchall())
    with sqlite3.connect(database_url) as db:
        return dict(db.execute("SELECT request_key, id FROM decisions").fetchall())


def test_load_with_a_reload_a_killed_worker_and_a_crash_loses_no_decision(tmp_path: Path, database_url: str) -> None:
    shutil.copytree(POLICIES, tmp_path / "policies")
    kind = "postgresql" if database_url.startswith("postgresql://") else "sqlite"
    server = Server(tmp_path, free_port(), database_url)
    base = f"http://127.0.0.1:{server.port}"
    answers: dict[str, str] = {}  # idempotency key -> decision id received
    wrong: list[Any] = []
    attempts = [0]
    errors = [0]
    lock = threading.Lock()
    issuing = threading.Event()
    issuing.set()

    def client(number: int) -> None:
        try:
            issue(number)
        except Exception as e:  # a client that stops early would leave its last key logged but unreceived
            with lock:
                wrong.append(f"client {number} stopped: {e!r}")

    def issue(number: int) -> None:
        case = LISTING if number % 2 else HOUSEHOLD
        body = json.dumps(case).encode()
        while issuing.is_set():
            key = uuid.uuid4().hex
            for _ in range(400):  # keep retrying the same key through the kills and the restart
                with lock:
                    attempts[0] += 1
                try:
                    request = urllib.request.Request(base + "/evaluate", data=body, headers={
                        "Content-Type": "application/json", "Idempotency-Key": key})
                    with urllib.request.urlopen(request, timeout=30) as response:
                        answer = json.loads(response.read())
                    with lock:
                        answers[key] = answer["decision_id"]
                        if answer["total"] != EXPECTED[str(case["policy"])]:
                            wrong.append(answer)
                    break
                # refused, reset, a 5xx, or a body cut short (headers sent, then the worker was killed): retry
                except (OSError, http.client.HTTPException):
                    with lock:
                        errors[0] += 1
                    time.sleep(0.05)
            else:
                wrong.append(f"key {key} never answered")

    server.start()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    try:
        for thread in threads:
            thread.start()
        time.sleep(2)
        version_file = tmp_path / "policies" / "listing" / "2022-04-29.yaml"
        version_file.write_text(version_file.read_text(encoding="utf-8") + "# 热更新\n", encoding="utf-8")
        reload = urllib.request.Request(base + "/admin/reload", method="POST",
                                        headers={"Authorization": f"Bearer {TOKEN}"})
        with urllib.request.urlopen(reload, timeout=30) as response:
            reloaded = response.status
        time.sleep(2)
        killed_worker = server.workers()[0]
        os.kill(killed_worker, signal.SIGKILL)
        time.sleep(2)
        server.kill_all()
        answered_before_restart = len(answers)
        time.sleep(0.5)
        server.start()
        time.sleep(3)
    finally:
        issuing.clear()
        for thread in threads:
            thread.join(timeout=120)
        server.stop()

    logged = logged_keys(database_url)
    figures = {"database": kind, "clients": CLIENTS, "attempts": attempts[0], "errors_retried": errors[0],
               "answers_received": len(answers), "answers_before_crash_restart": answered_before_restart,
               "decisions_logged": len(logged), "reload_status": reloaded, "killed_worker": killed_worker,
               "wrong_answers": len(wrong)}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"load-and-fault-{kind}.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    assert reloaded == 200
    assert wrong == []
    assert len(answers) > 100, figures
    assert errors[0] > 0, figures  # the kills really interrupted requests
    assert logged == answers, figures  # same keys, same decision ids: nothing lost, nothing extra
