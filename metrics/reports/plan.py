"""The slide sequence, shared by the PowerPoint writer and the presentation page's HTML
writer, so what is projected equals the file handed out: which slides, in which order,
with which title, rows and speaker notes. Layout is the writers' business."""

from __future__ import annotations

from dataclasses import dataclass

from metrics import registry, views
from metrics import vi_format as vf
from metrics.reports.figures import BelowTarget, UnitRow
from metrics.reports.model import NO_DOSSIERS, ON_TIME, Deck, KpiSection, Ranking
from metrics.reports.summary import paragraph_for, summary_text

# Metrics whose unit ranking gets a slide of its own (satisfaction is in the tables).
RANKED_ON_SLIDES = (ON_TIME, "online_rate")
MAX_TABLE_ROWS = 12


@dataclass(frozen=True)
class SlideSpec:
    kind: str  # title | empty | kpi | ranking | below | late | summary
    title: str
    subtitle: str = ""
    kpi: KpiSection | None = None
    ranking: Ranking | None = None
    units: tuple[UnitRow | None, ...] = ()  # None marks the "… N units more" gap
    below: tuple[BelowTarget, ...] = ()
    hidden: int = 0
    notes: str = ""


def ranking_excerpt(
    rows: tuple[UnitRow, ...], max_rows: int = MAX_TABLE_ROWS
) -> tuple[tuple[UnitRow | None, ...], int]:
    """All rows when they fit; else the best and the worst halves with a gap marker."""
    if len(rows) <= max_rows:
        return rows, 0
    head = (max_rows - 1) // 2
    tail = max_rows - 1 - head
    return (*rows[:head], None, *rows[-tail:]), len(rows) - head - tail


def slide_plan(deck: Deck, max_rows: int = MAX_TABLE_ROWS) -> list[SlideSpec]:
    full = summary_text(deck)
    slides = [SlideSpec("title", deck.title, deck.scope_label, notes=full)]
    if deck.empty:
        slides.append(
            SlideSpec(
                "empty",
                NO_DOSSIERS,
                f"{deck.scope_label} · {deck.period_text}",
                notes=full,
            )
        )
        return slides
    for k in deck.kpis:
        if not k.has_data:
            continue
        slides.append(
            SlideSpec(
                "kpi",
                k.title,
                f"{deck.period_label} · {k.definition_note}",
                kpi=k,
                notes=paragraph_for(deck, k.metric) or "",
            )
        )
    for metric in RANKED_ON_SLIDES:
        for r in (r for r in deck.rankings if r.metric == metric):
            if len(r.rows) < 2:
                continue
            units, hidden = ranking_excerpt(r.rows, max_rows)
            sub = f"{r.tier_label} · {deck.period_label}"
            if hidden:
                sub += f" · {len(r.rows)} đơn vị, hiển thị nhóm đầu và nhóm cuối"
            if any(u.small for u in r.rows):
                sub += f" · “—”: dưới {views.MIN_DOSSIERS_TO_RANK} hồ sơ, không xếp hạng"
            slides.append(
                SlideSpec(
                    "ranking", f"Xếp hạng đơn vị: {_lower(r.metric_title)}", sub, ranking=r, units=units, hidden=hidden
                )
            )
    # Units below target: one slide per metric, the largest shortfalls first (units with
    # too few dossiers to rank after them); the full list is in the PDF and the workbook.
    any_below = False
    for k in deck.kpis:
        rows = tuple(b for b in deck.below_target if b.metric == k.metric)
        if not rows:
            continue
        any_below = True
        by_tier = ", ".join(
            f"{_lower(registry.tier_label(t))} {sum(1 for b in rows if b.tier == t)}"
            for t in registry.TIER_CODES
            if any(b.tier == t for b in rows)
        )
        shown = rows if len(rows) <= max_rows else rows[: max_rows - 1]
        slides.append(
            SlideSpec(
                "below",
                f"Đơn vị chưa đạt: {_lower(k.title)}",
                f"{vf.fmt_int(len(rows))} đơn vị ({by_tier}) · thiếu hụt lớn nhất trước · {deck.period_label}",
                below=shown,
                hidden=len(rows) - len(shown),
            )
        )
    if not any_below:
        slides.append(
            SlideSpec("below", "Đơn vị chưa đạt chỉ tiêu", f"Mọi đơn vị đều đạt chỉ tiêu · {deck.period_label}")
        )
    slides.append(SlideSpec("late", "Hồ sơ trễ hạn và thủ tục có nhiều hồ sơ trễ", deck.period_label))
    slides.append(SlideSpec("summary", "Tóm tắt kết quả", deck.period_text, notes=full))
    return slides


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text
