"""Small pieces of our own HTML for blocks drawn through st.html (issue 14): a link in the
look of st.page_link, a row of links in the look of st.segmented_control (url_choice: one
for a value bound to the URL), a status badge in the look of st.badge.

Why: each Streamlit element type fetches its own JavaScript the first time it is drawn
(a button, a page link, a segmented control, Markdown with HTML in it: rehype-raw and
parse5), and each element is a container the browser lays out. A page drawn as a few
st.html blocks loads about what an empty page loads. A link opens its view through the
URL, which every filter and choice is bound to (ui.urlstate), so the view it opens is
the one the widget would have shown.

Every text here is escaped (ui.heatgrid.text): a name from data is text, never markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from urllib.parse import quote, urlencode

import streamlit as st

from ui import urlstate
from ui.heatgrid import text

LINK = "color:#1c6ec2;text-decoration:none"
# st.caption's look; opacity keeps it right in a dark theme
CAPTION = "font-size:0.875rem;opacity:0.7;margin-bottom:0.5rem;line-height:1.5"


def href(path: str, params: dict[str, str], anchor: str = "") -> str:
    """A relative address: every page sits at the server's root, so 'late?…' and '?…'
    work from any page."""
    query = urlencode(params)
    return f"{path}{'?' + query if query else ('' if path else '?')}{'#' + anchor if anchor else ''}"


def link(address: str, label: str, arrow: str = "", css_class: str = "") -> str:
    """A link with st.page_link's place in a block: its own line, the label as text."""
    cls = f' class="{css_class}"' if css_class else ""
    lead = f"{text(arrow)} " if arrow else ""
    return f'<div{cls} style="margin:0.25rem 0"><a href="{text(address)}" style="{LINK}">{lead}{text(label)}</a></div>'


def caption(value: str, css_class: str = "") -> str:
    cls = f' class="{css_class}"' if css_class else ""
    return f'<div{cls} style="{CAPTION}">{text(value)}</div>'


_CHOICE = (
    "display:inline-block;padding:0.25rem 0.75rem;margin:0 0.25rem 0.25rem 0;border-radius:0.5rem;"
    "border:1px solid rgba(128,128,128,0.35);text-decoration:none;color:inherit;font-size:0.875rem"
)
_CHOSEN = _CHOICE + ";background:rgba(28,110,194,0.12);border-color:#1c6ec2;color:#1c6ec2;font-weight:600"


def choice(label: str, options: list[tuple[str, str, str]], chosen: str) -> str:
    """A row of links, one per (value, label, address), the chosen one marked (and named
    as such for a screen reader): a segmented control whose options are links. An option
    without an address is written as text (a gap in a row of page numbers)."""
    items = "".join(
        (
            f'<a href="{text(address)}" style="{_CHOSEN if value == chosen else _CHOICE}"'
            + (' aria-current="true"' if value == chosen else "")
            + f">{text(name)}</a>"
        )
        if address
        else f'<span style="{_CHOICE};border-color:transparent">{text(name)}</span>'  # not a choice: a gap
        for value, name, address in options
    )
    return f'<nav aria-label="{text(label)}" class="cchc-choice" style="margin:0.25rem 0 0.5rem">{items}</nav>'


def url_choice(
    label: str, key: str, options: Sequence[tuple[str, str]], default: str | None = None, **also: str | None
) -> str:
    """`choice` for a value bound to the URL (ui.urlstate): one link per (value, name),
    each opening this view with `key` set to that value (`default` is left out of the
    address) and `also` set too (page=None: back to the first page); the one marked is
    the session's."""
    return choice(
        label,
        [(v, name, href("", urlstate.link(**{key: None if v == default else v}, **also))) for v, name in options],
        st.session_state[key],
    )


# st.badge's colours (text, background), by the colour name a status has in ui.cards
BADGE = {
    "green": ("rgb(21, 130, 55)", "rgba(33, 195, 84, 0.1)"),
    "orange": ("rgb(164, 88, 0)", "rgba(255, 164, 33, 0.1)"),
    "red": ("rgb(200, 30, 30)", "rgba(255, 43, 43, 0.09)"),
    "gray": ("rgb(85, 88, 103)", "rgba(128, 128, 128, 0.12)"),
}


def badge(symbol: str, word: str, colour: str) -> str:
    """A status as icon + word + colour (never colour alone)."""
    ink, fill = BADGE.get(colour, BADGE["gray"])
    shown = f"{symbol} {word}".strip()
    return (
        f'<span class="cchc-badge" style="color:{ink};background:{fill};border-radius:0.5rem;'
        f'padding:0.1rem 0.5rem;font-size:0.875rem;font-weight:500">{text(shown)}</span>'
    )


Spot = tuple[float, float, str]  # x, y in the SVG's own units, and what a hover there says


def picture(svg: str, size: tuple[float, float], spots: list[Spot], alt: str, height: str = "auto") -> str:
    """Our SVG as an image, with a hover spot over each point. st.html's sanitiser keeps
    HTML only (an inline <svg> is dropped), but lets an <img> show a data: address; each
    spot is a small box placed in percent of the image, whose title is the point's month,
    rate and counts, so the hover that the SVG's <title>s gave is kept. Only numbers and
    escaped text go into either."""
    width, tall = size
    src = svg_address(svg, size)
    dots = "".join(
        f'<span title="{text(tip)}" style="{_SPOT}left:{100 * x / width:.2f}%;top:{100 * y / tall:.2f}%"></span>'
        for x, y, tip in spots
    )
    return (
        f'<div style="position:relative"><img src="{html.escape(src)}" alt="{text(alt)}" '
        f'style="display:block;width:100%;height:{height}">{dots}</div>'
    )


def svg_address(svg: str, size: tuple[float, float]) -> str:
    """Our SVG as a data: address an <img> shows (its size fixed, as an image needs)."""
    width, tall = size
    head, rest = svg.split(">", 1)
    head = _SIZE.sub("", head).replace(
        "<svg", f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{tall}"', 1
    )
    return "data:image/svg+xml," + quote(f"{head}>{rest}", safe="=:,;/-.'()")


def icon(svg: str, size: tuple[float, float]) -> str:
    """A small SVG (a legend's swatch) as an image beside its words: decoration, so no
    text alternative (the words beside it say what it is)."""
    width, tall = size
    return (
        f'<img src="{html.escape(svg_address(svg, size))}" alt="" width="{width}" height="{tall}" '
        'style="vertical-align:middle">'
    )


_SIZE = re.compile(r' (width|height)="[^"]*"')
_SPOT = "position:absolute;width:12px;height:12px;margin:-6px 0 0 -6px;border-radius:50%;"


def switch(label: str, on: bool, address: str, hint: str = "") -> str:
    """An on/off choice as a link that opens the view with it flipped (st.toggle's place):
    marked ✓ when on, in words and look, never colour alone; `hint` is its hover text."""
    title = f' title="{text(hint)}"' if hint else ""
    shown = f"{'✓' if on else '○'} {label}"
    return (
        f'<a href="{text(address)}"{title} role="switch" aria-checked="{"true" if on else "false"}" '
        f'class="cchc-switch" style="{_CHOSEN if on else _CHOICE}">{text(shown)}</a>'
    )
