"""The presentation page's slides as HTML: the same `slide_plan(deck)` the PowerPoint
writer lays out, so what is projected equals the file handed out.

Each slide is self-contained HTML (its styles included, charts as data-URI SVG images,
no JavaScript, no external assets), sized in container units so it scales with the
screen, with type large enough for the back of a hall. The page (ui/slides.py) only
shows what this writer made, one slide at a time.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from metrics import vi_format as vf
from metrics.reports.model import Deck
from metrics.reports.plan import SlideSpec, slide_plan
from metrics.reports.style import SLIDE_ACCENT as ACCENT
from metrics.reports.style import SLIDE_BG as BG
from metrics.reports.style import SLIDE_FG as FG
from metrics.reports.style import SLIDE_SOFT as SOFT
from metrics.reports.style import SLIDE_STATUS as STATUS
from metrics.reports.style import SLIDE_TARGET as TARGET
from metrics.reports.summary import summary_points
from metrics.reports.svg_chart import chart_html


@dataclass(frozen=True)
class HtmlSlide:
    """One slide as the page shows it: its title (for the position line) and its HTML."""

    title: str
    html: str


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
        f'<div class="cchc-chart">{chart_html(k)}</div></div>'
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


def write_html(deck: Deck) -> tuple[HtmlSlide, ...]:
    """Every slide of the deck, numbered, as HTML."""
    plan = slide_plan(deck)
    return tuple(
        HtmlSlide(spec.title, slide_html(deck, spec, index, len(plan))) for index, spec in enumerate(plan, start=1)
    )
