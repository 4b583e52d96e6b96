"""Audience and impact: each channel's members over time (AudienceSnapshot), one chart per
channel and one per organisation with all its channels, the latest figure and the change
over 30 days, and, where the outbox has sent posts on a channel, posts per week.

Charts are inline SVG drawn here, on the server: no JavaScript, no chart library, nothing
from a CDN. Right to left, as the page reads: time runs from the right edge (oldest) to
the left (newest), the value axis stands on the right. Axis labels use Persian digits and
Jalali dates. The page also gives the same figures as a table.

The network does not know what was sent: the app that sends (publishing) tells it through
`register_sent_posts`, in its AppConfig.ready. Without one, no channel has sent posts and
the pages show the audience alone.

The pages are staff pages of the network app: whoever may see the organisation or the
channel may see its charts (the existing `organisation.view` / `channel.view` rules)."""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Protocol

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from hamafza.core.hooks import register_once
from hamafza.persian.dates import TEHRAN, jalali_date
from hamafza.persian.digits import format_number, to_persian_digits

from . import selectors
from .models import AudienceSnapshot, Channel, Organisation

WINDOW_DAYS = 90
CHANGE_DAYS = 30
PALETTE = ("#0b5d6b", "#b45309", "#6941c6", "#067647", "#c11574", "#475467", "#1d4ed8")
WIDTH = 400
FONT = "Vazirmatn, Vazir, Tahoma, 'Noto Sans Arabic', 'DejaVu Sans', sans-serif"


# --- figures ------------------------------------------------------------------------------


@dataclass
class ChannelAudience:
    channel: Channel
    points: list[tuple[date, int]] = field(default_factory=list)  # oldest first, in window
    latest_members: int | None = None
    latest_on: date | None = None
    change: int | None = None  # over CHANGE_DAYS, None when there is no figure that old
    sent_in_window: int = 0
    colour: str = PALETTE[0]


def _change(points: list[tuple[date, int]], latest_on: date | None, latest: int | None):
    if latest_on is None:
        return None
    cutoff = latest_on - timedelta(days=CHANGE_DAYS)
    before = [members for day, members in points if day <= cutoff]
    return latest - before[-1] if before else None


def _window(today: date | None, days: int) -> tuple[date, date]:
    today = today or timezone.localdate()
    return today - timedelta(days=days), today


# --- what was sent on the channels ---------------------------------------------------------


class SentPosts(Protocol):
    """Posts sent on the channels, as the app that sends them counts them."""

    def counts_since(self, channel_ids: list[int], since: datetime) -> dict[int, int]:
        """Posts sent on each of these channels since `since` (one query; a channel with
        none may be left out)."""
        ...

    def times_since(self, channel_id: int, since: datetime) -> list[datetime] | None:
        """When each post sent on the channel since `since` went out; None when nothing
        was ever sent there."""
        ...


class _NothingSent:
    def counts_since(self, channel_ids: list[int], since: datetime) -> dict[int, int]:
        return {}

    def times_since(self, channel_id: int, since: datetime) -> list[datetime] | None:
        return None


_NOTHING_SENT = _NothingSent()
_sent_posts: SentPosts = _NOTHING_SENT


def register_sent_posts(source: SentPosts) -> None:
    global _sent_posts
    current = None if _sent_posts is _NOTHING_SENT else _sent_posts
    _sent_posts = register_once(current, source, "the source of sent posts")


def organisation_audience(org: Organisation, *, today: date | None = None) -> list[ChannelAudience]:
    """Every channel of the organisation, with its figures over the window (three queries
    whatever the number of channels)."""
    start, end = _window(today, WINDOW_DAYS)
    channels = list(selectors.organisation_channels(org))
    by_id = {
        c.pk: ChannelAudience(
            c,
            latest_members=c.latest_members,
            latest_on=c.latest_taken_on,
            colour=PALETTE[index % len(PALETTE)],
        )
        for index, c in enumerate(channels)
    }
    snapshots = (
        AudienceSnapshot.objects.filter(
            channel__in=channels, taken_on__gte=start, taken_on__lte=end
        )
        .order_by("taken_on")
        .values_list("channel_id", "taken_on", "members")
    )
    for channel_id, taken_on, members in snapshots:
        by_id[channel_id].points.append((taken_on, members))
    since = datetime.combine(start, time.min, TEHRAN)
    for channel_id, count in _sent_posts.counts_since(list(by_id), since).items():
        by_id[channel_id].sent_in_window = count
    for item in by_id.values():
        item.change = _change(item.points, item.latest_on, item.latest_members)
    return list(by_id.values())


