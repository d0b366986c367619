"""A workshop's load: 1, 10 and 30 concurrent browser sessions walking the partner pages of one app server.

    python -m bench.bench_load [--sessions 1,10,30] [--timeout 600]

Starts ``streamlit run app.py`` on a temporary copy of the demo data and an empty two-page Streamlit app (the
floor, ``bench/empty_app.py``), both on the loopback interface only. For each number of sessions, one headless
Chromium opens that many browser contexts (each a new Streamlit session) at once; each opens the Overview and
then clicks through Conditions, Schools, Subgroups, Leader identity and Shifts, waiting for each page to be
rendered (``bench/browser.py``). Bounded: 6 page views a session, every wait capped, the whole round capped at
``--timeout`` seconds. Prints, per round:

* p50 / p95 seconds to a rendered page, and errors (a page that timed out or shows a Streamlit exception);
* the server's CPU seconds per page view (``/proc/PID/stat`` utime + stime of the server process);
* the server's resident memory per extra session: (RSS with N sessions open − RSS with 1) / (N − 1);
* what the load generator itself used (this process and Chromium, from ``getrusage``), on the same cores.

The same walk on the empty app gives the floor's p50 / p95 for the ratios. Goals: 0 errors at 30 sessions,
p95 ≤ 3 s at 10 sessions, ≤ 20 MB per extra session.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

from bench.browser import CHROMIUM_ARGS, OBSERVER_JS, ROOT, STATE_JS, chromium_executable, streamlit_server

APP_WALK = ["/", "/conditions", "/schools", "/subgroups", "/leader_identity", "/shifts"]
EMPTY_WALK = ["/", "/second", "/", "/second", "/", "/second"]
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (proc(5), fields 14 and 15)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def generator_cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


async def rendered(page, *, path: str, after: float, timeout: float = 120.0, quiet: float = 0.4) -> float:
    """Seconds from ``after`` (page clock, ms) to the page rendered; raises on timeout or an exception shown."""
    deadline = time.monotonic() + timeout
    while True:
        s = await page.evaluate(STATE_JS)
        if s["exceptions"]:
            raise RuntimeError(f"{path} shows an exception")
        if (
            s["script"] == "notRunning"
            and s["connection"] == "CONNECTED"
            and not s["busy"]
            and s["drawn"] == s["charts"]
            and s["main"] > 0
            and s["path"] == path
            and s["lastChange"] is not None
            and s["lastChange"] > after
            and s["now"] - s["lastChange"] >= quiet * 1000
        ):
            return (s["lastChange"] - after) / 1000
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path} not rendered after {timeout:.0f} s")
        await asyncio.sleep(0.1)


async def walk(browser, base: str, paths: list[str], times: list[float], errors: list[str], walked: list[int], ready):
    """One person: open the first page, click through the rest; the context stays open until ``ready``."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    await context.add_init_script(OBSERVER_JS)
    page = await context.new_page()
    try:
        await page.goto(base + paths[0], timeout=120_000)
        times.append(await rendered(page, path=paths[0], after=0.0))
        for path in paths[1:]:
            before = await page.evaluate("() => performance.now()")
            await page.locator(f'[data-testid="stSidebarNav"] a[href$="{path}"]').first.click(timeout=60_000)
            times.append(await rendered(page, path=path, after=before))
    except Exception as error:  # every failure is counted, the round goes on
        errors.append(f"{type(error).__name__}: {str(error)[:120]}")
    walked.append(1)
    await ready.wait()
    await context.close()


