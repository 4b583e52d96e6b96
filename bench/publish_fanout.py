"""Approved posts go out to 300 organisations × 5 channels (website, Telegram, Bale, Eitaa,
Rubika: 1,500 deliveries) through the outbox, against the local platforms, which enforce
their documented limits (fixed in hamafza_fakes: 30 messages a second per bot, 20 a
minute and one request a second per chat, every photo of an album a message) and refuse
beyond them in their own words.

    .venv/bin/python bench/publish_fanout.py [--orgs 300] [--album] [--bots shared|per-org]
                                              [--processes 2] [--threads 4]

Two scenarios, each on a fresh database:
- *single* (the default): each post is one text message on every messenger;
- *album* (`--album`, after the single one; `--album-only` alone): each post has four
  photos and a text too long for a caption, so Telegram and Bale get an album of four and
  the text after it (five messages, two requests), Eitaa and Rubika the first photo and
  the text (two messages): every message counts against the limits.

Bots: with `shared` (the default, and the hard case) the network runs one bot per
platform that administers every organisation's channel, so the per-bot limit sets the
pace; with `per-org` each organisation connects its own bot. `floor_seconds` is the time
the documented limits alone make necessary: for each bot, (messages − 1) / 30 s; for each
channel, (requests − 1) × 1 s and the minute window; the largest of these.

Starts what it needs: PostgreSQL (scripts/services), a fresh database, the four local
platforms (threads in this process) and N `hamafza outbox` worker processes. Once the workers
run, every delivery is made due at one moment a few seconds ahead, so that the clock
starts when all of them fall due at once; `seconds` runs from that moment to the last delivery recorded as sent.
`cpu_ms_per_delivery` is the workers' CPU time over that span, per delivery. The last line
is one JSON object: seconds, floor_seconds, http_429, duplicates, lost, unconfirmed, … and
the same keys with an `album_` prefix.
"""

import argparse
import io
import json
import math
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timedelta

from support import PG_SERVER, ROOT, VENV_BIN, bench_env, recreate_database

sys.path.insert(0, str(ROOT))
DATABASE = os.environ.get("BENCH_FANOUT_DATABASE", "hamafza_bench_fanout")
KINDS = ["website", "telegram", "bale", "eitaa", "rubika"]
MESSENGERS = KINDS[1:]
LEAD_SECONDS = 4.0  # workers start (Django imports) before the posts fall due
PHOTOS = 4
LONG_LEAD = "ثبت‌نام بیمه روستاییان و عشایر از امروز در همه دفاتر استان آغاز شد. " * 18


def chat_id(kind: str, i: int) -> str:
    """A channel id of the form each platform uses."""
    return {
        "eitaa": f"org{i}_eitaa",
        "rubika": f"c0Org{i:05d}Rubika",
    }.get(kind, f"@org{i}_{kind}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=300)
    parser.add_argument("--album", action="store_true", help="also the album scenario")
    parser.add_argument("--album-only", action="store_true")
    parser.add_argument("--bots", choices=["shared", "per-org"], default="shared")
    parser.add_argument("--processes", type=int, default=2, help="outbox worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker process")
    args = parser.parse_args()

    subprocess.run([ROOT / "scripts" / "services", "postgres"], check=True)
    env = bench_env(
        DATABASE,
        DJANGO_SETTINGS_MODULE="hamafza.settings",
        PUBLISHING_ALLOW_LOCAL_API="1",  # the platforms are local servers here
    )
    os.environ.update(env)
    import django

    django.setup()
    scenarios = [] if args.album_only else [""]
    if args.album or args.album_only:
        scenarios.append("album_")
    result: dict = {}
    for prefix in scenarios:
        figures = run(args, env, album=bool(prefix))
        report(args, figures, album=bool(prefix))
        result.update({prefix + key: value for key, value in figures.items()})
    result.update(bots=args.bots, orgs=args.orgs, processes=args.processes, threads=args.threads)
    print(json.dumps(result, ensure_ascii=False))


def run(args, env: dict, *, album: bool) -> dict:
    from django.db import connections

    from hamafza_fakes import FakeBale, FakeEitaa, FakeRubika, FakeTelegram

    connections.close_all()
    recreate_database(PG_SERVER, DATABASE)
    subprocess.run([VENV_BIN / "hamafza", "migrate", "--noinput", "-v0"], env=env, check=True)
    fakes = {
        "telegram": FakeTelegram(enforce_limits=True),
        "bale": FakeBale(enforce_limits=True),
        "eitaa": FakeEitaa(enforce_limits=True),
        "rubika": FakeRubika(enforce_limits=True),
    }
    for fake in fakes.values():
        fake.start()
    workers = []
    try:
        seed(args.orgs, args.bots, {k: f.base_url for k, f in fakes.items()}, album=album)
        for fake in fakes.values():
            fake.reset()  # the connection checks are not the benchmark
        workers = [
            subprocess.Popen(
                [
                    VENV_BIN / "hamafza",
                    "outbox",
                    "--worker-id",
                    f"bench{i}",
                    "--threads",
                    str(args.threads),
                    "--batch",
                    "2",
                    "--poll",
                    "0.5",
                ],
                env=env,
            )
            for i in range(args.processes)
        ]
        due = fall_due_together()
        return wait_and_measure(args, due, fakes, workers, album=album)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
        for fake in fakes.values():
            fake.stop()


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 110, 170)).save(buffer, "PNG")
    return buffer.getvalue()


