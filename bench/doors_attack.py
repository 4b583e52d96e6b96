"""The attacks on Hamafza's doors that the outside check ran, repeated against a real
server on loopback: the app under gunicorn with two processes (as `scripts/start` runs it)
on SQLite with the demo data.

    .venv/bin/python bench/doors_attack.py [--tree PATH]

`--tree` runs the same attacks against another checkout of the project (an earlier commit
in a `git worktree`), for before/after figures. Every request goes to 127.0.0.1, and each
attack is a bounded loop. The last line is one JSON object:

- admin_wrong_passwords_answered: of 30 wrong passwords for `admin` at /admin/login/, how
  many got the login form back (a throttled door stops answering);
- admin_right_password_after: whether the right password then signed in;
- site_wrong_passwords_before_lock: wrong passwords /login/ took, spread over both
  processes, before it refused (the limit is 10; per-process counters give 20);
- otp_requests_before_limit: made-up tracking codes /mawkib/track/ took from one address
  before refusing (the limit is 20);
- reminder_sms_queued: SMS queued by 13 posts of the readiness form with someone else's
  national code (at most one reminder is the goal; the attack saw 13);
- apply_page_tells_existing: whether the readiness form's answer differs for a national
  code that has applied;
- reset_page_tells_username: whether «forgot my password» answers differently for a real
  username (null where the tree has no such page).
"""

import argparse
import json
import re
import sqlite3
import sys
import tempfile
from pathlib import Path

from support import ROOT, free_port, gunicorn, readiness_form, sqlite_demo

sys.path.insert(0, str(ROOT))
from hamafza_fakes.browser import Browser


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tree", type=Path, default=ROOT, help="the checkout to attack")
    args = parser.parse_args()
    tree = args.tree.resolve()
    with tempfile.TemporaryDirectory() as var:
        env = sqlite_demo(var, tree)
        database = Path(var) / "bench.sqlite3"
        port = free_port()
        with gunicorn(env, port, workers=2, cwd=tree):
            figures = attack(f"http://127.0.0.1:{port}", database)
    figures["tree"] = str(tree)
    print(json.dumps(figures, ensure_ascii=False))


def attack(origin: str, database: Path) -> dict:
    figures: dict = {}
    intruder = Browser(origin)

    answered = 0
    for _ in range(30):
        status, page, _ = intruder.post_form(
            "/admin/login/", {"username": "admin", "password": "wrong-guess"}
        )
        answered += status == 200 and 'name="password"' in page
    status, _page, location = Browser(origin).post_form(
        "/admin/login/?next=/admin/", {"username": "admin", "password": "hamafza-demo"}
    )
    figures["admin_wrong_passwords_answered"] = answered
    figures["admin_right_password_after"] = status == 302 and location.endswith("/admin/")

    # New connections each time: gunicorn hands them to either of its two processes.
    taken = 0
    for _ in range(40):
        status, page, _ = Browser(origin).post_form(
            "/login/", {"username": "dabir", "password": "wrong-guess"}
        )
        if status != 200 or "۱۵ دقیقه" in page:
            break
        taken += 1
    figures["site_wrong_passwords_before_lock"] = taken

    taken = 0
    for attempt in range(60):
        _status, page, _ = Browser(origin).post_form(
            "/mawkib/track/", {"tracking_code": f"{20000000 + attempt * 7919}"}
        )
        if "بیش از اندازه" in page:
            break
        taken += 1
    figures["otp_requests_before_limit"] = taken

    figures |= readiness_form_attack(origin, database)
    figures["reset_page_tells_username"] = reset_oracle(origin)
    return figures


def readiness_form_attack(origin: str, database: Path) -> dict:
    with sqlite3.connect(database) as db:
        national_code = db.execute(
            "SELECT national_code FROM mawkib_application ORDER BY id LIMIT 1"
        ).fetchone()[0]
    form = readiness_form(Browser(origin).get("/mawkib/apply/")[1]) | {"mobile": "09120000001"}
    before = queued_sms(database)
    pages = []
    for _ in range(13):
        browser = Browser(origin)
        _s, _p, location = browser.post_form(
            "/mawkib/apply/", form | {"national_code": national_code}
        )
        pages.append(strip(browser.get(location.replace(origin, ""))[1]) if location else "")
    reminders = queued_sms(database) - before
    fresh = Browser(origin)
    _s, _p, location = fresh.post_form("/mawkib/apply/", form | {"national_code": "3620017840"})
    new_page = strip(fresh.get(location.replace(origin, ""))[1]) if location else ""
    return {
        "reminder_sms_queued": reminders,
        "apply_page_tells_existing": bool(pages and new_page) and pages[0] != new_page,
    }


def queued_sms(database: Path) -> int:
    """SMS queued so far: notices (now) or the old send_sms_task rows (before)."""
    with sqlite3.connect(database) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "core_smsnotice" in tables:
            return db.execute("SELECT COUNT(*) FROM core_smsnotice").fetchone()[0]
        return db.execute(
            "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE task_path LIKE '%sms%'"
        ).fetchone()[0]


def reset_oracle(origin: str) -> bool | None:
    if Browser(origin).get("/password/forgot/")[0] == 404:
        return None
    answers = []
    for username in ("admin", "no-such-person-here"):
        browser = Browser(origin)
        _s, _p, location = browser.post_form("/password/forgot/", {"username": username})
        answers.append((location, strip(browser.get(location.replace(origin, ""))[1])))
    return answers[0] != answers[1]


def strip(html: str) -> str:
    """A page without what differs on every load (CSRF tokens)."""
    return re.sub(r'value="[A-Za-z0-9]{32,}"', "", html)


if __name__ == "__main__":
    main()
