"""The written summary of a period, in the words a provincial reform report uses:

"Quý III/2024, tỷ lệ hồ sơ giải quyết đúng hạn đạt 96,81%, giảm 0,42 điểm phần trăm so
với quý II; 3/15 sở, ngành chưa đạt chỉ tiêu 97%: …"

Every clause is read off the deck (`metrics.reports.model`: counts, ranks, targets, units
below target), and nothing else: this module never asks the engine. A clause whose figure
is missing is left out rather than guessed, so the text never says more than the data does.
"""

from __future__ import annotations

from metrics import registry
from metrics import vi_format as vf
from metrics.reports.figures import Figure, fmt_target, wording
from metrics.reports.model import NO_DOSSIERS, ON_TIME, Deck, KpiSection, Ranking

# How many units below target are named in one sentence before "và N đơn vị khác".
MAX_NAMED_UNITS = 3


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _pp(delta: float) -> str:
    return f"{vf.fmt_number(abs(delta) * 100, 2)} điểm phần trăm"


def _change_clause(current: float | None, previous: float | None, previous_label: str | None) -> str | None:
    if current is None or previous is None or not previous_label:
        return None
    delta = current - previous
    if round(abs(delta) * 100, 2) == 0:
        return f"không đổi so với {previous_label}"
    verb = "tăng" if delta > 0 else "giảm"
    return f"{verb} {_pp(delta)} so với {previous_label}"


def _target_clause(figure: Figure) -> str | None:
    if figure.rate is None or figure.target is None or figure.meets_target is None:
        return None
    if figure.meets_target:
        return f"đạt chỉ tiêu {fmt_target(figure.target)}"
    return f"thấp hơn chỉ tiêu {fmt_target(figure.target)}"


def _scope_phrase(deck: Deck) -> str:
    if deck.unit:
        return f" của {deck.scope_label}"
    if deck.tier:
        return f" {vf.lower_first(deck.scope_label)}"
    return ""


def _units_clause(ranking: Ranking) -> str | None:
    """'3/15 sở, ngành chưa đạt chỉ tiêu 97%: A (95,10%), B (…)' or '15/15 … đạt chỉ tiêu'."""
    with_rate = [r for r in ranking.rows if r.figure.rate is not None and r.figure.meets_target is not None]
    if not with_rate:
        return None
    noun = _unit_noun(ranking.tier)
    # Units ranked fairly first, worst first; units with very few dossiers after them, marked.
    below = sorted(
        (r for r in with_rate if r.figure.meets_target is False), key=lambda r: (r.small, r.figure.gap or 0.0)
    )
    targets = {r.figure.target for r in with_rate}
    target_text = f" {fmt_target(targets.pop())}" if len(targets) == 1 else ""
    if not below:
        return f"{len(with_rate)}/{len(with_rate)} {noun} đạt chỉ tiêu{target_text}"
    named = ", ".join(
        f"{r.unit_name} ({r.figure.rate_text}"
        + (f", chỉ {vf.fmt_int(r.figure.denominator)} hồ sơ)" if r.small else ")")
        for r in below[:MAX_NAMED_UNITS]
    )
    rest = len(below) - MAX_NAMED_UNITS
    if rest > 0:
        named += f" và {rest} đơn vị khác"
    return f"{len(below)}/{len(with_rate)} {noun} chưa đạt chỉ tiêu{target_text}: {named}"


def _unit_noun(tier: str) -> str:
    """How a tier's units are counted in sentences ("3/15 sở, ngành")."""
    return registry.tier(tier).unit_noun_vi if tier in registry.TIER_CODES else "đơn vị"


def _extremes_clause(ranking: Ranking) -> str | None:
    ranked = [r for r in ranking.rows if r.rank is not None]
    if len(ranked) < 3:
        return None
    best = min(ranked, key=lambda r: (r.rank, -(r.figure.rate or 0.0)))
    worst = max(ranked, key=lambda r: (r.rank, -(r.figure.rate or 0.0)))
    if best.figure.rate == worst.figure.rate:
        return None
    return (
        f"cao nhất là {best.unit_name} ({best.figure.rate_text}), "
        f"thấp nhất là {worst.unit_name} ({worst.figure.rate_text})"
    )


def _unit_rank_clause(deck: Deck, ranking: Ranking) -> str | None:
    row = next((r for r in ranking.rows if r.unit_code == str(deck.unit)), None)
    if row is None or row.rank is None:
        return None
    noun = _unit_noun(ranking.tier)
    return f"xếp thứ {row.rank}/{ranking.ranked} {noun}"


