"""Production-like settings pass Django's deployment checks, and the app starts from
environment variables alone."""

import os
import re
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from tests import processes


@pytest.mark.slow
def test_check_deploy_reports_nothing_with_production_settings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "0",
        "SECURE_SSL": "1",
        "SECRET_KEY": "x" * 20 + "production-like-secret-key-with-enough-entropy-4f9a8c7e",
        "ALLOWED_HOSTS": "hamafza.example.ir",
        "HAMAFZA_VAR_DIR": str(tmp_path),
        "SMS_BACKEND": "hamafza.core.sms.kavenegar.KavenegarBackend",
        "KAVENEGAR_API_KEY": "production-like-kavenegar-key",
        "KAVENEGAR_TEMPLATES": "application=hamafza-application",
    }
    result = subprocess.run(
        [sys.executable, "-m", "hamafza", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_check_deploy_warns_that_the_log_backend_sends_no_sms(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "HAMAFZA_VAR_DIR": str(tmp_path),
        "SMS_BACKEND": "hamafza.core.sms.log.LogBackend",
    }
    result = subprocess.run(
        [sys.executable, "-m", "hamafza", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "hamafza.W001" in result.stdout + result.stderr


@pytest.mark.slow
def test_secret_key_is_generated_once_and_kept(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"} | {
        "HAMAFZA_VAR_DIR": str(tmp_path)
    }
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    run = lambda: subprocess.run(  # noqa: E731
        [
            sys.executable,
            "-c",
            f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='hamafza.settings'; django.setup(); {code}",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.strip()
    first = run()
    assert len(first) >= 50
    assert run() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # readable by its owner only


@pytest.mark.slow
def test_without_collectstatic_pages_are_served_with_plain_static_names_and_one_warning(
    tmp_path,
):
    env = processes.embedded_env(tmp_path, STATIC_MANIFEST="1")  # DEBUG off, nothing collected
    processes.hamafza(env, "migrate", "-v", "0")
    port = processes.free_port()
    log = tmp_path / "server.log"
    with log.open("w") as output:
        server = processes.serve(env, port, stderr=output)
    try:
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=10)
        html = page.read().decode()
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', html).group(1)
        assert urllib.request.urlopen(f"http://127.0.0.1:{port}{stylesheet}").status == 200
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/no-such-page/", timeout=10)
        assert missing.value.code == 404  # the error page renders too
        urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=10)
    finally:
        processes.stop(server)
    assert log.read_text().count("no static files manifest") == 1
