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


def growth_chart_svg(series: Sequence[Series], *, width: int = 640, height: int = 220) -> SafeString:
    """A line per account (followers over time), each on its own scale, with first/last labels.

    Accounts differ by orders of magnitude, so each line is normalised to its
    own min-max and labelled with its real numbers; the legend says so.
    """
    series = [s for s in series if len(s.points) >= 2]
    if not series:
        return mark_safe("")
    pad_l, pad_r, pad_t, pad_b = 12, 70, 16, 28
    days = sorted({d for s in series for d, _ in s.points})
    first, last = days[0], days[-1]
    span = max((last - first).days, 1)
    plot_w, plot_h = width - pad_l - pad_r, height - pad_t - pad_b

    def x(d: date) -> float:
        return pad_l + plot_w * (d - first).days / span

    lines, labels = [], []
    for s in series:
        values = [v for _, v in s.points]
        lo, hi = min(values), max(values)
        rng = (hi - lo) or max(hi * 0.05, 1)
        mid = 0.5 if hi == lo else 0.0

        def y(v: int, lo=lo, rng=rng, mid=mid) -> float:
            return pad_t + plot_h * (1 - (mid or (v - lo) / rng) * 0.9 - 0.05)

        colour = PLATFORM_COLOURS.get(s.platform, "#5b3cc4")
        path = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in s.points)
        lines.append(format_html('<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5" '
                                 'stroke-linejoin="round" stroke-linecap="round"/>', path, colour))
        end_d, end_v = s.points[-1]
        labels.append([x(end_d) + 6, y(end_v) + 4, colour, _compact(end_v)])
    # Lines normalised to their own scale often end at the same height: push labels apart.
    labels.sort(key=lambda item: item[1])
    for i in range(1, len(labels)):
        labels[i][1] = max(labels[i][1], labels[i - 1][1] + 15)
    labels = [
        format_html('<text x="{}" y="{}" font-size="12" fill="{}" font-weight="600">{}</text>',
                    f"{lx:.1f}", f"{ly:.1f}", colour, text)
        for lx, ly, colour, text in labels
    ]
    grid = format_html_join("", '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#e4e2ef" stroke-width="1"/>',
                            ((pad_l, width - pad_r, f"{pad_t + plot_h * f:.1f}", f"{pad_t + plot_h * f:.1f}")
                             for f in (0, 0.5, 1)))
    axis = format_html(
        '<text x="{}" y="{}" font-size="11" fill="#5f5d73">{}</text>'
        '<text x="{}" y="{}" font-size="11" fill="#5f5d73" text-anchor="end">{}</text>',
        pad_l, height - 8, first.strftime("%d %b"), width - pad_r, height - 8, last.strftime("%d %b"),
    )
    title = "Follower growth: " + ", ".join(
        f"{s.label} {_compact(s.points[0][1])} → {_compact(s.points[-1][1])}" for s in series
    )
    return format_html(
        '<svg class="growth-chart" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{t}" '
        'xmlns="http://www.w3.org/2000/svg"><title>{t}</title>{g}{l}{lab}{a}</svg>',
        w=width, h=height, t=title, g=grid, l=mark_safe("".join(lines)), lab=mark_safe("".join(labels)), a=axis,
    )
