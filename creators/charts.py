"""Follower growth charts as server-side inline SVG: no JavaScript, prints and renders to PDF as is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

PLATFORM_COLOURS = {"instagram": "#c13584", "tiktok": "#111111", "youtube": "#d62d20", "linkedin": "#0a66c2"}


@dataclass(frozen=True)
class Series:
    label: str
    platform: str
    points: Sequence[tuple[date, int]]  # (day, followers), oldest first


def _compact(n: float) -> str:
    from core.formatting import compact

    return compact(n)


def _percent(p: float) -> str:
    from core.formatting import percent

    return ("+" if p > 0 else "") + percent(round(p, 1), places=1)


def growth_chart_svg(series: Sequence[Series], *, width: int = 640, height: int = 220) -> SafeString:
    """A line per account: its growth in percent since its first point, all on one shared scale.

    Accounts differ by orders of magnitude, so plotting followers would flatten the small ones, and giving each
    line its own min-max scale made every two-point history the same diagonal (issue 14, point 7). Percent
    change since the start compares them honestly: a line that grew 4 % ends higher than one that grew 1 %,
    a flat one stays on the 0 % line. Each line ends with its real follower count.
    """
    series = [s for s in series if len(s.points) >= 2 and s.points[0][1] > 0]
    if not series:
        return mark_safe("")
    pad_l, pad_r, pad_t, pad_b = 12, 70, 16, 28
    days = sorted({d for s in series for d, _ in s.points})
    first, last = days[0], days[-1]
    span = max((last - first).days, 1)
    plot_w, plot_h = width - pad_l - pad_r, height - pad_t - pad_b
    growth = {id(s): [(d, (v - s.points[0][1]) * 100 / s.points[0][1]) for d, v in s.points] for s in series}
    lo = min(0.0, *(g for points in growth.values() for _, g in points))
    hi = max(0.0, *(g for points in growth.values() for _, g in points))
    if hi - lo < 1:  # under one point of change: a 1 % tall band, so flat lines read as flat
        hi = lo + 1

    def x(d: date) -> float:
        return pad_l + plot_w * (d - first).days / span

    def y(g: float) -> float:
        return pad_t + plot_h * (0.05 + 0.9 * (hi - g) / (hi - lo))

    lines, labels = [], []
    for s in series:
        colour = PLATFORM_COLOURS.get(s.platform, "#5b3cc4")
        path = " ".join(f"{x(d):.1f},{y(g):.1f}" for d, g in growth[id(s)])
        lines.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5" '
                'stroke-linejoin="round" stroke-linecap="round"/>',
                path,
                colour,
            )
        )
        end_d, end_g = growth[id(s)][-1]
        labels.append([x(end_d) + 6, y(end_g) + 4, colour, _compact(s.points[-1][1])])
    # Lines that end close together: push their labels apart.
    labels.sort(key=lambda item: item[1])
    for i in range(1, len(labels)):
        labels[i][1] = max(labels[i][1], labels[i - 1][1] + 15)
    labels = [
        format_html(
            '<text x="{}" y="{}" font-size="12" fill="{}" font-weight="600">{}</text>',
            f"{lx:.1f}",
            f"{ly:.1f}",
            colour,
            text,
        )
        for lx, ly, colour, text in labels
    ]
    # Grid: the top and bottom of the scale, and the 0 % line (dashed) when it is inside.
    rows = [(y(hi), _percent(hi), ""), (y(lo), _percent(lo), "")]
    if lo < 0 < hi:
        rows.append((y(0), _percent(0), ' stroke-dasharray="4 3"'))
    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#e4e2ef" stroke-width="1"{}/>'
        '<text x="{}" y="{}" font-size="10" fill="#5f5d73">{}</text>',
        (
            (pad_l, width - pad_r, f"{gy:.1f}", f"{gy:.1f}", mark_safe(dash), pad_l + 2, f"{gy - 3:.1f}", text)
            for gy, text, dash in rows
        ),
    )
    axis = format_html(
        '<text x="{}" y="{}" font-size="11" fill="#5f5d73">{}</text>'
        '<text x="{}" y="{}" font-size="11" fill="#5f5d73" text-anchor="end">{}</text>',
        pad_l,
        height - 8,
        first.strftime("%d %b"),
        width - pad_r,
        height - 8,
        last.strftime("%d %b"),
    )
    title = "Follower growth: " + ", ".join(
        f"{s.label} {_compact(s.points[0][1])} → {_compact(s.points[-1][1])}" for s in series
    )
    return format_html(
        '<svg class="growth-chart" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{t}" '
        'xmlns="http://www.w3.org/2000/svg"><title>{t}</title>{g}{l}{lab}{a}</svg>',
        w=width,
        h=height,
        t=title,
        g=grid,
        l=mark_safe("".join(lines)),
        lab=mark_safe("".join(labels)),
        a=axis,
    )
