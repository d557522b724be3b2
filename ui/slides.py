"""Presentation mode ("Trình chiếu"): the conference deck as full-screen, high-contrast
slides with type large enough for the back of a hall.

The slides are the same `slide_plan(deck)` the PowerPoint writer lays out, built from the
same cached Deck, so what is projected equals the file handed out. Slides are HTML with
inline SVG charts (no JavaScript, no external assets), sized in container units so they
scale with the screen. Navigation: buttons and the keyboard (← →, PageUp/PageDown from a
presenter clicker); an optional auto-advance for a lobby screen runs as a fragment, so a
tick redraws the slide only. The slide number, full-screen and auto-advance travel in the
URL (`?slide=3&full=1&auto=1&every=15`), so a lobby screen can be set up from a link.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import time
from typing import Any

import streamlit as st

from metrics import registry
from metrics import vi_format as vf
from metrics.reports import MEDIA_TYPES, file_name, render_bytes
from metrics.reports.deck import Deck, KpiSection, SlideSpec, build_deck, chart_values, slide_plan
from metrics.reports.style import axis_bounds
from metrics.summary import summary_points
from ui import data, urlstate
from ui.i18n import t

SLIDE_KEY = "slide"
FULL_KEY = "full"
AUTO_KEY = "auto"
EVERY_KEY = "every"
CHANGED_KEY = "_slide_changed_at"
EXIT_KEY = "_slide_exit_full"
INTERVALS = (10, 15, 20, 30, 60, 120)

# High contrast on a dark ground; tier colours stay Okabe–Ito hues, lightened for the dark.
BG = "#0B1F33"
FG = "#FFFFFF"
SOFT = "#C9D6E3"
ACCENT = "#FFD166"
TARGET = "#FF6B6B"
STATUS = {
    "Đạt": ("#3DDC97", "✔"),
    "Sát ngưỡng": ("#FFD166", "▲"),
    "Chưa đạt": ("#FF6B6B", "✖"),
}


# ----------------------------------------------------------------------------- data


@st.cache_data(show_spinner=False, max_entries=32)
def _deck(_v: str, date_from: dt.date, date_to: dt.date, tier: str | None, unit: str | None, on_time: str) -> Deck:
    return build_deck(data.con(), date_from, date_to, tier=tier, unit=unit, on_time_definition=on_time)


def deck_for(f: Any) -> Deck:
    """The deck of the sidebar's filters, cached on the data version."""
    return _deck(data.version(), f.date_from, f.date_to, f.tier, f.unit, f.on_time_def)


def _file_maker(f: Any, fmt: str) -> Any:
    """Builds a file only when its button is clicked; the workbook's late list is fetched
    then and never cached."""

    def make() -> bytes:
        if fmt == "xlsx":
            full = build_deck(
                data.con(),
                f.date_from,
                f.date_to,
                tier=f.tier,
                unit=f.unit,
                on_time_definition=f.on_time_def,
                include_late_rows=True,
            )
            return render_bytes(full, fmt)
        return render_bytes(deck_for(f), fmt)

    return make


# ----------------------------------------------------------------------------- HTML

