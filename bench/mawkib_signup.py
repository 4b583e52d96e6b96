"""1,000 volunteers ask for 100 places at once, over HTTP, against several app processes on
PostgreSQL; then the same load on a bare Django view that inserts one row, measured in the
same run, as the baseline.

    .venv/bin/python bench/mawkib_signup.py [--requests 1000] [--places 100] [--workers 4]

Starts what it needs: PostgreSQL and Redis (scripts/services), a fresh database
`hamafza_bench`, and gunicorn, configured as at scale: PostgreSQL for data, Redis for the
cache and the sessions. Its last line is one JSON object: accepted, refused, errors, per_second,
bare_per_second (and more).
"""

import argparse
import http.client
import json
import os
import secrets
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from support import PG_SERVER, ROOT, VENV_BIN, bench_env, free_port, gunicorn, recreate_database

DATABASE = "hamafza_bench"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--places", type=int, default=100)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn app processes")
    parser.add_argument("--concurrency", type=int, default=100, help="client connections at once")
    parser.add_argument("--seed", help=argparse.SUPPRESS)  # internal: run inside Django
    args = parser.parse_args()
    if args.seed:
        seed(Path(args.seed), args.requests, args.places)
        return

    subprocess.run([ROOT / "scripts" / "services", "postgres", "redis"], check=True)
    env = bench_env(
        DATABASE,
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
        ALLOWED_HOSTS="127.0.0.1",
    )
    recreate_database(PG_SERVER, DATABASE)
    run_django(["migrate", "--noinput", "-v0"], env)
    seed_file = ROOT / "var" / "bench" / "signup-seed.json"
    subprocess.run(
        [
            VENV_BIN / "python",
            __file__,
            "--seed",
            seed_file,
            "--requests",
            str(args.requests),
            "--places",
            str(args.places),
        ],
        env=env,
        check=True,
    )
    seeded = json.loads(seed_file.read_text())
    port = free_port()
    with gunicorn(env, port, args.workers):
        signup = measure_signups(port, seeded, args.concurrency)
        bare = measure_bare(port, args.requests, args.concurrency)
    report(args, signup, bare)


def run_django(command: list[str], env: dict) -> None:
    subprocess.run([VENV_BIN / "hamafza", *command], env=env, check=True)


def seed(path: Path, volunteers: int, places: int) -> None:
    """One shift at the Mirjaveh mawkib with `places` places; `volunteers` approved
    applicants, each with an applicant session (as after the tracking-code page)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamafza.settings")
    django.setup()
    from datetime import date, datetime, timedelta
    from importlib import import_module

    from django.conf import settings
    from django.core.cache import cache
    from django.utils import timezone

    from hamafza.mawkib.applicant import SESSION_KEY
    from hamafza.mawkib.models import (
        Application,
        Mawkib,
        Season,
        ServiceRole,
        Shift,
        ShiftDemand,
    )
    from hamafza.network.models import County, Province
    from hamafza.persian.dates import TEHRAN

    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
    cache.clear()  # the bench's own Redis database: last run's sessions go
    now = timezone.now()
    province = Province.objects.create(name="سیستان و بلوچستان", slug="sb")
    county = County.objects.create(province=province, name="میرجاوه", slug="mirjaveh")
    season = Season.objects.create(
        hijri_year=1449,
        title="اربعین ۱۴۴۹",
        signup_opens_at=now - timedelta(days=1),
        signup_closes_at=now + timedelta(days=30),
        edit_deadline=now + timedelta(days=30),
    )
    mawkib = Mawkib.objects.create(
        season=season, site_key="mirjaveh", name="موکب مرز میرجاوه", kind="border", county=county
    )
    role = ServiceRole.objects.create(season=season, code="serving", name="پذیرایی")
    day = timezone.localdate() + timedelta(days=2)
    starts = datetime.combine(day, datetime.min.time(), TEHRAN).replace(hour=8)
    shift = Shift.objects.create(
        mawkib=mawkib, name="صبح", starts_at=starts, ends_at=starts + timedelta(hours=6)
    )
    demand = ShiftDemand.objects.create(shift=shift, role=role, gender="any", capacity=places)
    applications = Application.objects.bulk_create(
        Application(
            season=season,
            tracking_code=f"{i:08d}",
            national_code=f"{i:010d}",
            first_name="خادم",
            last_name=str(i),
            mobile=f"0912{i:07d}",
            gender="men",
            birth_date=date(1990, 1, 1),
            available_days=[day.isoformat()],
            emergency_name="-",
            emergency_mobile="09150000000",
            consent_at=now,
            status="approved",
        )
        for i in range(volunteers)
    )
    cookies = []
    for application in applications:
        session = SessionStore()
        session[SESSION_KEY] = application.pk
        session[f"{SESSION_KEY}_until"] = time.time() + 3600
        session.create()
        cookies.append(session.session_key)
    path.write_text(json.dumps({"demand_id": demand.pk, "cookies": cookies}))


def request(port: int, method: str, path: str, body: bytes | None = None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def fire(
    port: int, calls: list[tuple[str, bytes, dict]], concurrency: int
) -> tuple[list[int], float]:
    """Send every call, `concurrency` at a time; the statuses and the wall time."""

    def one(call):
        path, body, headers = call
        try:
            return request(port, "POST", path, body, headers)[0]
        except OSError:
            return 0  # no answer at all: counted as an error

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        statuses = list(pool.map(one, calls))
    return statuses, time.perf_counter() - started


def measure_signups(port: int, seeded: dict, concurrency: int) -> dict:
    csrf = secrets.token_hex(16)
    body = json.dumps({"demand_id": seeded["demand_id"]}).encode()
    calls = [
        (
            "/api/mawkib/signup",
            body,
            {
                "Content-Type": "application/json",
                "X-CSRFToken": csrf,
                "Cookie": f"sessionid={cookie}; csrftoken={csrf}",
            },
        )
        for cookie in seeded["cookies"]
    ]
    statuses, seconds = fire(port, calls, concurrency)
    return {"statuses": statuses, "seconds": seconds}


def measure_bare(port: int, count: int, concurrency: int) -> dict:
    calls = [("/bench/bare-insert", b"", {"Content-Length": "0"})] * count
    statuses, seconds = fire(port, calls, concurrency)
    return {"statuses": statuses, "seconds": seconds}


def report(args, signup: dict, bare: dict) -> None:
    statuses = signup["statuses"]
    accepted, refused = statuses.count(201), statuses.count(409)
    result = {
        "accepted": accepted,
        "refused": refused,
        "errors": len(statuses) - accepted - refused,
        "http_5xx": sum(1 for s in statuses if s >= 500),
        "per_second": round(len(statuses) / signup["seconds"], 1),
        "bare_per_second": round(len(bare["statuses"]) / bare["seconds"], 1),
        "bare_errors": sum(1 for s in bare["statuses"] if s != 201),
        "requests": len(statuses),
        "places": args.places,
        "app_processes": args.workers,
        "concurrency": args.concurrency,
    }
    result["ratio_to_bare"] = round(result["per_second"] / result["bare_per_second"], 3)
    print(
        f"sign-ups: {accepted} accepted, {refused} refused, {result['errors']} errors, "
        f"{result['per_second']}/s; bare insert {result['bare_per_second']}/s "
        f"({result['ratio_to_bare']:.0%} of bare)",
        file=sys.stderr,
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
