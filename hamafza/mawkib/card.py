"""The volunteer's card: one A6 page, Persian and right to left, with the name, the season,
the mawkibs and shifts (Jalali) and a QR code the coordinator scans at the door.

The QR holds the check-in address of the volunteer's next mawkib,
`/mawkib/checkin/<mawkib_id>/?code=<tracking_code>`, absolute when the site's address is
known, so a phone camera opens the check-in page directly; a volunteer with no shift yet
gets just the tracking code, which the check-in page also takes when typed."""

import io
from urllib.parse import urlencode

import segno
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from hamafza.core.audit import audit

from .exports import html_to_pdf, pdf_font_css
from .models import HOLDING, Application, Assignment


def card_assignments(application: Application) -> list[Assignment]:
    """The places the volunteer holds, in time order (one query)."""
    return list(
        Assignment.objects.filter(application=application, status__in=HOLDING)
        .select_related("shift__mawkib", "demand__role")
        .order_by("shift__starts_at")
    )


def checkin_path(mawkib_id: int, tracking_code: str) -> str:
    return f"/mawkib/checkin/{mawkib_id}/?{urlencode({'code': tracking_code})}"


def card_qr_payload(
    application: Application, assignments: list[Assignment], *, base_url: str = ""
) -> str:
    """What the QR code says: the check-in address at the mawkib of the next shift (the
    first one still to end; the last one when all have ended), or the tracking code."""
    if not assignments:
        return application.tracking_code
    now = timezone.now()
    upcoming = [a for a in assignments if a.shift.ends_at > now]
    place = (upcoming or assignments[-1:])[0]
    return base_url.rstrip("/") + checkin_path(place.shift.mawkib_id, application.tracking_code)


def qr_svg(payload: str) -> str:
    out = io.BytesIO()
    segno.make(payload, error="m").save(
        out, kind="svg", xmldecl=False, nl=False, omitsize=True, border=2, svgclass="qr"
    )
    return out.getvalue().decode()


def card_html(application: Application, *, base_url: str = "") -> str:
    application = Application.objects.select_related("season", "organisation").get(
        pk=application.pk
    )
    assignments = card_assignments(application)
    payload = card_qr_payload(application, assignments, base_url=base_url)
    mawkibs = list(dict.fromkeys(a.shift.mawkib.name for a in assignments))
    return render_to_string(
        "mawkib/reports/card_pdf.html",
        {
            "application": application,
            "season": application.season,
            "assignments": assignments,
            "mawkibs": mawkibs,
            "qr": mark_safe(qr_svg(payload)),
            "qr_payload": payload,
            "font_css": pdf_font_css(),
        },
    )


def card_pdf(application: Application, *, base_url: str = "") -> bytes:
    """The card as a PDF. `base_url` (such as "https://hamafza.example") makes the QR's
    check-in address absolute."""
    return html_to_pdf(card_html(application, base_url=base_url))


def card_export(*, actor, application: Application, base_url: str = "") -> bytes:
    """The card, audited: it carries the tracking code, so who printed whose card is kept.
    `actor` is None when the volunteer prints their own (they have no account). The caller
    has checked access (the coordinator's getter, or the volunteer's verified session)."""
    content = card_pdf(application, base_url=base_url)
    with transaction.atomic():
        audit(
            actor=actor,
            action="mawkib.export.card",
            target=application,
            data={"by": "coordinator" if actor is not None else "volunteer"},
        )
    return content
