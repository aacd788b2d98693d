"""The view in the URL: Streamlit's ``bind="query-params"``, and the choices shared by pages.

Every control that shapes the view is bound to the URL (``BIND``; the widget
key is the query parameter). Streamlit writes a bound widget's *option label*
into the URL. Where labels are the same in every language (numbers, model
folder names, ``English``/``한국어``) the key is the parameter as is
(``?layer=2``). Where labels are translated (attention kinds, the explorer's
views) a Korean label is not an option of the English widget, so such a
control gets one key — and one URL parameter — per language
(``translated_key("stats_kind", "kind.{}".format)`` → ``stats_kind_ko``); the language switch
carries the choice over (``carry_over_choices``), and a link opens in the
language it was made in. ``note_invalid_link_value`` says when a link's value
does not fit (Streamlit then drops it and shows the default).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException

from app.i18n import LANGUAGES, current_language, t, translate

BIND = "query-params"  # Streamlit's URL binding: the widget key is the query parameter


def note_invalid_link_value(key: str, labels: list[str]) -> None:
    """Say so when the link's ``?key=`` value is not one of ``labels``.

    Streamlit's binding drops such a value from the address bar and the
    widget shows its default; this call (before the widget is drawn) tells the
    user why the view differs from the link.
    """
    value = st.query_params.get(key)
    if value is not None and value != "" and value not in labels:
        st.toast(t("link.invalid", name=key, value=value[:40]), icon=":material/link_off:")


# base name → (value → the string key of its label), for every translated control (process-wide, no user data)
TRANSLATED: dict[str, Callable[[Any], str]] = {}


def translated_key(base: str, label_key: Callable[[Any], str]) -> str:
    """The key (and URL parameter) of a bound control with translated labels, for the
    interface language; ``label_key(value)`` names the string of a value's label."""
    TRANSLATED[base] = label_key
    return f"{base}_{current_language()}"


def carry_over_choices() -> None:
    """``on_change`` of the language switch: give each translated control of the new
    language the choice made under the old one (values are codes, so they fit both).

    The new key's widget is not drawn yet, so Streamlit would not put a value set
    through session state into the URL: the label is written into the URL too
    (allowed while that parameter is not bound yet).
    """
    new = st.session_state.get("lang")
    for base, label_key in list(TRANSLATED.items()):  # a copy: other sessions may register a control meanwhile
        for old in LANGUAGES:
            value = st.session_state.get(f"{base}_{old}")
            if old == new or value is None:
                continue
            st.session_state[f"{base}_{new}"] = value
            many = isinstance(value, (list, tuple))  # a multi-select (pills, multiselect): one label per value
            labels = [translate(label_key(v), new) for v in value] if many else translate(label_key(value), new)
            try:
                st.query_params[f"{base}_{new}"] = labels
            except StreamlitAPIException:  # already bound this session: Streamlit keeps it in step
                pass


def note_invalid_link_values(key: str, labels: list[str]) -> None:
    """``note_invalid_link_value`` for a multi-select: every ``?key=`` value must be one of ``labels``."""
    bad = [v for v in st.query_params.get_all(key) if v != "" and v not in labels]
    if bad:
        st.toast(t("link.invalid", name=key, value=", ".join(bad)[:40]), icon=":material/link_off:")


def layer_and_head(n_layers: int, n_heads: int) -> tuple[int, int | None]:
    """Layer (0-based) and head (0-based, ``None`` = the average of all heads), in the URL as
    ``?layer=2&head=3`` and ``?avg_heads=true``."""
    note_invalid_link_value("layer", [str(i) for i in range(1, n_layers + 1)])
    note_invalid_link_value("head", [str(i) for i in range(1, n_heads + 1)])
    col_l, col_h, col_a = st.columns([2, 3, 2], vertical_alignment="bottom")
    with col_l:
        layer = st.segmented_control(
            t("explorer.layer"), list(range(1, n_layers + 1)), default=1, required=True, key="layer", bind=BIND
        )
    with col_a:
        average = st.toggle(t("explorer.average_toggle"), key="avg_heads", bind=BIND, help=t("explorer.average_help"))
    with col_h:
        head = st.segmented_control(
            t("explorer.head"), list(range(1, n_heads + 1)), default=1, required=True, key="head", bind=BIND,
            disabled=average,
        )
    layer = min(int(layer or 1), n_layers) - 1
    return layer, None if average else min(int(head or 1), n_heads) - 1
