"""What a person waits for: in Chromium, the time from opening each page to its last chart drawn.

    python -m bench.bench_browser [--repeat 3] [--large] [--respondents 100000] [--waves 5]

Starts ``streamlit run app.py`` on a temporary copy of the demo data (``--large``: on 5 waves × 100,000 synthetic
respondents built with ``bench.bench_pages``) and, in the same run, an empty two-page Streamlit app
(``bench/empty_app.py``): the floor, what Streamlit itself costs. For every page it prints the median of
``--repeat`` measurements of

* **new session**: a new browser context (no cookies, a new Streamlit session) opens the page's address; the
  time from navigation start to the last change of the page once it is rendered (see ``bench/browser.py``);
* **page switch**: within one session, a click on the page's sidebar link to the page rendered.

and their ratios to the empty page's. Goals: first full render ≤ 1.5 s and page switch ≤ 0.5 s on the demo data;
≤ 2× the empty-page floor at 100,000 a wave. Figures are printed, not asserted. Needs Chromium and Playwright
(see ``bench/browser.py``). Loopback only.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.browser import ROOT, launch, new_context, now, streamlit_server, wait_rendered

EMPTY_APP = ROOT / "bench" / "empty_app.py"
PAGES = ["/", "/conditions", "/schools", "/subgroups", "/leader_identity", "/shifts", "/workshop"]


def new_session_time(browser, url: str) -> float:
    """Seconds from navigation start to the rendered page in a brand-new session."""
    context = new_context(browser)
    page = context.new_page()
    page.goto(url)
    state = wait_rendered(page, timeout=300)
    context.close()
    return state["lastChange"] / 1000


def switch_times(browser, base: str, paths: list[str]) -> dict[str, float]:
    """Seconds from a click on each page's sidebar link to the page rendered, in one session."""
    context = new_context(browser)
    page = context.new_page()
    page.goto(base + paths[-1])
    wait_rendered(page, timeout=300)
    times = {}
    for path in paths:
        link = page.locator(f'[data-testid="stSidebarNav"] a[href$="{path}"]').first
        before = now(page)
        link.click()
        state = wait_rendered(page, timeout=300, path=path, after=before)
        times[path] = (state["lastChange"] - before) / 1000
    context.close()
    return times


def measure(browser, base: str, paths: list[str], repeat: int) -> dict[str, tuple[float, float]]:
    """Median new-session and switch seconds per path."""
    fresh = {p: statistics.median(new_session_time(browser, base + p) for _ in range(repeat)) for p in paths}
    runs = [switch_times(browser, base, paths) for _ in range(repeat)]
    switch = {p: statistics.median(run[p] for run in runs) for p in paths}
    return {p: (fresh[p], switch[p]) for p in paths}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--large", action="store_true", help="5 waves × 100,000 instead of the demo data")
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--waves", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-browser-") as temporary:
        folder = Path(temporary) / "instance"
        folder.mkdir()
        if args.large:
            print(f"building {args.waves} waves × {args.respondents:,} respondents ...", flush=True)
            command = [sys.executable, "-m", "bench.bench_pages", "--build-only", "--data-dir", str(folder)]
            command += ["--respondents", str(args.respondents), "--waves", str(args.waves)]
            subprocess.run(command, check=True, cwd=ROOT)
        env = {"CLD_DATA_DIR": str(folder), "CLD_DATABASE_URL": ""}
        with (
            sync_playwright() as playwright,
            streamlit_server(env=env, log=Path(temporary) / "app.log") as app,
            streamlit_server(
                env={}, script=ROOT / "bench" / "empty_app.py", log=Path(temporary) / "empty.log"
            ) as empty,
        ):
            browser = launch(playwright)
            warm = new_session_time(browser, app.url + "/")  # the first visit loads the demo data: not counted
            print(
                f"first visit after start (cold caches; loads the demo data when the database is empty): {warm:.2f} s\n"
            )
            for path in PAGES:  # fill the server's caches once, as a running deployment has them
                new_session_time(browser, app.url + path)
            floor = measure(browser, empty.url, ["/", "/second"], args.repeat)
            floor_new, floor_switch = floor["/"][0], floor["/second"][1]
            data = f"5 waves × {args.respondents:,}" if args.large else "demo data"
            print(f"{data}; median of {args.repeat}; floor = an empty Streamlit page in the same run")
            print(f"{'page':<18}{'new session':>12}{'× floor':>9}{'page switch':>13}{'× floor':>9}")
            print(f"{'(empty page)':<18}{floor_new:>11.2f}s{1:>9.1f}{floor_switch:>12.2f}s{1:>9.1f}")
            results = measure(browser, app.url, PAGES, args.repeat)
            for path, (fresh, switch) in results.items():
                name = path.strip("/") or "overview"
                print(
                    f"{name:<18}{fresh:>11.2f}s{fresh / floor_new:>9.1f}{switch:>12.2f}s{switch / floor_switch:>9.1f}"
                )
            worst_new = max(f for f, _ in results.values())
            worst_switch = max(s for _, s in results.values())
            print(
                f"\nslowest: new session {worst_new:.2f} s ({worst_new / floor_new:.1f}× floor), "
                f"page switch {worst_switch:.2f} s ({worst_switch / floor_switch:.1f}× floor)"
            )
            print("goals: demo data new session <= 1.5 s, switch <= 0.5 s; at 100,000 a wave <= 2× the floor")
            browser.close()


if __name__ == "__main__":
    main()
