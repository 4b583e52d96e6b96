"""How the JSON API knows who is calling: the browser session (with CSRF) or a bearer
token. Either way the endpoint gets the user as `request.auth`."""

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from .models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        api_token = ApiToken.objects.find(token)
        if api_token is None:
            return None
        now = timezone.now()
        # Touch at most once a minute: a busy client must not turn every read into a write.
        if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        return api_token.user


class ActiveSessionAuth(SessionAuth):
    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user and user.is_active else None
