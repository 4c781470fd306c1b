"""A real browser for the web pages: Debian's chromium driven by its chromedriver, against the app on loopback.

Nothing is downloaded: the driver and the browser are the Debian packages at fixed paths. When they
are missing the fixture installs them with apt (as ``.ci/run`` does) if it runs as root, and fails
with the command to run otherwise; the browser tests are never skipped.
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from server import create_app
from tests.conftest import POLICIES, ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ARTIFACTS = ROOT / "tests" / "artifacts"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--lang=zh-CN", "--window-size=1280,1000"]
# one failed scenario in a hand-written results file: the browser must show it beside its article
FAILED_SCENARIO = "第三十四条搬迁费.feature: 住宅按套一次性搬迁费 2000 元"


def _ensure_chromium() -> None:
    if Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists():
        return
    command = ["apt-get", "install", "-y", "chromium", "chromium-driver", "fonts-noto-cjk"]
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        pytest.fail(f"浏览器测试需要 {CHROMIUM} 和 {CHROMEDRIVER}（Debian 软件包）；请以 root 运行："
                    f"apt-get update && {' '.join(command)}", pytrace=False)
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], check=True, env=environment)
    subprocess.run(command, check=True, env=environment)


@pytest.fixture(scope="session")
def results_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scenario results file with one failure, so the test does not depend on an earlier feature run."""
    path = tmp_path_factory.mktemp("results") / "feature-results.json"
    path.write_text(json.dumps({"scenarios": {FAILED_SCENARIO: {"outcome": "failed", "run_at": "2026-01-01"}}},
                               ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def site(results_file: Path) -> Iterator[str]:
    """The app (pages and API) served on 127.0.0.1 at an ephemeral port."""
    app = create_app({"TESTING": True, "POLICIES_DIR": str(POLICIES), "BACKEND": "durable",
                      "FEATURE_RESULTS": str(results_file),
                      "DATABASE_URL": str(Path(tempfile.mkdtemp(prefix="lanshan-web-")) / "decisions.sqlite3")})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Headless chromium with a fresh profile."""
    _ensure_chromium()
    os.environ["SE_OFFLINE"] = "true"  # selenium must never fetch a driver or a browser
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def navigate(driver: Any, action: Any) -> None:
    """Run an action that loads a new page (a click, an Enter) and wait until the new page has loaded.

    The old page is marked with a script variable, which a new document does not have; this avoids
    asking chromedriver about an element of a page being replaced (it may answer with an error).
    """
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script("window.__lanshanOldPage = true")
    action()
    # while the page is being replaced a script may fail to run: that is "not yet", not an error
    WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,)).until(lambda d: d.execute_script(
        "return !window.__lanshanOldPage && document.readyState === 'complete'"))


def screenshot(driver: Any, name: str, full: bool = True, max_height: int = 6000) -> Path:
    """Save a PNG of the page (the whole page up to ``max_height`` pixels) under tests/artifacts/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    if full:
        height = min(int(driver.execute_script("return document.documentElement.scrollHeight")), max_height)
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": 1280, "height": height, "scale": 1}})
        path.write_bytes(base64.b64decode(shot["data"]))
    else:
        driver.save_screenshot(str(path))
    return path
