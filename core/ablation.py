"""Switching parts of a trained Transformer off, one call at a time.

The lesson pages say why each part of the architecture is there; an
``Ablation`` removes it from a *trained* model for one forward pass, so a
student sees what breaks:

* ``encoder_positions`` / ``decoder_positions`` = False: no sinusoidal
  positional encoding is added to that side's embeddings (§3.5). Without it
  self-attention is blind to word order: the encoder becomes
  permutation-equivariant (shuffle the input and every map is shuffled the
  same way, nothing else changes).
* ``unscaled``: the (kind, layer) pairs whose scores are Q Kᵀ instead of
  Q Kᵀ / √d_k (§3.2.1). The scores grow by √d_k and the softmax saturates.
* ``look_ahead_mask`` = False: teacher-forced decoder self-attention sees
  the future (§3.2.3). Incremental decoding never has future tokens to see,
  so it only changes teacher-forced passes.
* ``removed_heads``: the (kind, layer, head) triples whose attention weights
  are set to 0, so their output — and their slice of Concat(head_1 … head_h)
  before W^O — is 0 (§3.2.2; Michel et al., 2019). The returned maps show
  those heads as all-zero. Removing every head of a sub-layer leaves only W^O's
  bias: a constant that carries no information from any other position.

An ``Ablation`` is a frozen value passed to ``Transformer.forward``,
``encode``, ``decode`` and ``decode_step``; it never touches the modules, so
one model object serves normal and ablated calls from many threads at once.
``None`` (the default everywhere) runs exactly the code path of the unablated
model.

Layers and heads are 0-based here, as in every tensor; the UI shows them 1-based.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .kinds import KIND_NAMES


@dataclass(frozen=True)
class AttentionOptions:
    """What one attention sub-layer does differently in an ablated pass.

    Attributes:
        scaled: divide scores by √d_k (the paper's attention) or not.
        removed_heads: 0-based heads whose weights are set to 0.
    """

    scaled: bool = True
    removed_heads: tuple[int, ...] = ()


@dataclass(frozen=True)
class Ablation:
    """Which parts of the model to switch off for one pass (see the module docstring).

    Attributes:
        encoder_positions: add the positional encoding to the source embeddings.
        decoder_positions: add it to the target embeddings.
        look_ahead_mask: apply the look-ahead mask in teacher-forced decoder
            self-attention.
        unscaled: ``(kind, layer)`` pairs without the 1/√d_k factor.
        removed_heads: ``(kind, layer, head)`` triples switched off.
    """

    encoder_positions: bool = True
    decoder_positions: bool = True
    look_ahead_mask: bool = True
    unscaled: frozenset[tuple[str, int]] = field(default_factory=frozenset)
    removed_heads: frozenset[tuple[str, int, int]] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        # Accept any iterable (lists from a UI or JSON) but store frozensets,
        # so the record stays hashable and can key a cache.
        object.__setattr__(self, "unscaled", frozenset((str(k), int(l)) for k, l in self.unscaled))
        object.__setattr__(self, "removed_heads", frozenset((str(k), int(l), int(h)) for k, l, h in self.removed_heads))
        for kind, *_ in (*self.unscaled, *self.removed_heads):
            if kind not in KIND_NAMES:
                raise ValueError(f"unknown attention kind {kind!r}: use one of {', '.join(KIND_NAMES)}")

    @property
    def is_default(self) -> bool:
        """True when nothing is switched off (the pass equals the normal one)."""
        return self == Ablation()

    def options(self, kind: str, layer: int) -> AttentionOptions | None:
        """The options of one sub-layer, or ``None`` when it runs as trained."""
        scaled = (kind, layer) not in self.unscaled
        removed = tuple(sorted(h for k, l, h in self.removed_heads if k == kind and l == layer))
        if scaled and not removed:
            return None
        return AttentionOptions(scaled=scaled, removed_heads=removed)

    def key(self) -> str:
        """A short, stable text form (cache keys, file names, logs)."""
        parts = []
        if not self.encoder_positions:
            parts.append("no-pe-enc")
        if not self.decoder_positions:
            parts.append("no-pe-dec")
        if not self.look_ahead_mask:
            parts.append("no-mask")
        parts += [f"unscaled:{k}:{l}" for k, l in sorted(self.unscaled)]
        parts += [f"off:{k}:{l}:{h}" for k, l, h in sorted(self.removed_heads)]
        return ",".join(parts) or "none"


def layer_options(ablation: Ablation | None, kind: str, layer: int) -> AttentionOptions | None:
    """``ablation.options(kind, layer)``, or ``None`` without an ablation."""
    return None if ablation is None else ablation.options(kind, layer)
