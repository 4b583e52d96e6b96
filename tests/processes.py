"""Hamafza as separate processes, for the tests that need more than one: a web server, a
worker, a command on an embedded SQLite database of the test's own."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HAMAFZA = [sys.executable, "-m", "hamafza"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def embedded_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a production-like node on its own SQLite file in `var_dir`."""
    return {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": f"sqlite:///{var_dir}/hamafza.sqlite3",
        "REDIS_URL": "",
        "HAMAFZA_VAR_DIR": str(var_dir),
        "DEBUG": "0",
        "STATIC_MANIFEST": "0",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def hamafza(env: dict, *args: str, timeout: float = 120) -> str:
    """Run one `hamafza` command to its end; its output."""
    done = subprocess.run(
        [*HAMAFZA, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def start(env: dict, *args: str) -> subprocess.Popen:
    """Start a long-running `hamafza` command (a worker); its output goes to pipes."""
    return subprocess.Popen(
        [*HAMAFZA, *args], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def serve(env: dict, port: int, stderr=None) -> subprocess.Popen:
    """A gunicorn web server of one process on `port`, once it answers."""
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "hamafza.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        stderr=stderr,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server exited"
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError(f"no server on {port}")


def stop(*processes: subprocess.Popen) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