def seed(orgs: int, bots: str, base_urls: dict[str, str], *, album: bool):
    """The agencies, each with its five channels connected (each connection checked with
    its platform, as channel_connect does); one post (the same text) per agency, approved
    for an hour ahead."""
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from hamafza.network.models import Channel, Membership, Organisation, Province, Role
    from hamafza.publishing import services

    province = Province.objects.create(name="سیستان و بلوچستان", slug="sb")
    hub = Organisation.objects.create(name="اداره کل", slug="hub", kind="hub", province=province)
    admin = get_user_model().objects.create_user("bench-admin", password="x" * 20)
    Membership.objects.create(user=admin, organisation=hub, role=Role.NETWORK_ADMIN)
    image = png()
    posts = []
    for i in range(orgs):
        org = Organisation.objects.create(
            name=f"دستگاه {i}", slug=f"org{i}", kind="agency", province=province, parent=hub
        )
        channels = []
        for kind in KINDS:
            channel = Channel.objects.create(organisation=org, kind=kind, handle=f"@org{i}_{kind}")
            channels.append(channel)
            if kind in MESSENGERS:
                bot = 1000 if bots == "shared" else 1001 + i  # Telegram's <bot id>:<secret>
                services.channel_connect(
                    actor=admin,
                    channel=channel,
                    token=f"{bot}:{kind}-bot",
                    chat_id=chat_id(kind, i),
                    base_url=base_urls[kind],
                )
        post = services.post_create(
            actor=admin,
            organisation=org,
            title="آغاز ثبت‌نام بیمه روستاییان و عشایر",
            lead=LONG_LEAD if album else "ثبت‌نام از امروز در همه دفاتر آغاز شد.",
            body="<p>متن کامل خبر.</p>",
            channels=channels,
        )
        for n in range(PHOTOS if album else 0):
            services.post_photo_add(
                actor=admin,
                post=post,
                image=SimpleUploadedFile(f"p{n}.png", image, "image/png"),
                alt_text=f"عکس {n + 1}",
            )
        services.post_submit(actor=admin, post=post)
        posts.append(post)
    later = timezone.now() + timedelta(hours=1)  # the moment is set once workers run
    for post in posts:
        post.publish_at = later
        post.save(update_fields=["publish_at"])
        services.post_approve(actor=admin, post=post)


