"""Production gunicorn settings: ``gunicorn -c deploy/gunicorn.conf.py`` (configure with LANSHAN_* variables).

- Sync workers, one request at a time each: durable_rules never releases the GIL, so threads gain
  little; scale with workers (processes). Measured side by side, 4-thread gthread workers gave no
  better throughput and a worse p99 (bench/, 2026-11-28), although their waiting requests could
  share one commit of the decision log (group_commit.py).
- No preloading: each worker loads the policies itself, so a worker restarted after a crash reads
  the files as they are now, and every worker watches the files for changes on its own.
- gunicorn's access log is off: the app writes one JSON line per request, with its decision ids.
"""
import os

wsgi_app = "server:create_app()"
bind = os.environ.get("LANSHAN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("LANSHAN_WORKERS", "2"))
worker_class = os.environ.get("LANSHAN_WORKER_CLASS", "sync")
threads = int(os.environ.get("LANSHAN_THREADS", "1"))
timeout = 30
graceful_timeout = 30
preload_app = False
accesslog = None
errorlog = "-"
loglevel = "info"
