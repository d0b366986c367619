"""A real browser on the real app: start ``streamlit run app.py`` on a free port, drive Debian's Chromium, wait.

Shared by the end-to-end tests (``tests/e2e/``) and the browser benchmarks (``bench/bench_browser.py``,
``bench/bench_load.py``). Nothing here downloads anything: Playwright drives the ``chromium`` found on ``PATH``
(Debian: ``apt-get install -y chromium``) or named by ``CLD_CHROMIUM``; ``playwright install`` is never needed.

"Rendered" means what a person would call done, read from Streamlit's own front end rather than from page
wording: the script run has finished (``stApp``'s ``data-test-script-state`` is ``notRunning``, the socket
``CONNECTED``), no running indicator or skeleton is left, every Vega chart has drawn its SVG or canvas, and the
page has not changed for a short quiet period. The time reported is that of the last change before the quiet
period (a ``MutationObserver`` records it), so the quiet period itself is not counted.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

#: Flags for a headless Chromium that talks to nothing but the app.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
]

#: Installed in every document before its own scripts: the time of the last change to the page.
OBSERVER_JS = """
(() => {
  window.__cldLastChange = performance.now();
  const observer = new MutationObserver(() => { window.__cldLastChange = performance.now(); });
  const start = () => observer.observe(document.documentElement,
    {subtree: true, childList: true, attributes: true, characterData: true});
  if (document.documentElement) start(); else document.addEventListener('DOMContentLoaded', start);
})();
"""

#: The front end's own state, read in one call.
STATE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const charts = document.querySelectorAll('[data-testid="stVegaLiteChart"]');
  const drawn = Array.from(charts).filter(chart => {
    const canvas = chart.querySelector('canvas'); const svg = chart.querySelector('svg.marks, svg');
    return (canvas && canvas.width > 0) || (svg && svg.childElementCount > 0);
  }).length;
  return {
    script: app ? app.getAttribute('data-test-script-state') : null,
    connection: app ? app.getAttribute('data-test-connection-state') : null,
    busy: document.querySelectorAll('[data-testid="stStatusWidget"], [data-testid="stSkeleton"]').length,
    charts: charts.length,
    drawn: drawn,
    exceptions: document.querySelectorAll('[data-testid="stException"]').length,
    main: document.querySelectorAll('[data-testid="stMain"] [data-testid="stElementContainer"]').length,
    path: location.pathname,
    lastChange: window.__cldLastChange === undefined ? null : window.__cldLastChange,
    now: performance.now(),
  };
}"""


class BrowserMissingError(RuntimeError):
    """Chromium or the Playwright package is not installed; the message says how to install it."""


def chromium_executable() -> str:
    """Path of the system Chromium (``CLD_CHROMIUM`` first, then ``chromium`` / ``chromium-browser`` on PATH).

    Raises
    ------
    BrowserMissingError
        When neither Chromium nor the ``playwright`` package is there.
    """
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        raise BrowserMissingError(
            "the Python package playwright is not installed (pip install -r requirements-dev.txt)"
        ) from error
    for candidate in (os.environ.get("CLD_CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    raise BrowserMissingError("Chromium is not installed (Debian: apt-get install -y chromium; or set CLD_CHROMIUM)")


def launch(playwright: Any, **options: Any) -> Any:
    """Launch headless system Chromium through a started ``sync_playwright()``."""
    return playwright.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS, **options)


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running ``streamlit run`` child process."""

    url: str
    """Base URL, e.g. ``http://127.0.0.1:40123``, no trailing slash."""
    process: subprocess.Popen
    log: Path
    """File holding the server's standard output and error."""

    @property
    def pid(self) -> int:
        return self.process.pid


@contextmanager
def streamlit_server(
    *,
    env: Mapping[str, str],
    script: Path = ROOT / "app.py",
    log: Path,
    timeout: float = 120.0,
    port: int | None = None,
    args: Sequence[str] = (),
) -> Iterator[Server]:
    """Run ``streamlit run SCRIPT`` on a free loopback port with ``env`` added; stop it on exit.

    Parameters
    ----------
    env
        Variables added to this process's environment, e.g. ``CLD_DATA_DIR`` for a temporary database.
    script
        The Streamlit script; the app by default.
    log
        File that receives the server's output (read it when something fails).
    timeout
        Seconds to wait for the health check. The script itself runs only for a browser session: the first one
        against an empty database loads the demo data (about 10 s), which the caller waits for.
    port
        The port to listen on (one :func:`free_port` gave, when the caller must know it first, e.g. for a sign-in
        redirect address); a free one by default.
    args
        More ``streamlit run`` options, e.g. ``--secrets.files=PATH``.
    """
    port = port or free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless=true",
        "--server.address=127.0.0.1",
        f"--server.port={port}",
        "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
        "--global.developmentMode=false",
        *args,
    ]
    handle = log.open("wb")
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **env}, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {process.returncode}: {log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not answer within {timeout:.0f} s: {log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield Server(url=url, process=process, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        handle.close()


def state(page: Any) -> dict[str, Any]:
    """Streamlit's front-end state of ``page`` (see :data:`STATE_JS`)."""
    return page.evaluate(STATE_JS)


def wait_rendered(
    page: Any, *, timeout: float = 60.0, quiet: float = 0.4, path: str | None = None, after: float | None = None
) -> dict[str, Any]:
    """Wait until the page is rendered (see the module docstring) and return its state.

    Parameters
    ----------
    page
        A Playwright page whose context ran :data:`OBSERVER_JS` (see :func:`new_context`).
    timeout
        Seconds before ``TimeoutError``.
    quiet
        Seconds without any change to the page that count as done.
    path
        The location path the page must have reached (after a page switch), or ``None``.
    after
        A :func:`now` taken before a click or key press: the page must have changed since (every rerun changes
        ``stApp``'s script-state attribute), so a page that has not yet reacted is not taken for done.

    Returns
    -------
    dict
        The state; ``state["lastChange"]`` is the ``performance.now()`` of the last change, in milliseconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        current = state(page)
        done = (
            current["script"] == "notRunning"
            and current["connection"] == "CONNECTED"
            and not current["busy"]
            and current["drawn"] == current["charts"]
            and current["main"] > 0
            and (path is None or current["path"] == path)
            and current["lastChange"] is not None
            and (after is None or current["lastChange"] > after)
            and current["now"] - current["lastChange"] >= quiet * 1000
        )
        if done:
            return current
        if time.monotonic() > deadline:
            raise TimeoutError(f"page not rendered after {timeout:.0f} s: {current}")
        time.sleep(0.05)


def now(page: Any) -> float:
    """The page's ``performance.now()`` in milliseconds, to pass as ``after`` to :func:`wait_rendered`."""
    return page.evaluate("() => performance.now()")


def new_context(browser: Any, **options: Any) -> Any:
    """A browser context (a new session: no cookies, no storage) that records the last change of each page."""
    options.setdefault("viewport", {"width": 1280, "height": 900})
    context = browser.new_context(**options)
    context.add_init_script(OBSERVER_JS)
    return context
