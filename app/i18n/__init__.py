"""English / Korean interface strings.

Every visible string is looked up by key: ``t("explorer.title")``. Each area
of the app has its own table in this folder — ``common`` (sidebar, sentence
box), ``explorer``, one per lesson (``masks``, ``scaled``, ``positional``,
``multihead``, ``architecture``) and ``export`` — as ``{key: {"en": …, "ko": …}}``
so both languages sit side by side; a key starts with its area's name.
``tests/test_i18n.py`` checks that every key has both and no table shadows another.
Korean follows the terms of Korean study notes (쿼리/키/밸류, 어텐션, 마스킹,
포지셔널 인코딩), with the English term beside it on first use.
"""

from __future__ import annotations

from . import (
    architecture,
    common,
    explorer,
    export,
    masks,
    multihead,
    positional,
    scaled,
)

LANGUAGES = {"en": "English", "ko": "한국어"}
DEFAULT_LANGUAGE = "en"

TABLES = {
    module.__name__.rsplit(".", 1)[-1]: module.STRINGS
    for module in (common, explorer, masks, scaled, positional, multihead, architecture, export)
}
STRINGS: dict[str, dict[str, str]] = {key: entry for table in TABLES.values() for key, entry in table.items()}


def language_from_locale(locale: str | None) -> str:
    """``"ko-KR"`` → ``"ko"``; anything else → English."""
    return "ko" if locale and locale.lower().startswith("ko") else DEFAULT_LANGUAGE


def translate(key: str, language: str, /, **values: object) -> str:
    """The string for ``key`` in ``language`` (English if missing), formatted with ``values``."""
    entry = STRINGS.get(key)
    if entry is None:
        raise KeyError(f"no interface string {key!r}: add it to the table of its area in app/i18n/")
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
