"""What the benchmarks share: a fresh PostgreSQL database, the app's environment, a free
port, and the app run under gunicorn as at scale. Imported by the bench scripts, which run
from this folder."""

import http.client
import os
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
PG_SERVER = os.environ.get("BENCH_POSTGRES_SERVER", "postgres://postgres@127.0.0.1:5432")


def bench_env(database: str, **overrides: str) -> dict:
    """The environment the app runs in for a benchmark: database `database` on PG_SERVER,
    no Redis, the bench settings (the baseline routes, bench/urls.py), state under
    var/bench; `overrides` add or replace."""
    var = ROOT / "var" / "bench"
    var.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "DATABASE_URL": f"{PG_SERVER}/{database}",
        "REDIS_URL": "",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": str(ROOT),
        "HAMAFZA_VAR_DIR": str(var),
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "k" * 50,
        "LOG_LEVEL": "WARNING",
        **overrides,
    }


def recreate_database(server: str, name: str) -> None:
    """Drop and create database `name` on the PostgreSQL `server` (a URL without a path)."""
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    finally:
        connection.close()


class gunicorn:
    """`with gunicorn(env, port, workers):` the app answering on 127.0.0.1:port."""

    def __init__(self, env: dict, port: int, workers: int, cwd: Path = ROOT):
        self.args = [
            VENV_BIN / "gunicorn",
            "hamafza.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ]
        self.env, self.port, self.cwd = env, port, cwd

    def __enter__(self):
        self.process = subprocess.Popen(self.args, env=self.env, cwd=self.cwd)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if healthy(self.port):
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def sqlite_demo(var: str, tree: Path = ROOT) -> dict:
    """The environment of the embedded default in folder `var` (SQLite, no Redis), with the
    demo data loaded, for the code in `tree`."""
    env = {
        **os.environ,
        "PYTHONPATH": str(tree),
        "DATABASE_URL": f"sqlite:///{var}/bench.sqlite3",
        "REDIS_URL": "",
        "HAMAFZA_VAR_DIR": var,
        "DEBUG": "0",
        "STATIC_MANIFEST": "0",
        "LOG_LEVEL": "ERROR",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    for command in (["migrate", "-v0"], ["demo"]):
        subprocess.run(
            [VENV_BIN / "python", "-m", "hamafza", *command],
            env=env,
            cwd=tree,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return env


def readiness_form(page: str) -> dict:
    """A complete readiness form but for the national code and mobile, from the form page."""
    import re

    county = re.search(r'name="county"[^>]*>.*?<option value="(\d+)"', page, re.S)
    day = re.search(r'name="available_days" value="([\d-]+)"', page)
    return {
        "first_name": "داوطلب",
        "last_name": "آزمایشی",
        "gender": "men",
        "birth_date": "1370/01/15",
        "origin": "public",
        "county": county[1] if county else "",
        "available_days": [day[1]] if day else [],
        "emergency_name": "کسی",
        "emergency_mobile": "09120000002",
        "consent": "on",
    }
