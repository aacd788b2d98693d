"""The shared sidebar: language, model, decoding and display options.

Each function draws its widgets and returns their values; ``main.py`` bundles
them into an ``AppContext`` that the page being shown reads with ``current()``.

Links: every control here is bound to the URL with Streamlit's own
``bind="query-params"`` (the widget key is the parameter name). Streamlit
writes a bound widget's *option label* into the URL, so the options of these
controls are labelled the same in every language — ``English``/``한국어``,
model folder names, beam sizes, colour-scale names, on/off — and a link made
in Korean opens the same view in English. What differs per language (the
model's title and quality line) is shown in a caption under the control.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from app.figures.common import COLOR_SCALES, DEFAULT_COLOR_SCALE, Style
from app.i18n import LANGUAGES, STRINGS, language_from_locale, t
from app.lessons.explorer_view import ROW_LABELS
from app.services.languages import fits_language
from app.services.models import ModelEntry
from safetensors import SafetensorError

from core.hf import TRANSFORMERS_PIN, HFFolderError, open_hf_folder
from app.ui.choices import (
    BIND,
    carry_over_choices,
    note_invalid_link_value,
    translated_key,
)

MAX_BEAM = 8


@dataclass(frozen=True)
class DisplayOptions:
    """How maps are drawn; none of these triggers a new translation."""

    hide_special: bool
    merge_words: bool
    row_labels: str  # decoder rows: "both" (input → predicted), "input" or "predicted"
    style: Style


@dataclass(frozen=True)
class AppContext:
    """What the shared sidebar chose, handed from ``main.py`` to the page being shown."""

    model: ModelEntry | None
    beam_size: int
    display: DisplayOptions
    models: list[ModelEntry] = field(default_factory=list)


def current() -> AppContext:
    """The context ``main.py`` stored for this run of this session."""
    return st.session_state["ctx"]


def language_name(code: str) -> str:
    """``"de"`` → "German" / "독일어" in the interface language."""
    key = f"lang.{code}"
    return t(key) if key in STRINGS else code


def language_selector() -> str:
    """English/Korean switch (``?lang=``); defaults to the browser's locale."""
    default = language_from_locale(getattr(st.context, "locale", None))
    note_invalid_link_value("lang", list(LANGUAGES.values()))
    lang = st.sidebar.segmented_control(
        "Language · 언어", list(LANGUAGES), format_func=LANGUAGES.get, default=default, required=True,
        key="lang", bind=BIND, on_change=carry_over_choices,
    )
    return lang or default


PREVIOUS_EXAMPLES = "_model_examples"  # session key: the example sentences of the model shown last


def model_picker(models: list[ModelEntry]) -> ModelEntry:
    """Choose a model (``?model=`` is its folder name); its title and quality are shown below."""
    by_name = {m.name: m for m in models}
    note_invalid_link_value("model", list(by_name))

    def fit_sentence_to_model() -> None:
        """On a model change the box takes the new model's first example when it holds
        nothing, one of the previous model's examples (the letters toy's "a b c d e f"
        is Latin script, but no sentence for English models), or text that does not
        fit the new source language. A sentence the user typed that fits is kept."""
        chosen = by_name.get(st.session_state.get("model"))
        text = st.session_state.get("text")
        previous_examples = st.session_state.get(PREVIOUS_EXAMPLES, ())
        if chosen and chosen.examples and (
            not text or text in previous_examples or not fits_language(text, chosen.source_language)
        ):
            st.session_state["text"] = chosen.examples[0]

    name = st.sidebar.selectbox(
        t("model.label"), list(by_name), help=t("model.help"), key="model", bind=BIND, on_change=fit_sentence_to_model
    )
    model = by_name.get(name) or models[0]
    st.session_state[PREVIOUS_EXAMPLES] = model.examples  # read by the next model change
    st.sidebar.caption(model_caption(model))
    if model.huggingface and not model.error:
        hf_card(model)
    return model


CARD_ROWS = ("architecture", "layers", "heads", "d_model", "d_ff", "parameters", "languages", "origin")


