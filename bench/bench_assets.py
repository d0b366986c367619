"""What a first visit downloads: Streamlit's front-end files for the Overview, as served and compressed.

    python -m bench.bench_assets [--check-server] [--through http://localhost:8080]

Streamlit serves its front end from ``streamlit/static`` without compression. This lists the files a first visit
to the Overview needs: ``index.html``, the entry script and everything it imports statically (``import … from``),
the style sheets and the fonts it preloads, plus the element bundles the Overview draws (charts, tables, metrics,
Markdown) with their static imports. Lazily imported chunks the Overview does not draw are left out, so the total
is a floor (a browser also fetches a few small chunks on demand). For those files it prints the bytes as served
today and gzipped at level 6 (what a reverse proxy such as nginx or Caddy sends by default); fonts (``.woff2``)
are already compressed and stay as they are. ``--check-server`` starts ``streamlit run`` on a bare page and
asks for the entry script with ``Accept-Encoding: gzip`` to show whether the answer is compressed.
"""

from __future__ import annotations

import argparse
import gzip
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

#: Element bundles the Overview draws (prefixes of the file names in static/js).
OVERVIEW_ELEMENTS = ("ArrowVegaLiteChart.", "DataFrame.", "Metric.", "StreamlitMarkdown.", "loadVegaEmbed.")
_IMPORT = re.compile(r"""(?:import|from)\s*["'](\./[^"']+\.js)["']""")


def static_folder() -> Path:
    import streamlit

    return Path(streamlit.__file__).parent / "static"


def _closure(js: Path, start: list[Path]) -> set[Path]:
    """The files in ``start`` and every file they import statically, transitively."""
    seen: set[Path] = set()
    todo = list(start)
    while todo:
        path = todo.pop()
        if path in seen or not path.exists():
            continue
        seen.add(path)
        text = path.read_text(encoding="utf-8", errors="replace")
        todo += [js / Path(name).name for name in _IMPORT.findall(text)]
    return seen


def first_visit_files(static: Path) -> list[Path]:
    """``index.html`` and the files a first visit to the Overview loads (see the module docstring)."""
    index = static / "index.html"
    html = index.read_text(encoding="utf-8")
    referenced = [static / ref.lstrip("./") for ref in re.findall(r"""(?:src|href)="(\./static/[^"]+)""", html)]
    js = static / "static" / "js"
    scripts = [path for path in referenced if path.suffix == ".js"]
    scripts += [path for path in js.iterdir() if path.name.startswith(OVERVIEW_ELEMENTS)]
    others = [path for path in referenced if path.suffix != ".js"]
    css = sorted((static / "static" / "css").glob("*.css"))
    return [index, *sorted(_closure(js, scripts)), *others, *[path for path in css if path not in others]]


def sizes(files: list[Path]) -> tuple[int, int]:
    """Bytes as served (uncompressed) and gzipped at level 6 (fonts counted as they are)."""
    raw = packed = 0
    for path in files:
        data = path.read_bytes()
        raw += len(data)
        packed += len(data) if path.suffix in (".woff2", ".png") else len(gzip.compress(data, compresslevel=6))
    return raw, packed


def check_server() -> str:
    """The ``Content-Encoding`` Streamlit answers for its entry script when gzip is accepted."""
    from bench.bench_start import BARE, _free_port

    with tempfile.TemporaryDirectory() as temporary:
        page = Path(temporary) / "bare.py"
        page.write_text(BARE, encoding="utf-8")
        port = _free_port()
        command = [sys.executable, "-m", "streamlit", "run", str(page), "--server.headless", "true"]
        command += ["--server.port", str(port), "--browser.gatherUsageStats", "false"]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            entry = next(
                p for p in first_visit_files(static_folder()) if p.name.startswith("index.") and p.suffix == ".js"
            )
            url = f"http://127.0.0.1:{port}/static/js/{entry.name}"
            for _ in range(300):
                try:
                    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip, br"})
                    with urllib.request.urlopen(request, timeout=2) as answer:
                        body = answer.read()
                        encoding = answer.headers.get("Content-Encoding") or "none (identity)"
                        return f"{entry.name}: Content-Encoding {encoding}, {len(body):,} bytes sent"
                except OSError:
                    time.sleep(0.1)
            return "server did not answer"
        finally:
            process.terminate()
            process.wait(timeout=30)


def through(base: str, static: Path, files: list[Path]) -> tuple[int, int, int]:
    """Fetch each file from a running server (e.g. behind a reverse proxy) accepting gzip: files fetched, bytes on
    the wire, and how many came compressed."""
    wire = compressed = 0
    for path in files:
        url = base.rstrip("/") + "/" + path.relative_to(static).as_posix()
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            wire += len(answer.read())  # urllib does not decompress: these are the bytes sent
            compressed += answer.headers.get("Content-Encoding") == "gzip"
    return len(files), wire, compressed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check-server", action="store_true")
    parser.add_argument("--through", metavar="URL", help="also fetch the files from this running server")
    args = parser.parse_args()
    static = static_folder()
    files = first_visit_files(static)
    raw, packed = sizes(files)
    print(f"first visit to the Overview: {len(files)} files from {static}")
    print(f"  as Streamlit serves them: {raw / 1e6:5.2f} MB")
    print(f"  gzip level 6:             {packed / 1e6:5.2f} MB  ({packed / raw:.0%} of the bytes)")
    everything = [p for p in static.rglob("*") if p.is_file() and p.suffix in (".js", ".css", ".html", ".json")]
    raw_all, packed_all = sizes(everything)
    print(f"every script and style sheet in the folder ({len(everything)} files): {raw_all / 1e6:.1f} MB, ", end="")
    print(f"gzipped {packed_all / 1e6:.1f} MB")
    if args.through:
        count, wire, compressed = through(args.through, static, files)
        print(f"through {args.through}: {count} files, {wire / 1e6:.2f} MB on the wire, {compressed} gzipped")
    if args.check_server:
        print("Streamlit itself:", check_server())


if __name__ == "__main__":
    main()
