"""The processes the fault suite runs the site on, each its own and on its own port: a PostgreSQL
cluster made with initdb in a temporary folder, a redis-server, an SMTP sink that can be stopped
and started again, gunicorn with production settings and one `manage.py worker`.

Nothing here touches the machine's shared PostgreSQL or Redis.
"""

import asyncio
import collections
import glob
import logging
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
from email import message_from_bytes
from pathlib import Path

from tests.newsletter.smtp import LineDroppingController

logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's per-command lines

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout, interval=0.1):
    """Poll until `predicate()` is true; True if it became so within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


def postgres_bin():
    """The newest PostgreSQL server binaries on the machine, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


def missing_programs():
    """Why the suite cannot run here, or ''."""
    if postgres_bin() is None:
        return "PostgreSQL server binaries (initdb, pg_ctl) are not installed"
    if not shutil.which("redis-server"):
        return "redis-server is not installed"
    if os.getuid() == 0 and not (shutil.which("runuser") and _user_exists("postgres")):
        return "PostgreSQL refuses to run as root, and there is no postgres user to run it as"
    return ""


def _user_exists(name):
    import pwd

    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


class Postgres:
    """A throwaway cluster in its own folder: fsync off (its data dies with the suite), trust on
    loopback only. As root it runs as the postgres user, since PostgreSQL refuses root."""

    def __init__(self):
        self.bin, self.port = postgres_bin(), free_port()
        self.base = Path(tempfile.mkdtemp(prefix="newsroom-faults-pg-"))
        self.data, self.log = self.base / "data", self.base / "pg.log"
        self.as_user = []
        if os.getuid() == 0:
            import pwd

            account = pwd.getpwnam("postgres")
            os.chown(self.base, account.pw_uid, account.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args, check=True):
        return subprocess.run(
            [*self.as_user, *map(str, args)], check=check, capture_output=True, cwd=self.base
        )

    def options(self):
        return (
            f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=80"
        )

    def init(self):
        self._run(
            self.bin / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"
        )

    def start(self):
        self._run(
            self.bin / "pg_ctl",
            "-D",
            self.data,
            "-l",
            self.log,
            "-w",
            "-t",
            "30",
            "start",
            "-o",
            self.options(),
        )

    def stop(self, mode="fast"):
        self._run(self.bin / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop", check=False)

    def restart(self):
        self._run(
            self.bin / "pg_ctl",
            "-D",
            self.data,
            "-l",
            self.log,
            "-m",
            "fast",
            "-w",
            "-t",
            "30",
            "restart",
            "-o",
            self.options(),
        )

    def remove(self):
        shutil.rmtree(self.base, ignore_errors=True)

    def url(self, name):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def connect(self, name):
        import psycopg

        return psycopg.connect(self.url(name), autocommit=True, connect_timeout=5)

    def query(self, name, sql, params=None):
        with self.connect(name) as connection:
            cursor = connection.execute(sql, params)
            return cursor.fetchall() if cursor.description else []


class Redis:
    def __init__(self, base):
        self.port, self.dir, self.process = free_port(), Path(base), None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_for(self.ready, 10), "redis-server did not start"

    def ready(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def url(self, db=0):
        return f"redis://127.0.0.1:{self.port}/{db}"


class Sink:
    """What the SMTP server has accepted: (recipient, subject, message id) per message. A small delay
    per message makes a send last long enough to be interrupted."""

    def __init__(self, delay):
        self.delay, self.lock = delay, threading.Lock()
        self.messages = []
        self.arrived = {}  # recipient -> time.monotonic() of their first message

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.original_content or envelope.content)
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.messages.append(
                    (rcpt.lower(), str(message["Subject"] or ""), str(message["Message-ID"] or ""))
                )
                self.arrived.setdefault(rcpt.lower(), time.monotonic())
        return "250 Message accepted for delivery"

    def received(self):
        with self.lock:
            return list(self.messages)

    def arrivals(self):
        """recipient -> time.monotonic() their first message arrived."""
        with self.lock:
            return dict(self.arrived)

    def count_by_recipient(self, subject_contains=""):
        return collections.Counter(
            rcpt for rcpt, subject, _ in self.received() if subject_contains in subject
        )


class SmtpServer:
    """An aiosmtpd server in this process that can be stopped mid-conversation and started again, or made
    to hang up in the middle of a message's DATA (`drop_next`)."""

    def __init__(self, sink):
        self.sink, self.port, self.controller = sink, free_port(), None

    def start(self):
        self.controller = LineDroppingController(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def drop_next(self, count=1, match=None):
        self.controller.drop_next(count, match)

    def dropped(self):
        """(recipients, time.monotonic()) of each message cut off."""
        with self.controller.lock:
            return list(zip(self.controller.dropped, self.controller.dropped_at, strict=True))

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


class Process:
    """A child in its own process group, its output kept in a file for the closing checks."""

    def __init__(self, name, command, env, log_dir):
        self.name, self.command, self.env = name, command, env
        self.log_path = Path(log_dir) / f"{name}.log"
        self.process = None

    def start(self):
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            self.command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def kill(self, sig=signal.SIGKILL):
        if self.alive():
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=20)

    def stop(self):
        if self.alive():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def gunicorn(env, port, log_dir):
    return Process(
        "gunicorn",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "newsroom.wsgi",
            "--workers",
            "2",
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "30",
            "--graceful-timeout",
            "5",
            "--log-level",
            "warning",
        ],
        env,
        log_dir,
    )


def worker(env, log_dir):
    return Process("worker", [sys.executable, "manage.py", "worker"], env, log_dir)


def http_ready(port):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
        return True
    except OSError:
        return False


def manage(env, *args, timeout=180):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout
