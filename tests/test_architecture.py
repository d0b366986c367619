"""The domain package stays a plain Python package."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_importing_survey_model_does_not_import_streamlit():
    """`import survey_model` (and every module in it) never pulls streamlit in."""
    code = (
        "import sys, pkgutil, importlib, survey_model\n"
        "for m in pkgutil.walk_packages(survey_model.__path__, 'survey_model.'):\n"
        "    if m.name != 'survey_model.__main__': importlib.import_module(m.name)\n"
        "print('streamlit' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
