"""Presentation mode ("Trình chiếu"): the conference deck as full-screen slides for the
back of a hall, with the PPTX/PDF/XLSX downloads of the same deck.

The slides are HTML made by `metrics.reports.html_writer` from the same Deck the files are
written from, so what is projected equals the file handed out; this module only shows
one of them, with the controls. Navigation: buttons and the keyboard (← →, PageUp/PageDown
from a presenter clicker); an optional auto-advance for a lobby screen runs as a fragment,
so a tick redraws the slide only. The slide number, full-screen and auto-advance travel in
the URL (`?slide=3&full=1&auto=1&every=15`), so a lobby screen can be set up from a link.
"""

from __future__ import annotations

import datetime as dt
import html
import time
from typing import Any

import streamlit as st

from metrics.reports import MEDIA_TYPES, Deck, build_deck, file_name, render_bytes
from metrics.reports.config import ReportConfig, ReportConfigError
from metrics.reports.config import load as load_settings
from metrics.reports.html_style import CSS as SLIDE_CSS
from metrics.reports.html_writer import HtmlSlide, write_html
from ui import data, markup, urlstate
from ui.i18n import t

SLIDE_KEY = "slide"
FULL_KEY = "full"
AUTO_KEY = "auto"
EVERY_KEY = "every"
CHANGED_KEY = "_slide_changed_at"
INTERVALS = (10, 15, 20, 30, 60, 120)


# ----------------------------------------------------------------------------- data

# The data version is a visible argument: st.cache_data does not hash parameters whose
# name starts with "_", and a deck cached without it kept showing the data from before
# an import.


# data/report.toml is read on every run (a few hundred bytes) and is part of the key, so
# an edit of whose deck it is shows on the next rerun, like a data import.


@st.cache_data(show_spinner=False, max_entries=32)
def _deck(
    version: str,
    date_from: dt.date,
    date_to: dt.date,
    tier: str | None,
    unit: str | None,
    on_time: str,
    settings: ReportConfig,
) -> Deck:
    # the reader's scope is part of `version` (ui.data), so the cache never mixes readers
    return build_deck(
        data.con(),
        date_from,
        date_to,
        tier=tier,
        unit=unit,
        on_time_definition=on_time,
        settings=settings,
        scope=data.scope(),
    )


@st.cache_data(show_spinner=False, max_entries=32)
def _slides(
    version: str,
    date_from: dt.date,
    date_to: dt.date,
    tier: str | None,
    unit: str | None,
    on_time: str,
    settings: ReportConfig,
) -> tuple[HtmlSlide, ...]:
    return write_html(_deck(version, date_from, date_to, tier, unit, on_time, settings))


def _key(f: Any) -> tuple[str, dt.date, dt.date, str | None, str | None, str, ReportConfig]:
    return (data.version(), f.date_from, f.date_to, f.tier, f.unit, f.on_time_def, load_settings())


def deck_for(f: Any) -> Deck:
    """The deck of the sidebar's filters, cached on the data version. A data/report.toml
    that cannot be read stops the page with its Vietnamese message (nothing half-drawn)."""
    try:
        return _deck(*_key(f))
    except ReportConfigError as exc:
        st.error(str(exc))
        st.stop()
        raise  # st.stop() never returns; this keeps the type checker honest


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
                settings=load_settings(),
                scope=data.scope(),
            )
            return render_bytes(full, fmt)
        return render_bytes(deck_for(f), fmt)

    return make


# ----------------------------------------------------------------------------- page

