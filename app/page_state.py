"""Streamlit glue shared by the pages: the model, the sentence, cached results.

Pages call ``model_and_sentence`` to get a usable model and the user's
sentence (or ``None`` after showing the right message), ``translation`` for
the cached translation, and the cached wrappers below for anything else the
model computes. Cached results are shared by every session and never mutated.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from app import state, widgets
from app.context import AppContext
from app.i18n import t
from app.lessons import scaled
from app.state import ModelEntry
from core import BatchInspection, LayerTrace, TranslationResult, Translator
from core.tokenizer import clean_text


@dataclass(frozen=True)
class Ready:
    """A loaded model and a non-empty sentence to show."""

    model: ModelEntry
    translator: Translator
    text: str


def usable_model(ctx: AppContext, message_if_missing: bool = True) -> tuple[ModelEntry, Translator] | None:
    """The sidebar's model, loaded; ``None`` (after an error message) when there is none or it is broken."""
    if ctx.model is None:
        if message_if_missing:
            st.error(t("model.none"))
        return None
    error = state.model_error(ctx.model.name)
    if error:
        st.error(t("model.broken", error=error))
        return None
    return ctx.model, state.get_translator(ctx.model.name)


def model_and_sentence(ctx: AppContext) -> Ready | None:
    """Draw the shared sentence box and return what the lesson needs, or ``None``.

    Shows ``st.error`` for a missing/broken model, ``st.info`` for an empty
    sentence, ``st.warning`` for text with nothing to translate, and a
    truncation warning for input longer than the model takes.
    """
    loaded = usable_model(ctx)
    if loaded is None:
        return None
    model, translator = loaded
    if model.toy:
        st.info(t("model.toy_note", title=model.title))
    text = widgets.sentence_input(model)
    if not text.strip():
        st.info(t("input.empty"))
        return None
    if not clean_text(text):
        st.warning(t("input.nothing_to_translate"))
        return None
    warn_if_truncated(translator, text)
    return Ready(model, translator, text)


def translation(ready: Ready, beam_size: int) -> TranslationResult | None:
    """The cached translation of the ready sentence, or ``None`` after a warning
    when the text has nothing to translate."""
    try:
        with st.spinner(t("input.running")):
            return state.get_translation(ready.model.name, ready.text, beam_size)
    except ValueError:
        st.warning(t("input.nothing_to_translate"))
        return None


def warn_if_truncated(translator: Translator, text: str) -> None:
    """The shared warning when ``text`` is longer than the model takes (it is cut, as in ``translate``)."""
    if len(translator.source_tokenizer.encode(text)) > translator.max_source_tokens:
        st.warning(t("input.truncated", n=translator.max_source_tokens))


@st.cache_resource(show_spinner=False, max_entries=128)
def inspect(name: str, sources: tuple[str, ...]) -> BatchInspection:
    """``Translator.inspect_batch`` of ``sources`` (greedy translations as targets), once per process."""
    return state.get_translator(name).inspect_batch(list(sources))


@st.cache_resource(show_spinner=False, max_entries=256)
def trace(name: str, text: str, kind: str, layer: int, target_ids: tuple[int, ...]) -> LayerTrace:
    """``Translator.trace_layer`` on a translation's decoder input, once per process."""
    return state.get_translator(name).trace_layer(text, kind, layer, list(target_ids))


@st.cache_data(show_spinner=False, max_entries=64)
def scaling_stats(d_k: int, n_keys: int, seed: int) -> scaled.ScalingStats:
    return scaled.scaling_stats(d_k, n_keys, seed=seed)


@st.cache_data(show_spinner=False, max_entries=16)
def scaling_curve(n_keys: int, seed: int) -> list[scaled.ScalingStats]:
    return scaled.scaling_curve(n_keys=n_keys, seed=seed)
