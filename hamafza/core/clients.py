"""Who is asking: the client's address, as seen through the project's own proxies."""

from django.conf import settings


def client_address(request) -> str:
    """REMOTE_ADDR, or behind TRUSTED_PROXIES reverse proxies the address the nearest
    untrusted hop gave in X-Forwarded-For (each proxy appends the address it saw, so the
    last N entries are ours and the one before them is the client's)."""
    proxies = settings.TRUSTED_PROXIES
    remote = request.META.get("REMOTE_ADDR", "")
    if not proxies:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < proxies:
        return remote
    return hops[-proxies]
