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
from metrics.reports import bieu06
from metrics.reports.html_style import CSS
from metrics.reports.model import Deck
from metrics.reports.plan import SlideSpec, slide_plan
from metrics.reports.style import SLIDE_ACCENT as ACCENT
from metrics.reports.style import SLIDE_MIN_PT, cqw
from metrics.reports.style import SLIDE_SOFT as SOFT
from metrics.reports.style import SLIDE_STATUS as STATUS
from metrics.reports.style import SLIDE_TARGET as TARGET
from metrics.reports.summary import summary_points
from metrics.reports.svg_chart import chart_html


@dataclass(frozen=True)
class HtmlSlide:
    """One slide as the page shows it: its title (for the position line) and its markup.
    The stylesheet is shared by every slide (`CSS`): the page sends it once, and only the
    markup on each step, which keeps a step quick; `html` is the slide self-contained."""

    title: str
    body: str

    @property
    def html(self) -> str:
        return CSS + self.body


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _status(word: str) -> str:
    colour, icon = STATUS.get(word, (SOFT, "•"))
    return f'<span style="color:{colour}">{icon} {_e(word)}</span>'


def _frame(deck: Deck, spec: SlideSpec, body: str, index: int, total: int) -> str:
    sub = f'<div class="sub">{_e(spec.subtitle)}</div>' if spec.subtitle else ""
    return (
        f'<div class="cchc-slide" data-slide="{index}" data-kind="{spec.kind}">'
        f"<h1>{_e(spec.title)}</h1>{sub}{body}"
        f'<div class="foot"><span>{_e(deck.footer_text)}</span><span>{index}/{total}</span></div></div>'
    )


def _title(deck: Deck, index: int, total: int) -> str:
    """Whose deck, what, how current, and the one sentence when the data is old or partial."""
    owner = f'<div class="owner">{_e(deck.owner)}</div>' if deck.owner else ""
    meeting = f'<div class="meeting">{_e(deck.meeting_text)}</div>' if deck.meeting_text else ""
    warn = f'<div class="warn" role="alert">{_e(deck.data_warning)}</div>' if deck.data_warning else ""
    plan = f'<div class="plan">Chỉ tiêu theo: {_e(deck.target_source)}</div>' if deck.target_source else ""
    return (
        f'<div class="cchc-slide" data-slide="{index}" data-kind="title"><div class="cchc-title">'
        f'{owner}<div class="big">{_e(deck.title)}</div><div class="bar"></div>{meeting}'
        f'<div class="scope">{_e(deck.scope_label)}</div>'
        f'<div class="period">{_e(deck.period_text)}</div>'
        f'<div class="asof">{_e(deck.data_as_of_text)} · {_e(vf.fmt_int(deck.dossiers_in_db))} hồ sơ trong cơ sở dữ liệu</div>'
        f"{warn}{plan}"
        f'</div><div class="foot"><span>Lập lúc {_e(vf.fmt_datetime(deck.generated_at))}</span>'
        f"<span>{index}/{total}</span></div></div>"
    )


def _kpi(deck: Deck, spec: SlideSpec) -> str:
    k = spec.kpi
    assert k is not None
    figures = [k.total, *k.tiers] if len(k.tiers) > 1 else [k.total]
    cards = []
    rows = []
    for tf in figures:
        colour = STATUS.get(tf.status, (SOFT, ""))[0]
        cards.append(
            f'<div class="cchc-card" style="border-left-color:{colour}">'
            f'<div><div class="lbl">{_e(tf.label)}</div><div class="st">{_status(tf.status)}</div></div>'
            f'<div class="rate">{_e(tf.figure.rate_text)}</div></div>'
        )
        c = tf.table_cells()
        rows.append(
            f"<tr><td>{_e(c[0])}</td><td class='n'><b>{_e(c[1])}</b></td><td class='n'>{_e(c[2])}</td>"
            f"<td class='s'>{_status(c[3])}</td><td class='n'>{_e(c[4])}</td><td class='n'>{_e(c[5])}</td>"
            f"<td class='n'>{_e(c[6])}</td></tr>"
        )
    table = (
        '<table class="cchc-table cchc-kpi-table"><tr><th>Cấp</th><th class="n">Tỷ lệ</th><th class="n">Chỉ tiêu</th>'
        f'<th>Đánh giá</th><th class="n">So với {_e(deck.previous_label or "kỳ trước")}</th>'
        '<th class="n">Tử số</th><th class="n">Mẫu số</th></tr>' + "".join(rows) + "</table>"
    )
    return (
        f'<div class="cchc-kpi"><div class="cchc-cards">{"".join(cards)}</div>'
        f'<div class="cchc-chart">{chart_html(k)}</div></div>{table}'
    )


