"""What the browser is given to draw (issue 14): the overview's sparklines are inline SVG
that still name each month and rate, the trends page draws the open tab's metric as one
SVG block with a panel per tier, the unit's view one block for its three metrics, the
heatmap and the Paretos are tables, and a page test never starts the server's warm-up."""

from __future__ import annotations

import html
import re
import threading

from tests.app.linktables import link_table
from tests.app.test_pages import assert_clean, open_app
from ui import charts

MONTHS = [f"2025-{m:02d}" for m in range(1, 7)]


def test_a_sparkline_names_every_month_and_rate_in_vietnamese_and_its_target():
    svg = charts.sparkline_svg(MONTHS, [0.9, 0.9781, None, 0.95, 0.96, 0.97], 0.97)
    titles = re.findall(r"<title>([^<]*)</title>", svg)
    assert "Chỉ tiêu 97%" in titles
    assert any(t.endswith(": 97,81%") for t in titles)
    assert len(titles) == 1 + 5  # the target and the five months that have a rate


def test_a_month_without_a_rate_breaks_the_sparkline():
    svg = charts.sparkline_svg(MONTHS, [0.9, 0.91, None, 0.95, 0.96, 0.97], None)
    assert svg.count("<polyline") == 2
    assert "Chỉ tiêu" not in svg  # no target, no target line


def test_a_sparkline_holds_numbers_only_never_markup_from_data():
    svg = charts.sparkline_svg(MONTHS, [0.9] * 6, 0.8)
    assert "<a " not in svg and "](" not in svg and "script" not in svg


def _charts(at) -> list[str]:
    """The trend blocks (ui.linechart) the page gave the browser to draw."""
    return [m.value for m in at.markdown if m.value.startswith('<div class="cchc-lines"')]


def _series(chart: str) -> list[str]:
    return [html.unescape(n) for n in re.findall(r'<g class="series" data-name="([^"]*)"', chart)]


def test_the_overview_draws_its_sparklines_without_plotly(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch)
    assert_clean(at)
    assert not at.get("plotly_chart")
    sparks = [m.value for m in at.markdown if '<div class="cchc-spark"><svg' in m.value]
    assert len(sparks) == 12  # one per card: 3 metrics × (province + 3 tiers)


def test_a_card_writes_its_badge_counts_and_sparkline_in_one_block(demo_path, monkeypatch):
    """One Markdown element under each card's number, not four (issue 14); a phone still
    leaves the badge, the details and the sparkline out by their class."""
    at = open_app(demo_path, monkeypatch)
    assert_clean(at)
    bodies = [m.value for m in at.markdown if '<div class="cchc-cardbadge">' in m.value]
    assert len(bodies) == 12 and all(b.startswith('<div class="cchc-metric"') for b in bodies)  # the rate on top
    for body in bodies:
        assert re.search(r":(green|orange|red|gray)-badge\[:material/[a-z_]+: (Đạt|Chưa đạt|Sát ngưỡng|Chưa có)", body)
        assert re.search(r"[\d.]+ / [\d.]+ hồ sơ", body)  # the counts beside the rate
    css = next(h.value for h in at.get("html") if "@media" in h.value)
    assert all(c in css for c in (".cchc-spark", ".cchc-carddetail", ".cchc-cardbadge"))


def test_trends_draws_the_open_tab_s_metric_with_a_panel_per_tier_and_another_on_demand(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch, "pages/trends.py")
    assert_clean(at)
    assert not at.get("plotly_chart")  # SVG: the browser never loads the Plotly bundle
    assert [tab.label for tab in at.tabs][:1] == ["Tỷ lệ hồ sơ trực tuyến"] and len(at.tabs) == 3
    charts = _charts(at)
    assert len(charts) == 1  # only the open tab's metric is drawn
    at.session_state["trend_metric"] = at.tabs[1].label  # the reader opens the on-time tab
    at.run()
    assert_clean(at)
    assert [s.value for s in at.subheader][:1] == ["Tỷ lệ hồ sơ giải quyết đúng hạn"]
    charts += _charts(at)
    assert len(charts) == 2
    for chart in charts:
        assert chart.count('<svg class="panel"') == 3  # one panel per tier
        assert "\n\n" not in chart  # one HTML block: a blank line would end it in Markdown
        # counts beside rates: every point of this year's line names its month, rate and counts
        assert _series(chart).count("Năm 2025") == 3
        titles = [html.unescape(x) for x in re.findall(r"<title>([^<]*)</title>", chart)]
        points = [x for x in titles if re.match(r"T\d+\*? · Năm 2025: ", x)]
        assert points and all(re.search(r": \d+,\d\d% \([\d.]+/[\d.]+\)$", p) for p in points), points[:3]
        # each series is named once in the legend, however many panels carry it
        named = re.findall(r'<span class="legend"[^>]*>.*?</svg> ([^<]*)</span>', chart)
        assert named and len(named) == len(set(named))
        assert chart.count('<line class="target"') == 3, "the target lines are drawn"
        assert "Chỉ tiêu " in chart  # and labelled in words


