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


#: Modules another change is reshaping (privacy and results pages, shifts, demo); they get ``__all__`` there.
WITHOUT_ALL_YET: set[str] = set()


def test_every_public_module_says_what_it_exports():
    """Each module of survey_model has ``__all__``, and every name in it exists."""
    import importlib
    import pkgutil

    import survey_model

    missing = []
    for info in pkgutil.walk_packages(survey_model.__path__, "survey_model."):
        if info.name == "survey_model.__main__" or info.name in WITHOUT_ALL_YET:
            continue
        module = importlib.import_module(info.name)
        if not hasattr(module, "__all__"):
            missing.append(info.name)
            continue
        assert [name for name in module.__all__ if not hasattr(module, name)] == [], info.name
    assert missing == []


def test_the_core_api_is_importable_from_the_package_without_loading_heavy_libraries():
    """``import survey_model`` loads no scipy, SQLAlchemy, openpyxl, python-pptx, vl-convert or altair; each
    name of ``survey_model.__all__`` is then there on first use."""
    code = (
        "import sys, survey_model as sm\n"
        "heavy = ('scipy', 'sqlalchemy', 'openpyxl', 'pptx', 'vl_convert', 'altair', 'streamlit')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
        "print([n for n in sm.__all__ if getattr(sm, n, None) is None])\n"
        "print(sm.compare_waves.__module__, sm.Store.__module__, sm.wilson_interval(30, 100)[0] > 0)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["[]", "[]", "survey_model.shifts.waves survey_model.store.database True"]
