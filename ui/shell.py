"""Makes sure a page always runs inside the entry script (dashboard.py).

Why this exists, and why it is the only place that knows (checked against Streamlit
1.67, the newest release): Streamlit still has its legacy "pages/ directory" mode
(MPA v1). `runtime/pages_manager.py` sets the class flag `uses_pages_directory` when
the first session of a process finds a `pages/` folder beside the entry script; while
it is set, `ScriptRunner` runs `_mpa_v1()` (the folder's files as pages) instead of the
entry script, and only a call to `st.navigation()` clears it. So the first request of a
fresh server for /units runs pages/units.py on its own, without the sidebar filters.
AppTest resets the flag before every run, so there every `switch_page` does the same.
There is no setting to turn the mode off, and the design keeps the pages in `pages/`.

A page that finds itself outside the entry script therefore runs the entry script
instead (which draws the filters and runs this page inside it) and stops.
tests/app/test_pages_folder.py fails the day Streamlit stops doing this: then delete
this module and its calls (dashboard.py, ui/filters.py, pages/data.py).
"""

from __future__ import annotations

import runpy
import threading
from pathlib import Path

import streamlit as st

ENTRY = Path(__file__).resolve().parent.parent / "dashboard.py"
_state = threading.local()


def enter() -> None:
    _state.depth = getattr(_state, "depth", 0) + 1


def leave() -> None:
    _state.depth = max(0, getattr(_state, "depth", 0) - 1)


def inside() -> bool:
    return getattr(_state, "depth", 0) > 0


def ensure_entry() -> None:
    """Call first in every page: outside the entry script, run it and stop this copy."""
    if inside():
        return
    runpy.run_path(str(ENTRY), run_name="__main__")
    st.stop()