CSS = f"""
<style>
.cchc-slide {{
  container-type: inline-size; position: relative; box-sizing: border-box; width: 100%;
  aspect-ratio: 16 / 9; overflow: hidden; background: {BG}; color: {FG};
  font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; border-radius: 6px;
  padding: 2.6cqw 3.2cqw 3.6cqw 3.2cqw; line-height: 1.25;
}}
.cchc-slide h1 {{ font-size: 3.5cqw; margin: 0 0 .4cqw 0; color: {FG}; font-weight: 700; line-height: 1.15; padding: 0; }}
.cchc-slide .sub {{ font-size: 1.55cqw; color: {SOFT}; margin-bottom: 1.6cqw; }}
.cchc-slide .foot {{ position: absolute; left: 3.2cqw; right: 3.2cqw; bottom: 1.1cqw; font-size: 1.15cqw;
  color: {SOFT}; display: flex; justify-content: space-between; gap: 2cqw; }}
.cchc-title {{ display: flex; flex-direction: column; justify-content: center; height: 100%; }}
.cchc-title .big {{ font-size: 4.6cqw; font-weight: 700; line-height: 1.15; }}
.cchc-title .bar {{ width: 12cqw; height: .6cqw; background: {ACCENT}; margin: 2cqw 0; }}
.cchc-title .scope {{ font-size: 3.6cqw; font-weight: 700; color: {ACCENT}; }}
.cchc-title .period {{ font-size: 2.6cqw; margin-top: 1cqw; }}
.cchc-title .asof {{ font-size: 1.8cqw; color: {SOFT}; margin-top: 1.2cqw; }}
.cchc-kpi {{ display: grid; grid-template-columns: 36% 1fr; gap: 2.2cqw; height: 78%; }}
.cchc-cards {{ display: flex; flex-direction: column; gap: 1cqw; }}
.cchc-card {{ flex: 1; background: rgba(255,255,255,.07); border-left: .8cqw solid {SOFT}; border-radius: 4px;
  padding: .6cqw 1.2cqw; display: grid; grid-template-columns: 1fr auto; align-items: center; }}
.cchc-card .lbl {{ font-size: 1.6cqw; font-weight: 700; }}
.cchc-card .rate {{ font-size: 4.2cqw; font-weight: 700; line-height: 1.05; }}
.cchc-card .meta {{ font-size: 1.3cqw; color: {SOFT}; text-align: right; }}
.cchc-card .st {{ font-size: 1.6cqw; font-weight: 700; text-align: right; }}
.cchc-chart img {{ width: 100%; height: auto; display: block; }}
.cchc-legend {{ font-size: 1.3cqw; color: {SOFT}; display: flex; flex-wrap: wrap; gap: .4cqw 1.6cqw; margin-top: .4cqw; }}
.cchc-legend i {{ display: inline-block; width: 2.4cqw; height: 0; border-top: .35cqw solid; vertical-align: middle;
  margin-right: .5cqw; }}
.cchc-legend i.dash {{ border-top-style: dashed; }}
.cchc-table {{ width: 100%; border-collapse: collapse; font-size: 1.7cqw; }}
.cchc-table th {{ text-align: left; color: {ACCENT}; border-bottom: .2cqw solid {ACCENT}; padding: .35cqw .6cqw;
  font-weight: 700; }}
.cchc-table td {{ padding: .25cqw .6cqw; border-bottom: 1px solid rgba(255,255,255,.15); }}
.cchc-table td.s {{ white-space: nowrap; }}
.cchc-table td.n, .cchc-table th.n {{ text-align: right; white-space: nowrap; }}
.cchc-table tr.gap td {{ color: {SOFT}; font-style: italic; }}
.cchc-table tr.me td {{ background: rgba(255,209,102,.18); }}
.cchc-late {{ display: grid; grid-template-columns: 28% 1fr; gap: 2.4cqw; }}
.cchc-num {{ background: rgba(255,255,255,.07); border-radius: 4px; padding: .8cqw 1.2cqw; margin-bottom: 1cqw; }}
.cchc-num .lbl {{ font-size: 1.5cqw; color: {SOFT}; }}
.cchc-num .v {{ font-size: 4cqw; font-weight: 700; }}
.cchc-bars .row {{ display: grid; grid-template-columns: 52% 1fr; gap: 1cqw; align-items: center; margin: .55cqw 0; }}
.cchc-bars .name {{ font-size: 1.45cqw; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }}
.cchc-bars .bar {{ background: {TARGET}; height: 1.9cqw; border-radius: 2px; }}
.cchc-bars .val {{ font-size: 1.45cqw; font-weight: 700; white-space: nowrap; }}
.cchc-bars h3 {{ font-size: 1.8cqw; margin: 0 0 .8cqw 0; color: {ACCENT}; }}
.cchc-points {{ font-size: 2.1cqw; line-height: 1.35; margin: 0; padding-left: 2.4cqw; }}
.cchc-points li {{ margin-bottom: 1.3cqw; }}
.cchc-empty {{ display: flex; flex-direction: column; justify-content: center; align-items: center; height: 75%;
  text-align: center; }}
.cchc-empty .big {{ font-size: 5cqw; font-weight: 700; color: {ACCENT}; }}
.cchc-empty p {{ font-size: 2cqw; color: {SOFT}; }}
</style>
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _status(word: str) -> str:
    colour, icon = STATUS.get(word, (SOFT, "•"))
    return f'<span style="color:{colour}">{icon} {_e(word)}</span>'


def line_chart_svg(kpi: KpiSection) -> str:
    """Monthly rates per tier with the target line(s), as an inline SVG for a dark slide."""
    w, h = 1000, 560
    left, right, top, bottom = 90, 870, 20, 500
    chart = kpi.chart_lines()
    lines = [
        (
            c.label,
            list(c.values),
            TARGET if c.shared_target else (registry.tier(c.tier).colour_dark if c.tier in registry.TIER_CODES else FG),
            c.is_target,
        )
        for c in chart
    ]
    values = chart_values(chart)
    if not values:
        return ""
    lo, hi, step = axis_bounds(values)
    n = max(len(kpi.months), 1)
    slot = (right - left) / n

    def x(i: int) -> float:
        return left + slot * (i + 0.5)

    def y(v: float) -> float:
        return bottom - (v - lo) / (hi - lo) * (bottom - top)

    parts = [
        f'<svg viewBox="0 0 {w} {h}" width="{w}" height="{h}" xmlns="http://www.w3.org/2000/svg" font-family="DejaVu Sans, Arial, sans-serif" role="img" '
        f'aria-label="{_e(kpi.title)} theo tháng">'
    ]
    ticks = round((hi - lo) / step)
    for tick in range(ticks + 1):
        v = lo + tick * step
        parts.append(
            f'<line x1="{left}" y1="{y(v):.1f}" x2="{right}" y2="{y(v):.1f}" stroke="#3A5068" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 12}" y="{y(v) + 8:.1f}" fill="{SOFT}" font-size="24" text-anchor="end">'
            f"{_e(vf.fmt_pct(v, 0))}</text>"
        )
    every = 1 if n <= 6 else 2 if n <= 12 else 3
    for i, label in enumerate(kpi.month_labels):
        if i % every == 0:
            parts.append(
                f'<text x="{x(i):.1f}" y="{bottom + 40}" fill="{SOFT}" font-size="24" text-anchor="middle">'
                f"{_e(label)}</text>"
            )
    ends: list[list[Any]] = []
    for _label, vals, colour, dashed in lines:
        runs: list[list[str]] = [[]]
        for i, v in enumerate(vals):
            if v is None:
                runs.append([])
            else:
                runs[-1].append(f"{x(i):.1f},{y(v):.1f}")
        dash = ' stroke-dasharray="14 10"' if dashed else ""
        for run in runs:
            if len(run) > 1:
                parts.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                    f'stroke-width="{4 if dashed else 5}"{dash}/>'
                )
        if not dashed:
            for i, v in enumerate(vals):
                if v is not None:
                    parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="8" fill="{colour}"/>')
            last = max((i for i, v in enumerate(vals) if v is not None), default=None)
            if last is not None:
                ends.append([y(vals[last]) + 10, x(last) + 18, vf.fmt_pct(vals[last]), colour])  # type: ignore[arg-type]
    ends.sort()
    for a, b in itertools.pairwise(ends):
        if b[0] - a[0] < 30:
            b[0] = a[0] + 30
    for ly, lx, text, colour in ends:
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" fill="{colour}" font-size="28" font-weight="700" '
            f'text-anchor="start" paint-order="stroke" stroke="{BG}" stroke-width="6">{_e(text)}</text>'
        )
    parts.append("</svg>")
    legend = "".join(
        f'<span><i class="{"dash" if dashed else ""}" style="border-color:{colour}"></i>{_e(label)}</span>'
        for label, _v, colour, dashed in lines
    )
    return "".join(parts) + f'<div class="cchc-legend">{legend}</div>'


def _frame(deck: Deck, spec: SlideSpec, body: str, index: int, total: int) -> str:
    sub = f'<div class="sub">{_e(spec.subtitle)}</div>' if spec.subtitle else ""
    return (
        f'{CSS}<div class="cchc-slide" data-slide="{index}" data-kind="{spec.kind}">'
        f"<h1>{_e(spec.title)}</h1>{sub}{body}"
        f'<div class="foot"><span>{_e(deck.footer_text)}</span><span>{index}/{total}</span></div></div>'
    )


def _title(deck: Deck, index: int, total: int) -> str:
    return (
        f'{CSS}<div class="cchc-slide" data-slide="{index}" data-kind="title"><div class="cchc-title">'
        f'<div class="big">{_e(deck.title)}</div><div class="bar"></div>'
        f'<div class="scope">{_e(deck.scope_label)}</div>'
        f'<div class="period">{_e(deck.period_text)}</div>'
        f'<div class="asof">{_e(deck.data_as_of_text)} · {_e(vf.fmt_int(deck.dossiers_in_db))} hồ sơ trong cơ sở dữ liệu</div>'
        f'</div><div class="foot"><span>Lập lúc {_e(vf.fmt_datetime(deck.generated_at))}</span>'
        f"<span>{index}/{total}</span></div></div>"
    )


def _kpi(deck: Deck, spec: SlideSpec) -> str:
    k = spec.kpi
    assert k is not None
    figures = [k.total, *k.tiers] if len(k.tiers) > 1 else [k.total]
    cards = []
    for tf in figures:
        colour = STATUS.get(tf.status, (SOFT, ""))[0]
        target = f"Chỉ tiêu {tf.figure.target_text}" if tf.figure.target is not None else "Chỉ tiêu theo từng cấp"
        status = _status(tf.status) if tf.figure.target is not None else ""
        cards.append(
            f'<div class="cchc-card" style="border-left-color:{colour}">'
            f'<div><div class="lbl">{_e(tf.label)}</div><div class="rate">{_e(tf.figure.rate_text)}</div></div>'
            f'<div><div class="st">{status}</div><div class="meta">{_e(target)}</div>'
            f'<div class="meta">{_e(tf.figure.counts_text)} hồ sơ</div></div></div>'
        )
    return (
        f'<div class="cchc-kpi"><div class="cchc-cards">{"".join(cards)}</div>'
        f'<div class="cchc-chart">{_svg_img(line_chart_svg(k), k.title)}</div></div>'
    )


def _svg_img(svg_and_legend: str, title: str) -> str:
    """The chart as an <img> of a data-URI SVG (st.html sanitises inline <svg> away)."""
    import base64

    svg, _, legend = svg_and_legend.partition("</svg>")
    if not svg:
        return ""
    data = base64.b64encode((svg + "</svg>").encode("utf-8")).decode("ascii")
    return (
        f'<img alt="{_e(title)} theo tháng" style="width:100%;display:block" '
        f'src="data:image/svg+xml;base64,{data}"/>{legend}'
    )


def _ranking(deck: Deck, spec: SlideSpec) -> str:
    rows = []
    for u in spec.units:
        if u is None:
            rows.append(
                f'<tr class="gap"><td></td><td colspan="6">… {_e(vf.fmt_int(spec.hidden))} đơn vị ở giữa bảng '
                "(xem báo cáo PDF/Excel)</td></tr>"
            )
            continue
        me = ' class="me"' if deck.unit and u.unit_code == str(deck.unit) else ""
        name = u.unit_name + (" (ít hồ sơ)" if u.small else "")
        gap = vf.fmt_pp(u.figure.gap) if u.figure.gap is not None else vf.DASH
        rows.append(
            f"<tr{me}><td class='n'>{_e(u.rank if u.rank is not None else '—')}</td><td>{_e(name)}</td>"
            f"<td class='n'>{_e(u.figure.counts_text)}</td><td class='n'><b>{_e(u.figure.rate_text)}</b></td>"
            f"<td class='n'>{_e(u.figure.target_text)}</td><td class='n'>{_e(gap)}</td>"
            f"<td class='s'>{_status(u.figure.status)}</td></tr>"
        )
    return (
        '<table class="cchc-table"><tr><th class="n">Hạng</th><th>Đơn vị</th><th class="n">Tử số/Mẫu số</th>'
        '<th class="n">Tỷ lệ</th><th class="n">Chỉ tiêu</th><th class="n">Chênh lệch</th><th>Đánh giá</th></tr>'
        + "".join(rows)
        + "</table>"
    )


def _below(deck: Deck, spec: SlideSpec) -> str:
    if not spec.below:
        return '<div class="cchc-empty"><div class="big">Mọi đơn vị đều đạt chỉ tiêu</div></div>'
    rows = [
        f"<tr><td>{_e(b.tier_label)}</td>"
        f"<td>{_e(b.unit_name + (' (ít hồ sơ)' if b.small else ''))}</td>"
        f"<td class='n'><b>{_e(b.figure.rate_text)}</b></td><td class='n'>{_e(b.figure.target_text)}</td>"
        f"<td class='n'>{_e(vf.fmt_pp(b.figure.gap))}</td><td>{_e(b.needed_text)}</td></tr>"
        for b in spec.below
    ]
    if spec.hidden:
        rows.append(
            f'<tr class="gap"><td colspan="6">… và {_e(vf.fmt_int(spec.hidden))} đơn vị khác '
            "(xem báo cáo PDF/Excel)</td></tr>"
        )
    return (
        '<table class="cchc-table"><tr><th>Cấp</th><th>Đơn vị</th>'
        '<th class="n">Tỷ lệ</th><th class="n">Chỉ tiêu</th><th class="n">Chênh lệch</th><th>Để đạt chỉ tiêu</th></tr>'
        + "".join(rows)
        + "</table>"
    )


def _late(deck: Deck) -> str:
    late = deck.late
    nums = "".join(
        f'<div class="cchc-num"><div class="lbl">{_e(label)}</div>'
        f'<div class="v" style="color:{TARGET if value else STATUS["Đạt"][0]}">{_e(vf.fmt_int(value))}</div></div>'
        for label, value in (
            ("Tổng số hồ sơ trễ hạn", late.total),
            ("Đã giải quyết nhưng trễ hạn", late.resolved_late),
            ("Quá hạn, đang xử lý", late.open_overdue),
        )
    )
    if not late.by_procedure:
        bars = '<div class="cchc-empty"><div class="big">Không có hồ sơ trễ hạn</div></div>'
    else:
        top = max(p.dossiers for p in late.by_procedure) or 1
        rows = "".join(
            f'<div class="row"><div class="name" title="{_e(p.name)}">{_e(p.name)}</div>'
            f'<div style="display:flex;align-items:center;gap:.8cqw">'
            f'<div class="bar" style="width:{max(p.dossiers / top * 70, 1):.1f}%"></div>'
            f'<span class="val">{_e(vf.fmt_int(p.dossiers))}'
            f"{_e(' (' + vf.fmt_pct(p.share) + ')') if p.share is not None else ''}</span></div></div>"
            for p in late.by_procedure[:8]
        )
        bars = f'<div class="cchc-bars"><h3>Thủ tục có nhiều hồ sơ trễ hạn nhất</h3>{rows}'
        if late.by_unit and not deck.unit:
            utop = max(p.dossiers for p in late.by_unit) or 1
            bars += '<h3 style="margin-top:1.6cqw">Đơn vị có nhiều hồ sơ trễ hạn nhất</h3>' + "".join(
                f'<div class="row"><div class="name">{_e(p.name)}</div>'
                f'<div style="display:flex;align-items:center;gap:.8cqw">'
                f'<div class="bar" style="width:{max(p.dossiers / utop * 70, 1):.1f}%;background:{ACCENT}"></div>'
                f'<span class="val">{_e(vf.fmt_int(p.dossiers))}</span></div></div>'
                for p in late.by_unit[:4]
            )
        bars += "</div>"
    return f'<div class="cchc-late"><div>{nums}</div>{bars}</div>'


def _summary(deck: Deck) -> str:
    points = summary_points(deck)
    size = 2.1 if sum(len(p) for p in points) < 700 else 1.8
    items = "".join(f"<li>{_e(p)}</li>" for p in points)
    return f'<ul class="cchc-points" style="font-size:{size}cqw">{items}</ul>'


def _empty(deck: Deck) -> str:
    lines = "".join(f"<p>{_e(s)}</p>" for s in deck.summary)
    return f'<div class="cchc-empty"><div class="big">Không có hồ sơ trong kỳ</div>{lines}</div>'


def slide_html(deck: Deck, spec: SlideSpec, index: int, total: int) -> str:
    """One slide as self-contained HTML (styles included)."""
    if spec.kind == "title":
        return _title(deck, index, total)
    body = {
        "kpi": lambda: _kpi(deck, spec),
        "ranking": lambda: _ranking(deck, spec),
        "below": lambda: _below(deck, spec),
        "late": lambda: _late(deck),
        "summary": lambda: _summary(deck),
        "empty": lambda: _empty(deck),
    }[spec.kind]()
    return _frame(deck, spec, body, index, total)


# ----------------------------------------------------------------------------- page

FULL_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], .st-key-freshness, .st-key-slide_controls { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container { padding: .4rem 1rem 0 1rem !important; max-width: 100% !important; }
.st-key-slide_stage .cchc-slide { width: min(100%, calc((100vh - 6.2rem) * 16 / 9)); margin: 0 auto; }
[data-testid="stApp"], [data-testid="stMain"] { background: #061423 !important; }
.cchc-pos { color: #C9D6E3; }
[data-testid="stMain"] button { background: #132B45 !important; color: #FFFFFF !important; border-color: #3A5068 !important; }
[data-testid="stMain"] button p { color: #FFFFFF !important; }
</style>
"""
# Outside full screen the slide is a preview that leaves room for the controls above it.
PREVIEW_CSS = """
<style>.st-key-slide_stage .cchc-slide { max-width: calc((100vh - 24rem) * 16 / 9); min-width: min(100%, 640px);
  margin: 0 auto; }</style>
"""
HIDE_KEYS_CSS = """
<style>.st-key-slide_pgup, .st-key-slide_pgdn, .st-key-slide_home, .st-key-slide_end { display: none !important; }</style>
"""


