"""Bar charts drawn on the server, with no JavaScript and no chart library, so a page
works offline: inline SVG for the pages, and the same figures as HTML bars for the PDF
(WeasyPrint draws SVG text one letter at a time, with neither shaping nor bidi, which
leaves Persian labels unjoined and backwards; its HTML text goes through Pango and
HarfBuzz and comes out right).

Right to left: the first category stands on the right, labels hang from the right edge,
horizontal bars grow leftwards. Each label is `direction="rtl"`, so Persian runs and
digits keep their order and `text-anchor="start"` is the label's right edge. The drawing
is 400 units wide, a phone's width, so its text stays readable there."""

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from hamafza.persian.digits import format_number

from .reports import Chart

PALETTE = ("#0b5d6b", "#b45309", "#6941c6", "#067647", "#c11574", "#475467")
WIDTH = 400
FONT = "Vazirmatn, Vazir, Tahoma, 'Noto Sans Arabic', 'DejaVu Sans', sans-serif"


def chart_svg(chart: Chart) -> SafeString:
    return _horizontal(chart) if chart.horizontal else _grouped(chart)


def _nice_max(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^n at or above `value` (at least 1)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover


def _number(value: float) -> str:
    return format_number(value, decimals=0 if float(value).is_integer() else 1)


def _text(x, y, content, *, size=11, anchor="right", weight="400", fill="#1c2430") -> str:
    """A label whose right edge is at x (or whose middle, with anchor="middle")."""
    anchor = "middle" if anchor == "middle" else "start"  # start is the right edge in rtl
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'font-weight="{weight}" fill="{fill}" direction="rtl">{escape(content)}</text>'
    )


def _clip(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _open(height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" font-family="{escape(FONT)}">'
        f"<title>{escape(title)}</title>"
    )


def _legend(series_names: list[str], y: float) -> tuple[str, float]:
    """Swatches from the right edge leftwards, wrapping to a new line when full."""
    parts, x = [], WIDTH - 8
    for index, name in enumerate(series_names):
        label = _clip(name, 28)
        width = 22 + 6 * len(label)
        if x - width < 8:
            x, y = WIDTH - 8, y + 20
        colour = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<rect x="{x - 12:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{colour}"/>'
        )
        parts.append(_text(x - 18, y, label, size=12))
        x -= width + 12
    return "".join(parts), y


def _grouped(chart: Chart) -> SafeString:
    names = [name for name, _values in chart.series]
    legend, legend_bottom = _legend(names, 18) if len(names) > 1 else ("", 0)
    top = legend_bottom + 18
    plot_h, axis_w, label_h = 200, 40, 40
    height = int(top + plot_h + label_h)
    left, right = 10, WIDTH - axis_w
    peak = _nice_max(max((v for _n, values in chart.series for v in values), default=0))
    parts = [_open(height, chart.title), legend]
    for step in range(5):
        value = peak * step / 4
        y = top + plot_h - plot_h * step / 4
        parts.append(f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d9dee5"/>')
        parts.append(_text(WIDTH - 4, y + 4, _number(value), size=11, fill="#56606e"))
    groups = max(len(chart.categories), 1)
    group_w = (right - left) / groups
    bar_w = min(30.0, group_w * 0.8 / max(len(chart.series), 1))
    label_limit = max(5, int(group_w / 6))
    for c_index, category in enumerate(chart.categories):
        # The first category on the right: the reading order of the page.
        group_right = right - c_index * group_w
        centre = group_right - group_w / 2
        first_bar_right = centre + bar_w * len(chart.series) / 2
        for s_index, (name, values) in enumerate(chart.series):
            value = values[c_index]
            bar_h = plot_h * value / peak
            x = first_bar_right - (s_index + 1) * bar_w
            y = top + plot_h - bar_h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{bar_h:.1f}" '
                f'fill="{PALETTE[s_index % len(PALETTE)]}">'
                f"<title>{escape(name)} — {escape(category)}: {escape(_number(value))}</title></rect>"
            )
            if bar_w >= 22 and value:
                parts.append(
                    _text(x + (bar_w - 2) / 2, y - 3, _number(value), size=10, anchor="middle")
                )
        parts.append(
            _text(centre, top + plot_h + 18, _clip(category, label_limit), size=11, anchor="middle")
        )
    if chart.unit:
        parts.append(_text(WIDTH - 4, top + plot_h + 18, chart.unit, size=10, fill="#56606e"))
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _horizontal(chart: Chart) -> SafeString:
    _name, values = chart.series[0]
    row_h, top, label_w, value_w = 32, 8, 150, 44
    height = top + row_h * max(len(chart.categories), 1) + 10
    bar_right = WIDTH - label_w
    bar_room = bar_right - value_w
    peak = max(values, default=0) or 1
    parts = [_open(height, chart.title)]
    for index, (label, value) in enumerate(zip(chart.categories, values, strict=True)):
        y = top + index * row_h
        width = bar_room * value / peak
        parts.append(_text(WIDTH - 4, y + 21, _clip(label, 20), size=14))
        parts.append(
            f'<rect x="{bar_right - width:.1f}" y="{y + 5:.1f}" width="{width:.1f}" height="{row_h - 10}" '
            f'fill="{PALETTE[0]}"><title>{escape(label)}: {escape(_number(value))}</title></rect>'
        )
        parts.append(_text(bar_right - width - 4, y + 21, _number(value), size=13))
    parts.append("</svg>")
    return mark_safe("".join(parts))


def chart_html(chart: Chart) -> SafeString:
    """The chart as a table of CSS bars: one row per (category, series), the category's
    name spanning its rows, the longest bar the full width."""
    peak = max((v for _n, values in chart.series for v in values), default=0) or 1
    grouped = len(chart.series) > 1
    parts = ['<div class="bars-chart">']
    if grouped:
        parts.append('<p class="bars-legend">')
        for index, (name, _values) in enumerate(chart.series):
            colour = PALETTE[index % len(PALETTE)]
            parts.append(f'<span><i style="background:{colour}"></i>{escape(name)}</span> ')
        parts.append("</p>")
    parts.append('<table class="bars">')
    for c_index, category in enumerate(chart.categories):
        for s_index, (_name, values) in enumerate(chart.series):
            value = values[c_index]
            colour = PALETTE[s_index % len(PALETTE)]
            parts.append("<tr>")
            if s_index == 0:
                parts.append(f'<th rowspan="{len(chart.series)}">{escape(category)}</th>')
            width = 85 * value / peak  # the rest of the line holds the figure
            parts.append(
                f'<td class="bar-cell"><span class="bar" style="width:{width:.1f}%;'
                f'background:{colour}"></span> {escape(_number(value))}</td>'
            )
            parts.append("</tr>")
    parts.append("</table></div>")
    return mark_safe("".join(parts))  # every text above is escaped
