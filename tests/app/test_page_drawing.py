"""What the browser is given to draw (issue 14): the overview's sparklines are inline SVG
that still name each month and rate, the trends page draws the open tab's metric as one
SVG block with a panel per tier, the unit's view one block for its three metrics, the
heatmap and the Paretos are tables, and a page test never starts the server's warm-up."""

from __future__ import annotations

import html
import re
import threading
from urllib.parse import unquote

from tests.app.linktables import html_blocks, link_table, parse
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
    """The trend blocks (ui.linechart) the page gave the browser to draw through st.html."""
    return [h.value for h in at.get("html") if '<div class="cchc-lines"' in h.value]


def _heading(chart: str) -> str:
    return html.unescape(re.match(r"<h3>([^<]*)</h3>", chart).group(1))


def _pictures(block: str) -> list[str]:
    """The SVGs of a block drawn through st.html, each an image (ui.markup.picture)."""
    return [unquote(html.unescape(src)) for src in re.findall(r'<img src="data:image/svg\+xml,([^"]*)"', block)]


def _series(chart: str) -> list[str]:
    return [html.unescape(n) for n in re.findall(r'<g class="series" data-name="([^"]*)"', chart)]


def test_the_overview_draws_its_sparklines_without_plotly(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch)
    assert_clean(at)
    assert not at.get("plotly_chart")
    sparks = [spark for h in at.get("html") for spark in h.value.split('<div class="cchc-spark">')[1:]]
    assert len(sparks) == 12  # one per card: 3 metrics × (province + 3 tiers)
    for spark in sparks:  # an image of the line, with the month and rate of each point on hover
        svg = _pictures(spark)[0]
        assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and "<polyline" in svg
        spots = re.findall(r'<span title="([^"]*)"', spark.split("</div></div>")[0])
        assert spots and all(re.search(r": \d+,\d\d%$", html.unescape(x)) for x in spots)


def test_a_card_writes_its_badge_counts_and_sparkline_in_one_block(demo_path, monkeypatch):
    """A row of cards is one st.html block (issue 14); a phone still leaves the tier cards,
    the badge, the details and the sparkline out by their class."""
    at = open_app(demo_path, monkeypatch)
    assert_clean(at)
    rows = [h.value for h in at.get("html") if 'class="cchc-kpis' in h.value]
    assert len(rows) == 3  # one block per metric
    cards = [c for row in rows for c in row.split('<div class="cchc-card ')[1:]]
    assert len(cards) == 12 and all('<div class="cchc-metric"' in c for c in cards)  # the rate on top
    for card in cards:
        assert re.search(r'class="cchc-badge"[^>]*>(✓ |⚠ |✗ )?(Đạt|Chưa đạt|Sát ngưỡng|Chưa có)', card)
        assert re.search(r"[\d.]+ / [\d.]+ hồ sơ", card)  # the counts beside the rate
    assert sum("cchc-tiercard" in c.split(">")[0] for c in cards) == 9  # the tier cards a phone leaves out
    css = next(h.value for h in at.get("html") if "@media" in h.value)
    assert all(c in css for c in (".cchc-tiercard", ".cchc-spark", ".cchc-carddetail", ".cchc-cardbadge"))


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
    charts += _charts(at)
    assert len(charts) == 2
    # each block opens with its metric's name (the tab opened second: the on-time rate)
    assert _heading(charts[1]) == "Tỷ lệ hồ sơ giải quyết đúng hạn"
    for chart in charts:
        # an image per panel (st.html drops an inline SVG), one per tier; the legend's swatches are images too
        panels = [p for p in _pictures(chart) if 'class="panel"' in p]
        assert len(panels) == 3 and all(p.count('<svg xmlns="http://www.w3.org/2000/svg"') == 1 for p in panels)
        # counts beside rates: every point of this year's line names its month, rate and counts on hover
        assert [_series(p).count("Năm 2025") for p in panels] == [1, 1, 1]
        spots = [html.unescape(x) for x in re.findall(r'<span title="([^"]*)"', chart)]
        points = [x for x in spots if re.match(r"T\d+\*? · Năm 2025: ", x)]
        assert points and all(re.search(r": \d+,\d\d% \([\d.]+/[\d.]+\)$", p) for p in points), points[:3]
        drawn = [html.unescape(x) for p in panels for x in re.findall(r"<title>([^<]*)</title>", p)]
        assert set(points) <= set(drawn)  # a spot for each point the images draw, with its words
        # each series is named once in the legend, however many panels carry it
        named = re.findall(
            r'<span class="legend"[^>]*><img src="data:image/svg\+xml,[^"]*"[^>]*> ([^<]*)</span>', chart
        )
        assert named and len(named) == len(set(named))
        assert sum(p.count('<line class="target"') for p in panels) == 3, "the target lines are drawn"
        assert all("Chỉ tiêu " in p for p in panels)  # and labelled in words


