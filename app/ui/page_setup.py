"""What every page that shows a model does first: a usable model, the sentence, the translation.

Pages call ``model_and_sentence`` to get a loaded model and the user's
sentence (or ``None`` after showing the right message) and ``translation``
for the cached translation (``app.services.translations``).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from app.i18n import t
from app.services import models, translations
from app.services.models import ModelEntry
from app.ui.sentence import sentence_input
from app.ui.sidebar import AppContext
from core import NothingToTranslate, TranslationResult, Translator
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
    error = models.model_error(ctx.model)
    if error:
        st.error(t("model.broken", error=error))
        return None
    return ctx.model, models.get_translator(ctx.model)


def model_and_sentence(ctx: AppContext) -> Ready | None:
    """Draw the shared sentence box and return what the page needs, or ``None``.

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
    text = sentence_input(model)
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
            return translations.get_translation(ready.model, ready.text, beam_size)
    except NothingToTranslate:
        st.warning(t("input.nothing_to_translate"))
        return None


def view_unavailable(translator: Translator, view: str, model_name: str) -> bool:
    """``True`` (after saying why) when ``view`` does not apply to this model
    (``Translator.unsupported_views``: a Hugging Face model has no ablation switches,
    T5's scores are not QKᵀ/√d_k …)."""
    reason = translator.unsupported_views.get(view)
    if reason is None:
        return False
    positional = getattr(translator.config, "positional", "sinusoidal")
    st.info(t(f"view.unsupported.{reason}", model=model_name, positional=t(f"architecture.value.{positional}")))
    return True


def warn_if_truncated(translator: Translator, text: str) -> None:
    """The shared warning when ``text`` is longer than the model takes (it is cut, as in ``translate``)."""
    if len(translator.source_tokenizer.encode(text)) > translator.max_source_tokens:
        st.warning(t("input.truncated", n=translator.max_source_tokens))
