from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from hamafza import __version__

from . import health, selectors, services, two_factor
from .dashboard import cards_for
from .forms import ApiTokenForm, AuditFilterForm, service_errors
from .models import AuditEntry
from .permissions import require


@login_required
def home(request):
    return render(
        request, "core/home.html", {"cards": cards_for(request.user), "today": timezone.now()}
    )


@require_GET
@never_cache
def healthz(request):
    """Liveness and readiness of this web node for the proxy and the monitors: 200 when
    its database answers within a deadline, 503 when it does not. The workers' last
    heartbeats are shown but do not change the status: a web node stays in service when a
    worker elsewhere stopped (`/healthz/workers` is for that)."""
    state = {"version": __version__} | health.check()
    ok = state["database"]["ok"]
    return _health_answer(state | {"ok": ok})


@require_GET
@never_cache
def healthz_workers(request):
    """503 when a kind of worker (the task worker, the outbox) has no live worker: no
    heartbeat for a minute, or the database cannot say."""
    state = health.check()
    if "workers" not in state:  # the database is away, or too slow to say in time
        return _health_answer({"ok": False, "database": state["database"]})
    missing = health.workers_missing(state["workers"])
    return _health_answer({"ok": not missing, "missing": missing, "workers": state["workers"]})


def _health_answer(body: dict) -> JsonResponse:
    response = JsonResponse(body, status=200 if body["ok"] else 503)
    # A 503 here is the answer a monitor asked for, not a server error for the log.
    response._has_been_logged = True
    return response


@login_required
def audit_log(request):
    require(request.user, "audit.view")
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        entries = AuditEntry.objects.none()  # a filter with a mistake shows nothing, not all
    else:
        entries = selectors.audit_entries(**(form.cleaned_data if form.is_bound else {}))
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"form": form, "page": page})


@login_required
@never_cache  # the page shows a new key once; it must not stay in the browser's cache
def api_tokens(request):
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if (
        request.method == "POST"
        and two_factor.is_on(request.user)
        and not two_factor.recently_verified(request)
    ):
        # A token is lasting access: with the second factor on, it is handed out only
        # just after the second step.
        verify = reverse("two_factor_verify") + "?" + urlencode({"next": request.path})
        messages.warning(
            request, _("برای ساختن توکن، نخست دوباره رمز برنامه احراز هویت را بنویسید.")
        )
        return redirect(verify)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            _token, new_key = services.api_token_issue(
                actor=request.user, name=form.cleaned_data["name"]
            )
            form = ApiTokenForm()
    tokens = request.user.api_tokens.order_by("-created_at")
    return render(
        request, "core/api_tokens.html", {"form": form, "tokens": tokens, "new_key": new_key}
    )


@login_required
@require_POST
def api_token_revoke(request, pk):
    services.api_token_revoke(actor=request.user, token_id=pk)
    messages.success(request, _("توکن باطل شد."))
    return redirect("api_tokens")


def csrf_failure(request, reason: str = ""):
    """Django's CSRF_FAILURE_VIEW: a refused form (a page left open too long, a second tab
    that signed out, cookies turned off) explained in Persian, in the layout, with a way
    back to the form. Nothing the person sent is acted on."""
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = request.path
    context = {"back": back, "no_cookie": reason == REASON_NO_CSRF_COOKIE}
    return render(request, "core/csrf_failure.html", context, status=403)
