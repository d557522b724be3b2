"""The slide sequence, shared by the PowerPoint writer and the presentation page's HTML
writer, so what is projected equals the file handed out: which slides, in which order,
with which title, rows and speaker notes. Layout is the writers' business."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from metrics import registry, views
from metrics import vi_format as vf
from metrics.reports import ahead_plan, bieu06
from metrics.reports.bieu06 import Bieu06Row
from metrics.reports.figures import BelowTarget, UnitRow, fmt_target
from metrics.reports.model import NO_DOSSIERS, ON_TIME, Deck, KpiSection, Ranking
from metrics.reports.summary import paragraph_for, summary_text

# Metrics whose unit ranking gets slides of its own (satisfaction is in the tables).
RANKED_ON_SLIDES = (ON_TIME, "online_rate")
# What fits on a projected slide at 18 pt: ranking rows (the target line is one of
# them), units below target, rows of Biểu 06 under its two-level heading.
RANKING_ROWS = 11
BELOW_ROWS = 9
BIEU06_ROWS = 6
NOBODY_BELOW = "Mọi đơn vị đều đạt chỉ tiêu"
# All units history (a tier gone over the period) or without a target: no verdict at all.
NOBODY_RATED = "Không có đơn vị nào được đánh giá theo chỉ tiêu trong kỳ"


@dataclass(frozen=True)
class SlideSpec:
    kind: str  # title | empty | kpi | ranking | below | late | budget | scores | bieu06 | summary
    title: str
    subtitle: str = ""
    kpi: KpiSection | None = None
    ranking: Ranking | None = None
    units: tuple[UnitRow | None, ...] = ()  # a ranking page; None marks the target line
    target_text: str = ""  # the target line's words: "Chỉ tiêu 97%"
    below: tuple[BelowTarget, ...] = ()
    hidden: int = 0
    bieu06: tuple[Bieu06Row, ...] = ()
    message: str = ""  # a slide with nothing to list says why, in one line
    notes: str = ""
    # A table slide (budget, scores): its words are all made in the plan, so every
    # writer lays out the same cells. `widths` are relative; `note` goes under the table.
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    widths: tuple[float, ...] = ()
    note: str = ""


def ranking_items(rows: tuple[UnitRow, ...]) -> list[UnitRow | None]:
    """Every unit in ranking order with the target line (None) where the ranked units
    cross their target: above it those that meet it, below it those that do not. Units
    with too few dossiers and history units follow, outside the ranking."""
    ranked = [r for r in rows if r.rank is not None]
    items: list[UnitRow | None] = list(ranked)
    if any(r.figure.target is not None for r in ranked):
        cut = next((i for i, r in enumerate(ranked) if r.figure.meets_target is False), len(ranked))
        items.insert(cut, None)
    return items + [r for r in rows if r.rank is None]


def pages(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def _target_text(rows: tuple[UnitRow, ...]) -> str:
    targets = {r.figure.target for r in rows if r.rank is not None and r.figure.target is not None}
    return f"Chỉ tiêu {fmt_target(targets.pop())}" if len(targets) == 1 else "Chỉ tiêu"


def slide_plan(deck: Deck) -> list[SlideSpec]:
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
            chunks = pages(ranking_items(r.rows), RANKING_ROWS)
            for n, chunk in enumerate(chunks, start=1):
                sub = f"{r.tier_label} · {deck.period_label} · {vf.fmt_int(len(r.rows))} đơn vị"
                if len(chunks) > 1:
                    sub += f" · trang {n}/{len(chunks)}"
                slides.append(
                    SlideSpec(
                        "ranking",
                        f"Xếp hạng đơn vị: {_lower(r.metric_title)}",
                        sub,
                        ranking=r,
                        units=tuple(chunk),
                        target_text=_target_text(r.rows),
                        notes=_ranking_note(r),
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
        shown = rows if len(rows) <= BELOW_ROWS else rows[: BELOW_ROWS - 1]
        slides.append(
            SlideSpec(
                "below",
                f"Đơn vị chưa đạt: {_lower(k.title)}",
                f"{vf.fmt_int(len(rows))} đơn vị ({by_tier}) · thiếu hụt lớn nhất trước · {deck.period_label}",
                below=shown,
                hidden=len(rows) - len(shown),
            )
        )
    rated = any(u.figure.meets_target is not None for r in deck.rankings for u in r.rows)
    if not any_below:
        verdict = NOBODY_BELOW if rated else NOBODY_RATED
        slides.append(SlideSpec("below", "Đơn vị chưa đạt chỉ tiêu", deck.period_label, message=verdict))
    slides.append(SlideSpec("late", "Hồ sơ trễ hạn và thủ tục có nhiều hồ sơ trễ", deck.period_label))
    slides += [SlideSpec(**spec) for spec in ahead_plan.slides(deck)]
    chunks = pages(list(deck.bieu06), BIEU06_ROWS)
    for n, chunk in enumerate(chunks if deck.bieu06 else [], start=1):
        page = f" · trang {n}/{len(chunks)}" if len(chunks) > 1 else ""
        slides.append(
            SlideSpec(
                "bieu06",
                bieu06.SLIDE_TITLE,
                f"{deck.period_text}{page}",
                bieu06=tuple(chunk),
                notes=f"{bieu06.TITLE}. {bieu06.LEGAL_NOTE}",
            )
        )
    slides.append(SlideSpec("summary", "Tóm tắt kết quả", deck.period_text, notes=full))
    return slides


def _ranking_note(r: Ranking) -> str:
    return (
        f"Xếp hạng theo tỷ lệ trong {_lower(r.tier_label)}; đơn vị dưới đường chỉ tiêu chưa đạt. "
        f"Đơn vị có dưới {vf.fmt_int(views.MIN_DOSSIERS_TO_RANK)} hồ sơ được liệt kê nhưng không xếp hạng; "
        "đơn vị không còn hoạt động trong cả kỳ ghi “Lịch sử”, không xếp hạng."
    )


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text
