"""The coordinators' pages: seasons and their set-up, shift generation, vetting,
nominations, assigning, the check-in desk, the service log, the coverage board and the
public "needed now" list. Each view parses input, fetches through an access getter,
calls one service and renders; the rules live in the policy and the services."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hamafza.core.collation import persian_order
from hamafza.core.decorators import public
from hamafza.core.forms import initial_from, service_errors
from hamafza.core.permissions import can, require
from hamafza.network.models import County, Role
from hamafza.network.policy import holds_any_role
from hamafza.persian.dates import jalali_datetime
from hamafza.persian.digits import to_persian_digits

from . import selectors
from .forms_coordinator import (
    ApplicationFilterForm,
    AssignForm,
    BulkDecisionForm,
    CapacityForm,
    CheckinForm,
    CoverageFilterForm,
    DecisionForm,
    GenerateForm,
    MawkibForm,
    NominationForm,
    QuotaForm,
    RoleForm,
    SeasonCopyForm,
    SeasonForm,
    ServiceLogForm,
    TemplateDemandForm,
    TemplateForm,
    season_days,
)
from .models import Requirement, Shift
from .services import applications as application_services
from .services import day as day_services
from .services import roster
from .services import seasons as season_services
from .services.roster import SignupRefused

# --- Seasons ---


@login_required
def season_list(request):
    require(request.user, "mawkib.coordinate")
    return render(
        request, "mawkib/coordinator/season_list.html", {"seasons": selectors.season_list()}
    )


@login_required
def season_create(request):
    require(request.user, "mawkib.coordinate")
    form = SeasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            season = season_services.season_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("فصل «%(title)s» ساخته شد.") % {"title": season})
            return redirect("mawkib:season_detail", pk=season.pk)
    return _form_page(request, form, title=_("فصل تازه"), back=reverse("mawkib:season_list"))


def _form_page(request, form, *, title, back, season=None, intro="", button=None):
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "mawkib/coordinator/form.html",
        {
            "form": form,
            "title": title,
            "back": back,
            "season": season,
            "intro": intro,
            "button": button or _("ذخیره"),
        },
        status=status,
    )


def _season_page(request, season, *, status=200, **forms):
    context = {
        "season": season,
        **selectors.season_overview(season),
        "role_form": forms.get("role_form") or RoleForm(),
        "quota_form": forms.get("quota_form")
        or QuotaForm(organisations=selectors.agency_choices()),
        "today": timezone.localdate(),
    }
    return render(request, "mawkib/coordinator/season_detail.html", context, status=status)


@login_required
def season_detail(request, pk):
    return _season_page(request, selectors.season_get_for_user(request.user, pk))


@login_required
def season_edit(request, pk):
    season = selectors.season_get_for_user(request.user, pk)
    initial = {name: getattr(season, name) for name in season_services.SEASON_FIELDS}
    form = SeasonForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            season_services.season_update(actor=request.user, season=season, **form.cleaned_data)
            messages.success(request, _("تغییرات ذخیره شد."))
            return redirect("mawkib:season_detail", pk=season.pk)
    back = reverse("mawkib:season_detail", kwargs={"pk": season.pk})
    return _form_page(request, form, title=_("ویرایش فصل"), back=back, season=season)


@login_required
def season_copy_next(request, pk):
    season = selectors.season_get_for_user(request.user, pk)
    form = SeasonCopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            new = season_services.season_copy_next(
                actor=request.user, season=season, **form.cleaned_data
            )
            messages.success(
                request,
                _("فصل «%(title)s» با موکب‌ها، نقش‌ها و الگوهای نوبت «%(old)s» ساخته شد.")
                % {"title": new, "old": season},
            )
            return redirect("mawkib:season_detail", pk=new.pk)
    return _form_page(
        request,
        form,
        title=_("آغاز فصل بعد از این فصل"),
        back=reverse("mawkib:season_detail", kwargs={"pk": season.pk}),
        season=season,
        intro=_(
            "موکب‌ها، مسئولان، نقش‌ها و الگوهای نوبت این فصل به فصل سال بعد برده می‌شوند؛ درخواست‌ها و نوبت‌ها نه."
        ),
        button=_("ساختن فصل بعد"),
    )


@login_required
@require_POST
def role_create(request, pk):
    season = selectors.season_get_for_user(request.user, pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            role = season_services.role_create(
                actor=request.user, season=season, **form.cleaned_data
            )
            messages.success(request, _("نقش «%(name)s» افزوده شد.") % {"name": role})
            return redirect(reverse("mawkib:season_detail", kwargs={"pk": season.pk}) + "#roles")
    return _season_page(request, season, status=400, role_form=form)


@login_required
def role_edit(request, pk):
    role = selectors.role_get_for_user(request.user, pk)
    initial = {n: getattr(role, n) for n in ("name", "code", "staffing", "requirements")}
    form = RoleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            season_services.role_update(actor=request.user, role=role, **form.cleaned_data)
            messages.success(request, _("تغییرات ذخیره شد."))
            return redirect(
                reverse("mawkib:season_detail", kwargs={"pk": role.season_id}) + "#roles"
            )
    back = reverse("mawkib:season_detail", kwargs={"pk": role.season_id})
    title = _("ویرایش نقش «%(name)s»") % {"name": role}
    return _form_page(request, form, title=title, back=back, season=role.season)


@login_required
@require_POST
def quota_set(request, pk):
    season = selectors.season_get_for_user(request.user, pk)
    form = QuotaForm(request.POST, organisations=selectors.agency_choices())
    if form.is_valid():
        with service_errors(form):
            quota = season_services.quota_set(
                actor=request.user, season=season, **form.cleaned_data
            )
            messages.success(
                request,
                _("سهمیه «%(org)s» %(n)s نفر شد.")
                % {"org": quota.organisation, "n": to_persian_digits(quota.quota)},
            )
            return redirect(reverse("mawkib:season_detail", kwargs={"pk": season.pk}) + "#quotas")
    return _season_page(request, season, status=400, quota_form=form)


# --- Mawkibs and their shift templates ---


@login_required
def mawkib_create(request, pk):
    season = selectors.season_get_for_user(request.user, pk)
    form = MawkibForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            mawkib = season_services.mawkib_create(
                actor=request.user, season=season, **form.cleaned_data
            )
            messages.success(request, _("موکب «%(name)s» افزوده شد.") % {"name": mawkib})
            return redirect("mawkib:mawkib_detail", pk=mawkib.pk)
    back = reverse("mawkib:season_detail", kwargs={"pk": season.pk})
    return _form_page(request, form, title=_("موکب تازه"), back=back, season=season)


@login_required
def mawkib_edit(request, pk):
    mawkib = selectors.mawkib_get_for_user(request.user, pk)
    form = MawkibForm(request.POST or None, initial=initial_from(mawkib, MawkibForm))
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            season_services.mawkib_update(actor=request.user, mawkib=mawkib, **form.cleaned_data)
            messages.success(request, _("تغییرات ذخیره شد."))
            return redirect("mawkib:mawkib_detail", pk=mawkib.pk)
    back = reverse("mawkib:mawkib_detail", kwargs={"pk": mawkib.pk})
    title = _("ویرایش «%(name)s»") % {"name": mawkib}
    return _form_page(request, form, title=title, back=back, season=mawkib.season)


def _mawkib_page(request, mawkib, *, status=200, template_form=None, demand_form=None):
    season = mawkib.season
    this = selectors.mawkib_setup(mawkib)
    failed = getattr(demand_form, "template_id", None)
    for template in this.templates.all():
        template.demand_form = (
            demand_form
            if template.pk == failed
            else TemplateDemandForm(season=season, auto_id=f"id_t{template.pk}_%s")
        )
        template.failed = template.pk == failed
    context = {
        "mawkib": this,
        "season": season,
        "template_form": template_form or TemplateForm(),
        "today": timezone.localdate(),
    }
    return render(request, "mawkib/coordinator/mawkib_detail.html", context, status=status)


@login_required
def mawkib_detail(request, pk):
    return _mawkib_page(request, selectors.mawkib_get_for_user(request.user, pk))


@login_required
@require_POST
def template_create(request, pk):
    mawkib = selectors.mawkib_get_for_user(request.user, pk)
    form = TemplateForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            template = season_services.template_create(
                actor=request.user, mawkib=mawkib, **form.cleaned_data
            )
            messages.success(request, _("نوبت «%(name)s» افزوده شد.") % {"name": template.name})
            return redirect("mawkib:mawkib_detail", pk=mawkib.pk)
    return _mawkib_page(request, mawkib, status=400, template_form=form)


@login_required
@require_POST
def template_demand_set(request, pk):
    template = selectors.template_get_for_user(request.user, pk)
    mawkib = template.mawkib
    form = TemplateDemandForm(request.POST, season=mawkib.season, auto_id=f"id_t{template.pk}_%s")
    form.template_id = template.pk
    if form.is_valid():
        with service_errors(form):
            season_services.template_demand_set(
                actor=request.user, template=template, **form.cleaned_data
            )
            messages.success(request, _("نیاز نوبت «%(name)s» ذخیره شد.") % {"name": template.name})
            return redirect("mawkib:mawkib_detail", pk=mawkib.pk)
    return _mawkib_page(request, mawkib, status=400, demand_form=form)


@login_required
@require_POST
def template_delete(request, pk):
    template = selectors.template_get_for_user(request.user, pk)
    season_services.template_delete(actor=request.user, template=template)
    messages.success(request, _("نوبت «%(name)s» برداشته شد.") % {"name": template.name})
    return redirect("mawkib:mawkib_detail", pk=template.mawkib_id)


# --- Shifts ---


@login_required
def shifts_generate(request, pk):
    season = selectors.season_get_for_user(request.user, pk)
    arbaeen = season.arbaeen
    form = GenerateForm(
        request.POST or None,
        initial={"first_day": arbaeen - timedelta(days=7), "last_day": arbaeen},
    )
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            batch = season_services.shifts_generate(
                actor=request.user, season=season, **form.cleaned_data
            )
            messages.success(request, _("نوبت‌ها ساخته شد؛ آن‌ها را بازبینی کنید."))
            return redirect("mawkib:batch_detail", pk=batch.pk)
    return _form_page(
        request,
        form,
        title=_("ساختن نوبت‌های فصل"),
        back=reverse("mawkib:season_detail", kwargs={"pk": season.pk}),
        season=season,
        intro=_(
            "از الگوی نوبت‌های هر موکب، برای هر روز این بازه نوبت ساخته می‌شود؛ نوبت‌هایی که پیش‌تر ساخته شده‌اند دوباره ساخته نمی‌شوند. همه با هم یک دسته‌اند و تا کسی در آن‌ها جا نگرفته، برداشتنی‌اند."
        ),
        button=_("ساختن نوبت‌ها"),
    )


@login_required
def batch_detail(request, pk):
    batch = selectors.batch_get_for_user(request.user, pk)
    shifts = selectors.batch_shifts(batch)
    return render(
        request,
        "mawkib/coordinator/batch_detail.html",
        {"batch": batch, "season": batch.season, "shifts": shifts},
    )


@login_required
@require_POST
def batch_undo(request, pk):
    batch = selectors.batch_get_for_user(request.user, pk)
    with service_errors(request):
        season_services.shift_batch_undo(actor=request.user, batch=batch)
        messages.success(request, _("دسته نوبت‌ها برداشته شد."))
        return redirect("mawkib:season_detail", pk=batch.season_id)
    return redirect("mawkib:batch_detail", pk=batch.pk)


@login_required
def demand_capacity(request, pk):
    demand = selectors.demand_get_for_user(request.user, pk)
    form = CapacityForm(request.POST or None, initial={"capacity": demand.capacity})
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            season_services.demand_set_capacity(
                actor=request.user, demand=demand, **form.cleaned_data
            )
            messages.success(request, _("ظرفیت ذخیره شد."))
            return redirect(_safe_next(request) or _coverage_url(demand))
    shift = demand.shift
    title = _("ظرفیت %(role)s (%(section)s)") % {
        "role": demand.role.name,
        "section": demand.get_gender_display(),
    }
    return _form_page(
        request,
        form,
        title=title,
        back=_coverage_url(demand),
        season=shift.mawkib.season,
        intro=f"{shift.mawkib} — {shift.name}، {jalali_datetime(shift.starts_at)}",
    )


def _coverage_url(demand):
    return reverse("mawkib:coverage", kwargs={"pk": demand.shift.mawkib.season_id})


# --- Vetting ---


def _application_list_page(request, season, *, bulk_form=None, status=200):
    filter_form = ApplicationFilterForm(
        request.GET or None,
        counties=County.objects.order_by(persian_order("name")),
        organisations=selectors.agency_choices(),
    )
    applications = selectors.application_list(season, **filter_form.filters())
    page = Paginator(applications, 50).get_page(request.GET.get("page"))
    selectors.with_prior_attendance(page.object_list, season)
    context = {
        "season": season,
        "filter_form": filter_form,
        "page": page,
        "bulk_form": bulk_form,
        "personal": selectors.can_see_personal_data(request.user),
        "query": request.GET.urlencode(),
        "qualification_labels": Requirement.choices,
    }
    return render(request, "mawkib/coordinator/application_list.html", context, status=status)


@login_required
def application_list(request, pk):
    season = selectors.season_get_for_user(request.user, pk)
    if request.method != "POST":
        return _application_list_page(request, season)
    ids = list(season.applications.values_list("pk", flat=True))
    form = BulkDecisionForm(request.POST, ids=ids)
    if form.is_valid():
        chosen = season.applications.filter(pk__in=form.cleaned_data["selected"])
        with service_errors(form):
            changed = application_services.application_decide(
                actor=request.user, applications=list(chosen), status=form.cleaned_data["decision"]
            )
            messages.success(
                request, _("وضعیت %(n)s درخواست تغییر کرد.") % {"n": to_persian_digits(changed)}
            )
            url = reverse("mawkib:application_list", kwargs={"pk": season.pk})
            return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
    return _application_list_page(request, season, bulk_form=form, status=400)


def _application_page(request, application, *, status=200, decision_form=None, assign_form=None):
    season = application.season
    selectors.with_prior_attendance([application], season)
    context = {
        "application": application,
        "season": season,
        "places": selectors.application_places(application),
        "qualification_names": [
            Requirement(q).label for q in application.qualifications if q in Requirement.values
        ],
        "available": sorted(_iso_days(application.available_days)),
        "personal": selectors.can_see_personal_data(request.user),
        "decision_form": decision_form or DecisionForm(),
        "assign_form": assign_form or AssignForm(demands=selectors.assignable_demands(application)),
        "next": request.GET.get("next", ""),
    }
    return render(request, "mawkib/coordinator/application_detail.html", context, status=status)


def _iso_days(values) -> list[date]:
    days = []
    for value in values:
        try:
            days.append(date.fromisoformat(value))
        except (TypeError, ValueError):
            continue
    return days


@login_required
def application_detail(request, pk):
    return _application_page(request, selectors.application_get_for_user(request.user, pk))


@login_required
@require_POST
def application_decide(request, pk):
    application = selectors.application_get_for_user(request.user, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            application_services.application_decide(
                actor=request.user,
                applications=[application],
                status=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(
                request,
                _("درخواست «%(name)s» ثبت شد: %(status)s")
                % {
                    "name": application,
                    "status": dict(form.fields["decision"].choices)[form.cleaned_data["decision"]],
                },
            )
            return redirect(
                _safe_next(request)
                or reverse("mawkib:application_detail", kwargs={"pk": application.pk})
            )
    return _application_page(request, application, status=400, decision_form=form)


def _safe_next(request) -> str:
    target = request.POST.get("next", "")
    return target if target.startswith("/mawkib/") else ""


@login_required
@require_POST
def application_assign(request, pk):
    application = selectors.application_get_for_user(request.user, pk)
    form = AssignForm(request.POST, demands=selectors.assignable_demands(application))
    if form.is_valid():
        try:
            assignment = roster.shift_assign(
                actor=request.user,
                application=application,
                demand_id=form.cleaned_data["demand"].pk,
            )
        except SignupRefused as refused:
            form.add_error("demand", refused.message)
        else:
            messages.success(
                request,
                _("«%(name)s» در نوبت %(shift)s جا گرفت.")
                % {
                    "name": application,
                    "shift": f"{assignment.shift.mawkib} — {assignment.shift.name}",
                },
            )
            return redirect("mawkib:application_detail", pk=application.pk)
    return _application_page(request, application, status=400, assign_form=form)


# --- Nominations by an agency's PR manager ---


@login_required
def nominate(request, pk):
    season = selectors.season_get(pk)
    organisations = selectors.nominating_organisations(request.user, season)
    if not organisations:
        if not holds_any_role(request.user, {Role.PR_MANAGER}):
            raise Http404
        return render(request, "mawkib/coordinator/nominate.html", {"season": season})
    shift_days = {
        timezone.localdate(starts)
        for starts in Shift.objects.filter(mawkib__season=season).values_list(
            "starts_at", flat=True
        )
    }
    form = NominationForm(
        request.POST or None,
        organisations=organisations,
        season=season,
        counties=County.objects.order_by(persian_order("name")),
        days=season_days(season, shift_days),
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        organisation = values.pop("organisation")
        with service_errors(form):
            application = application_services.application_nominate(
                actor=request.user, season=season, organisation=organisation, **values
            )
            messages.success(
                request,
                _("«%(name)s» معرفی شد؛ کد رهگیری %(code)s برایش پیامک شد.")
                % {"name": application, "code": to_persian_digits(application.tracking_code)},
            )
            return redirect(f"{request.path}?organisation={organisation.pk}")
    current = form["organisation"].value() or request.GET.get("organisation")
    chosen = next((o for o in organisations if str(o.pk) == str(current)), organisations[0])
    context = {
        "season": season,
        "form": form,
        "organisations": organisations,
        "organisation": chosen,
        "usage": selectors.quota_usage(season, chosen),
        "personal": selectors.can_see_personal_data(request.user),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "mawkib/coordinator/nominate.html", context, status=status)


# --- The day: check-in desk and service log ---


@login_required
def checkin(request, pk):
    mawkib = selectors.mawkib_get_for_user(request.user, pk, action="mawkib.checkin")
    if request.method == "POST":
        return _checkin_action(request, mawkib)
    code = request.GET.get("code", "")
    form = CheckinForm({"code": code} if code else None)
    return _checkin_page(request, mawkib, form)


def _checkin_page(request, mawkib, form, *, status=200):
    application, places = None, []
    looked_up = form.is_bound and form.is_valid()
    if looked_up:
        application, places = selectors.checkin_lookup(mawkib, form.cleaned_data["code"])
        if application is None:
            form.add_error("code", _("خادمی با این کد رهگیری در این فصل پیدا نشد."))
            status = 404 if request.method == "GET" else status
        else:
            # An empty box again, ready for the next person's code from the scanner.
            form = CheckinForm()
    today = timezone.localdate()
    context = {
        "mawkib": mawkib,
        "season": mawkib.season,
        "form": form,
        "application": application,
        "places": places,
        "looked_up": looked_up,
        "today": today,
        "shifts": selectors.mawkib_day_shifts(mawkib, today),
        "personal": selectors.can_see_personal_data(request.user),
        "hide_season_nav": not can(request.user, "mawkib.coordinate"),
    }
    return render(request, "mawkib/coordinator/checkin.html", context, status=status)


CHECKIN_ACTIONS = {
    "check_in": (roster.assignment_check_in, _("حضور «%(name)s» ثبت شد.")),
    "check_out": (roster.assignment_check_out, _("پایان خدمت «%(name)s» ثبت شد.")),
    "no_show": (roster.assignment_mark_no_show, _("«%(name)s» غایب ثبت شد و جایش آزاد شد.")),
}


def _checkin_action(request, mawkib):
    form = CheckinForm(request.POST)
    action = CHECKIN_ACTIONS.get(request.POST.get("action", ""))
    if action is None or not form.is_valid():
        return _checkin_page(request, mawkib, form, status=400)
    assignment = selectors.assignment_get_for_user(
        request.user, request.POST.get("assignment"), mawkib=mawkib
    )
    if assignment.application.tracking_code != form.cleaned_data["code"]:
        raise Http404
    service, done = action
    try:
        service(actor=request.user, assignment=assignment)
    except SignupRefused as refused:
        messages.error(request, refused.message)
        return _checkin_page(request, mawkib, form, status=400)
    messages.success(request, done % {"name": assignment.application})
    url = reverse("mawkib:checkin", kwargs={"pk": mawkib.pk})
    return redirect(f"{url}?code={form.cleaned_data['code']}")


def _log_day(request) -> date:
    try:
        return date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return timezone.localdate()


@login_required
def service_log(request, pk):
    mawkib = selectors.mawkib_get_for_user(request.user, pk, action="mawkib.checkin")
    day = _log_day(request)
    shifts = selectors.mawkib_day_shifts(mawkib, day)
    shift_id = request.POST.get("shift") or request.GET.get("shift")
    shift = None
    if shift_id:
        shift = next((s for s in shifts if str(s.pk) == str(shift_id)), None)
        if shift is None:
            shift = selectors.shift_of_mawkib(mawkib, shift_id)
    elif shifts:
        now = timezone.now()
        shift = next((s for s in shifts if s.starts_at <= now < s.ends_at), shifts[0])
    initial = {}
    if shift is not None and shift.log is not None:
        initial = {name: getattr(shift.log, name) for name in (*day_services.LOG_COUNTS, "notes")}
    form = ServiceLogForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            _log, created = day_services.service_log_record(
                actor=request.user,
                mawkib=mawkib,
                shift=shift,
                day=None if shift else day,
                **form.cleaned_data,
            )
            messages.success(
                request, _("گزارش خدمت ثبت شد.") if created else _("گزارش خدمت به‌روز شد.")
            )
            url = reverse("mawkib:service_log", kwargs={"pk": mawkib.pk})
            query = f"?shift={shift.pk}" if shift else f"?day={day.isoformat()}"
            return redirect(url + query)
    context = {
        "mawkib": mawkib,
        "season": mawkib.season,
        "day": day,
        "shifts": shifts,
        "shift": shift,
        "form": form,
        "logs": selectors.mawkib_logs(mawkib)[:30],
        "hide_season_nav": not can(request.user, "mawkib.coordinate"),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "mawkib/coordinator/service_log.html", context, status=status)


# --- Coverage ---


@login_required
def coverage(request, pk):
    season = selectors.season_get_for_user(request.user, pk)
    form = CoverageFilterForm(request.GET or None, season=season)
    wanted = form.cleaned_data if form.is_valid() else {}
    board = selectors.coverage_board(
        season, mawkib_id=getattr(wanted.get("mawkib"), "pk", None), day=wanted.get("day")
    )
    return render(
        request,
        "mawkib/coordinator/coverage.html",
        {"season": season, "board": board, "filter": form},
    )


@public
def needed(request, pk):
    """Public: the places still open in the next 48 hours, for the PR office to publish.
    Nothing about any person."""
    season = selectors.season_get(pk)
    return render(
        request,
        "mawkib/coordinator/needed.html",
        {
            "season": season,
            "groups": selectors.needed_now(season),
            "now": timezone.now(),
            "can_coordinate": can(request.user, "mawkib.coordinate"),
        },
    )
