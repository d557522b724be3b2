"""How long each dashboard page takes in a real browser, against an empty Streamlit page
served by the same Streamlit build with the same server options (issue 14).

Each load is timed inside Chromium (Debian's /usr/bin/chromium driven by Playwright, no
`playwright install`), from the start of the navigation to the moment the page is done:
  - the script run is over (`stApp` says `notRunning`, no status widget, no stale element),
  - every visible Plotly chart has drawn its main svg and every visible data grid its canvas,
  - and the number of element containers did not change since the previous animation frame,
and all of that still holds half a second later (a rerun started in between restarts the
clock). The time reported is the first frame of that final quiet stretch.

cold = the first load after the server starts (a new server for every cold sample), made
as soon as the server's health endpoint answers; the time from the start of the server
process to that answer is reported beside it (ready s), since the dashboard warms itself
up before it answers (ui.visitor);
warm = a later load, in a fresh browser context (nothing in the browser's cache), on a
server that has already served the page. Pairs alternate: baseline, page, baseline, page.
The dashboard server's CPU time (/proc/PID/stat) and the browser's (CDP
SystemInfo.getProcessInfo, every Chromium process) are reported beside the wall time.

    .venv/bin/python benchmarks/bench_browser.py --db /tmp/pages/1m.duckdb
    .venv/bin/python benchmarks/bench_browser.py --db /tmp/pages/1m.duckdb --pages overview trends --repeats 5

`measure()` is what `make bench` calls.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.streamlit_server import CHROMIUM, CHROMIUM_ARGS, StreamlitServer  # noqa: E402  (needs ROOT on the path)

# The empty page is served the way the dashboard is (dashboard.py): `streamlit run` finds
# the st.App, the server imports the file as a module, and each page run executes it as
# __main__, where it draws nothing.
EMPTY_SCRIPT = 'import streamlit as st\n\nif __name__ != "__main__":\n    app = st.App(__file__)\n'
# page name -> the address after the server's root ({unit} is a unit of the database)
PAGES = {
    "overview": "",
    "units": "units",
    "unit_view": "units?unit={unit}",
    "late": "late",
    "trends": "trends",
    "data": "data",
    "presentation": "presentation",
}
QUIET_MS = 500
TIMEOUT_MS = 180_000

# Runs in the page on every animation frame; resolves with the time (ms since the
# navigation started) of the first frame of a quiet stretch QUIET_MS long.
READY_JS = """
(quietMs) => {
  const s = window.__benchReady || (window.__benchReady = {since: null, count: -1});
  const now = performance.now();
  const app = document.querySelector('[data-testid="stApp"]');
  const containers = document.querySelectorAll('[data-testid="stElementContainer"]').length;
  // a grid or chart inside a closed expander or hidden tab is never drawn: only visible ones count
  const drawn = (selector, inner) => [...document.querySelectorAll(selector)]
    .every(e => !e.checkVisibility() || e.querySelector(inner));
  const plotsDrawn = drawn('[data-testid="stPlotlyChart"]', '.js-plotly-plot .main-svg');
  const gridsDrawn = drawn('[data-testid="stDataFrame"]', 'canvas');
  const done = !!app
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"]')
    && !document.querySelector('[data-testid="stSkeleton"]')
    && plotsDrawn && gridsDrawn
    && containers === s.count;
  s.count = containers;
  if (!done) { s.since = null; return false; }
  if (s.since === null) s.since = now;
  return now - s.since >= quietMs ? s.since : false;
}
"""


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its waited-for children, from /proc."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[0] is the state (field 3): utime, stime, cutime, cstime are fields 14-17
    ticks = sum(int(x) for x in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


class Server(StreamlitServer):
    """`streamlit run SCRIPT` on a free loopback port, headless; the same options for the
    dashboard and the empty page."""

    def __init__(self, script: Path, env: dict[str, str], log: Path) -> None:
        super().__init__(script, env, log, timeout=120)

    def cpu(self) -> float:
        return cpu_seconds(self.proc.pid)

    def settle(self, quiet_s: float = 1.0, limit_s: float = 60.0) -> None:
        """Wait until the server has used no CPU for quiet_s (its background work, such as
        the dashboard's warm-up after a first page, is over): warm loads start from idle."""
        deadline = time.monotonic() + limit_s
        last = self.cpu()
        while time.monotonic() < deadline:
            time.sleep(quiet_s)
            now = self.cpu()
            if now - last < 0.02:
                return
            last = now


@contextmanager
def serving(script: Path, env: dict[str, str], log: Path) -> Iterator[Server]:
    server = Server(script, env, log)
    try:
        yield server
    finally:
        server.stop()


class Browser:
    """One Chromium for the whole run; every load gets a fresh context (empty cache)."""

    def __init__(self, playwright) -> None:
        self.browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        self.cdp = self.browser.new_browser_cdp_session()

    def _cpu(self) -> dict[int, float]:
        info = self.cdp.send("SystemInfo.getProcessInfo")
        return {p["id"]: float(p["cpuTime"]) for p in info["processInfo"]}

    def load(self, url: str, server: Server | None = None) -> dict:
        """One load of `url` in a fresh context: wall seconds, server and browser CPU."""
        before = self._cpu()
        context = self.browser.new_context(viewport={"width": 1440, "height": 900}, locale="vi-VN")
        try:
            page = context.new_page()
            server_cpu = server.cpu() if server else 0.0
            page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
            ready_ms = page.wait_for_function(READY_JS, arg=QUIET_MS, polling="raf", timeout=TIMEOUT_MS).json_value()
            server_cpu = (server.cpu() - server_cpu) if server else 0.0
            after = self._cpu()
            errors = page.locator('[data-testid="stException"]').count()
            plots = page.locator('[data-testid="stPlotlyChart"]').count()
        finally:
            context.close()
        browser_cpu = sum(t - before.get(pid, 0.0) for pid, t in after.items())
        return {
            "wall_s": ready_ms / 1000,
            "server_cpu_s": server_cpu,
            "browser_cpu_s": browser_cpu,
            "exceptions": errors,
            "plots": plots,
        }


def a_unit(db_path: str) -> str:
    """The unit with the most dossiers: the unit view's example."""
    import duckdb

    with duckdb.connect(db_path, read_only=True) as con:
        row = con.execute("SELECT agency_code FROM dossiers GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").fetchone()
    if row is None:
        raise SystemExit(f"{db_path} has no dossiers")
    return str(row[0])


def _median(samples: list[dict], key: str) -> float:
    return round(statistics.median(s[key] for s in samples), 3)


def measure(
    db_path: str,
    repeats: int = 3,
    pages: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Per page: the median warm and cold load against the empty page's, their ratios, and
    the dashboard server's CPU per warm load. Keys are the page names of PAGES."""
    from playwright.sync_api import sync_playwright

    say = progress or (lambda _msg: None)
    names = pages or list(PAGES)
    unknown = [n for n in names if n not in PAGES]
    if unknown:
        raise ValueError(f"unknown pages {unknown}; known: {list(PAGES)}")
    has_deck = (ROOT / "pages" / "presentation.py").exists()
    names = [n for n in names if n != "presentation" or has_deck]
    unit = a_unit(db_path)
    env = {"CCHC_DB": str(Path(db_path).resolve())}
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="bench_browser_") as tmp, sync_playwright() as pw:
        empty = Path(tmp) / "empty_app.py"
        empty.write_text(EMPTY_SCRIPT, encoding="utf-8")
        # the same server settings: streamlit reads .streamlit/config.toml from the script's folder
        (Path(tmp) / ".streamlit").mkdir()
        shutil.copy(ROOT / ".streamlit" / "config.toml", Path(tmp) / ".streamlit" / "config.toml")
        dashboard = ROOT / "dashboard.py"
        log = Path(tmp) / "streamlit.log"
        browser = Browser(pw)
        try:
            for name in names:
                path = PAGES[name].format(unit=unit)
                cold: list[dict] = []
                empty_cold: list[dict] = []
                for i in range(repeats):
                    with serving(empty, {}, log) as srv:
                        empty_cold.append({**browser.load(f"{srv.url}/", srv), "ready_s": srv.ready_s})
                    with serving(dashboard, env, log) as srv:
                        cold.append({**browser.load(f"{srv.url}/{path}", srv), "ready_s": srv.ready_s})
                    say(
                        f"{name} cold {i + 1}: {cold[-1]['wall_s']:.2f}s (empty {empty_cold[-1]['wall_s']:.2f}s),"
                        f" ready after {cold[-1]['ready_s']:.2f}s (empty {empty_cold[-1]['ready_s']:.2f}s)"
                    )
                warm: list[dict] = []
                empty_warm: list[dict] = []
                with serving(empty, {}, log) as esrv, serving(dashboard, env, log) as dsrv:
                    browser.load(f"{esrv.url}/", esrv)  # the first loads are cold: not counted
                    browser.load(f"{dsrv.url}/{path}", dsrv)
                    esrv.settle()
                    dsrv.settle()
                    for i in range(repeats):
                        empty_warm.append(browser.load(f"{esrv.url}/", esrv))
                        warm.append(browser.load(f"{dsrv.url}/{path}", dsrv))
                        say(f"{name} warm {i + 1}: {warm[-1]['wall_s']:.2f}s (empty {empty_warm[-1]['wall_s']:.2f}s)")
                row = {
                    "warm_s": _median(warm, "wall_s"),
                    "cold_s": _median(cold, "wall_s"),
                    "empty_warm_s": _median(empty_warm, "wall_s"),
                    "empty_cold_s": _median(empty_cold, "wall_s"),
                    "ready_s": _median(cold, "ready_s"),
                    "empty_ready_s": _median(empty_cold, "ready_s"),
                    "server_cpu_s": _median(warm, "server_cpu_s"),
                    "server_cpu_cold_s": _median(cold, "server_cpu_s"),
                    "empty_server_cpu_s": _median(empty_warm, "server_cpu_s"),
                    "browser_cpu_s": _median(warm, "browser_cpu_s"),
                    "empty_browser_cpu_s": _median(empty_warm, "browser_cpu_s"),
                    "plots": max(s["plots"] for s in warm + cold),
                    "exceptions": max(s["exceptions"] for s in warm + cold),
                }
                row["warm_ratio"] = round(row["warm_s"] / row["empty_warm_s"], 2)
                row["cold_ratio"] = round(row["cold_s"] / row["empty_cold_s"], 2)
                results[name] = row
        finally:
            browser.browser.close()
    return results


def table(results: dict) -> str:
    header = (
        f"{'page':<13}{'warm s':>8}{'empty':>7}{'ratio':>7}{'cold s':>8}{'empty':>7}{'ratio':>7}"
        f"{'srv CPU':>8}{'cold CPU':>9}{'browser CPU':>12}{'empty':>7}{'plots':>6}{'ready s':>9}{'empty':>7}"
    )
    lines = [header, "-" * len(header)]
    for name, r in results.items():
        lines.append(
            f"{name:<13}{r['warm_s']:>8.2f}{r['empty_warm_s']:>7.2f}{r['warm_ratio']:>7.2f}"
            f"{r['cold_s']:>8.2f}{r['empty_cold_s']:>7.2f}{r['cold_ratio']:>7.2f}"
            f"{r['server_cpu_s']:>8.2f}{r['server_cpu_cold_s']:>9.2f}"
            f"{r['browser_cpu_s']:>12.2f}{r['empty_browser_cpu_s']:>7.2f}{r['plots']:>6}"
            f"{r['ready_s']:>9.2f}{r['empty_ready_s']:>7.2f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="the database the dashboard reads")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pages", nargs="*", default=list(PAGES), choices=list(PAGES))
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    results = measure(args.db, args.repeats, args.pages, progress=lambda m: print(m, file=sys.stderr, flush=True))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"{os.cpu_count()} cores, median of {args.repeats}; targets: warm ≤ 1.5, cold ≤ 2.0\n")
    print(table(results))


if __name__ == "__main__":
    main()