def _ranking(deck: Deck, spec: SlideSpec) -> str:
    """A ranking page: every unit of it, the target line where the ranked units cross
    their target, and the units below it tinted."""
    rows = []
    for u in spec.units:
        if u is None:
            rows.append(
                f'<tr class="line"><td colspan="7">▼ {_e(spec.target_text)}: các đơn vị dưới đường này chưa đạt</td></tr>'
            )
            continue
        cls = "me" if deck.unit and u.unit_code == str(deck.unit) else "below" if u.figure.meets_target is False else ""
        cls = cls or ("hist" if u.history else "")
        name = u.unit_name + (" (ít hồ sơ)" if u.small else "")
        gap = vf.fmt_pp(u.figure.gap) if u.figure.gap is not None else vf.DASH
        rows.append(
            f"<tr class='{cls}'><td class='s'>{_e(u.rank_text)}</td><td>{_e(name)}</td>"
            f"<td class='n'>{_e(u.figure.counts_text)}</td><td class='n'><b>{_e(u.figure.rate_text)}</b></td>"
            f"<td class='n'>{_e(u.figure.target_text)}</td><td class='n'>{_e(gap)}</td>"
            f"<td class='s'>{_status(u.figure.status)}</td></tr>"
        )
    return (
        '<table class="cchc-table"><tr><th>Hạng</th><th>Đơn vị</th><th class="n">Tử số/Mẫu số</th>'
        '<th class="n">Tỷ lệ</th><th class="n">Chỉ tiêu</th><th class="n">Chênh lệch</th><th>Đánh giá</th></tr>'
        + "".join(rows)
        + "</table>"
    )


def _below(deck: Deck, spec: SlideSpec) -> str:
    if not spec.below:
        return f'<div class="cchc-empty"><div class="big">{_e(spec.message)}</div></div>'
    rows = [
        f"<tr><td>{_e(b.tier_label)}</td>"
        f"<td>{_e(b.unit_name + (' (ít hồ sơ)' if b.small else ''))}</td>"
        f"<td class='n'><b>{_e(b.figure.rate_text)}</b></td><td class='n'>{_e(b.figure.target_text)}</td>"
        f"<td class='n'>{_e(vf.fmt_pp(b.figure.gap))}</td><td>{_e(b.needed_text)}</td></tr>"
        for b in spec.below
    ]
    if spec.hidden:
        rows.append(
            f'<tr class="gap"><td colspan="6">… và {_e(vf.fmt_int(spec.hidden))} đơn vị khác: '
            "xem các trang xếp hạng, báo cáo PDF và Excel</td></tr>"
        )
    return (
        '<table class="cchc-table"><tr><th>Cấp</th><th>Đơn vị</th>'
        '<th class="n">Tỷ lệ</th><th class="n">Chỉ tiêu</th><th class="n">Chênh lệch</th><th>Để đạt chỉ tiêu</th></tr>'
        + "".join(rows)
        + "</table>"
    )


