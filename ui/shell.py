"""Makes sure a page always runs inside the entry script (dashboard.py).

Why: Streamlit still has its "pages/ directory" mode (MPA v1). A fresh server process,
and every AppTest run, starts in that mode, so a first request for /units runs
pages/units.py on its own, without the sidebar filters, until dashboard.py has called
st.navigation once. A page that finds itself outside the entry script runs the entry
script instead (which draws the filters and runs this page inside it) and stops.
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
