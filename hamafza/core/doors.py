"""The doors that take a password: one throttle (django-axes) for all of them.

Every sign-in goes through `authenticate()` (the site's login, the Django admin), and so
does the old password on the password-change form, so axes counts every wrong password
of a username from an address in the database, shared by every process: ten wrong ones
close all the doors to that pair for fifteen minutes, the right password included.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from hamafza.persian.digits import to_latin_digits

from . import password_reset, ratelimit, two_factor
from .audit import audit
from .clients import client_address
from .decorators import public

PASSWORD_SET_MESSAGE = _("گذرواژه تازه ثبت شد؛ با آن وارد شوید.")
CHANGE_FIRST_MESSAGE = _("گذرواژه شما را کس دیگری گذاشته است؛ نخست گذرواژه‌ای از آن خود برگزینید.")
LOCKED_MESSAGE = _("چند بار پیاپی گذرواژه نادرست بود؛ ۱۵ دقیقه دیگر دوباره تلاش کنید.")


def axes_username(request, credentials) -> str:
    """The username axes counts under: as typed, without surrounding spaces or case, so
    `Admin ` and `admin` share one count."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username", "")
    return str(username or "").strip().lower()


def locked_out(request, original_response=None, credentials=None):
    """What every door answers while it is closed to this username and address."""
    return render(request, "core/locked_out.html", {"message": LOCKED_MESSAGE}, status=429)


# Wrong passwords from one address, whatever the usernames: past this many in a quarter of
# an hour the doors refuse that address before checking any password. Checking one costs
# a quarter of a second of CPU on purpose, so a flood of guesses for ever-new usernames
# would otherwise starve every other page (bench/login_flood.py). An office behind one
# address does not make fifty wrong guesses in fifteen minutes.
FAILURES_PER_ADDRESS = 50
FAILURE_WINDOW = 15 * 60
_PASSWORD_DOORS = ("/login/", "/admin/login/", "/password/")


@receiver(user_login_failed)
def _count_failure_per_address(sender, credentials, request=None, **kwargs):
    if request is not None:
        ratelimit.count(f"login-fail:{client_address(request)}", window=FAILURE_WINDOW)


