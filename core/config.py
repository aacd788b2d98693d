"""Model hyper-parameters as one dataclass.

The paper's base model (Vaswani et al., 2017, Table 3 row "base") is
d_model=512, 6 encoder + 6 decoder layers, 8 heads, d_ff=2048, dropout 0.1.
The shipped Attention Lab models are smaller so that they run on a laptop
CPU, but every field below means exactly what it means in the paper.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


class ConfigRecord:
    """``to_dict``/``from_dict`` for a frozen dataclass of hyper-parameters (the ``model``
    entry of ``config.json``); an unknown key is an error that names it and the known ones."""

    UNKNOWN = "model config keys"  # how the error calls the keys of this kind of config

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        """Build a config from a dict, rejecting unknown keys by name."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown {cls.UNKNOWN}: {', '.join(unknown)} (known: {', '.join(sorted(known))})")
        return cls(**data)


@dataclass(frozen=True)
class TransformerConfig(ConfigRecord):
    """Hyper-parameters of an encoder–decoder Transformer (§3, Table 3).

    Attributes:
        src_vocab_size: number of source sentencepiece pieces.
        tgt_vocab_size: number of target sentencepiece pieces.
        d_model: width of every residual stream vector (§3, "d_model").
        n_heads: attention heads per multi-head layer ("h", §3.2.2).
        n_encoder_layers: encoder depth ("N", §3.1).
        n_decoder_layers: decoder depth ("N", §3.1).
        d_ff: inner width of the position-wise feed-forward network (§3.3).
        max_positions: longest sequence the positional encoding covers.
        dropout: residual dropout P_drop, applied to each sub-layer output and
            to the sum of embeddings and positional encodings (§5.4).
        attention_dropout: dropout on attention weights (not in the paper's
            text; the Annotated Transformer uses it). Never active in eval.
        share_embeddings: one embedding table for source and target
            (requires a shared vocabulary, §3.4).
        tie_output: the pre-softmax linear layer reuses the target embedding
            matrix (§3.4).
        look_ahead_mask: mask future target positions in teacher-forced
            decoder self-attention (§3.2.3). Always True except for the
            ablation toy trained *without* it (``configs/toy-reverse-no-mask.toml``).
        pad_id, unk_id, bos_id, eos_id: ids of the special pieces.
    """

    src_vocab_size: int
    tgt_vocab_size: int
    d_model: int = 512
    n_heads: int = 8
    n_encoder_layers: int = 6
    n_decoder_layers: int = 6
    d_ff: int = 2048
    max_positions: int = 256
    dropout: float = 0.1
    attention_dropout: float = 0.0
    share_embeddings: bool = True
    tie_output: bool = True
    look_ahead_mask: bool = True
    pad_id: int = 0
    unk_id: int = 1
    bos_id: int = 2
    eos_id: int = 3

    def __post_init__(self) -> None:
        if self.d_model % self.n_heads != 0:
            raise ValueError(
                f"d_model={self.d_model} is not divisible by n_heads={self.n_heads}: "
                "each head gets d_model / n_heads dimensions (§3.2.2)"
            )
        if self.share_embeddings and self.src_vocab_size != self.tgt_vocab_size:
            raise ValueError(
                "share_embeddings=True needs one shared vocabulary, but "
                f"src_vocab_size={self.src_vocab_size} != tgt_vocab_size={self.tgt_vocab_size}"
            )

    @property
    def d_head(self) -> int:
        """Dimensions per head: d_k = d_v = d_model / h (§3.2.2)."""
        return self.d_model // self.n_heads



PAPER_BASE = {"d_model": 512, "n_layers": 6, "n_heads": 8, "d_ff": 2048, "dropout": 0.1, "params_millions": 65}
PAPER_BIG = {"d_model": 1024, "n_layers": 6, "n_heads": 16, "d_ff": 4096, "dropout": 0.3, "params_millions": 213}
