"""Shareable links: the view lives in the URL's query string.

``?lang=ko&model=multi30k-en-de&text=A+dog+runs.&beam=4&section=cross&layer=2&head=3``
(with the page in the path, e.g. ``/masks``) restores the same view.

Values are stored as stable codes (``ko``, ``cross``, ``avg``), never as
translated labels, so a link made in Korean opens correctly in English.
On the first run of a session the URL fills ``st.session_state``; at the end
of every run the current state is written back, so the address bar always
holds a link to what is on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st


def _int(value: str) -> int:
    return int(value)


def _head(value: str) -> int | str:
    return "avg" if value == "avg" else int(value)


# key → parser of its URL text. Values are validated again by the widgets' owners.
URL_KEYS: dict[str, Callable[[str], Any]] = {
    "lang": str,
    "model": str,
    "text": str,
    "beam": _int,
    "section": str,
    "layer": _int,
    "head": _head,
    "step": _int,
}
RESTORED_FLAG = "_url_restored"


def restore_from_url(params: dict[str, str] | None = None) -> None:
    """Copy valid query parameters into session state, once per session."""
    if st.session_state.get(RESTORED_FLAG):
        return
    st.session_state[RESTORED_FLAG] = True
    params = dict(st.query_params) if params is None else params
    for key, parse in URL_KEYS.items():
        if key in params:
            try:
                st.session_state[key] = parse(params[key])
            except (TypeError, ValueError):
                continue  # a malformed value is ignored; the widget's default applies


def sync_to_url(page: str = "") -> None:
    """Write the current view into the query string.

    Only what differs is sent, except right after a page switch: the browser
    drops the query string when it changes page, while the server's copy
    still holds the old one, so the whole view is written again.
    """
    wanted = {
        key: str(st.session_state[key])
        for key in URL_KEYS
        if st.session_state.get(key) not in (None, "")
    }
    page_changed = st.session_state.get("_url_page") != page
    st.session_state["_url_page"] = page
    if page_changed or dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)


def clamp_choice(key: str, options: list[Any], default: Any) -> None:
    """Reset ``st.session_state[key]`` to ``default`` unless it is one of ``options``.

    Call before creating a widget whose value may have come from a link.
    """
    if st.session_state.get(key) not in options:
        st.session_state[key] = default
