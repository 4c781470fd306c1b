"""Production gunicorn settings: ``gunicorn -c deploy/gunicorn.conf.py`` (configure with LANSHAN_* variables).

- Threaded workers (4 threads each). Evaluations still run one at a time per process (durable_rules
  holds the GIL and the adapter's lock), but a request waiting for its decision's durable commit lets
  the others go on, and the waiting requests share one commit (group_commit.py). Scale with workers.
- No preloading: each worker loads the policies itself, so a worker restarted after a crash reads
  the files as they are now, and every worker watches the files for changes on its own.
- gunicorn's access log is off: the app writes one JSON line per request, with its decision ids.
"""
import os

wsgi_app = "server:create_app()"
bind = os.environ.get("LANSHAN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("LANSHAN_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("LANSHAN_THREADS", "4"))
timeout = 30
graceful_timeout = 30
preload_app = False
accesslog = None
errorlog = "-"
loglevel = "info"
