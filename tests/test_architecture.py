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


def test_the_domain_package_never_reaches_into_the_app():
    """No module of survey_model imports the Streamlit glue (ui) or the page scripts (views), even lazily."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "survey_model").rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if line.strip().startswith(("from ui", "import ui", "from views", "import views"))
    ]
    assert offenders == []
