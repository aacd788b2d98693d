"""The sentence box with its examples, and tokens drawn as chips.

The sentence is bound to the URL (``?text=``, Streamlit's ``bind="query-params"``)
and shared by every page that translates it; the app never clears it.
"""

from __future__ import annotations

import html

import streamlit as st

from app.i18n import t
from app.services.languages import fits_language
from app.services.models import ModelEntry
from app.ui.choices import BIND
from app.ui.sidebar import language_name


def sentence_input(model: ModelEntry) -> str:
    """The sentence box (Enter runs it), a Translate button and example sentences.

    Without ``?text=`` the box holds the model's first example: it is the
    widget's default, so the URL leaves it out and every page shows it.
    """

    def use_example() -> None:
        choice = st.session_state.get("example_choice")
        if choice:
            st.session_state["text"] = choice
        st.session_state["example_choice"] = None

    col_text, col_button = st.columns([6, 1], vertical_alignment="bottom")
    with col_text:
        text = st.text_input(
            t("input.label", lang=language_name(model.source_language)),
            value=model.examples[0] if model.examples else "",
            key="text",
            bind=BIND,
            placeholder=t("input.placeholder"),
            help=t("input.help"),
        )
    with col_button:
        st.button(t("input.run"), type="primary", width="stretch")
    if model.examples:
        st.pills(t("input.examples"), list(model.examples), key="example_choice", on_change=use_example)
    if text and not fits_language(text, model.source_language):
        wrong_script_hint(model)
    return text or ""


def wrong_script_hint(model: ModelEntry) -> None:
    """One line under the box when the text is not in the model's source language, with a way out."""

    def load_example() -> None:
        st.session_state["text"] = model.examples[0]

    col_hint, col_button = st.columns([5, 1], vertical_alignment="center")
    with col_hint:
        st.warning(t("input.wrong_script", lang=language_name(model.source_language)), icon=":material/translate:")
    if model.examples:
        with col_button:
            st.button(t("input.load_example"), on_click=load_example, key="load_example")


CHIP_STYLE = """<style>
.al-chips {display:flex;flex-wrap:wrap;gap:4px;align-items:center;margin:2px 0 6px 0}
.al-chips-caption {font-size:0.8rem;opacity:0.7;margin-right:6px}
.al-chip {border:1px solid rgba(49,51,63,0.25);border-radius:6px;padding:1px 6px;font-family:monospace;font-size:0.9rem;white-space:pre}
.al-special {opacity:0.55;font-style:italic}
</style>"""


def token_chips(tokens: list[str], special: list[bool], caption: str, legend: bool = True) -> None:
    """Tokens as chips; special tokens greyed. Escaped: ``<b>`` shows as text.

    ``legend`` adds one line explaining the piece notation when it occurs
    (``##`` continues the previous piece; a lone ``▁`` is a space the
    tokenizer kept before a symbol it splits off), so they do not look like bugs.
    """
    chips = "".join(
        f'<span class="al-chip{" al-special" if s else ""}">{html.escape(tok)}</span>' for tok, s in zip(tokens, special)
    )
    st.html(f'<div class="al-chips"><span class="al-chips-caption">{html.escape(caption)}</span>{chips}</div>{CHIP_STYLE}')
    if legend:
        pieces_legend(tokens)


def pieces_legend(tokens: list[str]) -> None:
    """One line explaining the piece notation, only when ``tokens`` use it."""
    if any(tok.startswith("##") or tok == "▁" for tok in tokens):
        st.caption(t("input.pieces_legend"))
