"""Shared controls. Each function draws widgets and returns their values.

The widget keys ``lang``, ``model``, ``beam`` and ``text`` are also URL query
parameters (see ``app.url_state``), so a copied link restores the same view.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import streamlit as st

from app.charts import COLOR_SCALES, DEFAULT_COLOR_SCALE, Style
from app.i18n import LANGUAGES, STRINGS, language_from_locale, t
from app.state import ModelEntry
from app.url_state import clamp_choice

MAX_BEAM = 8


@dataclass(frozen=True)
class DisplayOptions:
    """How maps are drawn; none of these triggers a new translation."""

    hide_special: bool
    merge_words: bool
    predicted_labels: bool
    style: Style


def language_name(code: str) -> str:
    """``"de"`` → "German" / "독일어" in the interface language."""
    key = f"lang.{code}"
    return t(key) if key in STRINGS else code


def _mirror(key: str) -> dict:
    """Keep a widget in step with the state value ``st.session_state[key]``.

    The value (restored from a link, or chosen) lives under ``key``; the
    widget uses ``key + "_widget"`` and copies its choice back on change.
    Setting the widget's own state before it is drawn is Streamlit's way to
    choose its value programmatically, so a value restored from the URL
    survives the next interaction. Returns the widget keyword arguments.
    """
    widget_key = f"{key}_widget"
    if st.session_state.get(widget_key) != st.session_state[key]:
        st.session_state[widget_key] = st.session_state[key]

    def copy_back() -> None:
        if st.session_state.get(widget_key) is not None:
            st.session_state[key] = st.session_state[widget_key]

    return {"key": widget_key, "on_change": copy_back}


def language_selector() -> str:
    """English/Korean switch; defaults to ``?lang=`` or the browser's locale."""
    clamp_choice("lang", list(LANGUAGES), language_from_locale(getattr(st.context, "locale", None)))
    st.sidebar.segmented_control(
        "Language · 언어", list(LANGUAGES), format_func=LANGUAGES.get, required=True, **_mirror("lang")
    )
    return st.session_state["lang"]


def model_picker(models: list[ModelEntry]) -> ModelEntry:
    """Choose a shipped model; the label shows its language pair and quality."""
    by_name = {m.name: m for m in models}
    clamp_choice("model", list(by_name), models[0].name)

    def label(name: str) -> str:
        m = by_name[name]
        badge = f" · {t('model.toy')}" if m.toy else ""
        quality = f" · {m.quality}" if m.quality else ""
        return f"{m.title}{quality}{badge}"

    st.sidebar.selectbox(t("model.label"), list(by_name), format_func=label, help=t("model.help"), **_mirror("model"))
    return by_name[st.session_state["model"]]


def decoding_controls() -> int:
    """Greedy (beam 1) or beam search with 2–8 beams."""
    options = list(range(1, MAX_BEAM + 1))
    clamp_choice("beam", options, 1)
    st.sidebar.select_slider(
        t("decoding.label"),
        options=options,
        format_func=lambda b: t("decoding.greedy") if b == 1 else str(b),
        help=t("decoding.help"),
        **_mirror("beam"),
    )
    return int(st.session_state["beam"])


def display_options() -> DisplayOptions:
    """Display toggles in a sidebar expander."""
    theme = getattr(getattr(st.context, "theme", None), "type", None)
    with st.sidebar.expander(t("display.title"), expanded=False):
        hide = st.toggle(t("display.hide_special"), key="hide_special", help=t("display.hide_special_help"))
        merge = st.toggle(t("display.merge_words"), key="merge_words", help=t("display.merge_words_help"))
        predicted = st.toggle(t("display.predicted"), key="predicted_labels", help=t("display.predicted_help"))
        values = st.toggle(t("display.values"), key="show_values")
        scale = st.selectbox(
            t("display.colorscale"), COLOR_SCALES, index=COLOR_SCALES.index(DEFAULT_COLOR_SCALE), key="colorscale",
            help=t("display.colorscale_help"),
        )
        dark = st.toggle(t("display.dark"), value=theme == "dark", key="dark")
    return DisplayOptions(hide, merge, predicted, Style(colorscale=scale, dark=dark, show_values=values))


def sentence_input(model: ModelEntry) -> str:
    """The sentence box (Enter runs it), a Translate button and example sentences.

    The typed text lives in ``st.session_state["text"]`` and in the URL, and
    is never cleared by the app.
    """
    if "text" not in st.session_state and not st.query_params.get("text"):
        st.session_state["text"] = model.examples[0] if model.examples else ""
    elif st.session_state.get("text"):
        # Arriving from another page the box is a new widget, which only takes
        # a value set through the Session State API: set the sentence again.
        st.session_state["text"] = st.session_state["text"]

    def use_example() -> None:
        choice = st.session_state.get("example_choice")
        if choice:
            st.session_state["text"] = choice
        st.session_state["example_choice"] = None

    col_text, col_button = st.columns([6, 1], vertical_alignment="bottom")
    with col_text:
        text = st.text_input(
            t("input.label", lang=language_name(model.source_language)),
            key="text",
            persist_state="session",
            placeholder=t("input.placeholder"),
            help=t("input.help"),
        )
    with col_button:
        st.button(t("input.run"), type="primary", width="stretch")
    if model.examples:
        st.pills(t("input.examples"), list(model.examples), key="example_choice", on_change=use_example)
    return text or ""


def token_chips(tokens: list[str], special: list[bool], caption: str) -> None:
    """Tokens as chips; special tokens greyed. Escaped: ``<b>`` shows as text."""
    chips = "".join(
        f'<span class="al-chip{" al-special" if s else ""}">{html.escape(tok)}</span>' for tok, s in zip(tokens, special)
    )
    st.html(
        f"""<div class="al-chips"><span class="al-chips-caption">{html.escape(caption)}</span>{chips}</div>
<style>
.al-chips {{display:flex;flex-wrap:wrap;gap:4px;align-items:center;margin:2px 0 6px 0}}
.al-chips-caption {{font-size:0.8rem;opacity:0.7;margin-right:6px}}
.al-chip {{border:1px solid rgba(49,51,63,0.25);border-radius:6px;padding:1px 6px;font-family:monospace;font-size:0.9rem;white-space:pre}}
.al-special {{opacity:0.55;font-style:italic}}
</style>"""
    )