def channel_audience(channel: Channel, *, today: date | None = None) -> ChannelAudience:
    start, end = _window(today, WINDOW_DAYS)
    points = list(
        channel.snapshots.filter(taken_on__gte=start, taken_on__lte=end)
        .order_by("taken_on")
        .values_list("taken_on", "members")
    )
    latest = channel.snapshots.order_by("-taken_on").values_list("taken_on", "members").first()
    item = ChannelAudience(channel, points=points)
    if latest:
        item.latest_on, item.latest_members = latest
    item.change = _change(points, item.latest_on, item.latest_members)
    return item


def _week_start(day: date) -> date:
    """The Saturday that starts the Iranian week holding `day`."""
    return day - timedelta(days=(day.weekday() - 5) % 7)


def posts_per_week(channel: Channel, *, today: date | None = None) -> list[tuple[date, int]]:
    """Sent posts on the channel per week (Saturday to Friday) over the window, oldest
    first; empty when the outbox has never sent anything there."""
    start, end = _window(today, WINDOW_DAYS)
    first_week = _week_start(start)
    since = datetime.combine(first_week, time.min, TEHRAN)
    times = _sent_posts.times_since(channel.pk, since)
    if times is None:
        return []
    weeks = {first_week + timedelta(weeks=n): 0 for n in range((end - first_week).days // 7 + 1)}
    for sent_at in times:
        week = _week_start(timezone.localtime(sent_at, TEHRAN).date())
        if week in weeks:
            weeks[week] += 1
    return sorted(weeks.items())


# --- drawing ------------------------------------------------------------------------------


def _nice_step(raw: float) -> float:
    if raw <= 0:
        return 1
    power = 10 ** math.floor(math.log10(raw))
    for step in (1, 2, 2.5, 5, 10):
        if raw <= step * power:
            return max(step * power, 1)
    return 10 * power  # pragma: no cover


def _value_axis(low: float, high: float, ticks: int = 4) -> tuple[float, float, float]:
    """A bottom, a top and a step of round numbers holding [low, high]."""
    if high == low:
        low, high = max(low - 1, 0), high + 1
    step = _nice_step((high - low) / ticks)
    while True:
        bottom = math.floor(low / step) * step
        if bottom + ticks * step >= high:
            return bottom, bottom + ticks * step, step
        step = _nice_step(step * 1.01)


def _day_month(day: date) -> str:
    """«۱۷ مرداد»: a tick on the time axis (the caption gives the years)."""
    return jalali_date(day).rsplit(" ", 1)[0]


def _text(x, y, content, *, size=11, anchor="start", fill="#56606e") -> str:
    # direction="rtl": "start" is the label's right edge; Persian runs keep their order.
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}" direction="rtl">{escape(content)}</text>'
    )


def _open(height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" font-family="{escape(FONT)}">'
        f"<title>{escape(title)}</title>"
    )


def _legend(names: list[tuple[str, str]], y: float) -> tuple[str, float]:
    parts, x = [], WIDTH - 8
    for name, colour in names:
        label = name if len(name) <= 26 else name[:25] + "…"
        width = 22 + 6 * len(label)
        if x - width < 8:
            x, y = WIDTH - 8, y + 20
        parts.append(
            f'<rect x="{x - 12:.1f}" y="{y - 10:.1f}" width="12" height="12" rx="2" fill="{colour}"/>'
        )
        parts.append(_text(x - 18, y, label, size=12, fill="#1c2430"))
        x -= width + 12
    return "".join(parts), y


