"""A real `streamlit run SCRIPT` on a free loopback port, headless, and how Debian's
Chromium is launched: shared by the Chromium journeys (tests/e2e) and the page
benchmark (benchmarks/bench_browser.py), so both run the dashboard the same way."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM = os.environ.get("CCHC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class StreamlitServer:
    """`streamlit run SCRIPT` (from the script's folder) with `env` added to this
    process's environment, and `args` added to the command; ready once its health
    endpoint answers, within `timeout`.
    `ready_s` is the time from the start of the process to that answer."""

    def __init__(
        self, script: Path, env: dict[str, str], log: Path, timeout: float, args: tuple[str, ...] = ()
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = open(log, "a", encoding="utf-8")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(script),
                "--server.port",
                str(self.port),
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
                *args,
            ],
            cwd=script.parent,
            env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        started = time.monotonic()
        self._wait_healthy(timeout)
        self.ready_s = time.monotonic() - started

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}; see {self._log.name}")
            try:
                # The port is open while the dashboard warms up (dashboard.py, ui.visitor)
                # but answered only after: a request waits for that answer, so the ready
                # time is exact rather than the next poll's.
                wait = max(0.1, deadline - time.monotonic())
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=wait) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise TimeoutError(f"streamlit did not become healthy; see {self._log.name}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._log.close()
