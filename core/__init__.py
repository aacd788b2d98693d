"""Attention Lab core: a paper-faithful Transformer that returns every attention map.

No Streamlit here: the app, the command-line tools and notebooks all use this
package through ``load_translator`` and the result types below.
"""

from .ablation import Ablation
from .checkpoint import (
    CheckpointError,
    CheckpointInfo,
    load_checkpoint,
    save_checkpoint,
)
from .config import TransformerConfig
from .kinds import ATTENTION_KINDS, KIND_NAMES, AttentionKind, attention_kind
from .model import AttentionMaps, Transformer
from .tokenizer import Tokenizer
from .trace import LayerTrace
from .loader import load_translator
from .translator import (
    AttentionArrays,
    BatchInspection,
    DecodingStep,
    NothingToTranslate,
    TranslationResult,
    Translator,
)

__all__ = [
    "ATTENTION_KINDS",
    "Ablation",
    "KIND_NAMES",
    "AttentionArrays",
    "AttentionKind",
    "AttentionMaps",
    "BatchInspection",
    "CheckpointError",
    "CheckpointInfo",
    "DecodingStep",
    "LayerTrace",
    "NothingToTranslate",
    "Tokenizer",
    "TranslationResult",
    "Transformer",
    "TransformerConfig",
    "Translator",
    "attention_kind",
    "load_checkpoint",
    "load_translator",
    "save_checkpoint",
]