@st.cache_data(show_spinner=False, max_entries=32)
def hf_card_rows(folder: str, fingerprint: str) -> dict[str, str] | None:
    """The card of a Hugging Face folder (``HFFolder.card``), once per folder and content;
    ``None`` when it cannot be read (a truncated download: the page then says why)."""
    try:
        return open_hf_folder(folder).card()
    except (HFFolderError, OSError, ValueError, SafetensorError):
        return None


def hf_card(model: ModelEntry) -> None:
    """A Hugging Face model's card, built from its ``config.json`` (no weights loaded) and who published it."""
    card = hf_card_rows(model.folder, model.fingerprint)
    if card is None:
        return
    with st.sidebar.expander(t("model.card")):
        st.markdown("\n".join(f"- {t(f'model.card.{key}')}: `{card[key]}`" for key in CARD_ROWS))
        quality = t("model.published_by", who=model.publisher) if model.publisher else model.quality
        st.caption(t("model.card.quality", quality=quality))


def hidden_models_note(names: list[str]) -> None:
    """One line under the picker when Hugging Face folders are hidden because ``transformers`` is missing."""
    if names:
        st.sidebar.caption(t("model.hf_hidden", n=len(names), names=", ".join(names), pin=f"`{TRANSFORMERS_PIN}`"))


def model_caption(model: ModelEntry) -> str:
    """"English → German · BLEU 37.0" in the interface language (the card has the details)."""
    if model.error:
        return t("model.unreadable")
    parts = [f"{language_name(model.source_language)} → {language_name(model.target_language)}"]
    if model.huggingface:
        parts.append(t("model.hf", model_type=model.huggingface))
        parts.append(t("model.published_by", who=model.publisher) if model.publisher else model.quality)
    if model.score:
        parts.append(f"{model.score[0]} {model.score[1]:.1f}")
    if model.toy:
        parts.append(t("model.toy"))
    return " · ".join(parts)


def decoding_controls() -> int:
    """Greedy (beam 1) or beam search with 2–8 beams (``?beam=``)."""
    note_invalid_link_value("beam", [str(b) for b in range(1, MAX_BEAM + 1)])
    beam = st.sidebar.select_slider(
        t("decoding.label"), options=list(range(1, MAX_BEAM + 1)), value=1, help=t("decoding.help"),
        key="beam", bind=BIND,
    )
    return int(beam or 1)


def display_options() -> DisplayOptions:
    """Display toggles in a sidebar expander, each in the URL (``?hide_special=true`` …)."""
    theme = getattr(getattr(st.context, "theme", None), "type", None)
    with st.sidebar.expander(t("display.title"), expanded=False):
        hide = st.toggle(t("display.hide_special"), key="hide_special", help=t("display.hide_special_help"), bind=BIND)
        merge = st.toggle(t("display.merge_words"), key="merge_words", help=t("display.merge_words_help"), bind=BIND)
        # Labels are looked up before the widget is drawn: Streamlit may call format_func
        # again outside this run, where the session's language is not known.
        row_titles = {m: t(f"display.rows.{m}") for m in ROW_LABELS}
        rows = st.segmented_control(
            t("display.rows"), list(ROW_LABELS), format_func=row_titles.get, default="both",
            required=True, key=translated_key("row_labels", "display.rows.{}".format), bind=BIND, help=t("display.rows_help"),
        )
        values = st.toggle(t("display.values"), key="show_values", bind=BIND)
        scale = st.selectbox(
            t("display.colorscale"), COLOR_SCALES, index=COLOR_SCALES.index(DEFAULT_COLOR_SCALE), key="colorscale",
            help=t("display.colorscale_help"), bind=BIND,
        )
        dark = st.toggle(t("display.dark"), value=theme == "dark", key="dark", bind=BIND)
    return DisplayOptions(hide, merge, rows or "both", Style(colorscale=scale or DEFAULT_COLOR_SCALE, dark=dark, show_values=values))
