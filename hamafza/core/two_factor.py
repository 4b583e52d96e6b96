"""Two-factor sign-in: a TOTP app (django-otp) and ten recovery codes.

Any staff member may turn it on. The network may require it for roles (it registers the
question with `register_requirement`; core knows no roles), never of a demo account.
Whoever has it on, or must, is held at the second step after the password, on every
page, the Django admin included, until a code from the app (or a recovery code) is
given; a session-authenticated API call is refused meanwhile. Actions that hand out
lasting access (an API token) ask for a recent second step.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import segno
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import audit

VERIFIED_AT_KEY = "hamafza_two_factor_at"
#: Whether the person has the second factor on, and when that was read: noted at sign-in
#: and when they turn it on or off here, and read again after RECHECK_SECONDS (it may have
#: changed in another session), so a page pays no query to ask.
ON_KEY = "hamafza_two_factor_on"
RECHECK_SECONDS = 5 * 60
RECENT_SECONDS = 15 * 60
RECOVERY_CODES = 10
APP_DEVICE = "app"
RECOVERY_DEVICE = "recovery"

_requirement: Callable[[object], bool] | None = None


@receiver(user_logged_in)
def _note_at_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        note(request, is_on(user))


def note(request, on: bool) -> None:
    request.session[ON_KEY] = [on, time.time()]


def noted_on(request) -> bool:
    """Whether this session's person has the second factor on (from the session, read
    again from the database when the note is old or missing)."""
    noted = request.session.get(ON_KEY)
    if not isinstance(noted, list) or time.time() - noted[1] > RECHECK_SECONDS:
        on = is_on(request.user)
        note(request, on)
        return on
    return bool(noted[0])


def register_requirement(fn: Callable[[object], bool]) -> None:
    """`fn(user) -> bool`: whether the user's roles require the second factor."""
    global _requirement
    _requirement = fn


def required_for(user) -> bool:
    if getattr(user, "is_demo_account", False) or _requirement is None:
        return False
    return bool(_requirement(user))


def is_on(user) -> bool:
    # The app device is the switch: recovery codes exist only beside it.
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recently_verified(request) -> bool:
    at = request.session.get(VERIFIED_AT_KEY, 0)
    return request.user.is_verified() and time.time() - at < RECENT_SECONDS


# --- Turning it on and off ----------------------------------------------------------------


def setup_start(user) -> TOTPDevice:
    """An app device waiting for its first code (a fresh secret each time it is shown)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#111")


def secret_text(device: TOTPDevice) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def setup_confirm(request, *, code: str) -> list[str] | None:
    """Turn it on with the first code from the app; returns the recovery codes (shown
    once), or None for a wrong code."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None or not device.verify_token(code):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    _verified(request, device)
    note(request, True)
    audit(actor=user, action="core.two_factor.enabled", target=user)
    return codes


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=c) for c in codes)
    return codes


@transaction.atomic
def recovery_codes_renew(request) -> list[str]:
    codes = _new_recovery_codes(request.user)
    audit(actor=request.user, action="core.two_factor.codes_renewed", target=request.user)
    return codes


@transaction.atomic
def disable(request, *, code: str) -> bool:
    """Turn it off with a current code; never while the person's roles require it."""
    user = request.user
    if required_for(user) or verify(request, code=code) is None:
        return False
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    request.session.pop(VERIFIED_AT_KEY, None)
    note(request, False)
    audit(actor=user, action="core.two_factor.disabled", target=user)
    return True


# --- The second step ----------------------------------------------------------------------


def verify(request, *, code: str):
    """Check a code from the app, or a recovery code (each works once); the devices
    throttle wrong codes themselves. Returns the device, or None."""
    code = "".join(code.split()).lower()
    # Six digits are the app's; anything else a recovery code. Only that device is tried,
    # so a wrong app code does not slow the recovery codes down, and it is locked while
    # it is checked, so one code given twice at once works once.
    kind = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    with transaction.atomic():
        device = kind.objects.select_for_update().filter(user=request.user, confirmed=True).first()
        if device is not None and device.verify_token(code):
            _verified(request, device)
            return device
    return None


def _verified(request, device) -> None:
    otp_login(request, device)
    request.session[VERIFIED_AT_KEY] = time.time()


# Pages the second step leaves open (it must be reachable, and so must the way out).
_OPEN = ("/logout/", "/static/", "/healthz")
VERIFY_PATH = "/account/two-factor/verify/"
SETUP_PATH = "/account/two-factor/"


class TwoFactorMiddleware:
    """After django-otp's OTPMiddleware: hold a signed-in person at the second step."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.SESSION_COOKIE_NAME in request.COOKIES  # cookieless pages stay cacheable
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(_OPEN)
        ):
            if noted_on(request):
                if request.path != VERIFY_PATH:
                    return self._hold(request, "two_factor_verify")
            elif request.path != SETUP_PATH and required_for(user):
                return self._hold(request, "two_factor")
        return self.get_response(request)

    @staticmethod
    def _hold(request, url_name: str):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": "ورود دومرحله‌ای کامل نشده است."}, status=403)
        from django.urls import reverse
        from django.utils.http import urlencode

        return redirect(f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}")
