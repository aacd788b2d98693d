"""Helpers for Streamlit AppTest tests of the app."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from app import i18n

ROOT = Path(__file__).resolve().parent.parent
MAIN = str(ROOT / "app" / "main.py")


def shipped_models() -> list[tuple[str, str]]:
    """(model name, an example sentence in its source language) for every shipped model."""
    models = []
    for config in sorted((ROOT / "pretrained").glob("*/config.json")):
        meta = json.loads(config.read_text(encoding="utf-8")).get("metadata", {})
        examples = meta.get("examples") or ["a b c"]
        models.append((config.parent.name, examples[-1]))
    return models


def new_app(model: str | None = None, text: str | None = None, lang: str = "en", **state: object) -> AppTest:
    """A fresh app run with the sidebar preset through session state.

    AppTest keeps only the page's own elements in its tree after the first
    run of an ``st.navigation`` app, so sidebar widgets (language, model,
    beam, display options) are set here, before the first run.
    """
    at = AppTest.from_file(MAIN, default_timeout=120)
    at.session_state["lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    if model:
        at.session_state["model"] = model
    if text is not None:
        at.session_state["text"] = text
    return at.run()


def open_app_page(page: str, lang: str = "en", model: str | None = None, text: str | None = None,
                  params: dict[str, str] | None = None) -> AppTest:
    """The app with the sidebar preset (as ``new_app``) and ``params`` in the address bar,
    switched to ``app_pages/<page>.py`` and run, without an exception."""
    at = AppTest.from_file(MAIN, default_timeout=180)
    at.session_state["lang"] = lang
    if model:
        at.session_state["model"] = model
    if text is not None:
        at.session_state["text"] = text
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert_no_exception(at)
    return at


def assert_no_exception(at: AppTest) -> None:
    """No exception, and not the short "something went wrong" message ``main.py`` shows instead of one."""
    assert not at.exception, [e.message for e in at.exception]
    failed = {i18n.translate("app.failed", lang) for lang in i18n.LANGUAGES}
    assert not [e.value for e in at.error if e.value in failed], "a page raised: see the server log above"


def exported_charts(at: AppTest, key: str) -> list[str]:
    """The charts the page's "Export for slides" panel ``key`` offers, by title: the panel
    is opened first (its widgets are built only while open) and stays open."""
    is_open = f"{key}_open" in at.session_state and at.session_state[f"{key}_open"]
    if not is_open:
        at.session_state[f"{key}_open"] = True
        at.run()
        assert_no_exception(at)
    return list(at.radio(key=f"{key}_what").options)
