"""Reads a link table (ui.linktable) as a reader sees it: the header texts, the cell
texts and each cell's link, from the HTML a page gave the browser."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from streamlit.testing.v1 import AppTest


@dataclass
class LinkTable:
    headers: list[str] = field(default_factory=list)
    header_links: list[str | None] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    links: list[list[str | None]] = field(default_factory=list)

    def column(self, name: str) -> list[str]:
        i = self.headers.index(name)
        return [r[i] for r in self.rows]

    def column_links(self, name: str) -> list[str | None]:
        i = self.headers.index(name)
        return [r[i] for r in self.links]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.table = LinkTable()
        self._cell: list[str] | None = None
        self._href: str | None = None
        self._head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "thead":
            self._head = True
        elif tag == "tr" and not self._head:
            self.table.rows.append([])
            self.table.links.append([])
        elif tag in ("td", "th"):
            self._cell, self._href = [], None
        elif tag == "a":
            self._href = dict(attrs).get("href")

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self._head = False
        elif tag in ("td", "th") and self._cell is not None:
            text = "".join(self._cell).strip()
            if self._head:
                self.table.headers.append(text.rstrip(" ↑↓"))
                self.table.header_links.append(self._href)
            else:
                self.table.rows[-1].append(text)
                self.table.links[-1].append(self._href)
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def parse(markup: str) -> LinkTable:
    reader = _Reader()
    reader.feed(markup)
    return reader.table


def link_table(at: AppTest, key: str) -> LinkTable:
    """The link table drawn inside the container with this key."""
    block = at.get_by_key(key)
    tables = [h.value for h in block.get("html") if "<table" in h.value]  # type: ignore[union-attr]
    assert len(tables) == 1, f"{len(tables)} tables in {key}"
    return parse(tables[0])


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href, self._text = dict(attrs).get("href") or "", []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.found.append(("".join(self._text).strip(), self._href))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)


def anchors(markup: str) -> list[tuple[str, str]]:
    """(text, address) of every link in our HTML, as a reader sees them."""
    reader = _Anchors()
    reader.feed(markup)
    return reader.found


def html_blocks(at: AppTest, key: str | None = None) -> list[str]:
    """The st.html blocks the page drew (inside the container with this key, if given)."""
    where = at.get_by_key(key) if key else at
    return [h.value for h in where.get("html")]  # type: ignore[union-attr]


def links(at: AppTest, key: str | None = None, sidebar: bool = False) -> list[tuple[str, str]]:
    """(text, address) of every link the page drew through st.html."""
    where = at.sidebar if sidebar else at
    blocks = [h.value for h in (at.get_by_key(key) if key else where).get("html")]  # type: ignore[union-attr]
    return [a for block in blocks for a in anchors(block)]


PAGE_FILES = {"": None, "units": "pages/units.py", "late": "pages/late.py"}


def target(address: str, here: str | None = None) -> tuple[str | None, dict[str, str]]:
    """The page file and URL parameters a link opens (a click loads that page anew, in a
    new session, as a pasted link would); an address with no path ('?…') stays `here`."""
    parts = urlsplit(address)
    params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    return (PAGE_FILES[parts.path] if parts.path else here), params
