"""The architecture lesson: Figure 1 as data, and where the parameters are (§3, Table 3).

``ENCODER`` and ``DECODER`` list the blocks of the paper's Figure 1 from the
bottom up, each with the lesson page or explorer view that shows it at
work. ``parameter_breakdown`` counts the shipped model's parameters per
component from its real modules; ``formula_breakdown`` computes the same
components from the hyper-parameters alone, which is how the paper's base
and big models are put next to it:

* one multi-head attention:  4 · (d_model² + d_model)   (W^Q, W^K, W^V, W^O with biases)
* one feed-forward network:  2 · d_model · d_ff + d_ff + d_model   (§3.3)
* one LayerNorm:             2 · d_model   (gain and bias)
* embeddings:                vocabulary · d_model, shared by source, target and
  the pre-softmax projection when the vocabulary is shared (§3.4)
* positional encoding:       0 — fixed sinusoids, nothing learned (§3.5)
"""

from __future__ import annotations

from dataclasses import dataclass

from torch import nn

from core.config import PAPER_BASE, PAPER_BIG, TransformerConfig

# Shared source–target BPE vocabulary of the paper's English–German models (§5.1).
PAPER_VOCABULARY = 37000

COMPONENTS = (
    "embeddings",
    "positional_encoding",
    "encoder_self_attention",
    "encoder_feed_forward",
    "encoder_layer_norm",
    "decoder_self_attention",
    "decoder_cross_attention",
    "decoder_feed_forward",
    "decoder_layer_norm",
    "output_projection",
)


@dataclass(frozen=True)
class Link:
    """Where a block is shown: a page file under ``app/app_pages`` and, for the
    explorer, the tab (``section``) to open."""

    page: str
    section: str | None = None


@dataclass(frozen=True)
class Block:
    """One box of Figure 1.

    Attributes:
        key: names the block's strings (``architecture.block.<key>`` …).
        paper: the section of the paper that defines it.
        repeated: inside the N× stack of identical layers.
        links: the pages/views that show it, most direct first.
    """

    key: str
    paper: str
    repeated: bool
    links: tuple[Link, ...] = ()


EXPLORER = "explorer.py"
# The page registry (``app.app_pages.PAGES``) names each page's title; these
# name the explorer tabs a link can open.
SECTION_TITLE_KEYS = {
    "encoder_self": "kind.encoder_self",
    "decoder_self": "kind.decoder_self",
    "cross": "kind.cross",
    "steps": "steps.tab",
}

# Bottom to top, as in Figure 1.
ENCODER: tuple[Block, ...] = (
    Block("inputs", "§3.1", False, (Link(EXPLORER, "encoder_self"),)),
    Block("input_embedding", "§3.4", False, (Link("positional.py"),)),
    Block("positional_encoding", "§3.5", False, (Link("positional.py"),)),
    Block("encoder_self_attention", "§3.2.2, §3.2.3", True,
          (Link(EXPLORER, "encoder_self"), Link("multihead.py"), Link("scaled_attention.py"), Link("masks.py"))),
    Block("add_norm", "§3.1", True),
    Block("feed_forward", "§3.3", True),
    Block("add_norm", "§3.1", True),
)
DECODER: tuple[Block, ...] = (
    Block("outputs_shifted", "§3.1", False, (Link(EXPLORER, "steps"),)),
    Block("output_embedding", "§3.4", False, (Link("positional.py"),)),
    Block("positional_encoding", "§3.5", False, (Link("positional.py"),)),
    Block("masked_self_attention", "§3.2.3", True,
          (Link(EXPLORER, "decoder_self"), Link("masks.py"), Link("multihead.py"))),
    Block("add_norm", "§3.1", True),
    Block("cross_attention", "§3.2.3", True,
          (Link(EXPLORER, "cross"), Link("multihead.py"), Link("masks.py"))),
    Block("add_norm", "§3.1", True),
    Block("feed_forward", "§3.3", True),
    Block("add_norm", "§3.1", True),
    Block("linear", "§3.4", False, (Link(EXPLORER, "steps"),)),
    Block("softmax", "§3.4", False, (Link(EXPLORER, "steps"),)),
    Block("output_probabilities", "§3.4", False, (Link(EXPLORER, "steps"),)),
)


def attention_parameters(d_model: int) -> int:
    """W^Q, W^K, W^V, W^O (d_model × d_model each) and their biases."""
    return 4 * (d_model * d_model + d_model)


def feed_forward_parameters(d_model: int, d_ff: int) -> int:
    """FFN(x) = max(0, x W₁ + b₁) W₂ + b₂ (§3.3)."""
    return 2 * d_model * d_ff + d_ff + d_model


