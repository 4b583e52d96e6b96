from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hamafza import __version__

from . import selectors
from .dashboard import cards_for
from .forms import AuditFilterForm
from .permissions import require
from .tasks import queue_state


@login_required
def home(request):
    return render(
        request, "core/home.html", {"cards": cards_for(request.user), "today": timezone.now()}
    )


@require_GET
@never_cache
def healthz(request):
    """Liveness and readiness for the proxy and the monitors: 200 when the database
    answers, 503 when it does not."""
    state: dict = {"version": __version__}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        state["database"] = {"ok": True, "vendor": connection.vendor}
        state["tasks"] = queue_state()
    except Exception as error:  # any failure means not ready; say which
        state["database"] = {"ok": False, "error": error.__class__.__name__}
        return JsonResponse(state | {"ok": False}, status=503)
    return JsonResponse(state | {"ok": True})


@login_required
def audit_log(request):
    require(request.user, "audit.view")
    form = AuditFilterForm(request.GET or None)
    entries = selectors.audit_entries(**(form.cleaned_data if form.is_valid() else {}))
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"form": form, "page": page})
