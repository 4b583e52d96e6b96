"""Every door that takes a password goes through one throttle (django-axes), and every
limit holds across processes: the counts live in the database (or Redis), never in one
process's memory."""

import pytest

from hamafza.core import ratelimit
from hamafza_fakes.browser import Browser
from tests import processes

LOCKED = "۱۵ دقیقه دیگر"


def wrong_logins(client, url: str, username: str, n: int) -> None:
    for _ in range(n):
        client.post(url, {"username": username, "password": "not-the-password"})


@pytest.mark.slow
def test_the_admin_login_is_throttled_and_then_refuses_the_right_password(
    client, admin_user, password
):
    admin_user.is_staff = True
    admin_user.save()
    wrong_logins(client, "/admin/login/", admin_user.username, 30)

    response = client.post(
        "/admin/login/?next=/admin/", {"username": admin_user.username, "password": password}
    )

    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.slow
def test_a_lock_on_the_site_login_closes_the_admin_login_too(client, admin_user, password):
    admin_user.is_staff = True
    admin_user.save()
    wrong_logins(client, "/login/", admin_user.username, 10)

    response = client.post("/admin/login/", {"username": admin_user.username, "password": password})

    assert response.status_code == 429


@pytest.mark.slow
def test_case_and_spaces_do_not_give_fresh_tries(client, member, password):
    for variant in ["member", "Member", " MEMBER ", "member "] * 3:
        client.post("/login/", {"username": variant, "password": "nope"})

    assert client.post("/login/", {"username": "member", "password": password}).status_code == 429


def test_wrong_old_passwords_on_the_change_form_count_too(client, login, member, password):
    signed_in = login(member)
    statuses = [
        signed_in.post(
            "/password/",
            {"old_password": "guess", "new_password1": "x" * 20, "new_password2": "x" * 20},
        ).status_code
        for _ in range(10)
    ]
    assert statuses == [200] * 9 + [429]  # the tenth wrong one closes the doors

    locked = signed_in.post(
        "/password/",
        {
            "old_password": password,
            "new_password1": "Fresh-pass-1405",
            "new_password2": "Fresh-pass-1405",
        },
    )

    assert locked.status_code == 429
    member.refresh_from_db()
    assert member.check_password(password)  # unchanged


@pytest.mark.slow
def test_a_stranger_elsewhere_is_not_locked_out_by_someone_elses_guesses(client, member, password):
    wrong_logins(client, "/login/", "member", 10)

    response = client.post(
        "/login/", {"username": "member", "password": password}, REMOTE_ADDR="10.1.2.3"
    )

    assert response.status_code == 302


@pytest.mark.slow
def test_an_address_guessing_many_usernames_is_refused_before_any_password_is_checked(
    client, member, password
):
    from hamafza.core.doors import FAILURES_PER_ADDRESS

    for n in range(FAILURES_PER_ADDRESS):
        client.post("/login/", {"username": f"guess-{n}", "password": "nope"})

    refused = client.post("/login/", {"username": "member", "password": password})
    elsewhere = client.post(
        "/login/", {"username": "member", "password": password}, REMOTE_ADDR="10.9.8.7"
    )

    assert refused.status_code == 429 and LOCKED in refused.content.decode()
    assert elsewhere.status_code == 302


def test_a_shared_counter_counts_in_one_step(db):
    assert [ratelimit.count("test:one", window=60) for _ in range(3)] == [1, 2, 3]
    assert ratelimit.hit("test:two", limit=1, window=60) is False
    assert ratelimit.hit("test:two", limit=1, window=60) is True
    assert ratelimit.peek("test:two", window=60) == 2
    ratelimit.reset("test:two", window=60)
    assert ratelimit.hit("test:two", limit=1, window=60) is False


# --- Two real server processes on one database ------------------------------------------


@pytest.fixture
def two_servers(tmp_path):
    """Two separate gunicorn servers (one process each, their own local memory) on one
    SQLite database, with one person who signs in."""
    env = processes.embedded_env(tmp_path)
    processes.hamafza(env, "migrate", "-v", "0")
    processes.hamafza(
        env,
        "shell",
        "-c",
        "from hamafza.core.models import User; User.objects.create_user('rahim', password='Right-pass-1405')",
    )
    ports = [processes.free_port(), processes.free_port()]
    servers = [processes.serve(env, port) for port in ports]
    try:
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        processes.stop(*servers)


@pytest.mark.slow
def test_limits_hold_across_two_server_processes(two_servers):
    browsers = [Browser(origin) for origin in two_servers]
    # Ten wrong passwords, five to each process: the tenth closes the door on both, the
    # right password included (each process alone saw only five).
    statuses = [
        browsers[attempt % 2].post_form("/login/", {"username": "rahim", "password": "wrong"})[0]
        for attempt in range(10)
    ]
    assert statuses == [200] * 9 + [429]
    for browser in browsers:
        status, page, _ = browser.post_form(
            "/login/", {"username": "rahim", "password": "Right-pass-1405"}
        )
        assert status == 429 and LOCKED in page

    # The one-time-code door's per-address limit (20 in ten minutes), shared the same way.
    refused = 0
    for attempt in range(24):
        code = f"{10000000 + attempt}"
        _status, page, _ = browsers[attempt % 2].post_form(
            "/mawkib/track/", {"tracking_code": code}
        )
        refused += "بیش از اندازه" in page
    assert refused == 4
