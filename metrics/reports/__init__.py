"""Reform-conference outputs: the deck (PowerPoint), the report (PDF), the workbook
(Excel) and the presentation page's slides (HTML), all rendered from one Deck built once
from the engine, so they can never disagree with each other or with
`python -m metrics kpis`.

The layers, each importing only the ones above it:
  config           whose deck: data/report.toml (province, issuing body, meeting, target plan)
  figures, bieu06, model   what a deck is: its sections and their numbers (plain data)
  summary, warning the written summary and the title slide's word on old or partial data
  cells, trend, build      the deck from the engine's frames (`build_deck`)
  plan             the slide sequence shared by the PowerPoint and the HTML slides
  *_writer         one writer per output: pptx (+ pptx_lists), pdf (+ pdf_bieu06), xlsx,
                   html (+ html_style, svg_chart); style holds the shared colours and type sizes
"""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path
from typing import Any

from metrics.reports.build import DEFAULT_ON_TIME, build_deck
from metrics.reports.config import ReportConfig
from metrics.reports.model import Deck
from metrics.scope import Scope

FORMATS = ("pptx", "pdf", "xlsx")
MEDIA_TYPES = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def render(deck: Deck, fmt: str, out: str | os.PathLike[str] | io.BytesIO) -> None:
    """Write an already built Deck in one format."""
    if fmt == "pptx":
        from metrics.reports.pptx_writer import write_pptx

        write_pptx(deck, out if isinstance(out, io.BytesIO) else Path(out))
    elif fmt == "pdf":
        from metrics.reports.pdf_writer import write_pdf

        write_pdf(deck, out if isinstance(out, io.BytesIO) else Path(out))
    elif fmt == "xlsx":
        from metrics.reports.xlsx_writer import write_xlsx

        write_xlsx(deck, out if isinstance(out, io.BytesIO) else Path(out))
    else:
        raise ValueError(f"unknown report format {fmt!r}; use one of {FORMATS}")


def render_bytes(deck: Deck, fmt: str) -> bytes:
    buf = io.BytesIO()
    render(deck, fmt, buf)
    return buf.getvalue()


def file_name(deck: Deck, fmt: str) -> str:
    """'bao-cao-cchc_2024-07-01_2024-09-30.pptx' (ASCII: it travels in URLs and e-mails)."""
    scope = f"_{deck.unit}" if deck.unit else (f"_{deck.tier}" if deck.tier else "")
    return f"bao-cao-cchc{scope}_{deck.date_from.isoformat()}_{deck.date_to.isoformat()}.{fmt}"


def write_report(
    con: Any,
    date_from: dt.date,
    date_to: dt.date,
    fmt: str,
    out_path: str | os.PathLike[str] | io.BytesIO,
    tier: str | None = None,
    unit: str | None = None,
    on_time_definition: str = DEFAULT_ON_TIME,
    settings: ReportConfig | None = None,
    scope: Scope | None = None,
) -> Deck:
    """Build the deck from the engine and write it as pptx, pdf or xlsx. Returns the Deck.
    `settings`: whose deck (default: data/report.toml); `scope`: the reader's units."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; use one of {FORMATS}")
    deck = build_deck(
        con,
        date_from,
        date_to,
        tier=tier,
        unit=unit,
        on_time_definition=on_time_definition,
        include_late_rows=(fmt == "xlsx"),
        settings=settings,
        scope=scope,
    )
    render(deck, fmt, out_path)
    return deck


__all__ = ["FORMATS", "MEDIA_TYPES", "Deck", "build_deck", "file_name", "render", "render_bytes", "write_report"]
