"""A person's browser for tests and attack scripts that talk to a real server over HTTP:
cookies kept, the form's CSRF token sent back, redirects not followed (so a test sees
where it is sent)."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(self, origin: str, *, timeout: float = 20):
        self.origin, self.timeout = origin, timeout
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def get(self, path: str) -> tuple[int, str, str]:
        """(status, body, Location)."""
        return self._open(urllib.request.Request(self.origin + path))

    def post_form(
        self, path: str, fields: dict, *, form_path: str | None = None
    ) -> tuple[int, str, str]:
        """Open the form page (`form_path`, else `path`) for its CSRF token, then post."""
        _status, page, _location = self.get(form_path or path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}, doseq=True).encode()
        request = urllib.request.Request(
            self.origin + path, data=body, headers={"Referer": self.origin + path}
        )
        return self._open(request)

    def _open(self, request) -> tuple[int, str, str]:
        try:
            response = self.opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as error:
            response = error
        return response.status, response.read().decode(), response.headers.get("Location", "")
