"""Server-side SVG line charts of a campaign's views and clicks over time (like creators/charts.py: no JavaScript,
prints and renders to PDF as is)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from core.formatting import compact


def line_chart_svg(
    title: str, points: Sequence[tuple[dt.date, int]], *, colour: str = "#5b3cc4", width: int = 640, height: int = 200
) -> SafeString:
    """One cumulative line from 0 to its highest value, first and last day under it; empty below two points."""
    if len(points) < 2:
        return mark_safe("")
    pad_l, pad_r, pad_t, pad_b = 12, 70, 16, 28
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)
    top = max(max(v for _, v in points), 1)
    plot_w, plot_h = width - pad_l - pad_r, height - pad_t - pad_b

    def x(d: dt.date) -> float:
        return pad_l + plot_w * (d - first).days / span

    def y(v: int) -> float:
        return pad_t + plot_h * (1 - v / top)

    line = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in points)
    end_d, end_v = points[-1]
    label = f"{title}: {compact(points[0][1])} on {first:%d %b} → {compact(end_v)} on {last:%d %b}"
    return format_html(
        '<svg class="growth-chart" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{t}" '
        'xmlns="http://www.w3.org/2000/svg"><title>{t}</title>'
        '<line x1="{l}" x2="{r}" y1="{yt}" y2="{yt}" stroke="#e4e2ef" stroke-width="1"/>'
        '<line x1="{l}" x2="{r}" y1="{yb}" y2="{yb}" stroke="#e4e2ef" stroke-width="1"/>'
        '<text x="{tx}" y="{tyt}" font-size="10" fill="#5f5d73">{top}</text>'
        '<polyline points="{p}" fill="none" stroke="{c}" stroke-width="2.5" stroke-linejoin="round" '
        'stroke-linecap="round"/>'
        '<text x="{ex}" y="{ey}" font-size="12" fill="{c}" font-weight="600">{end}</text>'
        '<text x="{l}" y="{by}" font-size="11" fill="#5f5d73">{d0}</text>'
        '<text x="{r}" y="{by}" font-size="11" fill="#5f5d73" text-anchor="end">{d1}</text></svg>',
        w=width,
        h=height,
        t=label,
        l=pad_l,
        r=width - pad_r,
        yt=f"{y(top):.1f}",
        yb=f"{y(0):.1f}",
        tx=pad_l + 2,
        tyt=f"{y(top) - 3:.1f}",
        top=compact(top),
        p=line,
        c=colour,
        ex=f"{x(end_d) + 6:.1f}",
        ey=f"{y(end_v) + 4:.1f}",
        end=compact(end_v),
        by=height - 8,
        d0=first.strftime("%d %b"),
        d1=last.strftime("%d %b"),
    )
