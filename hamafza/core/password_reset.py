"""«Forgot my password»: by e-mail (a one-time link, Django's reset token) and by SMS to the
mobile on file (a one-time code, kept hashed in the asker's session), throttled per
username and per address, answering the same for a username that does not exist.

The link is sent at once, never through the durable queue (it is as good as a password);
the code goes through `core.sms.send_otp`, as every one-time code does.
"""

from __future__ import annotations

import logging
import time

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import ratelimit
from .audit import audit
from .codes import keyed_hash, matches, new_code
from .sms import SmsUnavailable, send_otp

logger = logging.getLogger(__name__)

SESSION_KEY = "hamafza_password_reset"
CODE_TTL = 10 * 60
CODE_TRIES = 5  # per code request, in CODE_WINDOW
#: Asking for a reset: per username and per address, in an hour.
PER_USERNAME = 3
PER_ADDRESS = 10


def _person(username: str):
    return (
        get_user_model().objects.filter(username__iexact=username.strip(), is_active=True).first()
    )


def reset_request(request, *, username: str, address: str) -> None:
    """Send a link and a code to whatever the person has on file. Says nothing back: the
    caller answers the same whether or not the username exists, or was throttled."""
    key = username.strip().lower()
    over = ratelimit.hit(f"reset:user:{key}", limit=PER_USERNAME, window=3600)
    over = ratelimit.hit(f"reset:ip:{address}", limit=PER_ADDRESS, window=3600) or over
    person = None if over else _person(username)
    # The session holds a state for a stranger too, so the code page acts the same.
    state = {"user": None, "hash": "", "expires": time.time() + CODE_TTL}
    if person is not None and person.has_usable_password():
        if person.email:
            _send_link(request, person)
        if person.mobile:
            code = new_code()
            try:
                send_otp(
                    to=person.mobile,
                    code=code,
                    purpose="reset",
                    language=person.preferred_language,
                )
            except SmsUnavailable:
                logger.warning("password reset code for user %s not sent", person.pk)
            else:
                state.update(user=person.pk, hash=keyed_hash(code))
    request.session[SESSION_KEY] = state


def _send_link(request, person) -> None:
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
            "token": default_token_generator.make_token(person),
        },
    )
    with translation.override(person.preferred_language):
        send_mail(
            _("هم‌افزا: بازیابی گذرواژه"),
            _(
                "برای برگزیدن گذرواژه تازه این پیوند را باز کنید (یک بار کار می‌کند):\n%(link)s\n\n"
                "اگر شما نخواسته‌اید، این نامه را نادیده بگیرید؛ گذرواژه شما عوض نشده است."
            )
            % {"link": request.build_absolute_uri(path)},
            None,
            [person.email],
        )


WRONG_CODE = gettext_lazy("رمز یک‌بار مصرف درست نیست یا منقضی شده است.")
CODE_WINDOW = 10 * 60
CODE_TRIES_PER_ADDRESS = 20


@transaction.atomic
def reset_with_code(request, *, code: str, new_password: str, address: str) -> list[str] | None:
    """Set the new password if the code is right; each code works once, for ten minutes,
    within five tries, counted where every process and every request sees them (a count
    in the session would let parallel guesses each have a try). Returns None once the
    password is set, else the messages to show: only after a right code does the new
    password meet the person's own name, so the answer tells a stranger nothing."""
    wrong = [WRONG_CODE]
    state = request.session.get(SESSION_KEY)
    if not state or time.time() > state["expires"]:
        return wrong
    asker = state["user"] or request.session.session_key or "anonymous"
    over = ratelimit.hit(f"reset-code:{asker}", limit=CODE_TRIES, window=CODE_WINDOW)
    over = (
        ratelimit.hit(f"reset-code-ip:{address}", limit=CODE_TRIES_PER_ADDRESS, window=CODE_WINDOW)
        or over
    )
    if over or not state["user"] or not matches(state["hash"], code):
        return wrong
    person = get_user_model().objects.select_for_update().filter(pk=state["user"]).first()
    if person is None or not person.is_active:
        return wrong
    try:
        password_validation.validate_password(new_password, person)
    except ValidationError as error:
        return error.messages
    person.set_password(new_password)
    person.must_change_password = False
    person.save(update_fields=["password", "must_change_password"])
    audit(actor=person, action="core.password.reset", target=person, data={"by": "sms"})
    del request.session[SESSION_KEY]
    return None
