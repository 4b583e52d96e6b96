"""Does a flood of wrong passwords stall the volunteers' sign-up on the embedded default?
Every wrong password is a write (django-axes records it in the database), and SQLite
takes one writer at a time, so this is the case to measure.

    .venv/bin/python bench/login_flood.py [--signups 150] [--flooders 4]

The app runs under gunicorn with two processes on SQLite with the demo data. It measures
readiness-form sign-ups (the form page, then its submission: a new application, a
write) one after another, first on
a quiet server, then while `--flooders` clients send wrong passwords for ever-new
usernames as fast as the server answers. The last line is one JSON object: quiet and
p50/p95 in ms and sign-ups per second during the flood's first guesses (each checked,
a quarter second of CPU apiece) and after the doors refuse the flooding address
unchecked, the seconds that took, the wrong passwords answered meanwhile, and any
sign-up that failed.
"""

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time

from support import ROOT, free_port, gunicorn, readiness_form, sqlite_demo

sys.path.insert(0, str(ROOT))
from hamafza_fakes.browser import Browser


def national_code(n: int) -> str:
    """The n-th valid national code (nine digits and their check digit)."""
    digits = f"{n:09d}"
    remainder = sum(int(d) * (10 - i) for i, d in enumerate(digits)) % 11
    return digits + str(remainder if remainder < 2 else 11 - remainder)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--signups", type=int, default=150, help="per phase")
    parser.add_argument("--flooders", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var:
        env = sqlite_demo(var)
        port = free_port()
        with gunicorn(env, port, workers=2):
            origin = f"http://127.0.0.1:{port}"
            form = readiness_form(Browser(origin).get("/mawkib/apply/")[1])
            quiet = signups(origin, form, range(1000, 1000 + args.signups))
            stop, answered, refused = threading.Event(), [0], threading.Event()
            flooders = [
                threading.Thread(target=flood, args=(origin, i, stop, answered, refused))
                for i in range(args.flooders)
            ]
            started = time.monotonic()
            for thread in flooders:
                thread.start()
            # While the address's first wrong passwords are checked (each costs the
            # hasher's quarter second), and after the doors refuse it unchecked.
            first = signups(origin, form, range(5000, 5000 + args.signups), until=refused)
            refused.wait(timeout=120)
            refused_after = time.monotonic() - started
            flooded = signups(origin, form, range(9000, 9000 + args.signups))
            stop.set()
            for thread in flooders:
                thread.join()
    print(
        json.dumps(
            {
                "quiet": summary(quiet),
                "flood_first_guesses": summary(first),
                "address_refused_after_s": round(refused_after, 1),
                "flooded": summary(flooded),
                "wrong_passwords_answered_during": answered[0],
                "flooders": args.flooders,
                "slowdown_p95": round(summary(flooded)["p95_ms"] / summary(quiet)["p95_ms"], 2),
            }
        )
    )


def signups(origin: str, form: dict, numbers, until=None) -> list[float | None]:
    """Each a new person's application; seconds taken, or None for one that failed.
    Stops early once `until` (an event) is set."""
    times: list[float | None] = []
    for n in numbers:
        if until is not None and until.is_set():
            break
        browser = Browser(origin)
        fields = form | {"national_code": national_code(n), "mobile": f"0912{n:07d}"}
        started = time.perf_counter()
        status, _page, location = browser.post_form("/mawkib/apply/", fields)
        elapsed = time.perf_counter() - started
        times.append(elapsed if status == 302 and "done" in location else None)
    return times


def flood(origin: str, index: int, stop, answered: list[int], refused) -> None:
    n = 0
    while not stop.is_set():
        n += 1
        status, _page, _ = Browser(origin).post_form(
            "/login/", {"username": f"guess-{index}-{n}", "password": "wrong-guess"}
        )
        answered[0] += 1
        if status == 429:
            refused.set()


def summary(times: list[float | None]) -> dict:
    good = sorted(t for t in times if t is not None)
    if not good:
        return {"p50_ms": None, "p95_ms": None, "per_second": 0, "failed": len(times)}
    ms = [t * 1000 for t in good]
    return {
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(ms[int(len(ms) * 0.95) - 1], 1),
        "per_second": round(len(good) / sum(good), 1),
        "failed": len(times) - len(good),
    }


if __name__ == "__main__":
    main()