def _flag(text: str) -> bool:
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError(text)


def _go(delta: int | None = None, to: int | None = None, total: int = 1, wrap: bool = False) -> None:
    current = int(st.session_state.get(SLIDE_KEY, 1))
    target = to if to is not None else current + (delta or 0)
    if wrap:
        target = (target - 1) % total + 1
    st.session_state[SLIDE_KEY] = max(1, min(total, target))
    st.session_state[CHANGED_KEY] = time.monotonic()


def show(deck: Deck, f: Any) -> None:
    plan = slide_plan(deck)
    total = len(plan)
    urlstate.seed(SLIDE_KEY, 1, int, lambda v: 1 <= v <= total)
    if not 1 <= int(st.session_state.get(SLIDE_KEY, 1)) <= total:
        st.session_state[SLIDE_KEY] = 1
    full = urlstate.seed(FULL_KEY, False, _flag)
    auto = urlstate.seed(AUTO_KEY, False, _flag)
    every = urlstate.seed(EVERY_KEY, 15, int, INTERVALS)

    st.html(HIDE_KEYS_CSS)
    if full:
        st.html(FULL_CSS)
    else:
        st.title(t("slides_title"))
        st.html(PREVIEW_CSS)
    with st.container(key="slide_controls"):
        c1, c2, c3, c4 = st.columns([1.1, 1.1, 1.2, 3])
        c1.toggle(t("slides_full"), key=FULL_KEY, help=t("slides_full_help"))
        c2.toggle(t("slides_auto"), key=AUTO_KEY, help=t("slides_auto_help"))
        c3.selectbox(t("slides_every"), INTERVALS, key=EVERY_KEY, disabled=not auto)
        c4.caption(t("slides_keys"))
    urlstate.publish(FULL_KEY, "1" if full else None)
    urlstate.publish(AUTO_KEY, "1" if auto else None)
    urlstate.publish(EVERY_KEY, str(every) if auto else None)

    @st.fragment(run_every=every if auto else None)
    def stage() -> None:
        if auto and time.monotonic() - st.session_state.get(CHANGED_KEY, 0.0) >= every - 0.5:
            if CHANGED_KEY in st.session_state:
                _go(1, total=total, wrap=True)
            else:
                st.session_state[CHANGED_KEY] = time.monotonic()
        if st.session_state.pop(EXIT_KEY, False):
            st.rerun(scope="app")  # leaving full screen redraws the whole page, not just the slide
        index = int(st.session_state.get(SLIDE_KEY, 1))
        with st.container(key="slide_stage"):
            st.html(slide_html(deck, plan[index - 1], index, total))
        if full:
            left, mid, right, exit_col, fs_col = st.columns([1, 1.6, 1, 1, 1], vertical_alignment="center")
            exit_col.button(t("slides_exit"), key="slide_exit_full", on_click=_leave_full, width="stretch")
            with fs_col:
                st.html(FULLSCREEN_BUTTON, unsafe_allow_javascript=True)
        else:
            left, mid, right = st.columns([1, 2, 1], vertical_alignment="center")
        left.button(
            t("slides_prev"),
            key="slide_prev",
            shortcut="ArrowLeft",
            on_click=_go,
            kwargs={"delta": -1, "total": total},
            disabled=index <= 1,
            width="stretch",
        )
        mid.markdown(
            f"<div class='cchc-pos' style='text-align:center'>{t('slides_position', i=index, n=total)} · {_e(plan[index - 1].title)}</div>",
            unsafe_allow_html=True,
        )
        right.button(
            t("slides_next"),
            key="slide_next",
            shortcut="ArrowRight",
            on_click=_go,
            kwargs={"delta": 1, "total": total},
            disabled=index >= total,
            width="stretch",
        )
        st.button("PageUp", key="slide_pgup", shortcut="PageUp", on_click=_go, kwargs={"delta": -1, "total": total})
        st.button("PageDown", key="slide_pgdn", shortcut="PageDown", on_click=_go, kwargs={"delta": 1, "total": total})
        st.button("Home", key="slide_home", shortcut="Home", on_click=_go, kwargs={"to": 1, "total": total})
        st.button("End", key="slide_end", shortcut="End", on_click=_go, kwargs={"to": total, "total": total})

    stage()
    urlstate.publish(SLIDE_KEY, str(st.session_state.get(SLIDE_KEY, 1)))
    if not full:
        downloads(deck, f)


