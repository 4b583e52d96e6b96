"""Many volunteers ask for the last places at the same moment, over HTTP, on PostgreSQL
(in the style of pretix's tests). A control run with the row lock switched off shows the
race is real; the real run shows exactly the capacity is taken and everyone else is told
the shift is full."""

import json
import secrets
import threading
import time
import urllib.request
from datetime import datetime, timedelta
from importlib import import_module

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from hamafza.mawkib.applicant import SESSION_KEY
from hamafza.mawkib.models import Assignment, Mawkib, Shift, ShiftDemand, Staffing
from hamafza.mawkib.services import roster
from hamafza.persian.dates import TEHRAN

CAPACITY = 5
VOLUNTEERS = 30

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def last_places(season, county, roles, make_application):
    mawkib = Mawkib.objects.create(
        season=season, site_key="mirjaveh", name="موکب مرز میرجاوه", kind="border", county=county
    )
    day = timezone.localdate() + timedelta(days=2)
    starts = datetime.combine(day, datetime.min.time(), TEHRAN).replace(hour=8)
    shift = Shift.objects.create(
        mawkib=mawkib, name="صبح", starts_at=starts, ends_at=starts + timedelta(hours=6)
    )
    demand = ShiftDemand.objects.create(
        shift=shift, role=roles["serving"], gender=Staffing.ANY, capacity=CAPACITY
    )
    people = [
        make_application(
            season, 0, national_code=f"{i:010d}", days=[day.isoformat()], mobile=f"0912{i:07d}"
        )
        for i in range(VOLUNTEERS)
    ]
    return demand, people


def _session_cookie(application) -> str:
    # Whichever store the site uses (the database, or Redis at scale).
    session = import_module(django_settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = application.pk
    session[f"{SESSION_KEY}_until"] = time.time() + 600
    session.save()
    return session.session_key


def _sign_up_all_at_once(live_server, demand, people) -> list[tuple[int, dict]]:
    csrf = secrets.token_hex(16)  # a 32-character secret works as cookie and header alike
    cookies = [_session_cookie(p) for p in people]
    start = threading.Barrier(len(people))
    answers: list[tuple[int, dict]] = []

    def ask(cookie: str) -> None:
        request = urllib.request.Request(
            f"{live_server.url}/api/mawkib/signup",
            data=json.dumps({"demand_id": demand.pk}).encode(),
            headers={
                "Content-Type": "application/json",
                "Cookie": f"sessionid={cookie}; csrftoken={csrf}",
                "X-CSRFToken": csrf,
                "Referer": live_server.url,
            },
            method="POST",
        )
        start.wait()
        for _attempt in range(20):
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    answers.append((response.status, json.loads(response.read())))
            except urllib.error.HTTPError as error:
                answers.append((error.code, json.loads(error.read() or b"{}")))
            except (ConnectionResetError, ConnectionRefusedError, urllib.error.URLError):
                # The test server's listen queue is short: a connection it turned away
                # never reached Django, so asking again cannot double a sign-up.
                time.sleep(0.05)
                continue
            return

    threads = [threading.Thread(target=ask, args=(c,)) for c in cookies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises every write transaction anyway")


@pytest.fixture
def race_window(monkeypatch):
    """A pause between counting the places taken and taking one, so the control run shows
    the race every time, not by luck (the live server runs in this process)."""
    count = roster._places_taken

    def slow_count(demand_id):
        taken = count(demand_id)
        time.sleep(0.3)
        return taken

    monkeypatch.setattr(roster, "_places_taken", slow_count)


def test_without_the_lock_the_last_places_are_overbooked(
    postgres_only, live_server, last_places, race_window, monkeypatch
):
    monkeypatch.setattr(roster, "_place_locked", lambda places: places)  # the lock taken away
    demand, people = last_places
    answers = _sign_up_all_at_once(live_server, demand, people)
    assert all(status in (201, 409) for status, _ in answers)
    assert Assignment.objects.filter(demand=demand).count() > CAPACITY  # the race is real


def test_with_the_lock_exactly_the_capacity_is_taken(
    postgres_only, live_server, last_places, race_window
):
    demand, people = last_places
    answers = _sign_up_all_at_once(live_server, demand, people)
    statuses = sorted(status for status, _ in answers)
    assert statuses.count(201) == CAPACITY
    refused = [body for status, body in answers if status == 409]
    assert len(refused) == VOLUNTEERS - CAPACITY
    assert {body["code"] for body in refused} == {"full"}
    assert Assignment.objects.filter(demand=demand).count() == CAPACITY