def formula_breakdown(
    d_model: int,
    d_ff: int,
    n_encoder_layers: int,
    n_decoder_layers: int,
    src_vocab: int,
    tgt_vocab: int | None = None,
    share_embeddings: bool = True,
    tie_output: bool = True,
) -> dict[str, int]:
    """Parameters per component from the hyper-parameters alone (see the module docstring)."""
    tgt_vocab = src_vocab if tgt_vocab is None else tgt_vocab
    attention = attention_parameters(d_model)
    ffn = feed_forward_parameters(d_model, d_ff)
    norm = 2 * d_model
    embeddings = src_vocab * d_model + (0 if share_embeddings else tgt_vocab * d_model)
    return {
        "embeddings": embeddings,
        "positional_encoding": 0,
        "encoder_self_attention": n_encoder_layers * attention,
        "encoder_feed_forward": n_encoder_layers * ffn,
        "encoder_layer_norm": n_encoder_layers * 2 * norm,
        "decoder_self_attention": n_decoder_layers * attention,
        "decoder_cross_attention": n_decoder_layers * attention,
        "decoder_feed_forward": n_decoder_layers * ffn,
        "decoder_layer_norm": n_decoder_layers * 3 * norm,
        "output_projection": 0 if tie_output else tgt_vocab * d_model,
    }


def config_breakdown(cfg: TransformerConfig) -> dict[str, int]:
    """``formula_breakdown`` for a model configuration."""
    return formula_breakdown(
        cfg.d_model, cfg.d_ff, cfg.n_encoder_layers, cfg.n_decoder_layers,
        cfg.src_vocab_size, cfg.tgt_vocab_size, cfg.share_embeddings, cfg.tie_output,
    )


def paper_breakdown(paper: dict) -> dict[str, int]:
    """``formula_breakdown`` for ``core.config.PAPER_BASE`` or ``PAPER_BIG`` (37 000 shared BPE)."""
    return formula_breakdown(paper["d_model"], paper["d_ff"], paper["n_layers"], paper["n_layers"], PAPER_VOCABULARY)


def _component(name: str) -> str:
    """Which component a parameter name of ``core.model.Transformer`` belongs to."""
    parts = name.split(".")
    if parts[0] in ("src_embed", "tgt_embed"):
        return "embeddings"
    if parts[0] == "out_proj":
        return "output_projection"
    side = {"encoder_layers": "encoder", "decoder_layers": "decoder"}[parts[0]]
    module = parts[2]
    if module.startswith("norm"):
        return f"{side}_layer_norm"
    return {
        "self_attn": f"{side}_self_attention",
        "cross_attn": "decoder_cross_attention",
        "feed_forward": f"{side}_feed_forward",
    }[module]


def parameter_breakdown(model: nn.Module) -> dict[str, int]:
    """The model's real parameters per component (shared matrices counted once).

    A Hugging Face model (``core.hf.model.HFModel``) names its parameters
    differently and says itself where each belongs (``component_of``)."""
    component = getattr(model, "component_of", _component)
    counts = dict.fromkeys(COMPONENTS, 0)
    for name, p in model.named_parameters():  # named_parameters yields a shared tensor once
        counts[component(name)] += p.numel()
    return counts


def hyperparameters(cfg: TransformerConfig | None, params: int | None) -> list[tuple[str, str, str, str]]:
    """Rows (name, shipped model, paper base, paper big) of the comparison table.

    The name is a string key suffix (``architecture.hp.<name>``); ``cfg=None`` (no
    model) leaves the shipped column as "—".
    """

    def ours(value) -> str:
        return "—" if cfg is None else str(value)

    base, big = PAPER_BASE, PAPER_BIG
    return [
        ("d_model", ours(cfg and cfg.d_model), str(base["d_model"]), str(big["d_model"])),
        ("layers", ours(cfg and f"{cfg.n_encoder_layers} / {cfg.n_decoder_layers}"),
         f"{base['n_layers']} / {base['n_layers']}", f"{big['n_layers']} / {big['n_layers']}"),
        ("heads", ours(cfg and cfg.n_heads), str(base["n_heads"]), str(big["n_heads"])),
        ("d_k", ours(cfg and cfg.d_head), str(base["d_model"] // base["n_heads"]), str(big["d_model"] // big["n_heads"])),
        ("d_ff", ours(cfg and cfg.d_ff), str(base["d_ff"]), str(big["d_ff"])),
        ("dropout", ours(cfg and cfg.dropout), str(base["dropout"]), str(big["dropout"])),
        ("vocabulary", ours(cfg and cfg.src_vocab_size), str(PAPER_VOCABULARY), str(PAPER_VOCABULARY)),
        ("max_positions", ours(cfg and cfg.max_positions), "—", "—"),
        ("positions", ours(cfg and getattr(cfg, "positional", "sinusoidal")), "sinusoidal", "sinusoidal"),
        ("norm", ours(cfg and getattr(cfg, "norm", "post")), "post", "post"),
        ("parameters", "—" if params is None else format_count(params), f"{base['params_millions']} M", f"{big['params_millions']} M"),
    ]


def format_count(n: int) -> str:
    """12 345 → "12.3 K", 63 076 352 → "63.1 M"."""
    if n >= 1_000_000:
        return f"{n / 1e6:.1f} M"
    if n >= 1_000:
        return f"{n / 1e3:.1f} K"
    return str(n)