class AddressThrottleMiddleware:
    """Refuse a password door to an address past FAILURES_PER_ADDRESS, cheaply."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "POST"
            and request.path in _PASSWORD_DOORS
            and ratelimit.peek(f"login-fail:{client_address(request)}", window=FAILURE_WINDOW)
            >= FAILURES_PER_ADDRESS
        ):
            return locked_out(request)
        return self.get_response(request)


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """The old password is checked through authenticate(), so a wrong one counts against
    the same throttle as a wrong sign-in (Django's form checks it directly)."""

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        old = self.cleaned_data["old_password"]
        user = authenticate(self.request, username=self.user.get_username(), password=old)
        if user is None or user.pk != self.user.pk:
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old

    def clean(self):
        cleaned = super().clean()
        new = cleaned.get("new_password1")
        if new and self.user.must_change_password and self.user.check_password(new):
            # The point of the forced change is a password the person chose themselves.
            self.add_error(
                "new_password1", _("گذرواژه تازه باید با گذرواژه‌ای که به شما داده شد فرق کند.")
            )
        return cleaned


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ThrottledPasswordChangeForm
    # Our own name: django.contrib.admin's registration/ templates come first otherwise.
    template_name = "core/password_change_form.html"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.user.must_change_password:
            form.user.must_change_password = False
            form.user.save(update_fields=["must_change_password"])
        return response


# Pages a person whose password was chosen by someone else may still open: the second
# step of sign-in comes first (its middleware runs before this one).
_OPEN_WHILE_CHANGING = ("/password/", "/logout/", "/static/", "/healthz", "/account/two-factor/")


class PasswordChangeRequiredMiddleware:
    """A person signed in with a password someone else chose (a new account, a reset by
    an admin) is sent to choose their own before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only with a session cookie: reading the user of a cookieless visitor would mark
        # the public pages "Vary: Cookie" and spoil their cache.
        user = getattr(request, "user", None)
        if (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            and user is not None
            and user.is_authenticated
            and user.must_change_password
            and not request.path.startswith(_OPEN_WHILE_CHANGING)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": str(CHANGE_FIRST_MESSAGE)}, status=403)
            messages.info(request, CHANGE_FIRST_MESSAGE)
            return redirect("password_change")
        return self.get_response(request)


# --- «Forgot my password» -----------------------------------------------------------------


class ForgotForm(forms.Form):
    username = forms.CharField(
        label=_("نام کاربری"),
        max_length=150,
        widget=forms.TextInput({"dir": "ltr", "autocomplete": "username", "autofocus": True}),
    )


class ResetCodeForm(SetPasswordForm):
    """The code texted to the mobile on file and the new password, held to the same
    validators as every password."""

    code = forms.CharField(
        label=_("رمز یک‌بار مصرف"),
        max_length=10,
        widget=forms.TextInput(
            {"inputmode": "numeric", "dir": "ltr", "autocomplete": "one-time-code"}
        ),
    )
    field_order = ["code", "new_password1", "new_password2"]

    def clean_code(self) -> str:
        return to_latin_digits(self.cleaned_data["code"]).strip()


@public
def password_forgot(request):
    form = ForgotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_reset.reset_request(
            request, username=form.cleaned_data["username"], address=client_address(request)
        )
        return redirect("password_forgot_code")
    return render(request, "registration/password_forgot.html", {"form": form})


@public
def password_forgot_code(request):
    if password_reset.SESSION_KEY not in request.session:
        return redirect("password_forgot")
    # The validators first meet a blank person, the same for everyone; the person's own
    # name only once the code is right (in the service).
    form = ResetCodeForm(get_user_model()(), request.POST or None)
    if request.method == "POST" and form.is_valid():
        problems = password_reset.reset_with_code(
            request,
            code=form.cleaned_data["code"],
            new_password=form.cleaned_data["new_password1"],
            address=client_address(request),
        )
        if problems is None:
            messages.success(request, PASSWORD_SET_MESSAGE)
            return redirect("login")
        field = "code" if problems == [password_reset.WRONG_CODE] else "new_password2"
        form.add_error(field, problems)
    status = 400 if request.method == "POST" else 200
    return render(request, "registration/password_forgot_code.html", {"form": form}, status=status)


class ResetByLinkForm(SetPasswordForm):
    def save(self, commit=True):
        self.user.must_change_password = False
        user = super().save(commit=commit)
        audit(actor=user, action="core.password.reset", target=user, data={"by": "email"})
        return user


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = ResetByLinkForm
    template_name = "core/password_reset_confirm.html"
    success_url = reverse_lazy("login")
    post_reset_login = False

    def form_valid(self, form):
        messages.success(self.request, PASSWORD_SET_MESSAGE)
        return super().form_valid(form)


# --- Two-factor sign-in -------------------------------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("رمز"),
        max_length=20,
        widget=forms.TextInput(
            {
                "inputmode": "numeric",
                "dir": "ltr",
                "autocomplete": "one-time-code",
                "autofocus": True,
            }
        ),
        help_text=_("شش رقم برنامه احراز هویت، یا یکی از رمزهای پشتیبان."),
    )

    def clean_code(self) -> str:
        return to_latin_digits(self.cleaned_data["code"]).strip()


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return "/"
    return target


def _setup_context(user) -> dict:
    device = two_factor.setup_start(user)
    return {
        "device": device,
        "qr": two_factor.qr_svg(device),
        "secret": two_factor.secret_text(device),
    }


@login_required
@never_cache
def two_factor_page(request):
    """Turn the second factor on (a QR code, then the first code), renew the recovery
    codes, or turn it off."""
    user, on = request.user, two_factor.is_on(request.user)
    if on and not user.is_verified():
        # Only past the second step: else a password alone could enrol a new app.
        return redirect(f"{reverse('two_factor_verify')}?next={request.path}")
    context = {"form": CodeForm(), "next": _next_url(request)}
    action = request.POST.get("action") if request.method == "POST" else None
    if action in ("start", "confirm") and on:
        action = None  # to change the app, turn it off first (that asks for a code)
    if action == "start":
        context |= _setup_context(user)
    elif action in ("confirm", "disable", "renew"):
        form = context["form"] = CodeForm(request.POST)
        if action == "renew" and form.is_valid():
            if two_factor.verify(request, code=form.cleaned_data["code"]) is None:
                form.add_error("code", _("رمز درست نیست."))
            else:
                context["codes"] = two_factor.recovery_codes_renew(request)
        elif action == "confirm" and form.is_valid():
            codes = two_factor.setup_confirm(request, code=form.cleaned_data["code"])
            if codes is None:
                form.add_error(
                    "code", _("رمز درست نیست؛ ساعت گوشی را بررسی کنید و رمز تازه را بنویسید.")
                )
                context |= _setup_context(user)
            else:
                context["codes"] = codes
                messages.success(request, _("ورود دومرحله‌ای روشن شد."))
        elif action == "disable" and form.is_valid():
            if two_factor.disable(request, code=form.cleaned_data["code"]):
                messages.success(request, _("ورود دومرحله‌ای خاموش شد."))
                return redirect("two_factor")
            form.add_error(
                "code", _("رمز درست نیست، یا نقش‌های شما ورود دومرحله‌ای را لازم می‌دانند.")
            )
    context |= {"on": two_factor.is_on(user), "required": two_factor.required_for(user)}
    status = 400 if context["form"].errors else 200
    return render(request, "core/two_factor.html", context, status=status)


@login_required
@never_cache
def two_factor_verify(request):
    """The second step after the password (and again before handing out an API token)."""
    if not two_factor.is_on(request.user):
        two_factor.note(request, False)  # turned off in another session meanwhile
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.verify(request, code=form.cleaned_data["code"]) is not None:
            return redirect(_next_url(request))
        form.add_error("code", _("رمز درست نیست؛ رمز تازه برنامه را بنویسید."))
    status = 400 if form.errors else 200
    return render(
        request,
        "core/two_factor_verify.html",
        {"form": form, "next": _next_url(request)},
        status=status,
    )