def _metric_sentence(deck: Deck, kpi: KpiSection, lead: str) -> str | None:
    total = kpi.total.figure
    if total.rate is None:
        return None
    title = vf.lower_first(kpi.title)
    clauses = [
        f"{lead}{title}{_scope_phrase(deck)} đạt {total.rate_text} ({total.counts_text} {wording(kpi.metric).count_noun_vi})"
    ]
    if wording(kpi.metric).coverage_denominator and total.coverage is not None and total.coverage_denominator:
        clauses[0] += (
            f", trên {vf.fmt_int(total.coverage_numerator)}/{vf.fmt_int(total.coverage_denominator)} hồ sơ"
            f" đã giải quyết có đánh giá ({vf.fmt_pct(total.coverage)})"
        )
    change = _change_clause(total.rate, kpi.total.previous.rate if kpi.total.previous else None, deck.previous_label)
    first = clauses[0] + (f", {change}" if change else "")
    target = _target_clause(total)
    if target:
        first += f", {target}"
    parts = [first]
    tiers = [t for t in kpi.tiers if t.figure.rate is not None and t.tier is not None]
    if len(tiers) > 1 or (tiers and total.target is None and not deck.tier and not deck.unit):
        for t in tiers:
            clause = f"{vf.lower_first(t.label)} đạt {t.figure.rate_text}"
            tc = _target_clause(t.figure)
            if tc:
                clause += f", {tc}"
            parts.append(clause)
    for ranking in (r for r in deck.rankings if r.metric == kpi.metric):
        if deck.unit:
            uc = _unit_rank_clause(deck, ranking)
            if uc:
                parts.append(f"{deck.scope_label} {uc}")
            continue
        uc = _units_clause(ranking)
        if uc:
            parts.append(uc)
        if kpi.metric == ON_TIME:
            ex = _extremes_clause(ranking)
            if ex:
                parts.append(f"trong {vf.lower_first(ranking.tier_label)}, {ex}")
    return "; ".join(parts) + "."


def _late_sentence(deck: Deck) -> str:
    late = deck.late
    if late.total == 0:
        return "Không có hồ sơ trễ hạn trong kỳ."
    bits = []
    if late.resolved_late:
        bits.append(f"{vf.fmt_int(late.resolved_late)} hồ sơ giải quyết trễ hạn")
    if late.open_overdue:
        bits.append(f"{vf.fmt_int(late.open_overdue)} hồ sơ quá hạn đang xử lý")
    text = "Trong kỳ có " + " và ".join(bits)
    if late.by_procedure:
        top = late.by_procedure[0]
        share = f", {vf.fmt_pct(top.share)}" if top.share is not None else ""
        text += f"; nhiều nhất ở thủ tục “{top.name}” ({vf.fmt_int(top.dossiers)} hồ sơ{share})"
    if late.by_unit and not deck.unit:
        top = late.by_unit[0]
        text += f"; đơn vị có nhiều hồ sơ trễ hạn nhất là {top.name} ({vf.fmt_int(top.dossiers)} hồ sơ)"
    return text + "."


def summary_sentences(deck: Deck) -> list[str]:
    """The summary as paragraphs: one per metric with data, then the late dossiers."""
    if deck.empty:
        scope = f" ({deck.scope_label})"
        text = [f"{deck.period_label}{scope}: {vf.lower_first(NO_DOSSIERS)}."]
        if deck.data_as_of is None:
            text.append("Cơ sở dữ liệu chưa có hồ sơ nào.")
        elif deck.data_as_of < deck.date_from:
            text.append(f"Dữ liệu hiện có chỉ đến ngày {vf.fmt_date(deck.data_as_of)}, trước kỳ báo cáo.")
        else:
            text.append(f"{deck.data_as_of_text}.")
        return text
    out: list[str] = []
    for i, kpi in enumerate(deck.kpis):
        lead = f"{deck.period_label}, " if i == 0 else ""
        sentence = _metric_sentence(deck, kpi, lead)
        if sentence:
            out.append(_upper_first(sentence))
    out.append(_late_sentence(deck))
    return out + _budget_sentences(deck)


def _budget_sentences(deck: Deck) -> list[str]:
    """The late budget's sentences (issue 13): the unit closest to its limit and the units
    that can no longer reach the target; none when no unit has a budget with data behind it."""
    return deck.budget.sentences() if deck.budget is not None else []


def summary_text(deck: Deck) -> str:
    return "\n".join(summary_sentences(deck))


def paragraph_for(deck: Deck, metric: str) -> str | None:
    """The summary's paragraph about one metric (the speaker notes of its slide)."""
    kpi = deck.kpi(metric)
    if kpi is None:
        return None
    sentence = _metric_sentence(deck, kpi, f"{deck.period_label}, ")
    return _upper_first(sentence) if sentence else None


def summary_points(deck: Deck) -> list[str]:
    """The summary in a few short lines for a slide read from the back of a hall: per metric
    the rate, its change and its target, and how many units are below target; then the
    late dossiers. (The full text, with the units by name, is in the speaker notes.)"""
    if deck.empty:
        return summary_sentences(deck) if deck.summary == () else list(deck.summary) or [NO_DOSSIERS]
    points = []
    for kpi in deck.kpis:
        total = kpi.total.figure
        if total.rate is None:
            continue
        text = f"{kpi.title}{_scope_phrase(deck)}: {total.rate_text}"
        change = _change_clause(
            total.rate, kpi.total.previous.rate if kpi.total.previous else None, deck.previous_label
        )
        if change:
            text += f", {change}"
        target = _target_clause(total)
        if target:
            text += f", {target}"
        if not deck.unit:
            below = sum(len(r.below) for r in deck.rankings if r.metric == kpi.metric)
            rated = sum(
                1 for r in deck.rankings if r.metric == kpi.metric for u in r.rows if u.figure.meets_target is not None
            )
            if rated:
                text += (
                    f"; {below}/{rated} đơn vị chưa đạt chỉ tiêu" if below else f"; {rated}/{rated} đơn vị đạt chỉ tiêu"
                )
        points.append(text + ".")
    points.append(_late_sentence(deck))
    return points + _budget_sentences(deck)