def _bieu06(spec: SlideSpec) -> str:
    """A page of Biểu 06 under the form's two-level heading."""
    groups = "".join(f'<th colspan="{span}">{_e(name)}</th>' for name, span in bieu06.GROUPS)
    subs = "".join(f"<th>{_e(name)}</th>" for name in bieu06.SUBHEADINGS)
    cols = '<col style="width:24%">' + '<col style="width:5.5%">' * len(bieu06.COUNTS)
    cols += '<col style="width:7.75%">' * len(bieu06.RATES)
    rows = []
    for row in spec.bieu06:
        cls = " ".join(c for c in (row.level if row.level != "unit" else "", "hist" if row.history else "") if c)
        rows.append(f'<tr class="{cls}">' + "".join(f"<td>{_e(c)}</td>" for c in row.cells()) + "</tr>")
    return (
        f'<table class="cchc-b06"><colgroup>{cols}</colgroup>'
        f'<tr><th rowspan="2">{_e(bieu06.UNIT_HEADING)}</th>{groups}</tr><tr>{subs}</tr>' + "".join(rows) + "</table>"
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
            for p in late.by_procedure[:6]
        )
        bars = f'<div class="cchc-bars"><h3>Thủ tục có nhiều hồ sơ trễ hạn nhất</h3>{rows}'
        if late.by_unit and not deck.unit:
            utop = max(p.dossiers for p in late.by_unit) or 1
            bars += '<h3 style="margin-top:1.6cqw">Đơn vị có nhiều hồ sơ trễ hạn nhất</h3>' + "".join(
                f'<div class="row"><div class="name">{_e(p.name)}</div>'
                f'<div style="display:flex;align-items:center;gap:.8cqw">'
                f'<div class="bar" style="width:{max(p.dossiers / utop * 70, 1):.1f}%;background:{ACCENT}"></div>'
                f'<span class="val">{_e(vf.fmt_int(p.dossiers))}</span></div></div>'
                for p in late.by_unit[:3]
            )
        bars += "</div>"
    return f'<div class="cchc-late"><div>{nums}</div>{bars}</div>'


def _table(spec: SlideSpec) -> str:
    """A look-ahead slide (late budget, official scores): the plan's cells, the note under
    them; a slide with nothing to list says why."""
    note = f'<p class="note">{_e(spec.note)}</p>' if spec.note else ""
    if spec.message:
        return f'<div class="cchc-empty"><div class="big">{_e(spec.message)}</div></div>{note}'
    width = len(spec.header)
    head = "".join(f"<th>{_e(h)}</th>" for h in spec.header)
    rows = "".join(
        f'<tr class="gap"><td colspan="{width}">{_e(r[0])}</td></tr>'
        if len(r) == 1 and width > 1
        else "<tr>" + "".join(f"<td>{_e(c)}</td>" for c in r) + "</tr>"
        for r in spec.rows
    )
    return f'<table class="cchc-table"><tr>{head}</tr>{rows}</table>{note}'


def _summary(deck: Deck) -> str:
    points = summary_points(deck)
    length = sum(len(p) for p in points)
    size = 22 if length < 650 else 20 if length < 800 else SLIDE_MIN_PT
    items = "".join(f"<li>{_e(p)}</li>" for p in points)
    return f'<ul class="cchc-points" style="font-size:{cqw(size)}">{items}</ul>'


def _empty(deck: Deck) -> str:
    lines = "".join(f"<p>{_e(s)}</p>" for s in deck.summary)
    return f'<div class="cchc-empty"><div class="big">Không có hồ sơ trong kỳ</div>{lines}</div>'


def slide_html(deck: Deck, spec: SlideSpec, index: int, total: int) -> str:
    """One slide's markup (its styles are `CSS`, shared by all slides)."""
    if spec.kind == "title":
        return _title(deck, index, total)
    body = {
        "kpi": lambda: _kpi(deck, spec),
        "ranking": lambda: _ranking(deck, spec),
        "below": lambda: _below(deck, spec),
        "late": lambda: _late(deck),
        "bieu06": lambda: _bieu06(spec),
        "budget": lambda: _table(spec),
        "scores": lambda: _table(spec),
        "summary": lambda: _summary(deck),
        "empty": lambda: _empty(deck),
    }[spec.kind]()
    return _frame(deck, spec, body, index, total)


def write_html(deck: Deck) -> tuple[HtmlSlide, ...]:
    """Every slide of the deck, numbered, as markup under the shared `CSS`."""
    plan = slide_plan(deck)
    return tuple(
        HtmlSlide(spec.title, slide_html(deck, spec, index, len(plan))) for index, spec in enumerate(plan, start=1)
    )
