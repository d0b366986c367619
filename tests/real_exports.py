"""Where the real survey exports for the import tests are: ``CLD_REAL_EXPORTS``, else ``../shared/real-exports``.

The exports are files written by the survey platforms for other surveys; they are kept outside this repository
(they are not ours to publish). Point ``CLD_REAL_EXPORTS`` at a copy of them; a relative path is taken from the
repository root. Tests that need them are skipped when the folder is missing.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = Path("..") / "shared" / "real-exports"
REAL_EXPORTS = (ROOT / (os.environ.get("CLD_REAL_EXPORTS", "").strip() or DEFAULT)).resolve()
"""The folder of real exports (it may not exist)."""
MISSING = f"the real exports are not at {REAL_EXPORTS} (set CLD_REAL_EXPORTS, see the README)"
"""Skip reason for tests that need them."""
