"""The Content-Security-Policy header: strict, and on every kind of response (pages, the
public portal's cached pages, errors, JSON). The browser walk in
tests/browser/test_page_policy.py shows the pages keep to it."""

import pytest


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def test_the_policy_is_strict(client, db):
    policy = directives(client.get("/login/"))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"  # no 'unsafe-inline', and no nonce to leak
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["object-src"] == policy["base-uri"] == policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/news/", "/no-such-page/", "/healthz", "/api/openapi.json"])
def test_every_kind_of_response_carries_it(client, db, path):
    response = client.get(path)
    assert directives(response)["default-src"] == "'self'"
    # A cached public page is served again with the header: it is added on the way out.
    assert "Content-Security-Policy" in client.get(path).headers
