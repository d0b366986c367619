"""Shared fixtures: the demo database built once per session, and an AppTest of the app on a private copy."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder whose embedded database holds the demo waves, loaded the way the app does on first start."""
    from survey_model.samples import load_samples
    from survey_model.settings import Settings
    from survey_model.store import Store

    folder = tmp_path_factory.mktemp("demo-instance")
    store = Store.from_settings(Settings(data_dir=folder))
    load_samples(store, user="test setup")
    store.close()
    return folder


@pytest.fixture
def data_dir(demo_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the demo data folder, selected through the environment like a real deployment."""
    folder = tmp_path / "instance"
    shutil.copytree(demo_data_dir, folder)
    monkeypatch.setenv("CLD_DATA_DIR", str(folder))
    monkeypatch.delenv("CLD_DATABASE_URL", raising=False)
    _clear_streamlit_caches()
    return folder


@pytest.fixture
def app(data_dir: Path) -> Callable[..., object]:
    """Build an AppTest of ``app.py`` on the private demo copy; call it with query parameters if needed."""
    from streamlit.testing.v1 import AppTest

    def build(**query: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        return at

    return build


def _clear_streamlit_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
