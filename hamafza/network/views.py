"""Pages for running the network. Each view parses input, fetches through an access getter,
calls one service and renders; every rule lives in the policy and the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hamafza.core.collation import persian_order
from hamafza.core.forms import initial_from, service_errors
from hamafza.core.permissions import can, require
from hamafza.core.selectors import audit_entries

from . import selectors, services
from .forms import (
    AudienceForm,
    ChannelForm,
    MembershipForm,
    OrganisationForm,
    PersonEditForm,
    PersonForm,
    TwoFactorRequirementForm,
)
from .models import Organisation, TwoFactorRequirement
from .policy import grantable_roles, managed_organisation_ids


@login_required
def organisation_list(request):
    search = request.GET.get("q", "").strip()
    orgs = selectors.organisation_list(
        request.user, search=search, kind=request.GET.get("kind", "")
    )
    return render(
        request,
        "network/organisation_list.html",
        {
            "page": Paginator(orgs, 50).get_page(request.GET.get("page")),
            "search": search,
            "can_create": can(request.user, "organisation.create"),
        },
    )


@login_required
def organisation_create(request):
    require(request.user, "organisation.create")
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            org = services.organisation_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("سازمان «%(name)s» ساخته شد.") % {"name": org})
            return redirect("network:organisation_detail", pk=org.pk)
    return render(request, "network/organisation_form.html", {"form": form})


def _render_detail(request, org, *, membership_form=None, channel_form=None, status=200):
    user = request.user
    context = {
        "org": org,
        "members": selectors.organisation_members(org),
        "channels": selectors.organisation_channels(org),
        "children": org.children.in_network_order(),
        "can_change": can(user, "organisation.change", org),
        "can_manage_members": can(user, "organisation.manage_members", org),
        "can_manage_channels": can(user, "organisation.manage_channels", org),
        "can_view_audit": can(user, "organisation.view_audit", org),
    }
    if context["can_manage_members"]:
        context["membership_form"] = membership_form or _membership_form(user, org)
    if context["can_manage_channels"]:
        context["channel_form"] = channel_form or ChannelForm()
    return render(request, "network/organisation_detail.html", context, status=status)


@login_required
def organisation_detail(request, pk):
    return _render_detail(request, selectors.organisation_get_for_user(request.user, pk))


@login_required
def organisation_edit(request, pk):
    org = selectors.organisation_get_for_user(request.user, pk, action="organisation.change")
    structural = can(request.user, "network.admin")
    form = OrganisationForm(
        request.POST or None, initial=initial_from(org, OrganisationForm), structural=structural
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.changed_data}
        with service_errors(form):
            services.organisation_update(actor=request.user, organisation=org, **values)
            messages.success(request, _("تغییرات ذخیره شد."))
            return redirect("network:organisation_detail", pk=org.pk)
    return render(request, "network/organisation_form.html", {"form": form, "org": org})


@login_required
def organisation_audit(request, pk):
    org = selectors.organisation_get_for_user(request.user, pk, action="organisation.view_audit")
    page = Paginator(audit_entries(organisation_id=org.pk), 50).get_page(request.GET.get("page"))
    return render(request, "network/organisation_audit.html", {"org": org, "page": page})


def _membership_form(user, org, data=None):
    people = selectors.person_candidates(user)
    return MembershipForm(data, people=people, roles=grantable_roles(user))


@login_required
@require_POST
def membership_add(request, pk):
    org = selectors.organisation_get_for_user(
        request.user, pk, action="organisation.manage_members"
    )
    form = _membership_form(request.user, org, request.POST)
    if form.is_valid():
        with service_errors(form):
            services.membership_grant(actor=request.user, organisation=org, **form.cleaned_data)
            messages.success(request, _("نقش داده شد."))
            return redirect("network:organisation_detail", pk=org.pk)
    return _render_detail(request, org, membership_form=form, status=400)


@login_required
@require_POST
def membership_revoke(request, pk):
    membership = selectors.membership_get_for_user(request.user, pk)
    with service_errors(request):
        services.membership_revoke(actor=request.user, membership=membership)
        messages.success(request, _("نقش پایان یافت."))
    return redirect("network:organisation_detail", pk=membership.organisation_id)


@login_required
@require_POST
def channel_add(request, pk):
    org = selectors.organisation_get_for_user(
        request.user, pk, action="organisation.manage_channels"
    )
    form = ChannelForm(request.POST)
    if form.is_valid():
        with service_errors(form):
            channel = services.channel_create(
                actor=request.user, organisation=org, **form.cleaned_data
            )
            messages.success(request, _("کانال «%(name)s» افزوده شد.") % {"name": channel})
            return redirect("network:channel_detail", pk=channel.pk)
    return _render_detail(request, org, channel_form=form, status=400)


@login_required
def channel_detail(request, pk):
    channel = selectors.channel_get_for_user(request.user, pk)
    can_change = can(request.user, "channel.change", channel)
    edit_form = audience_form = None
    if can_change and request.method == "POST":
        if "members" in request.POST:
            audience_form = AudienceForm(request.POST)
            if audience_form.is_valid():
                return _record_audience(request, channel, audience_form)
        else:
            edit_form = ChannelForm(request.POST, initial=initial_from(channel, ChannelForm))
            if edit_form.is_valid():
                return _update_channel(request, channel, edit_form)
    elif request.method == "POST":
        require(request.user, "channel.change", channel)
    context = {
        "channel": channel,
        "org": channel.organisation,
        "snapshots": channel.snapshots.order_by("-taken_on")[:60],
        "can_change": can_change,
        "edit_form": edit_form
        or (ChannelForm(initial=initial_from(channel, ChannelForm)) if can_change else None),
        "audience_form": audience_form or (AudienceForm() if can_change else None),
    }
    return render(request, "network/channel_detail.html", context)


def _record_audience(request, channel, form):
    with service_errors(request):
        snapshot = services.audience_record(
            actor=request.user, channel=channel, **form.cleaned_data
        )
        if snapshot.replaced:
            messages.warning(
                request, _("آمار این روز پیش‌تر ثبت شده بود و با شمار تازه جایگزین شد.")
            )
        else:
            messages.success(request, _("آمار مخاطبان ثبت شد."))
    return redirect("network:channel_detail", pk=channel.pk)


def _update_channel(request, channel, form):
    values = {name: form.cleaned_data[name] for name in form.changed_data}
    with service_errors(request):
        services.channel_update(actor=request.user, channel=channel, **values)
        messages.success(request, _("کانال به‌روز شد."))
    return redirect("network:channel_detail", pk=channel.pk)


@login_required
def person_list(request):
    search = request.GET.get("q", "").strip()
    people = selectors.person_list(request.user, search=search)
    return render(
        request,
        "network/person_list.html",
        {"page": Paginator(people, 50).get_page(request.GET.get("page")), "search": search},
    )


@login_required
def person_create(request):
    require(request.user, "person.create")
    managed = managed_organisation_ids(request.user)
    orgs = (
        Organisation.objects.all()
        if managed is None
        else Organisation.objects.filter(id__in=managed)
    )
    form = PersonForm(request.POST or None, organisations=orgs, roles=grantable_roles(request.user))
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            person = services.person_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("«%(name)s» افزوده شد.") % {"name": person})
            return redirect("network:person_detail", pk=person.pk)
    return render(request, "network/person_form.html", {"form": form})


@login_required
def person_detail(request, pk):
    person = selectors.person_get_for_user(request.user, pk)
    can_change = can(request.user, "person.change", person)
    form = None
    if can_change:
        initial = {f: getattr(person, f) for f in ("first_name", "last_name", "mobile", "email")}
        form = PersonEditForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            with service_errors(form):
                services.person_update(actor=request.user, person=person, **form.cleaned_data)
                messages.success(request, _("تغییرات ذخیره شد."))
                return redirect("network:person_detail", pk=person.pk)
    elif request.method == "POST":
        require(request.user, "person.change", person)
    memberships = person.memberships.select_related("organisation").order_by(
        "-is_active", persian_order("organisation__name")
    )
    return render(
        request,
        "network/person_detail.html",
        {
            "person": person,
            "form": form,
            "memberships": memberships,
            "can_change": can_change,
            "can_set_active": can(request.user, "person.set_active", person)
            and person != request.user,
        },
    )


@login_required
@require_POST
def person_set_active(request, pk):
    person = selectors.person_get_for_user(request.user, pk, action="person.change")
    active = request.POST.get("active") == "1"
    with service_errors(request):
        services.person_set_active(actor=request.user, person=person, active=active)
        messages.success(
            request, _("حساب فعال شد.") if active else _("حساب غیرفعال شد؛ دیگر نمی‌تواند وارد شود.")
        )
    return redirect("network:person_detail", pk=person.pk)


@login_required
def two_factor_requirements(request):
    """The network admin chooses the roles that must sign in with a second factor."""
    require(request.user, "network.admin")
    current = sorted(TwoFactorRequirement.objects.values_list("role", flat=True))
    form = TwoFactorRequirementForm(request.POST or None, initial={"roles": current})
    if request.method == "POST" and form.is_valid():
        with service_errors(form):
            services.two_factor_requirements_set(
                actor=request.user, roles=set(form.cleaned_data["roles"])
            )
            messages.success(request, _("الزام ورود دومرحله‌ای ذخیره شد."))
            return redirect("network:two_factor_requirements")
    return render(request, "network/two_factor_requirements.html", {"form": form})
