"""Shared controls. Each function draws widgets and returns their values.

Widget keys are also URL query parameters (``bind="query-params"``), so a
copied link restores the same model, sentence, decoding and view.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import streamlit as st

from app.charts import COLOR_SCALES, DEFAULT_COLOR_SCALE, Style
from app.i18n import LANGUAGES, STRINGS, language_from_locale, t
from app.state import ModelEntry

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


def language_selector() -> str:
    """English/Korean switch; defaults to ``?lang=`` or the browser's locale."""
    default = language_from_locale(getattr(st.context, "locale", None))
    if "lang" not in st.session_state and st.query_params.get("lang") not in LANGUAGES:
        st.session_state["lang"] = default
    lang = st.sidebar.segmented_control(
        "Language · 언어",
        list(LANGUAGES),
        format_func=LANGUAGES.get,
        key="lang",
        bind="query-params",
        required=True,
    )
    return lang or default


def model_picker(models: list[ModelEntry]) -> ModelEntry:
    """Choose a shipped model; the label shows its language pair and quality."""
    by_name = {m.name: m for m in models}
    if st.session_state.get("model") not in by_name:
        st.session_state["model"] = models[0].name

    def label(name: str) -> str:
        m = by_name[name]
        badge = f" · {t('model.toy')}" if m.toy else ""
        quality = f" · {m.quality}" if m.quality else ""
        return f"{m.title}{quality}{badge}"

    name = st.sidebar.selectbox(
        t("model.label"), list(by_name), format_func=label, key="model", bind="query-params", help=t("model.help")
    )
    return by_name[name]


def decoding_controls() -> int:
    """Greedy (beam 1) or beam search with 2–8 beams."""
    beam = st.sidebar.select_slider(
        t("decoding.label"),
        options=list(range(1, MAX_BEAM + 1)),
        format_func=lambda b: t("decoding.greedy") if b == 1 else str(b),
        key="beam",
        bind="query-params",
        help=t("decoding.help"),
    )
    return int(beam)


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
            bind="query-params",
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
