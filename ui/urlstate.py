"""Two-way binding between keyed widgets and the address bar, so a link reopens a view.

Why not `bind="query-params"`: Streamlit 1.67 writes a bound selectbox's *label* into
the URL, so a unit would travel as its Vietnamese name and a tier as "Cấp xã", and the
same link would break after the English switch. Here every filter travels as an ASCII
code (`?period=month&month=2024-10&tier=commune&unit=000.00.06.H56`).

How it works: the entry script calls `begin()` first and `end()` last. A URL that differs
from the one we wrote at the end of the previous run was changed from outside (a pasted
link, a page link with parameters, the back button): its values are copied into the
widgets' state before the widgets are drawn (`seed`). Every widget drawn in this run
then `publish`es its value; `end()` writes exactly those to the URL, so parameters of a
page the reader left disappear with it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

import streamlit as st

_WRITTEN = "_url_written"
_EXTERNAL = "_url_external"
INCOMING = "_url_incoming"  # the URL this run started from
_PUBLISHED = "_url_published"
_REFUSED = "_url_refused"
_slot = threading.local()


def begin() -> None:
    current = st.query_params.to_dict()
    st.session_state[INCOMING] = current
    st.session_state[_EXTERNAL] = current != st.session_state.get(_WRITTEN)
    st.session_state[_PUBLISHED] = {}
    st.session_state[_REFUSED] = []
    _slot.where = None


def seed(
    key: str,
    default: Any,
    decode: Callable[[str], Any] = str,
    valid: Iterable[Any] | Callable[[Any], bool] | None = None,
) -> Any:
    """Put key's value in session state before its widget is drawn: from an incoming URL
    if it decodes to a valid value, else the current value if still valid, else default.
    Widgets are then created without a default of their own (no double-source warning)."""

    def ok(value: Any) -> bool:
        if valid is None:
            return True
        if callable(valid):
            return bool(valid(value))
        return value in valid

    def from_url(raw: str | None) -> tuple[bool, Any]:
        if raw is None:
            return False, None
        try:
            value = decode(raw)
        except (ValueError, TypeError, KeyError, IndexError):
            return False, None
        return (value is not None and ok(value)), value

    url_value = st.session_state.get(INCOMING, {}).get(key)
    good, value = from_url(url_value)
    if good and st.session_state.get(_EXTERNAL):
        st.session_state[key] = value  # a link or the back button: the URL wins
        return value
    if url_value is not None and not good and st.session_state.get(_EXTERNAL):
        used = st.session_state[key] if key in st.session_state and ok(st.session_state[key]) else default
        st.session_state.setdefault(_REFUSED, []).append((key, url_value, used))
    if key in st.session_state and ok(st.session_state[key]):
        # written back on purpose: a widget whose identity changed (Streamlit's first run
        # in a process goes through its pages/ mode, see ui.shell) starts from this value
        value = st.session_state[key]
        st.session_state[key] = value
        return value
    if good:
        st.session_state[key] = value  # no state for it (a new session, a page switch): the URL has it
        return value
    st.session_state[key] = default
    return default


def publish(key: str, value: str | None) -> None:
    """Declare key's URL value for this run (None leaves it out of the URL)."""
    published = st.session_state.setdefault(_PUBLISHED, {})
    if value is None or value == "":
        published.pop(key, None)
    else:
        published[key] = str(value)


def published() -> dict[str, str]:
    return dict(st.session_state.get(_PUBLISHED, {}))


def link(**overrides: str | None) -> dict[str, str]:
    """Query parameters for a link to another page: this view's filters plus overrides."""
    params = published()
    for key, value in overrides.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    return params


def refused() -> list[tuple[str, str, Any]]:
    """(key, the link's value, the value used instead) for each URL value refused this run:
    an unknown unit, a date that is no date, a month without data."""
    return list(st.session_state.get(_REFUSED, []))


def notice_here() -> None:
    """Reserve the place, at the top of the page, where end() says which values of a link
    were ignored (page filters are read after the top is drawn)."""
    _slot.where = st.empty()


def describe(items: list[tuple[str, str, Any]]) -> str:
    """'Liên kết có giá trị không dùng được, đã bỏ qua: Đơn vị "XYZ" (dùng: tất cả).'"""
    from ui import fmt
    from ui.i18n import STRINGS, t

    def shown(value: Any) -> str:
        if value is None or value == "":
            return t("url_used_default")
        if hasattr(value, "isoformat"):
            return fmt.date(value)
        if isinstance(value, str) and len(value) == 7 and value[4] == "-":
            return fmt.month(value)  # '2025-06' reads 'Tháng 6/2025'
        return fmt.text(value)

    parts = []
    for key, raw, used in dict((k, (k, r, u)) for k, r, u in items).values():
        name = t(f"url_{key}") if f"url_{key}" in STRINGS else key
        parts.append(t("url_refused_item", name=name, value=fmt.text(raw[:60]), used=shown(used)))
    return t("url_refused", items="; ".join(parts))


def end() -> None:
    where = getattr(_slot, "where", None)
    if where is not None and refused():
        where.warning(describe(refused()), icon=":material/link_off:")
    out = published()
    if out != st.query_params.to_dict():
        st.query_params.from_dict(out)
    st.session_state[_WRITTEN] = out