def _leave_full() -> None:
    st.session_state[FULL_KEY] = False
    st.session_state[EXIT_KEY] = True


# The browser's own full screen needs a click in the page itself (a user gesture).
FULLSCREEN_BUTTON = """
<button id="cchc-fs" type="button" style="width:100%;font-size:.875rem;padding:.45rem .7rem;border-radius:.5rem;
  border:1px solid rgba(49,51,63,.2);background:transparent;color:inherit;cursor:pointer">Cả màn hình (F11)</button>
<script>
(() => {
  const b = document.getElementById("cchc-fs");
  if (!b || b.dataset.bound) return;
  b.dataset.bound = "1";
  b.addEventListener("click", () => {
    const d = document.documentElement;
    if (document.fullscreenElement) { document.exitFullscreen(); } else if (d.requestFullscreen) { d.requestFullscreen(); }
  });
})();
</script>
"""


def downloads(deck: Deck, f: Any) -> None:
    """The same deck as files: one click each, built when clicked."""
    st.caption(t("slides_downloads"))
    cols = st.columns(3)
    labels = {fmt: t(f"deck_{fmt}") for fmt in ("pptx", "pdf", "xlsx")}
    icons = {"pptx": ":material/slideshow:", "pdf": ":material/picture_as_pdf:", "xlsx": ":material/table_view:"}
    for col, fmt in zip(cols, ("pptx", "pdf", "xlsx"), strict=True):
        col.download_button(
            labels[fmt],
            data=_file_maker(f, fmt),
            file_name=file_name(deck, fmt),
            mime=MEDIA_TYPES[fmt],
            key=f"download_{fmt}",
            icon=icons[fmt],
            on_click="ignore",
            width="stretch",
        )