async def round_of(base: str, pid: int, sessions: int, paths: list[str], timeout: float) -> dict[str, float]:
    from playwright.async_api import async_playwright

    times: list[float] = []
    errors: list[str] = []
    walked: list[int] = []
    generator_before, server_before = generator_cpu(), cpu_seconds(pid)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        ready = asyncio.Event()
        walkers = [
            asyncio.create_task(walk(browser, base, paths, times, errors, walked, ready)) for _ in range(sessions)
        ]
        started = time.monotonic()
        while len(walked) < sessions and time.monotonic() - started < timeout:
            await asyncio.sleep(0.2)
        errors += ["round timed out"] * (sessions - len(walked))
        rss = rss_mb(pid)  # every session still open
        server_cpu = cpu_seconds(pid) - server_before
        ready.set()
        _, pending = await asyncio.wait(walkers, timeout=120)
        for walker in pending:
            walker.cancel()
        await browser.close()
    elapsed = time.monotonic() - started
    times.sort()
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))] if times else float("nan")
    return {
        "views": len(times),
        "errors": len(errors),
        "p50": statistics.median(times) if times else float("nan"),
        "p95": p95,
        "server_cpu_per_view": server_cpu / len(times) if times else float("nan"),
        "server_cpu": server_cpu,
        "rss": rss,
        "generator_cpu": generator_cpu() - generator_before,
        "elapsed": elapsed,
        "first_error": errors[0] if errors else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", default="1,10,30", help="comma-separated numbers of concurrent sessions")
    parser.add_argument("--timeout", type=float, default=600, help="cap on one round, seconds")
    args = parser.parse_args()
    counts = [int(n) for n in args.sessions.split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-load-") as temporary:
        folder = Path(temporary) / "instance"
        folder.mkdir()
        env = {"CLD_DATA_DIR": str(folder), "CLD_DATABASE_URL": ""}
        with (
            streamlit_server(env=env, log=Path(temporary) / "app.log") as app,
            streamlit_server(env={}, script=ROOT / "bench" / "empty_app.py", log=Path(temporary) / "e.log") as empty,
        ):
            warm = asyncio.run(round_of(app.url, app.pid, 1, APP_WALK, args.timeout))  # demo import, caches
            print(f"warm-up walk (loads the demo data): {warm['elapsed']:.1f} s, errors {warm['errors']}")
            asyncio.run(round_of(empty.url, empty.pid, 1, EMPTY_WALK, args.timeout))
            print(f"server RSS after warm-up: app {rss_mb(app.pid):.0f} MB, empty app {rss_mb(empty.pid):.0f} MB\n")
            header = (
                f"{'sessions':>8}{'views':>7}{'errors':>7}{'p50 s':>8}{'p95 s':>8}{'p95/floor':>10}"
                f"{'CPU s/view':>11}{'RSS MB':>8}{'MB/extra':>9}{'generator CPU s':>16}{'wall s':>8}"
            )
            print(header)
            base_rss = None
            for n in counts:
                floor = asyncio.run(round_of(empty.url, empty.pid, n, EMPTY_WALK, args.timeout))
                result = asyncio.run(round_of(app.url, app.pid, n, APP_WALK, args.timeout))
                base_rss = result["rss"] if n == 1 else base_rss
                extra = (result["rss"] - base_rss) / (n - 1) if base_rss is not None and n > 1 else float("nan")
                print(
                    f"{n:>8}{result['views']:>7}{result['errors']:>7}{result['p50']:>8.2f}{result['p95']:>8.2f}"
                    f"{result['p95'] / floor['p95']:>10.1f}{result['server_cpu_per_view']:>11.3f}{result['rss']:>8.0f}"
                    f"{extra:>9.1f}{result['generator_cpu']:>16.1f}{result['elapsed']:>8.1f}"
                )
                print(
                    f"{'(empty)':>8}{floor['views']:>7}{floor['errors']:>7}{floor['p50']:>8.2f}{floor['p95']:>8.2f}"
                    f"{1:>10.1f}{floor['server_cpu_per_view']:>11.3f}{floor['rss']:>8.0f}{'':>9}"
                    f"{floor['generator_cpu']:>16.1f}{floor['elapsed']:>8.1f}"
                )
                if result["first_error"]:
                    print(f"         first error: {result['first_error']}")
            print(f"\n{os.cpu_count()} cores shared by the server, Chromium and this script")
            print("goals: 0 errors at 30 sessions, p95 <= 3 s at 10, <= 20 MB per extra session")


if __name__ == "__main__":
    main()