FULL_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], .st-key-freshness, .st-key-slide_controls { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container { padding: .4rem 1rem 0 1rem !important; max-width: 100% !important; }
.st-key-slide_stage .cchc-slide { width: min(100%, calc((100vh - 9rem) * 16 / 9)); margin: 0 auto; }
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
    slides = _slides(*_key(f))
    total = len(slides)
    urlstate.seed(SLIDE_KEY, 1, int, lambda v: 1 <= v <= total)
    if not 1 <= int(st.session_state.get(SLIDE_KEY, 1)) <= total:
        st.session_state[SLIDE_KEY] = 1
    full = urlstate.seed(FULL_KEY, False, _flag)
    auto = urlstate.seed(AUTO_KEY, False, _flag)
    every = urlstate.seed(EVERY_KEY, 15, int, INTERVALS)

    if not full:
        st.title(t("slides_title"))
    # the page's styles (the slides' own among them, sent once, outside the fragment) as one element
    st.html(HIDE_KEYS_CSS + (FULL_CSS if full else PREVIEW_CSS) + SLIDE_CSS)
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
        index = int(st.session_state.get(SLIDE_KEY, 1))
        _follow_in_url(index)
        if not full:  # in the fragment: each link carries the slide shown
            with st.container(key="slide_controls"):
                st.html(controls(auto, every))
        with st.container(key="slide_stage"):
            st.html(slides[index - 1].body)  # the stylesheet was sent once, outside the fragment
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
        with mid:  # st.html: Markdown with HTML would make the browser fetch rehype-raw (issue 14)
            st.html(
                f"<div class='cchc-pos' style='text-align:center'>{t('slides_position', i=index, n=total)}"
                f" · {html.escape(slides[index - 1].title)}</div>"
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
    if full:
        # Outside the fragment: drawn once, not on every step (the full-screen button's
        # script would otherwise be rebuilt on each slide).
        _, exit_col, fs_col = st.columns([3, 1, 1], vertical_alignment="center")
        exit_col.button(t("slides_exit"), key="slide_exit_full", on_click=_leave_full, width="stretch")
        with fs_col:
            st.html(FULLSCREEN_BUTTON, unsafe_allow_javascript=True)
    else:
        downloads(deck, f)


def controls(auto: bool, every: int) -> str:
    """Full screen, auto-advance and its interval as links through the URL, where each
    already lived (`?full=1&auto=1&every=15`), and the keys in small print: one st.html
    block where two toggles, a selectbox and a caption each fetched their code and were
    an element (issue 14). A click opens the same slide with that choice changed."""

    def to(**changed: str | None) -> str:
        return markup.href("", urlstate.link(**changed))

    row = markup.switch(t("slides_full"), False, to(full="1"), t("slides_full_help")) + markup.switch(
        t("slides_auto"), auto, to(auto=None if auto else "1", every=None), t("slides_auto_help")
    )
    if auto:  # of use only then
        options = [(str(s), str(s), to(every=str(s))) for s in INTERVALS]
        row += f'<div style="font-size:0.875rem;margin-top:0.25rem">{markup.text(t("slides_every"))}</div>'
        row += markup.choice(t("slides_every"), options, str(every))
    return f'<div class="cchc-controls">{row}</div>' + markup.caption(t("slides_keys"))


def _follow_in_url(index: int) -> None:
    """The URL names the slide shown, also when only the slide's fragment reran (a fragment
    run never reaches the page's end, where the URL is otherwise written), so a link copied
    mid-talk reopens this slide."""
    urlstate.publish(SLIDE_KEY, str(index))
    if st.query_params.get(SLIDE_KEY) != str(index):
        st.query_params[SLIDE_KEY] = str(index)


def _leave_full() -> None:
    st.session_state[FULL_KEY] = False


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


DOWNLOADS_OPEN = "slides_downloads_open"


def downloads(deck: Deck, f: Any) -> None:
    """The same deck as files: one click each, built when clicked. The buttons are drawn
    once the reader opens their expander (then for the session), as the late list's are:
    a download button's code was fetched on every load of the deck (issue 14)."""
    box = st.expander(t("slides_downloads_open"), icon=":material/download:", key=DOWNLOADS_OPEN, on_change="rerun")
    if not box.open:
        return
    with box:
        _download_buttons(deck, f)


def _download_buttons(deck: Deck, f: Any) -> None:
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
