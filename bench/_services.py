"""Scratch services for the fault and attack benches: PostgreSQL, Redis, SMTP and gunicorn of their own.

Benches that stop and start services never touch anything shared: each starts its own PostgreSQL
cluster (initdb in a temporary directory, as the ``postgres`` user when run as root), its own
redis-server and a small SMTP server in this process, on ports given by the caller, and stops all of
them on exit, whatever happened.
"""

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _wait_for_port(port, *, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing answered on port {port} within {timeout:.0f} s")


class ScratchPostgres:
    """A throw-away PostgreSQL cluster: ``with ScratchPostgres(port) as pg: pg.url("name")``."""

    def __init__(self, port):
        self.port = port
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        self.bindir = Path(bins[-1]).parent if bins else Path(shutil.which("initdb") or "initdb").parent
        self.directory = None

    def _run(self, *command, **kwargs):
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []  # initdb refuses root
        return subprocess.run([*prefix, *command], check=True, capture_output=True, text=True, **kwargs)

    def __enter__(self):
        self.directory = tempfile.mkdtemp(prefix="cytokine-bench-pg-")
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        self._run(str(self.bindir / "initdb"), "-D", f"{self.directory}/data", "-U", "postgres", "--auth=trust",
                  "--no-sync", "-E", "UTF8")  # fmt: skip
        self.start()
        return self

    def _ctl(self, *args):
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        return self._run(str(self.bindir / "pg_ctl"), "-D", f"{self.directory}/data", "-l",
                         f"{self.directory}/log", "-o", options, "-w", "-t", "60", *args)  # fmt: skip

    def start(self):
        self._ctl("start")

    def restart(self):
        """Restart with ``-m fast`` (connections cut, as an operator's restart does); return (began, done)."""
        began = time.monotonic()
        self._ctl("restart", "-m", "fast")
        return began, time.monotonic()

    def url(self, name="postgres"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def create_database(self, name):
        import psycopg2

        connection = psycopg2.connect(self.url())
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        connection.close()
        return self.url(name)

    def __exit__(self, *exc):
        with contextlib.suppress(Exception):
            self._ctl("stop", "-m", "immediate")
        shutil.rmtree(self.directory, ignore_errors=True)


class ScratchRedis:
    """A redis-server of our own, bounded and evicting as the README's deployment section says."""

    def __init__(self, port, *, maxmemory="64mb", policy="volatile-lru"):
        self.port, self.maxmemory, self.policy = port, maxmemory, policy
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--maxmemory", self.maxmemory, "--maxmemory-policy", self.policy, "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        _wait_for_port(self.port)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def info(self, section="memory"):
        output = subprocess.run(["redis-cli", "-p", str(self.port), "INFO", section], capture_output=True,
                                text=True, check=True).stdout  # fmt: skip
        return dict(line.split(":", 1) for line in output.splitlines() if ":" in line)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()


class FakeSmtp:
    """An SMTP server in this process. ``mode``: "ok" answers, "refuse" closes the port, "hang" never answers.

    A connection that arrives while the server hangs waits, as a stuck server's would, until the mode
    changes; then it is served. Every message received is kept with the time it arrived.
    """

    def __init__(self, port):
        self.port = port
        self.received = []  # (monotonic time, envelope recipients)
        self.lock = threading.Lock()
        self._mode = "ok"
        self._listener = None
        self._stop = threading.Event()

    @property
    def mode(self):
        return self._mode

    @mode.setter
    def mode(self, value):
        self._mode = value
        if value == "refuse":
            self._close_listener()
        elif self._listener is None:
            self._open_listener()

    def _open_listener(self):
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(128)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _close_listener(self):
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None

    def _accept(self, listener):
        while not self._stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection):
        with contextlib.suppress(OSError), connection, connection.makefile("rb") as reader:
            while self._mode == "hang" and not self._stop.is_set():
                time.sleep(0.05)
            connection.sendall(b"220 bench ESMTP\r\n")
            recipients = []
            while True:
                line = reader.readline()
                if not line:
                    return
                verb = line[:4].upper()
                if verb == b"DATA":
                    connection.sendall(b"354 go ahead\r\n")
                    while reader.readline() not in (b".\r\n", b""):
                        pass
                    with self.lock:
                        self.received.append((time.monotonic(), tuple(recipients)))
                    recipients = []
                    connection.sendall(b"250 queued\r\n")
                elif verb == b"RCPT":
                    recipients.append(line.split(b":", 1)[1].strip(b" <>\r\n").decode())
                    connection.sendall(b"250 ok\r\n")
                elif verb == b"QUIT":
                    connection.sendall(b"221 bye\r\n")
                    return
                else:  # EHLO, HELO, MAIL, RSET, NOOP
                    connection.sendall(b"250 ok\r\n")

    def __enter__(self):
        self._open_listener()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._close_listener()


class Gunicorn:
    """The portal under gunicorn with production settings, on the given services."""

    def __init__(self, port, *, database_url, redis_url, secret_key, workers=None, **env):
        self.port = port
        self.env = {**os.environ, "DEBUG": "0", "SECRET_KEY": secret_key, "DATABASE_URL": database_url,
                    "REDIS_URL": redis_url, "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_SSL_REDIRECT": "0",
                    "PORTAL_BASE_URL": f"http://127.0.0.1:{port}", "LOG_LEVEL": "WARNING",
                    "GUNICORN_ACCESS_LOG": "/dev/null", "DJANGO_SETTINGS_MODULE": "portal.settings",
                    "WEB_CONCURRENCY": str(workers or (os.cpu_count() or 2) * 2 + 1), **env}  # fmt: skip
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.process = None

    def __enter__(self):
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        self.log = tempfile.NamedTemporaryFile(prefix="cytokine-bench-gunicorn-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [gunicorn, "portal.wsgi", "-c", "portal/gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz/ready", timeout=2).status == 200:
                    return self
            time.sleep(0.3)
        self.__exit__()
        raise RuntimeError("gunicorn did not become ready:\n" + Path(self.log.name).read_text()[-3000:])

    def log_text(self):
        return Path(self.log.name).read_text(errors="replace") if Path(self.log.name).exists() else self.final_log

    final_log = ""

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.final_log = self.log_text()
        with contextlib.suppress(OSError):
            os.unlink(self.log.name)
