from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hamafza.core.forms import service_errors
from hamafza.core.permissions import require

from . import selectors, services
from .forms import LunarOverrideForm
from .models import LunarMonthOverride


@login_required
def lunar_calendar(request):
    require(request.user, "calendar.edit")
    form = LunarOverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            services.lunar_month_override(actor=request.user, **form.cleaned_data)
            messages.success(request, _("آغاز ماه قمری اصلاح شد."))
            return redirect("occasions:lunar_calendar")
    months = selectors.lunar_months_around(timezone.localdate())
    return render(request, "occasions/lunar_calendar.html", {"form": form, "months": months})


@login_required
@require_POST
def lunar_override_remove(request, pk):
    require(request.user, "calendar.edit")
    override = get_object_or_404(LunarMonthOverride, pk=pk)
    with service_errors(request):
        services.lunar_month_override_remove(actor=request.user, override=override)
        messages.success(request, _("اصلاح برداشته شد و تقویم رسمی دوباره به کار می‌رود."))
    return redirect("occasions:lunar_calendar")
