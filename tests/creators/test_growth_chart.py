"""The follower growth chart: percent change on one shared scale (issue 14, point 7: a two-point history drew
every account as the same diagonal, each on its own min-max scale)."""

import re
from datetime import date

from creators.charts import Series, growth_chart_svg

D1, D2, D3 = date(2026, 11, 1), date(2026, 11, 16), date(2026, 12, 1)  # D2: halfway


def _lines(svg: str) -> list[str]:
    return re.findall(r'<polyline points="([^"]+)"', svg)


def test_two_point_histories_with_different_growth_draw_different_lines():
    svg = str(
        growth_chart_svg(
            [
                Series("Instagram", "instagram", [(D1, 10_000), (D3, 10_400)]),  # +4 %
                Series("TikTok", "tiktok", [(D1, 1_000), (D3, 1_010)]),  # +1 %
            ]
        )
    )
    # Scale 0 %..+4 %; plot from x 12 to 570, y 24.8 (+4 %) to 183.2 (0 %).
    assert _lines(svg) == ["12.0,183.2 570.0,24.8", "12.0,183.2 570.0,143.6"]
    assert ">+4.0 %<" in svg and ">0.0 %<" in svg  # the scale's ends are labelled
    assert ">10.4K<" in svg and ">1K<" in svg  # each line ends with today's followers
    assert "Instagram 10K → 10.4K" in svg


def test_a_flat_account_stays_on_the_zero_line_and_a_falling_one_goes_below_it():
    svg = str(
        growth_chart_svg(
            [
                Series("YouTube", "youtube", [(D1, 5_000), (D2, 5_000), (D3, 5_000)]),
                Series("Instagram", "instagram", [(D1, 2_000), (D2, 2_040), (D3, 1_960)]),  # +2 %, then -2 %
            ]
        )
    )
    flat, moving = _lines(svg)
    # Scale -2 %..+2 %: 0 % is the middle (y 104.0), +2 % the top (24.8), -2 % the bottom (183.2).
    assert flat == "12.0,104.0 291.0,104.0 570.0,104.0"
    assert moving == "12.0,104.0 291.0,24.8 570.0,183.2"
    assert 'stroke-dasharray="4 3"' in svg  # the 0 % line, drawn because it is inside the scale


def test_nothing_to_draw_without_two_points():
    assert str(growth_chart_svg([Series("Instagram", "instagram", [(D1, 10_000)])])) == ""
    assert str(growth_chart_svg([Series("Instagram", "instagram", [(D1, 0), (D3, 10)])])) == ""
