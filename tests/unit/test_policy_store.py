"""Hot reload: in-flight evaluations keep their set, replaced durable rulesets are retired, reloads under load."""
from __future__ import annotations

import json
import shutil
import threading
import urllib.request
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from engine import PolicyLoadError, evaluate
from engine.backends import durable_adapter
from policy_store import PolicyStore
from server import create_app
from tests.conftest import POLICIES

ROOT = Path(__file__).resolve().parents[2]
LISTING = {"policy": "listing", "kind": "enterprise",
           "facts": {"name": "兰山示范股份有限公司", "events": [{"type": "domestic_listing", "date": "2023-05-10"}]}}
HOUSEHOLD = json.loads((ROOT / "examples" / "household-case.json").read_text(encoding="utf-8"), parse_float=Decimal)


@pytest.fixture()
def policies_copy(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(POLICIES, target)
    return target


def touch(policies: Path, n: int) -> None:
    """Change the listing version's bytes (a comment), so a reload must recompile that family."""
    path = policies / "listing" / "2022-04-29.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"# reload {n}\n", encoding="utf-8")


def registered() -> set[str]:
    return durable_adapter._registered()


def test_an_evaluation_finishes_on_the_set_it_started_with_and_that_set_is_then_retired(policies_copy: Path) -> None:
    store = PolicyStore(policies_copy, "durable")
    with store.use() as started:
        old_listing = started.families["listing"].versions[0].cases["enterprise"].handle.name
        old_household = started.families["expropriation"].versions[0].cases["household"].handle.name
        touch(policies_copy, 1)
        fresh = store.reload()
        assert fresh is not started and store.current is fresh
        assert old_listing in registered()  # still in use: not retired yet
        # domestic listing: 企业完成上市后，一次性给予财政资金补助 500 万元
        assert evaluate(started, LISTING)["total"] == "5000000.00"
    assert old_listing not in registered()  # retired once its last evaluation returned
    assert old_household in registered()  # expropriation was unchanged: reused, not retired
    assert fresh.families["expropriation"] is started.families["expropriation"]
    assert evaluate(store.current, LISTING)["total"] == "5000000.00"


def test_a_broken_file_keeps_the_last_good_set(policies_copy: Path) -> None:
    store = PolicyStore(policies_copy, "python")
    good = store.current
    (policies_copy / "listing" / "2022-04-29.yaml").write_text("family: [\n", encoding="utf-8")
    with pytest.raises(PolicyLoadError) as refused:
        store.reload()
    assert refused.value.problems[0].file.endswith("listing/2022-04-29.yaml")
    assert store.current is good and store.last_error is refused.value


def test_file_watching_reloads_without_a_request_to_do_so(policies_copy: Path) -> None:
    store = PolicyStore(policies_copy, "python", watch_seconds=0.001)
    first = store.current
    touch(policies_copy, 1)
    threading.Event().wait(0.01)
    with store.use() as policies:
        assert policies is not first and store.reloads == 1


def rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * 4096 / 2**20


def test_two_hundred_reloads_under_load_lose_no_request_and_do_not_grow_memory(policies_copy: Path,
                                                                              tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "POLICIES_DIR": str(policies_copy), "BACKEND": "durable",
                      "DATABASE_URL": str(tmp_path / "d.sqlite3"), "ADMIN_TOKEN": "t", "RELOAD_WATCH_SECONDS": 0})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    stop = threading.Event()
    outcomes: list[tuple[int, str]] = []

    def client(case: dict[str, Any], expected_total: str) -> None:
        body = json.dumps(case, default=str).encode()
        while not stop.is_set():
            request = urllib.request.Request(base + "/evaluate", data=body,
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=30) as response:
                total = json.loads(response.read())["total"]
                outcomes.append((response.status, "ok" if total == expected_total else total))

    # listing: 500 万元 (as above); household example: the README's hand-checked total 515,500.00
    clients = [threading.Thread(target=client, args=(LISTING, "5000000.00")),
               threading.Thread(target=client, args=(HOUSEHOLD, "515500.00"))]
    for thread in clients:
        thread.start()
    try:
        memory = []
        # 50 reloads first, to reach the steady state of the allocator's arenas and the log's caches
        # (measured: +2.5 MB over the first 100 reloads, then +0.4 MB per 100), then 200 measured ones
        for n in range(250):
            touch(policies_copy, n)
            reload = urllib.request.Request(base + "/admin/reload", method="POST",
                                            headers={"Authorization": "Bearer t"})
            with urllib.request.urlopen(reload, timeout=30) as response:
                assert response.status == 200
            if n in (49, 249):
                memory.append(rss_mb())
    finally:
        stop.set()
        for thread in clients:
            thread.join(timeout=60)
        server.shutdown()
    assert app.extensions["lanshan.store"].reloads == 250
    assert len(outcomes) > 200
    assert set(outcomes) == {(200, "ok")}
    assert len(app.extensions["lanshan.store"]._live) == 1  # every replaced set was retired
    assert memory[1] <= memory[0] * 1.05, memory


@pytest.mark.parametrize("path", ["/health", "/policies", "/openapi.json", "/browse/listing/2022-04-29"])
def test_a_broken_edit_is_reported_by_health_without_waiting_for_an_evaluation(policies_copy: Path, tmp_path: Path,
                                                                               path: str) -> None:
    # audit 13: /health, /policies and the pages showed last_reload_error null until an /evaluate looked at the files
    app = create_app({"TESTING": True, "POLICIES_DIR": str(policies_copy), "BACKEND": "python",
                      "DATABASE_URL": str(tmp_path / "d.sqlite3"), "RELOAD_WATCH_SECONDS": 0.001})
    client = app.test_client()
    assert client.get("/health").get_json()["last_reload_error"] is None
    (policies_copy / "listing" / "2022-04-29.yaml").write_text("family: [\n", encoding="utf-8")
    threading.Event().wait(0.01)
    assert client.get(path).status_code == 200  # the last good set still serves
    error = client.get("/health").get_json()["last_reload_error"]
    assert error and error[0]["path"] == "policies/listing/2022-04-29.yaml:2:1"  # the file ends in line 2