def test_the_unit_view_draws_its_three_monthly_trends_as_one_block(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch, "pages/units.py", unit="000.00.06.H56")
    assert_clean(at)
    assert not at.get("plotly_chart")
    charts = _charts(at)
    assert len(charts) == 1 and charts[0].count('<svg class="panel"') == 3
    assert set(_series(charts[0])) == {"Trực tuyến", "Đúng hạn", "Hài lòng"}


def test_a_trend_panel_writes_names_from_data_as_text():
    from ui import linechart

    hostile = "<a href=x>[Phiên hết hạn](https://example.invalid)"
    months = ["2025-05", "2025-06"]
    chart = linechart.panels_html(
        months, [(hostile, [(hostile, [0.9, None], [9, None], [10, None], "solid")], 0.95, None)]
    )
    assert "<a " not in chart and "](https://" not in chart and "&lt;a href=x&gt;" in chart
    titles = [html.unescape(x) for x in re.findall(r"<title>([^<]*)</title>", chart)]
    assert f"T5 · {hostile}: 90,00% (9/10)" in titles  # shown as the characters it is


def test_a_page_test_never_starts_the_warm_up(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch)
    assert_clean(at)
    assert not [t for t in threading.enumerate() if t.name == "cchc-warmup"]


def test_the_overview_draws_no_grid_and_writes_its_five_closest_units_as_a_table(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch)
    assert_clean(at)
    assert not at.dataframe  # the units below target are a link table (ui.linktable)
    below = link_table(at, f"below_table_{at.session_state['below']}")
    assert below.rows and all(link and link.startswith("units?") for link in below.column_links("Đơn vị"))
    # the table ends the block of the caption and the sentence (ui.ahead.closest_to_limit)
    closest = [
        m.value[m.value.index("| Đơn vị | Cấp | Tỷ lệ |") :]
        for m in at.markdown
        if "| Đơn vị | Cấp | Tỷ lệ |" in m.value
    ]
    assert len(closest) == 1 and 2 + 1 <= len(closest[0].splitlines()) <= 2 + 5
    assert re.search(r"\| \d+,\d\d% \|", closest[0])  # rates written vi-VN


def test_the_overview_builds_its_counts_table_only_when_the_reader_opens_it(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch)
    assert_clean(at)
    closed = len(at.dataframe)
    at.session_state["counts_expander"] = True  # the reader opens "show counts"
    at.run()
    assert_clean(at)
    assert len(at.dataframe) == closed + 1
    counts = [d.value for d in at.dataframe if "Tử số" in d.value.columns or "Mẫu số" in d.value.columns]
    assert counts, [list(d.value.columns) for d in at.dataframe]


def test_the_heatmap_writes_every_rate_with_its_counts_and_a_hostile_name_as_text():
    from ui import heatgrid

    hm = {
        "units": ["[Phiên hết hạn](https://example.invalid) <a href=x>"],
        "months": ["2025-05", "2025-06"],
        "z": [[0.9781, None]],
        "num": [[445, None]],
        "den": [[455, None]],
    }
    grid = heatgrid.table(hm, 0.97)
    assert ">97,8%</td>" in grid  # the rate is written in the cell, not told by colour alone
    assert "97,81% (445/455)" in grid  # the hover carries the counts
    assert "](https://" not in grid and "<a " not in grid
    assert heatgrid.colour(0.97, 0.82, 1.12).lower() == "#f7f7f7"  # at the target: pale
    assert heatgrid.colour(0.5, 0.82, 1.12).lower() == "#b35806"  # far below: orange


def test_a_pareto_writes_every_count_and_cumulative_share_and_names_as_text():
    import pandas as pd

    from ui import bars

    frame = pd.DataFrame(
        {"name": ["<a href=x>[Hộ tịch](https://example.invalid)", "Đất đai"], "dossiers": [12553, 40]},
    ).assign(cumulative_share=[0.9968, 1.0])
    table = bars.pareto(frame)
    assert ">12.553</td>" in table and ">99,7%</td>" in table and ">100,0%</td>" in table
    assert "](https://" not in table and "<a " not in table
    assert "Số hồ sơ" in table and "Tỷ trọng cộng dồn" in table


def test_the_late_page_draws_its_paretos_without_plotly(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch, "pages/late.py")
    assert_clean(at)
    assert not at.get("plotly_chart")
    assert len([h for h in at.get("html") if "Tỷ trọng cộng dồn" in h.value]) == 2  # by procedure and by unit