def fall_due_together() -> datetime:
    """Every delivery falls due at one moment, LEAD_SECONDS from now (the workers have
    started by then), so that the clock starts when all of them are due at once."""
    from django.utils import timezone

    from hamafza.publishing.models import Delivery, Post

    due = timezone.now() + timedelta(seconds=LEAD_SECONDS)
    Post.objects.update(publish_at=due)
    Delivery.objects.update(due_at=due)
    return due


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process, from /proc."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_and_measure(args, due, fakes, workers, *, album: bool) -> dict:
    from django.db.models import Max
    from django.utils import timezone

    from hamafza.publishing.models import Delivery, DeliveryState

    total = args.orgs * len(KINDS)
    time.sleep(max((due - timezone.now()).total_seconds(), 0))
    cpu_start = sum(cpu_seconds(w.pid) for w in workers)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        time.sleep(0.2)
        if not Delivery.objects.filter(state__in=["pending", "retry", "leased"]).exists():
            break
    cpu = sum(cpu_seconds(w.pid) for w in workers) - cpu_start
    time.sleep(0.5)  # let a stray duplicate (if any) reach the platforms before counting
    states = Counter(Delivery.objects.values_list("state", flat=True))
    last = Delivery.objects.filter(state=DeliveryState.SENT).aggregate(m=Max("sent_at"))["m"]
    posted, requests, messages, refused = Counter(), Counter(), Counter(), Counter()
    for kind, fake in fakes.items():
        for call in fake.calls:
            if call.rate_limited:
                refused[
                    f"{kind}.{call.method} ({call.limit}, {call.short_by * 1000:.0f} ms early)"
                ] += 1
            n = fake.counted(call)
            if call.status == 200 and n and not call.rate_limited:
                chat = str(call.params.get(fake.chat_param, ""))
                posted[(kind, chat, call.method)] += 1
                requests[(kind, chat)] += 1
                messages[(kind, call.token)] += n
    # When each platform got its first and last message, counted from the due moment.
    mono_due = time.monotonic() - (timezone.now() - due).total_seconds()
    spans = {}
    for kind, fake in fakes.items():
        times = [c.at - mono_due for c in fake.calls if c.status == 200 and fake.counted(c)]
        if times:
            spans[kind] = [round(min(times), 3), round(max(times), 3)]
    duplicates = sum(n - 1 for n in posted.values() if n > 1)
    expected = {(kind, chat_id(kind, i)) for i in range(args.orgs) for kind in MESSENGERS}
    lost_remote = len(expected - set(requests))
    lost = max(total - states.get("sent", 0), lost_remote)
    seconds = round((last - due).total_seconds(), 3) if last else None
    floor = floor_seconds(fakes, messages, requests)
    return {
        "seconds": seconds,
        "floor_seconds": round(floor, 3),
        "ratio_to_floor": round(seconds / floor, 3) if seconds and floor else None,
        "http_429": sum(refused.values()),
        "rate_limited_by": dict(refused),
        "duplicates": duplicates,
        "lost": lost,
        "unconfirmed": states.get("unconfirmed", 0),
        "cpu_ms_per_delivery": round(1000 * cpu / total, 2),
        "deliveries": total,
        "states": dict(states),
        "messages_per_bot": max(messages.values()) if messages else 0,
        "platform_first_last_seconds": spans,
    }


def floor_seconds(fakes, messages: Counter, requests: Counter) -> float:
    """What the platforms' documented limits alone require for what was sent."""
    floor = 0.0
    for (kind, _token), n in messages.items():
        floor = max(floor, (n - 1) / fakes[kind].PER_BOT_PER_SECOND)
    for (kind, _chat), n in requests.items():
        fake = fakes[kind]
        floor = max(floor, (n - 1) * fake.PER_CHAT_GAP)
        minutes = math.ceil(n / fake.PER_CHAT_PER_MINUTE) - 1
        floor = max(floor, minutes * 60.0)
    return floor


def report(args, result: dict, *, album: bool) -> None:
    what = (
        f"an album of {PHOTOS} photos and a text after it (Eitaa, Rubika: one photo and the text)"
        if album
        else "one text message"
    )
    print(
        f"{'album' if album else 'single'}: {result['deliveries']} deliveries ({args.orgs}"
        f" organisations × {len(KINDS)} channels, each post {what}; website in-process)"
    )
    print(f"bots: {args.bots}; workers: {args.processes} processes × {args.threads} threads")
    print(
        f"delivered all in {result['seconds']} s; rate-limit floor {result['floor_seconds']} s"
        f" (ratio {result['ratio_to_floor']}); workers' CPU {result['cpu_ms_per_delivery']} ms"
        " per delivery"
    )
    print(
        f"rate-limited: {result['http_429']}, duplicates: {result['duplicates']},"
        f" lost: {result['lost']}, unconfirmed: {result['unconfirmed']}"
    )
    print(f"states: {result['states']}")


if __name__ == "__main__":
    main()