def test_the_unit_view_draws_its_three_monthly_trends_as_one_block(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch, "pages/units.py", unit="000.00.06.H56")
    assert_clean(at)
    assert not at.get("plotly_chart")
    blocks = [h.value for h in at.get_by_key("unit_trends").get("html")]
    assert len(blocks) == 1 and blocks[0].startswith('<h3>Diễn biến theo tháng</h3><div class="cchc-lines"')
    panels = _pictures(blocks[0])
    assert len(panels) == 3 and all(p.count('<svg xmlns="http://www.w3.org/2000/svg"') == 1 for p in panels)
    assert {name for p in panels for name in _series(p)} == {"Trực tuyến", "Đúng hạn", "Hài lòng"}
    # every point keeps its hover: month, metric and rate
    spots = [html.unescape(x) for x in re.findall(r'<span title="([^"]*)"', blocks[0])]
    assert spots and all(re.fullmatch(r"T\d+/\d\d · (Trực tuyến|Đúng hạn|Hài lòng): \d+,\d\d%", x) for x in spots)


def test_a_trend_panel_writes_names_from_data_as_text():
    from ui import linechart

    hostile = "<a href=x>[Phiên hết hạn](https://example.invalid)"
    months = ["2025-05", "2025-06"]
    chart = linechart.panels_html(
        months, [(hostile, [(hostile, [0.9, None], [9, None], [10, None], "solid")], 0.95, None)]
    )
    assert "<a " not in chart and "](https://" not in chart and "&lt;a href=x&gt;" in chart
    svg = _pictures(chart)[0]  # the panel is an image of our SVG (the legend's swatches follow)
    titles = [html.unescape(x) for x in re.findall(r"<title>([^<]*)</title>", svg)]
    assert f"T5 · {hostile}: 90,00% (9/10)" in titles  # shown as the characters it is
    spots = [html.unescape(x) for x in re.findall(r'<span title="([^"]*)"', chart)]
    assert f"T5 · {hostile}: 90,00% (9/10)" in spots  # and so is its hover over the image


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
    closest = [parse(h) for h in html_blocks(at) if "<th" in h and "Được trễ thêm" in h]
    assert len(closest) == 1 and 1 <= len(closest[0].rows) <= 5
    assert closest[0].headers[:3] == ["Đơn vị", "Cấp", "Tỷ lệ"]
    assert all(re.fullmatch(r"\d+,\d\d%", rate) for rate in closest[0].column("Tỷ lệ"))  # rates written vi-VN


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


def test_the_late_page_draws_its_two_paretos_without_plotly_in_one_block(demo_path, monkeypatch):
    at = open_app(demo_path, monkeypatch, "pages/late.py")
    assert_clean(at)
    assert not at.get("plotly_chart")
    paretos = [h.value for h in at.get("html") if "Tỷ trọng cộng dồn" in h.value]
    assert len(paretos) == 1 and paretos[0].count("Tỷ trọng cộng dồn") == 2  # by procedure and by unit
