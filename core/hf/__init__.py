"""Hugging Face encoder–decoder models (Marian/opus-mt, BART, mBART, T5/mT5, M2M-100/NLLB) in every view.

``core.load_translator`` sends a folder here when its ``config.json`` is a
Hugging Face one. ``transformers`` is imported only when such a folder is
opened, so the app and our own models work without it.

* ``folder.py``: recognise a folder, read its sidecar (no ``transformers``).
* ``loader.py``: open it as an ``HFTranslator``.
* ``model.py``: the library model behind ``core.decoding``'s interface.
* ``tokens.py``: the library tokenizer behind ``core.tokenizer.Tokenizer``'s interface.
* ``capture.py``: Q/K/V and scores through public forward pre-hooks.
* ``translator.py``: ``HFTranslator``.
"""

from .folder import (
    SIDECAR_FILE,
    SUPPORTED_MODEL_TYPES,
    TRANSFORMERS_PIN,
    HFFolder,
    HFFolderError,
    guess_languages,
    is_hf_folder,
    open_hf_folder,
    transformers_available,
)
from .loader import load_hf_translator, preload_library

__all__ = [
    "SIDECAR_FILE",
    "SUPPORTED_MODEL_TYPES",
    "TRANSFORMERS_PIN",
    "HFFolder",
    "HFFolderError",
    "guess_languages",
    "is_hf_folder",
    "load_hf_translator",
    "open_hf_folder",
    "preload_library",
    "transformers_available",
]
