"""Start-up: a fresh ``streamlit run app.py`` to its first page on the demo data, beside a bare Streamlit page.

    python -m bench.bench_start [--repeat 3]

Loads the demo data once into a temporary folder (the app's first start is timed by the first-start progress,
not here), then, alternately for a one-line Streamlit page and for ``app.py``, ``--repeat`` times:

* starts ``python -m streamlit run`` headless on a free port, in a fresh process;
* opens the page's websocket the way a browser does and asks for the first run;
* stops the clock when the server says the script finished (``script_finished``), and reads the server's
  resident memory (``VmRSS``) then.

Prints the median seconds to the first page and the memory after it, and the ratios to the bare page. Goals:
time ≤ 1.3 × the bare page's, memory ≤ 220 MB. Linux only (memory is read from ``/proc``). Which modules the
start imports, and what each costs: ``python -X importtime -c "import ui.data, ui.tables, ui.display"``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BARE = 'import streamlit as st\n\nst.title("Hello")\nst.write("A bare Streamlit page.")\n'


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _first_page(port: int) -> None:
    """Connect like a browser, ask for a run, return when the server says the script finished."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    async with websockets.connect(
        f"ws://127.0.0.1:{port}/_stcore/stream", max_size=None, subprotocols=["streamlit"]
    ) as socket_:
        request = BackMsg()
        request.rerun_script.query_string = ""
        request.rerun_script.page_script_hash = ""
        await socket_.send(request.SerializeToString())
        while True:
            message = ForwardMsg()
            message.ParseFromString(await socket_.recv())
            if message.WhichOneof("type") == "script_finished":
                return


def start_once(script: Path, *, env: dict[str, str], timeout: float = 120) -> tuple[float, float]:
    """Seconds from process start to the first page finished, and the server's resident MB then."""
    return _start(script, env=env, timeout=timeout, cwd=ROOT)


def _start(script: Path, *, env: dict[str, str], timeout: float, cwd: Path) -> tuple[float, float]:
    port = _free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true"]
    command += ["--server.port", str(port), "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"{script.name} did not start within {timeout} s")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.02)
        asyncio.run(asyncio.wait_for(_first_page(port), timeout))
        seconds = time.perf_counter() - started
        time.sleep(0.3)  # let the run's last allocations settle before reading memory
        return seconds, _rss_mb(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--other", type=Path, help="another checkout of the app (e.g. the commit before a change), timed alternately"
    )
    args = parser.parse_args()
    from survey_model.samples import load_samples
    from survey_model.settings import Settings
    from survey_model.store import Store

    with tempfile.TemporaryDirectory(prefix="bench-start-") as temporary:
        folder = Path(temporary)
        store = Store.from_settings(Settings(data_dir=folder / "instance"))
        load_samples(store, user="bench")
        store.close()
        bare = folder / "bare.py"
        bare.write_text(BARE, encoding="utf-8")
        env = {**os.environ, "CLD_DATA_DIR": str(folder / "instance"), "PYTHONPATH": str(ROOT)}
        env.pop("CLD_DATABASE_URL", None)
        runs = [("bare page", bare, ROOT), ("app.py", ROOT / "app.py", ROOT)]
        if args.other:
            runs.append(("other app.py", args.other / "app.py", args.other))
        times: dict[str, list[float]] = {name: [] for name, _, _ in runs}
        memory: dict[str, list[float]] = {name: [] for name, _, _ in runs}
        for _ in range(args.repeat):
            for name, script, root in runs:
                seconds, rss = _start(script, env={**env, "PYTHONPATH": str(root)}, timeout=120, cwd=root)
                times[name].append(seconds)
                memory[name].append(rss)
        print(f"fresh process to its first page finished (median of {args.repeat}, all runs in brackets):")
        for name in times:
            runs = ", ".join(f"{t:.2f}" for t in times[name])
            print(f"  {name:<12} {statistics.median(times[name]):5.2f} s [{runs}]   ", end="")
            print(f"memory after it {statistics.median(memory[name]):4.0f} MB")
        ratio = statistics.median(times["app.py"]) / statistics.median(times["bare page"])
        print(f"app.py / bare page: {ratio:.2f} x (goal <= 1.3 x); app.py memory goal <= 220 MB")


if __name__ == "__main__":
    main()
