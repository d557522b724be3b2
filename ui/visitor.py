"""The first visitor, played by the server itself at start-up (issue 14, cold loads).

A fresh server has imported none of our modules, opened no database and cached no figure,
and the first reader used to pay for all of it (a first page 3-4x an empty Streamlit page).
`streamlit run dashboard.py` serves the dashboard through an `st.App` (dashboard.py) whose
lifespan is `lifespan` below: once Streamlit's runtime is up, and before the server answers
any request, it opens a headless session and runs every page once, exactly as a browser
would (the default page, then each page of the navigation).

Why a real session and not calls to the cached functions: the pages, their filters and
their scope are computed by the same code a reader runs, so the caches are filled with the
keys readers ask for and nothing has to mirror what each page computes. And the session
passes through the same door as everyone (ui.auth.gate): it has no login, so where a login
is configured it is shown the sign-in page and warms the imports only; it never computes
with anyone's scope. Without a login it is the local reader, whose unrestricted scope is
the one every local reader's caches are keyed on (ui.data).

Best-effort: the wait is bounded (CCHC_WARMUP_S seconds, 0 to start at once); past it the
server opens and the visit goes on behind it, and a reader who comes meanwhile waits on
the same cache entries (st.cache_data computes a key once) and gets a correct page. A
missing, busy or empty database ends the visit early, with the message a reader would see.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

from streamlit import runtime
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.scriptrunner import get_script_run_ctx

log = logging.getLogger("cchc.warmup")
DEFAULT_WAIT_S = 60.0
_session_ids: set[str] = set()  # the headless sessions of this process


def wait_s() -> float:
    """How long the server waits for the visit before it opens (CCHC_WARMUP_S)."""
    try:
        return max(0.0, float(os.environ.get("CCHC_WARMUP_S", DEFAULT_WAIT_S)))
    except ValueError:
        return DEFAULT_WAIT_S


def is_headless() -> bool:
    """Whether this script run is the start-up visit's (ui.warmup leaves it alone)."""
    ctx = get_script_run_ctx()
    return ctx is not None and ctx.session_id in _session_ids


class _Client:
    """A SessionClient that reads nothing but the page list and the end of each run."""

    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.pages: dict[str, str] = {}  # script hash -> url path, the navigation's pages but the default
        self._done: asyncio.Future[None] = self.loop.create_future()

    @property
    def client_context(self) -> None:
        return None

    def write_forward_msg(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "navigation":
            self.pages = {p.page_script_hash: p.url_pathname for p in msg.navigation.app_pages if not p.is_default}
        elif kind == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            # the runtime calls this on its event loop thread; be safe if that ever changes
            self.loop.call_soon_threadsafe(self._finish)

    def _finish(self) -> None:
        if not self._done.done():
            self._done.set_result(None)

    async def run(self, rt: runtime.Runtime, session_id: str, state: ClientState) -> None:
        self._done = self.loop.create_future()
        rt.handle_backmsg(session_id, BackMsg(rerun_script=state), client=self)
        await self._done


async def visit(rt: runtime.Runtime) -> dict[str, float]:
    """Open the default page, then every other page, in one headless session; returns the
    seconds each page took, by URL path ("" the default page). The session is closed
    whatever happens."""
    client = _Client()
    session_id = rt.connect_session(client=client, user_info={})
    _session_ids.add(session_id)
    took: dict[str, float] = {}

    async def run(state: ClientState, path: str) -> None:
        start = time.perf_counter()
        await client.run(rt, session_id, state)
        took[path] = time.perf_counter() - start

    try:
        await run(ClientState(), "")
        for page, path in list(client.pages.items()):  # none if the run stopped before the navigation
            await run(ClientState(page_script_hash=page), path)
        return took
    finally:
        rt.close_session(session_id)
        _session_ids.discard(session_id)


def _logged(task: asyncio.Task[dict[str, float]], start: float) -> None:
    if task.cancelled():
        return
    if task.exception() is not None:
        log.warning("start-up visit failed; pages compute their figures when opened", exc_info=task.exception())
        return
    pages = ", ".join(f"/{path} {s:.1f} s" for path, s in task.result().items())
    log.info("start-up visit done in %.1f s: %s", time.perf_counter() - start, pages)


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """st.App lifespan: the visit, awaited up to wait_s() before the server opens."""
    start = time.perf_counter()
    task = asyncio.ensure_future(visit(runtime.get_instance()))
    task.add_done_callback(lambda t: _logged(t, start))
    try:
        await asyncio.wait_for(asyncio.shield(task), timeout=wait_s())
    except TimeoutError:
        log.warning("start-up visit still running after %.0f s; serving meanwhile", wait_s())
    except Exception:  # logged by _logged; the server starts all the same
        pass
    try:
        yield
    finally:  # the session is closed before Streamlit's runtime stops
        task.cancel()
        with suppress(asyncio.CancelledError, Exception):
            await task
