"""The public news pages under load: 10,000 published posts in PostgreSQL, several app
processes, the network news page and post pages (the newest 200, those the news pages
link to) served beside a bare Django read view (one query, JSON) measured in the same
run; then p95 latency at half the peak rate. Post pages spread over all 10,000 (rarely
in the page cache) are measured too and reported as cold_post_per_second.

    .venv/bin/python bench/portal_pages.py [--posts 10000] [--workers 4] [--requests 3000]

Starts what it needs: PostgreSQL (scripts/services), a fresh database
`hamafza_bench_portal`, and gunicorn with the bench settings (bench/settings.py routes /bench/bare-read).
Its last line is one JSON object: per_second, bare_per_second, p95_ms (at half the peak
rate), and more. Targets: per_second ≥ 50% of bare_per_second; p95_ms < 50.
"""

import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from support import PG_SERVER, ROOT, VENV_BIN, bench_env, free_port, gunicorn, recreate_database

DATABASE = "hamafza_bench_portal"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--organisations", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn app processes")
    parser.add_argument("--requests", type=int, default=3000, help="requests per measurement")
    parser.add_argument("--concurrency", type=int, default=16, help="client connections at once")
    parser.add_argument("--seconds-at-half", type=int, default=8)
    parser.add_argument("--seed", help=argparse.SUPPRESS)  # internal: run inside Django
    args = parser.parse_args()
    if args.seed:
        seed(Path(args.seed), args.posts, args.organisations)
        return

    subprocess.run([ROOT / "scripts" / "services", "postgres", "wrk"], check=True)
    env = bench_env(DATABASE, ALLOWED_HOSTS="127.0.0.1")
    recreate_database(PG_SERVER, DATABASE)
    subprocess.run([VENV_BIN / "hamafza", "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([VENV_BIN / "hamafza", "collectstatic", "--noinput", "-v0"], env=env, check=True)
    seed_file = ROOT / "var" / "bench" / "portal-seed.json"
    started = time.perf_counter()
    subprocess.run(
        [
            VENV_BIN / "python",
            __file__,
            "--seed",
            seed_file,
            "--posts",
            str(args.posts),
            "--organisations",
            str(args.organisations),
        ],
        env=env,
        check=True,
    )
    seeded = json.loads(seed_file.read_text())
    print(f"loaded {args.posts} posts in {time.perf_counter() - started:.1f} s", file=sys.stderr)

    rng = random.Random(1405)
    post_paths = seeded["post_paths"]
    news = ["/news/"] * args.requests
    # Visitors reach posts from the news pages: the 200 newest (the first ten pages) take
    # the traffic. `cold` spreads requests over all 10,000, where the minute-long page
    # cache rarely helps: the cost of rendering a post page from the database.
    recent = post_paths[:200]
    posts = [rng.choice(recent) for _ in range(args.requests)]
    cold = [rng.choice(post_paths) for _ in range(args.requests)]
    mix = [path for pair in zip(news, posts, strict=True) for path in pair][: args.requests]
    bare = ["/bench/bare-read"] * args.requests

    port = free_port()
    with gunicorn(env, port, args.workers):
        check_pages(port, post_paths[0])
        for warm in (bare, mix[:400], recent):  # every worker imports, connects, caches
            closed_loop(port, warm, args.concurrency)
        results = {
            "bare": closed_loop(port, bare, args.concurrency),
            "news": closed_loop(port, news, args.concurrency),
            "post": closed_loop(port, posts, args.concurrency),
            "mix": closed_loop(port, mix, args.concurrency),
            "cold": closed_loop(port, cold, args.concurrency),
            "bare_again": closed_loop(port, bare, args.concurrency),
        }
        half_rate = results["mix"]["per_second"] / 2
        results["half"] = paced_wrk(port, mix, half_rate, args.seconds_at_half, args.concurrency)
    report(args, results)


def seed(path: Path, count: int, organisations: int) -> None:
    """The hub and its agencies, and `count` sent posts spread over them and over the
    last year, a third of them with a photo (a path only: no file is read to serve it)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamafza.settings")
    django.setup()
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from hamafza.network.models import Organisation, Province
    from hamafza.portal.selectors import post_url
    from hamafza.publishing.models import Post, PostPhoto

    rng = random.Random(1405)
    province = Province.objects.create(name="سیستان و بلوچستان", slug="sb")
    hub = Organisation.objects.create(
        name="اداره کل تعاون، کار و رفاه اجتماعی سیستان و بلوچستان",
        slug="hub",
        kind="hub",
        province=province,
    )
    orgs = [
        hub,
        *Organisation.objects.bulk_create(
            Organisation(
                name=f"دستگاه تابعه شماره {n}",
                slug=f"agency-{n}",
                kind="agency",
                province=province,
                parent=hub,
            )
            for n in range(1, organisations)
        ),
    ]
    now = timezone.now()
    words = (
        "برگزاری",
        "نشست",
        "خبری",
        "اشتغال",
        "مهارت",
        "زنان",
        "سرپرست",
        "خانوار",
        "تعاونی",
        "روستایی",
        "بیمه",
        "کارگران",
        "زاهدان",
        "چابهار",
        "ایرانشهر",
    )
    lead = (
        "مدیرکل در این نشست گفت برنامه‌های اشتغال روستایی با همکاری دستگاه‌های تابعه در "
        "شهرستان‌های استان پیگیری می‌شود و گزارش آن به‌زودی منتشر خواهد شد."
    )
    body = "".join(f"<p>{lead} بند {n}.</p>" for n in range(8))
    posts = []
    for n in range(count):
        published = now - timedelta(minutes=n * 50 + rng.randint(0, 40))
        title = " ".join(rng.choice(words) for _ in range(7)) + f" ({n})"
        posts.append(
            Post(
                organisation=rng.choice(orgs),
                title=title,
                lead=lead,
                body=body,
                status="sent",
                tags=["اشتغال"],
                created_at=published,
                updated_at=published,
                approved_at=published,
                published_at=published,
            )
        )
    posts = Post.objects.bulk_create(posts, batch_size=1000)
    PostPhoto.objects.bulk_create(
        [
            PostPhoto(post=p, image=f"posts/bench/{p.pk}.jpg", alt_text="نمای نشست")
            for p in posts[::3]
        ],
        batch_size=1000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    path.write_text(json.dumps({"post_paths": [post_url(p) for p in posts]}))


def get(port: int, path: str) -> tuple[int, float]:
    """One GET on a fresh connection (gunicorn's sync workers close each one): the
    status and the seconds until the whole answer was read."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


def check_pages(port: int, post_path: str) -> None:
    for path in ("/news/", post_path, "/bench/bare-read"):
        status, _seconds = get(port, path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")


def _one(port: int, path: str) -> tuple[int, float]:
    try:
        return get(port, path)
    except OSError:
        return 0, 0.0


def _summary(answers: list[tuple], seconds: float) -> dict:
    latencies = sorted(answer[1] for answer in answers)
    return {
        "requests": len(answers),
        "errors": sum(1 for answer in answers if answer[0] != 200),
        "per_second": round(len(answers) / seconds, 1),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
        "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 1),
    }


def closed_loop(port: int, paths: list[str], concurrency: int) -> dict:
    """As fast as the server answers, `concurrency` requests in flight: the peak rate."""
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        answers = list(pool.map(lambda path: _one(port, path), paths))
    return _summary(answers, time.perf_counter() - started)


WRK_SCRIPT = """
local paths = {%(paths)s}
local pause = %(pause_ms)d
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
delay = function() return pause end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests": %%d, "errors": %%d, "non_2xx": %%d, "seconds": %%.3f, "p50_ms": %%.2f, "p95_ms": %%.2f}\\n',
    summary.requests, e.connect + e.read + e.write + e.timeout, e.status, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


def paced_wrk(port: int, paths: list[str], rate: float, seconds: float, connections: int) -> dict:
    """Latency at a set rate, measured by wrk (a C client, so the client's own pace does
    not bend the figures on a 2-core machine): each connection waits between requests so
    that together they ask `rate` a second."""
    pause_ms = max(int(connections * 1000 / rate), 1)
    script = ROOT / "var" / "bench" / "portal-paced.lua"
    quoted = ", ".join(f'"{p}"' for p in sorted(set(paths)))
    script.write_text(WRK_SCRIPT % {"paths": quoted, "pause_ms": pause_ms})
    run = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}/",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    return {
        "per_second": round(figures["requests"] / figures["seconds"], 1),
        "target_per_second": round(rate, 1),
        "p50_ms": figures["p50_ms"],
        "p95_ms": figures["p95_ms"],
        "errors": figures["errors"] + figures["non_2xx"],
    }


def report(args, results: dict) -> None:
    bare = max(results["bare"]["per_second"], results["bare_again"]["per_second"])
    mix, half = results["mix"], results["half"]
    result = {
        "per_second": mix["per_second"],
        "bare_per_second": bare,
        "ratio_to_bare": round(mix["per_second"] / bare, 3),
        "p95_ms": half["p95_ms"],
        "half_rate_per_second": half["target_per_second"],
        "half_rate_achieved_per_second": half["per_second"],
        "p95_ms_at_peak": mix["p95_ms"],
        "news_per_second": results["news"]["per_second"],
        "news_p95_ms_at_peak": results["news"]["p95_ms"],
        "post_per_second": results["post"]["per_second"],
        "post_p95_ms_at_peak": results["post"]["p95_ms"],
        "cold_post_per_second": results["cold"]["per_second"],
        "cold_post_p95_ms_at_peak": results["cold"]["p95_ms"],
        "bare_p95_ms_at_peak": results["bare"]["p95_ms"],
        "errors": sum(r["errors"] for r in results.values()),
        "posts": args.posts,
        "app_processes": args.workers,
        "concurrency": args.concurrency,
        "cpus": os.cpu_count(),
    }
    result["meets_targets"] = result["ratio_to_bare"] >= 0.5 and result["p95_ms"] < 50
    print(
        f"news+post pages {result['per_second']}/s, bare read view {bare}/s "
        f"({result['ratio_to_bare']:.0%} of bare); p95 {result['p95_ms']} ms at "
        f"{result['half_rate_per_second']}/s (half the peak); errors {result['errors']}",
        file=sys.stderr,
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
