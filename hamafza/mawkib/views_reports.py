"""The reports pages and their downloads, and the volunteer's card. Thin: pick the season,
ask `reports`/`exports`/`card` for the data or the file, render."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from hamafza.core.decorators import public
from hamafza.core.permissions import can, get_for_user, require

from .applicant import current_applicant
from .card import card_export
from .exports import report_context, report_export
from .models import Application, ApplicationStatus, Season
from .reports import build_report, report_titles


def _season(request) -> Season | None:
    """The season asked for by `?season=<id>`, or the newest one; None when there is none."""
    wanted = request.GET.get("season", "")
    if wanted:
        try:
            season_id = int(wanted)  # "²" passes isdigit() but is no number
        except ValueError:
            raise Http404 from None
        season = Season.objects.filter(pk=season_id).first()
        if season is None:
            raise Http404
        return season
    return Season.objects.order_by("-hijri_year").first()


def _links(name: str, season: Season | None) -> dict[str, str]:
    query = f"?season={season.pk}" if season else ""
    return {
        "page": reverse(f"mawkib:report_{name}") + query,
        "xlsx": reverse(f"mawkib:report_{name}_xlsx") + query,
        "pdf": reverse(f"mawkib:report_{name}_pdf") + query,
    }


def _seasons_context(request, season):
    return {"season": season, "seasons": Season.objects.order_by("-hijri_year")}


@login_required
def reports_index(request):
    require(request.user, "mawkib.reports")
    season = _season(request)
    return render(
        request,
        "mawkib/reports/index.html",
        {
            **_seasons_context(request, season),
            "reports": [
                {"title": title, **_links(name, season)} for name, title in report_titles().items()
            ],
        },
    )


@login_required
def report_page(request, name):
    require(request.user, "mawkib.reports")
    if name not in report_titles():
        raise Http404
    season = _season(request)
    context = {
        **_seasons_context(request, season),
        "title": report_titles()[name],
        "links": _links(name, season),
    }
    if season is not None:
        report = build_report(name, season, personal=can(request.user, "mawkib.view_personal_data"))
        context.update(report_context(report))
    return render(request, "mawkib/reports/report.html", context)


def _file(content: bytes, filename: str, content_type: str, *, inline: bool = False):
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def report_download(request, name, fmt):
    require(request.user, "mawkib.reports")
    if name not in report_titles():
        raise Http404
    season = _season(request)
    if season is None:
        raise Http404
    export = report_export(actor=request.user, season=season, name=name, fmt=fmt)
    return _file(export.content, export.filename, export.content_type)


def _site(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@login_required
def application_card(request, pk):
    """A coordinator prints any volunteer's card; anyone else is told it does not exist."""
    application = get_for_user(
        request.user,
        Application.objects.filter(pk=pk).first(),
        view_action="mawkib.coordinate",
    )
    content = card_export(actor=request.user, application=application, base_url=_site(request))
    return _file(content, f"mawkib-card-{application.tracking_code}.pdf", "application/pdf")


@public
@never_cache
def volunteer_card(request):
    """The volunteer's own card, for the applicant the public pages verified (tracking
    code plus one-time code), whose application id they keep in the session for a while
    (`applicant.current_applicant` reads it and lets it expire)."""
    application = current_applicant(request)  # None when absent or expired
    if application is None:
        raise Http404(_("نخست با کد رهگیری وارد شوید."))
    if application.status != ApplicationStatus.APPROVED:
        raise Http404(_("کارت تنها برای درخواست پذیرفته‌شده صادر می‌شود."))
    content = card_export(actor=None, application=application, base_url=_site(request))
    return _file(
        content, f"mawkib-card-{application.tracking_code}.pdf", "application/pdf", inline=True
    )
