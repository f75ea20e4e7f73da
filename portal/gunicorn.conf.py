"""gunicorn settings for production; every value can be overridden from the environment."""

import multiprocessing
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project, when started from elsewhere
from cytokines.ops.log_format import gunicorn_logconfig  # noqa: E402

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Sync workers: pages are short CPU-bound renders, and the cache and database answer quickly.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak can never take a host down.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# Both logs go to stdout as the application's JSON lines (plain with LOG_FORMAT=plain); the access log
# holds method, path (tokens hidden), status, bytes and duration, nothing personal (cytokines/ops/log_format.py).
accesslog = "-"
errorlog = "-"
logconfig_dict = gunicorn_logconfig(os.environ.get("LOG_FORMAT", "json"), os.environ.get("LOG_LEVEL", "INFO"))
# The proxies whose X-Forwarded-* headers gunicorn believes: exactly the portal's TRUSTED_PROXIES (settings),
# so gunicorn and the portal never disagree about who the client is; none when it is unset.
forwarded_allow_ips = ",".join(p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip())
preload_app = True
