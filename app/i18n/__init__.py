"""English / Korean interface strings.

Every visible string is looked up by key: ``t("explorer.title")``. Each area
of the app has its own table in this folder, a TOML file a translator can
edit without touching code — ``common.toml`` (sidebar, sentence box, links),
``explorer.toml``, one per lesson (``masks``, ``scaled``, ``positional``,
``multihead``, ``architecture``) and ``export.toml`` — with English and Korean
side by side under each key::

    ["masks.title"]
    en = "Masks: padding and look-ahead"
    ko = "마스킹 (Masking): 패딩 마스크와 룩어헤드 마스크"

``tests/test_i18n.py`` checks that every key has both languages with the same
``{placeholders}`` and that no table shadows another.
Korean follows the terms of Korean study notes (쿼리/키/밸류, 어텐션, 마스킹,
포지셔널 인코딩), with the English term beside it on first use.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

LANGUAGES = {"en": "English", "ko": "한국어"}
DEFAULT_LANGUAGE = "en"

AREAS = ("common", "explorer", "masks", "scaled", "positional", "multihead", "ablations", "training", "seq2seq", "architecture",
         "export")
FOLDER = Path(__file__).resolve().parent
TABLES: dict[str, dict[str, dict[str, str]]] = {
    area: tomllib.loads((FOLDER / f"{area}.toml").read_text(encoding="utf-8")) for area in AREAS
}
STRINGS: dict[str, dict[str, str]] = {key: entry for table in TABLES.values() for key, entry in table.items()}


def language_from_locale(locale: str | None) -> str:
    """``"ko-KR"`` → ``"ko"``; anything else → English."""
    return "ko" if locale and locale.lower().startswith("ko") else DEFAULT_LANGUAGE


def translate(key: str, language: str, /, **values: object) -> str:
    """The string for ``key`` in ``language`` (English if missing), formatted with ``values``."""
    entry = STRINGS.get(key)
    if entry is None:
        raise KeyError(f"no interface string {key!r}: add it to the table of its area, app/i18n/<area>.toml")
    text = entry.get(language) or entry[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def current_language() -> str:
    """The language of the current Streamlit session (English outside Streamlit)."""
    try:
        import streamlit as st

        return st.session_state.get("lang", DEFAULT_LANGUAGE)
    except Exception:  # noqa: BLE001 - outside a Streamlit run
        return DEFAULT_LANGUAGE


def t(key: str, **values: object) -> str:
    """Shorthand used by the pages: the string in the session's language."""
    return translate(key, current_language(), **values)
