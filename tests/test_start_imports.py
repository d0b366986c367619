"""A start and its first page pay only for what they use: heavy libraries wait for the page that needs them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from scipy import stats

from survey_model.intervals import Z_95, normal_quantile

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pptx", "vl_convert", "scipy.stats", "openpyxl", "sklearn")


def test_first_page_imports_no_heavy_library(demo_data_dir: Path) -> None:
    """The glue app.py loads and the Overview's figures on the demo data import no PowerPoint, image, statistics,
    spreadsheet or machine-learning library."""
    code = f"""
import sys
from pathlib import Path
import ui.data, ui.display, ui.state, ui.tables
from survey_model import dashboard
from survey_model.scoring import with_condition_parts
from survey_model.settings import Settings
from survey_model.store import Store
from survey_model.tallies import tally
store = Store.from_settings(Settings(data_dir=Path({str(demo_data_dir)!r})))
codebook = store.codebook_for("cedar-valley")
frame = with_condition_parts(store.load_responses("cedar-valley"), codebook)
view = dashboard.overview(frame, codebook, wave="2026 Spring", restriction={{}}, settings=Settings(),
                          tallies=tally(frame, codebook))
print(" ".join(name for name in {HEAVY!r} if name in sys.modules))
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_95_percent_quantile_is_scipys_to_the_last_bit() -> None:
    """The constant that spares the first page scipy.stats is exactly scipy's normal quantile (oracle: scipy)."""
    assert float(stats.norm.ppf(0.975)) == Z_95
    assert normal_quantile(0.95) == float(stats.norm.ppf(0.975))
    assert normal_quantile(0.9) == float(stats.norm.ppf(0.95))
