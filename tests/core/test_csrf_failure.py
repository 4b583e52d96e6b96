"""A form the CSRF check refuses gets a Persian page in the site's layout, not Django's
English one, with a way back to the form; nothing that was sent is acted on."""

import pytest
from django.test import Client


@pytest.fixture
def strict_client():
    return Client(enforce_csrf_checks=True)


def test_a_stale_form_is_refused_in_persian_inside_the_layout(strict_client, member, password):
    strict_client.get("/login/")  # the cookie is set; the token then goes missing
    response = strict_client.post(
        "/login/",
        {"username": "member", "password": password},
        HTTP_REFERER="http://testserver/login/?next=/publishing/",
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html  # the layout
    assert "<h1" in html and "فرم پذیرفته نشد" in html
    assert "صفحه را دوباره باز کنید" in html
    assert 'href="http://testserver/login/?next=/publishing/"' in html  # back to the form
    assert "Forbidden" not in html and "CSRF" not in html
    assert "_auth_user_id" not in strict_client.session  # the sign-in did not happen


def test_without_cookies_the_page_says_to_turn_them_on(strict_client, db):
    response = strict_client.post("/mawkib/track/", {"tracking_code": "ABC"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "کوکی‌ها را برای این سایت روشن کنید" in html
    # No address of the page it came from: the way back is the form's own address.
    assert 'href="/mawkib/track/"' in html


def test_a_referer_from_another_site_is_not_offered_as_the_way_back(strict_client, db):
    strict_client.get("/login/")
    response = strict_client.post(
        "/login/", {"username": "x"}, HTTP_REFERER="https://evil.example/phish"
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "evil.example" not in html and 'href="/login/"' in html