def line_chart(
    series: list[tuple[str, str, list[tuple[date, int]]]], *, title: str, start: date, end: date
) -> SafeString:
    """Members over time, one line per (name, colour, points). Time runs right to left."""
    legend, legend_bottom = (
        _legend([(n, c) for n, c, _p in series], 18) if len(series) > 1 else ("", 0)
    )
    top = legend_bottom + 16
    plot_h, axis_w, bottom_h, left = 170, 52, 30, 12
    right = WIDTH - axis_w
    height = int(top + plot_h + bottom_h)
    values = [m for _n, _c, points in series for _d, m in points]
    parts = [_open(height, title), legend]
    if not values:
        parts.append(
            _text(
                WIDTH / 2,
                top + plot_h / 2,
                _("در این بازه آماری ثبت نشده است."),
                size=13,
                anchor="middle",
            )
        )
        parts.append("</svg>")
        return mark_safe("".join(parts))
    low, high, step = _value_axis(min(values), max(values))
    span_days = max((end - start).days, 1)

    def x_of(day: date) -> float:
        return right - (right - left) * (day - start).days / span_days

    def y_of(value: float) -> float:
        return top + plot_h - plot_h * (value - low) / (high - low)

    tick = low
    while tick <= high + step / 2:
        y = y_of(tick)
        parts.append(f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d9dee5"/>')
        parts.append(_text(WIDTH - 4, y + 4, format_number(tick, decimals=0)))
        tick += step
    for n in range(4):
        day = start + timedelta(days=round(span_days * n / 3))
        x = x_of(day)
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top + plot_h}" y2="{top + plot_h + 4}" stroke="#8a94a3"/>'
        )
        anchor = "start" if n == 0 else "end" if n == 3 else "middle"
        parts.append(_text(x, top + plot_h + 18, _day_month(day), anchor=anchor))
    for name, colour, points in series:
        coords = [(x_of(day), y_of(members), day, members) for day, members in points]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _d, _m in coords)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5" stroke-linejoin="round"/>'
            )
        for x, y, day, members in coords:
            label = f"{name} — {jalali_date(day)}: {format_number(members)}"
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"><title>{escape(label)}</title></circle>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def bar_chart(weeks: list[tuple[date, int]], *, title: str) -> SafeString:
    """Posts per week: the oldest week on the right."""
    top, plot_h, axis_w, bottom_h, left = 14, 130, 40, 30, 8
    right = WIDTH - axis_w
    height = top + plot_h + bottom_h
    peak = max((n for _w, n in weeks), default=0)
    _low, high, step = _value_axis(0, max(peak, 4))
    parts = [_open(height, title)]
    tick = 0.0
    while tick <= high + step / 2:
        y = top + plot_h - plot_h * tick / high
        parts.append(f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d9dee5"/>')
        parts.append(_text(WIDTH - 4, y + 4, format_number(tick, decimals=0)))
        tick += step
    slot = (right - left) / max(len(weeks), 1)
    for index, (week, count) in enumerate(weeks):
        x = right - (index + 1) * slot
        bar_h = plot_h * count / high
        label = _("هفته %(day)s: %(n)s مطلب") % {
            "day": jalali_date(week),
            "n": format_number(count),
        }
        parts.append(
            f'<rect x="{x + slot * 0.15:.1f}" y="{top + plot_h - bar_h:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{bar_h:.1f}" fill="{PALETTE[0]}"><title>{escape(label)}</title></rect>'
        )
        if index % 3 == 0:
            parts.append(_text(x + slot / 2, top + plot_h + 18, _day_month(week), anchor="middle"))
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _range_caption(start: date, end: date) -> str:
    return _("از %(start)s تا %(end)s") % {"start": jalali_date(start), "end": jalali_date(end)}


# --- pages --------------------------------------------------------------------------------


@login_required
@require_safe
def organisation_audience_page(request, pk):
    org = selectors.organisation_get_for_user(request.user, pk)
    start, end = _window(None, WINDOW_DAYS)
    items = organisation_audience(org)
    series = [(str(i.channel), i.colour, i.points) for i in items if i.points]
    chart = line_chart(
        series, title=_("رشد مخاطبان کانال‌های %(org)s") % {"org": org}, start=start, end=end
    )
    context = {
        "org": org,
        "items": items,
        "chart": chart,
        "caption": _range_caption(start, end),
        "days": to_persian_digits(WINDOW_DAYS),
        "change_days": to_persian_digits(CHANGE_DAYS),
        "has_deliveries": any(i.sent_in_window for i in items),
    }
    for item in items:
        item.per_week = format_number(item.sent_in_window / (WINDOW_DAYS / 7), decimals=1)
    return render(request, "network/audience_organisation.html", context)


@login_required
@require_safe
def channel_audience_page(request, pk):
    channel = selectors.channel_get_for_user(request.user, pk)
    start, end = _window(None, WINDOW_DAYS)
    item = channel_audience(channel)
    weeks = posts_per_week(channel)
    context = {
        "channel": channel,
        "org": channel.organisation,
        "item": item,
        "chart": line_chart(
            [(str(channel), PALETTE[0], item.points)],
            title=_("مخاطبان %(channel)s") % {"channel": channel},
            start=start,
            end=end,
        ),
        "weeks": weeks,
        "weeks_chart": bar_chart(weeks, title=_("مطالب ارسال‌شده در هر هفته")) if weeks else None,
        "caption": _range_caption(start, end),
        "days": to_persian_digits(WINDOW_DAYS),
        "change_days": to_persian_digits(CHANGE_DAYS),
    }
    return render(request, "network/audience_channel.html", context)
