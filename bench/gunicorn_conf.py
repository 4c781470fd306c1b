"""The one gunicorn configuration both the service and the bare echo app run under."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

workers = 2
# the production choice of deploy/gunicorn.conf.py (same LANSHAN_WORKER_CLASS / LANSHAN_THREADS overrides)
worker_class = os.environ.get("LANSHAN_WORKER_CLASS", "sync")
threads = int(os.environ.get("LANSHAN_THREADS", "1"))
accesslog = None
loglevel = "warning"
timeout = 60


def post_worker_init(worker: Any) -> None:
    """Mark this worker ready (its app is loaded) so the harness knows when to read its RSS."""
    ready = os.environ.get("BENCH_READY_DIR")
    if ready:
        Path(ready, str(worker.pid)).touch()
