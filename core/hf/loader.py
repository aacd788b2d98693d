"""Open a local Hugging Face folder as an ``HFTranslator`` (nothing is downloaded)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from ..checkpoint import CheckpointError, CheckpointInfo
from .folder import SIDECAR_FILE, SUPPORTED_MODEL_TYPES, TRANSFORMERS_PIN, HFFolder, HFFolderError, open_hf_folder, transformers_available
from .model import HFModel, config_view
from .tokens import HFTokens
from .translator import HFTranslator

import copy
import importlib
import threading

UNLIMITED = 1_000_000  # tokenizers without a length limit report a huge model_max_length


# The tokenizer module each model_type's folders use (BART's byte-level BPE lives in roberta).
_TOKENIZER_MODULES = {"marian": ("marian",), "bart": ("roberta",), "mbart": ("mbart", "mbart50"), "t5": ("t5",), "mt5": ("t5",),
                      "m2m_100": ("m2m_100", "nllb")}
_PRELOADED: set[str] = set()
_PRELOAD_LOCK = threading.Lock()


def preload_library(model_types: list[str] | tuple[str, ...]) -> None:
    """Import ``transformers`` and the modules of ``model_types`` now.

    Safe to call from several threads at once (one lock; ``load_hf_translator``
    calls it too, so it waits for a preload in progress instead of racing it).

    The first Hugging Face model a process opens spends most of its time
    importing the library (measured by ``bench/hf_load.py``: 5.9 s of a 6.6 s
    first load on 2 cores, the other sessions' translations slowed tenfold
    meanwhile, against 0.7 s for the load itself). The app calls this in a
    background thread as soon as it lists such a folder, so the import is done
    before anyone picks the model.
    """
    if not transformers_available():
        return
    with _PRELOAD_LOCK:
        todo = [t for t in model_types if t in SUPPORTED_MODEL_TYPES and t not in _PRELOADED]
        if not todo:
            return
        import transformers

        transformers.AutoTokenizer, transformers.AutoModelForSeq2SeqLM  # noqa: B018 - resolving these imports them
        for model_type in todo:
            package = "mt5" if model_type == "mt5" else model_type
            importlib.import_module(f"transformers.models.{package}.modeling_{package}")
            for tokenizer in _TOKENIZER_MODULES[model_type]:
                importlib.import_module(f"transformers.models.{tokenizer}.tokenization_{tokenizer}")
            _PRELOADED.add(model_type)


def _t5_prefix(meta: HFFolder) -> str:
    """The T5 task prefix: the sidecar's ``source_prefix``, else the config's
    ``task_specific_params`` entry for this language pair (``translate English to German: ``)."""
    if "source_prefix" in meta.sidecar:
        return str(meta.sidecar["source_prefix"])
    tasks = {k: v for k, v in (meta.config.get("task_specific_params") or {}).items() if k.startswith("translation_")}
    src, tgt = meta.languages
    chosen = tasks.get(f"translation_{src}_to_{tgt}") or (next(iter(tasks.values())) if len(tasks) == 1 else None)
    return str(chosen.get("prefix", "")) if chosen else ""


LANGUAGE_CODE_FORMS = {
    "m2m_100": "M2M-100: two letters such as \"de\" (NLLB: \"deu_Latn\", \"kor_Hang\")",
    "mbart": "mBART: \"de_DE\", \"ko_KR\", \"en_XX\"",
}


def _code_hint(meta: HFFolder) -> str:
    return LANGUAGE_CODE_FORMS.get(meta.model_type, "a language code of this tokenizer")


def _language_id(meta: HFFolder, tokenizer: Any, code: str, key: str) -> int:
    """The token id of language ``code`` (``key`` names the sidecar entry, for the error)."""
    try:
        token_id = tokenizer.get_lang_id(code) if hasattr(tokenizer, "get_lang_id") else tokenizer.convert_tokens_to_ids(code)
    except (KeyError, ValueError):
        token_id = None
    if token_id is None or token_id == tokenizer.unk_token_id:
        raise CheckpointError(
            f"{meta.folder / SIDECAR_FILE}: {key} {code!r} is not a language code of this tokenizer; "
            f"write one in the form {_code_hint(meta)}"
        )
    return int(token_id)


def _is_multilingual(tokenizer: Any) -> bool:
    """A tokenizer with language-code tokens (mBART-50, M2M-100, NLLB)."""
    return bool(getattr(tokenizer, "lang_code_to_id", None) or getattr(tokenizer, "lang_token_to_id", None)
                or getattr(tokenizer, "src_lang", None))


def _forced_bos(meta: HFFolder, tokenizer: Any, hf: Any) -> int | None:
    """The target language code to force as the first output token (mBART-50, M2M-100, NLLB):
    the sidecar's ``tgt_lang``, else the folder's ``generation_config``, else the tokenizer's saved
    ``tgt_lang``. A multilingual model with none of them is refused: it would translate into
    whatever language its first guess happens to be."""
    tgt_lang = meta.sidecar.get("tgt_lang")
    if tgt_lang:
        return _language_id(meta, tokenizer, str(tgt_lang), "tgt_lang")
    forced = getattr(hf.generation_config, "forced_bos_token_id", None)
    if forced is not None:
        return int(forced)
    saved = getattr(tokenizer, "tgt_lang", None)
    if saved:
        return _language_id(meta, tokenizer, str(saved), "tgt_lang (saved with the tokenizer)")
    if meta.model_type in ("m2m_100", "mbart") and _is_multilingual(tokenizer):
        raise CheckpointError(
            f"{meta.folder} is a multilingual model: say which language to translate into with "
            f"\"tgt_lang\" (and \"src_lang\") in {meta.folder / SIDECAR_FILE}, in the form {_code_hint(meta)}"
        )
    return None


def load_hf_translator(folder: str | Path) -> HFTranslator:
    """Open ``folder`` (written by ``save_pretrained`` or ``hf download``).

    Raises:
        CheckpointError: ``transformers`` is missing, the architecture is not
            supported, a file is missing or cannot be read — naming the cause and the fix.
    """
    folder = Path(folder)
    if not transformers_available():
        raise CheckpointError(f"{folder} is a Hugging Face model folder: install {TRANSFORMERS_PIN} to open it")
    try:
        meta = open_hf_folder(folder)
    except HFFolderError as exc:
        raise CheckpointError(str(exc)) from None
    # The import runs under the preload lock: ``transformers`` imports its modules lazily, and
    # a thread that reads ``transformers.AutoTokenizer`` while another is still importing the
    # library sees a half-initialised module (AttributeError).
    preload_library([meta.model_type])
    import transformers  # imported here: the app starts, and lists our models, without it

    transformers.utils.logging.disable_progress_bar()  # no "Loading weights" bars in the server log

    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(str(folder))
        hf = transformers.AutoModelForSeq2SeqLM.from_pretrained(str(folder), attn_implementation="eager", dtype=torch.float32)
    except (OSError, ValueError, KeyError, ImportError) as exc:
        raise CheckpointError(
            f"{folder} cannot be opened by transformers ({type(exc).__name__}: {str(exc)[:300]}): "
            f"download it again with `hf download <owner>/{folder.name} --local-dir {folder}`"
        ) from None
    hf.eval()
    for attr in ("src_lang", "tgt_lang"):
        if meta.sidecar.get(attr) and hasattr(tokenizer, attr):
            code = str(meta.sidecar[attr])
            _language_id(meta, tokenizer, code, attr)  # a clear error instead of the setter's KeyError
            try:
                setattr(tokenizer, attr, code)
            except (KeyError, ValueError):
                raise CheckpointError(f"{meta.folder / SIDECAR_FILE}: {attr} {code!r} is not accepted by this "
                                      f"tokenizer; write one in the form {_code_hint(meta)}") from None
    max_source = int(tokenizer.model_max_length) if tokenizer.model_max_length < UNLIMITED else 512
    cfg = config_view(hf.config, meta.model_type, meta.family, int(hf.config.vocab_size), max_source)
    prefix = _t5_prefix(meta) if meta.family == "t5" else str(meta.sidecar.get("source_prefix", ""))
    model = HFModel(hf, cfg, meta.family, _forced_bos(meta, tokenizer, hf))
    # each side its own tokenizer object: encoding a target switches a tokenizer's state (tokens.py)
    source, target = HFTokens(tokenizer, "source", prefix), HFTokens(copy.deepcopy(tokenizer), "target")
    src_lang, tgt_lang = meta.languages
    info = CheckpointInfo(
        name=meta.name, source_language=src_lang, target_language=tgt_lang,
        source_tokenizer="(transformers)", target_tokenizer="(transformers)",
        metadata=hf_metadata(meta, sum(p.numel() for p in hf.parameters())),
    )
    return HFTranslator(model, source, target, info, folder, meta)


def hf_metadata(meta: HFFolder, parameters: int | None = None) -> dict[str, Any]:
    """The model-card facts the app shows (title, quality, examples, architecture)."""
    src, tgt = meta.languages
    publisher = meta.publisher
    quality = meta.sidecar.get("quality") or (f"as published by {publisher}" if publisher else "as published by its authors")
    return {
        "title": meta.sidecar.get("title") or f"{meta.name} ({meta.model_type}, Hugging Face)",
        "quality": quality,
        "examples": list(meta.sidecar.get("examples") or []),
        "huggingface": {"model_type": meta.model_type, "publisher": publisher, "parameters": parameters},
    }
