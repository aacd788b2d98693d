"""Writes ``MODEL_CARD.md``: data and license, hyper-parameters next to the paper, scores, examples, limits."""

from __future__ import annotations

from typing import Any

from .config import PAPER_BASE, TransformerConfig
from .seq2seq.config import RNNConfig


def _row(name: str, ours: Any, paper: Any) -> str:
    return f"| {name} | {ours} | {paper} |"


def render_card(
    *,
    name: str,
    title: str,
    cfg: TransformerConfig | RNNConfig,
    params: int,
    card: dict[str, Any],
    training: dict[str, Any],
    scores: list[dict[str, Any]],
    examples: list[dict[str, str]],
    command: str,
    corpora: list[dict[str, Any]] | None = None,
    attention: dict[str, Any] | None = None,
    alignments: list[dict[str, Any]] | None = None,
    curve: list[dict[str, Any]] | None = None,
) -> str:
    """Markdown text of the model card.

    Args:
        card: the ``[card]`` table of the training config (dataset, license,
            attribution, limits, toy).
        training: facts about the run (steps, epochs, minutes, hardware, …).
        scores: one dict per (test set, decoding) with ``bleu``/``chrf``.
        examples: ``{"source", "reference", "output"}`` dicts.
        corpora: the ``[[data.corpus]]`` tables of a multi-corpus recipe, each
            credited with its license and attribution (plus ``pairs``, the
            training pairs read).
        attention: cross-attention entropy ratio and max weight per decoder
            layer on the pooled test set (``core.attention_quality``).
        curve: the run's evaluation records (``log.jsonl``: step, epoch, losses,
            validation BLEU/chrF, cross-attention entropy ratio per layer).
    """
    lines = [f"# {name}: {title}", ""]
    if card.get("toy"):
        lines += [f"> **Toy model.** {card['toy']}", ""]
    rnn = isinstance(cfg, RNNConfig)
    if rnn and cfg.attention == "none":
        intro = [
            "A from-scratch GRU encoder–decoder whose decoder sees the source only through one fixed-size",
            f"context vector of {cfg.context_size} numbers (Cho et al., 2014; Sutskever et al., 2014): the bottleneck",
            "that attention removed. It is shipped to be compared with the Transformer on the app's /seq2seq page.",
        ]
    elif rnn:
        intro = [
            "A from-scratch GRU encoder–decoder with additive attention (Bahdanau, Cho & Bengio, 2015), trained",
            "with the Transformer's data, tokenizer and training loop. Its alignment weights are the attention",
            "maps of the app's /seq2seq page (rows = target positions, columns = source pieces).",
        ]
    else:
        intro = [
            "A from-scratch encoder–decoder Transformer (Vaswani et al., 2017) trained with Attention Lab's",
            "own recipe. It exists to make attention visible: every map in the app comes from these weights.",
        ]
    lines += [
        *intro,
        "",
        "## Data",
        "",
        card.get("dataset", ""),
        "",
        f"**License:** {card.get('license', 'see the data README')}",
        "",
        f"**Attribution:** {card.get('attribution', '')}",
        "",
    ]
    if corpora:
        lines += [
            "| corpus | training pairs | weight | content | license | attribution |",
            "|---|---|---|---|---|---|",
        ]
        for c in corpora:
            cells = [c["name"], f"{c.get('pairs', '')}", f"{c.get('weight', 1.0)}", _content(c),
                     c.get("license", ""), c.get("attribution", "")]
            lines.append("| " + " | ".join(str(x).replace("|", "\\|") for x in cells) + " |")
        lines.append("")
    if rnn:
        lines += _rnn_hyper_parameters(cfg, params, training)
    else:
        lines += _transformer_hyper_parameters(cfg, params, training)
    lines += [
        "## Training",
        "",
        f"- Command: `{command}`",
        f"- Steps: {training.get('steps')} ({training.get('epochs')} epochs), batches of about {training.get('batch_tokens')} tokens"
        + (f", {training['accumulate']} batches per update (gradient accumulation)" if training.get("accumulate") else ""),
        f"- Training time: {training.get('minutes')} minutes on {training.get('hardware')}"
        + (f", {training['precision']}" if training.get("precision") else ""),
        f"- Final weights: {training.get('averaging')}",
        "",
    ]
    if curve:
        lines += training_curve_lines(curve)
    if card.get("experiments"):
        lines += experiment_lines(card["experiments"])
    lines += [
        "## Scores (sacreBLEU, cased, detokenized)",
        "",
        "| test set | decoding | BLEU | chrF | sentences |",
        "|---|---|---|---|---|",
    ]
    for s in scores:
        lines.append(f"| {s['test']} | {s['decoding']} | {s['bleu']:.2f} | {s['chrf']:.2f} | {s['sentences']} |")
    if scores:
        lines += ["", f"sacreBLEU signature: `{scores[0]['signature']}`"]
    if attention:
        layers = attention["cross_entropy_ratio"]
        lines += [
            "",
            "## Attention quality (encoder–decoder attention)",
            "",
            f"Teacher-forced on {attention['test']}, mean over every target row and head. Entropy ratio is the row's",
            "entropy divided by log(source length): 1.0 is a uniform row (the decoder just averages the source), 0.0",
            "puts all weight on one source piece. `python bench/attention_quality.py --model <this folder>` prints every head.",
            "",
            "| decoder layer | entropy ratio | max weight |",
            "|---|---|---|",
        ]
        for i, (h, m) in enumerate(zip(layers, attention["cross_max_weight"])):
            lines.append(f"| {i + 1} | {h:.3f} | {m:.3f} |")
        lines += ["", f"A uniform row would have max weight {attention['uniform_max_weight']:.3f} on these sentences."]
    if alignments:
        lines += [
            "",
            "## Where the decoder looks (the app's examples)",
            "",
            "For each output piece, the source piece with the largest encoder–decoder attention weight (last decoder",
            "layer, mean of its heads; greedy decoding). *Backward jumps* counts output pieces that look further left",
            "than the previous one did: 0 means a monotonic, diagonal-like alignment.",
            "",
            "| source | output | output piece ← most-attended source piece (weight) | backward jumps |",
            "|---|---|---|---|",
        ]
        for a in alignments:
            cells = [a["source"], a["output"], "; ".join(a["links"]), str(a["backward"])]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    if card.get("notes"):
        lines += ["", "## Notes", "", card["notes"]]
    lines += ["", "## Example translations (greedy)", "", "| source | reference | this model |", "|---|---|---|"]
    for ex in examples:
        cells = [ex["source"], ex["reference"], ex["output"]]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    lines += ["", "## Known limits", "", card.get("limits", ""), ""]
    return "\n".join(lines)


def _number(value: float | None, digits: int) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _thinned(rows: list[dict[str, Any]], max_rows: int) -> list[dict[str, Any]]:
    """At most ``max_rows`` rows: every k-th (so the steps stay evenly spaced), the first and the last kept."""
    if len(rows) <= max_rows:
        return rows
    stride = -(-(len(rows) - 1) // (max_rows - 1))  # ceil((n - 1) / (max_rows - 1))
    picked = rows[::stride]
    return picked if (len(rows) - 1) % stride == 0 else picked + [rows[-1]]


def training_curve_lines(records: list[dict[str, Any]], max_rows: int = 40,
                         eval_sentences: int | None = None) -> list[str]:
    """The validation curve as a table: how loss, BLEU/chrF and the sharpness of cross-attention moved.

    Reading it teaches two things. *Overfitting*: the validation loss turns up while BLEU may
    still rise. *When attention "clicks"*: the entropy ratio sits near 1.0 (uniform rows: the
    decoder averages the source) for the first epochs, then falls within a few hundred steps, and
    BLEU rises with it. A record with ``averaged: True`` is the shipped model (the mean of the last
    checkpoints) and comes last. Long runs are thinned to ``max_rows`` checkpoint rows; the lowest
    loss and highest BLEU are found among all of them first.
    """
    rows = [r for r in records if r.get("valid_loss") is not None and not r.get("averaged")]
    shipped = [r for r in records if r.get("averaged") and r.get("valid_loss") is not None]
    if not rows:
        return []
    best_loss = min(rows, key=lambda r: r["valid_loss"])
    with_bleu = [r for r in rows if r.get("valid_bleu") is not None]
    best_bleu = max(with_bleu, key=lambda r: r["valid_bleu"]) if with_bleu else None
    layers = max(len(r.get("cross_entropy_ratio") or []) for r in rows + shipped)
    first = f"its first {eval_sentences} sentences" if eval_sentences else "its first sentences"
    lines = [
        "## Training curve",
        "",
        "Measured during training on the validation set: the loss on all of it (cross-entropy, no label",
        f"smoothing), BLEU and chrF of greedy translations of {first}, and, teacher-forced, the",
        "encoder–decoder attention's entropy ratio per decoder layer (1.0 = uniform rows: the decoder",
        "averages the source). The training loss is one batch's label-smoothed loss: noisy, and not on",
        "the validation loss's scale. At step 0 the weights are random, and random weights do not make",
        "exactly uniform rows; the first updates flatten them before attention learns to pick.",
        "",
        "| step | epochs done | train loss | valid loss | valid BLEU | valid chrF | entropy ratio"
        + (", layer " + " / ".join(str(i + 1) for i in range(layers)) if layers else "") + " |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in _thinned(rows, max_rows) + shipped:
        step = f"{r['step']}, shipped (mean of the last checkpoints)" if r.get("averaged") else str(r["step"])
        epoch = r.get("epoch", 0 if r["step"] == 0 else None)
        ratios = " / ".join(f"{v:.3f}" for v in r.get("cross_entropy_ratio") or []) or "—"
        lines.append(f"| {step} | {'—' if epoch is None else epoch} | {_number(r.get('train_loss'), 3)} | "
                     f"{r['valid_loss']:.3f} | {_number(r.get('valid_bleu'), 2)} | "
                     f"{_number(r.get('valid_chrf'), 2)} | {ratios} |")
    summary = f"Lowest validation loss {best_loss['valid_loss']:.3f} at step {best_loss['step']}"
    if best_bleu is not None:
        summary += f"; highest validation BLEU {best_bleu['valid_bleu']:.2f} at step {best_bleu['step']}"
    if shipped:
        s = shipped[-1]
        summary += (f"; the shipped average: loss {s['valid_loss']:.3f}"
                    + (f", BLEU {s['valid_bleu']:.2f}" if s.get("valid_bleu") is not None else ""))
    return lines + ["", summary + ".", ""]


def experiment_lines(experiments: list[dict[str, Any]]) -> list[str]:
    """Recipes tried for this model and not shipped, with what they measured (``[card] experiments``).

    Each entry names its recipe, what it changed against this model's recipe and the measured outcome,
    so a reader sees why these weights, and not another run's, are the ones shipped.
    """
    lines = [
        "## Tried and not shipped",
        "",
        "| recipe | what it changed | what it measured |",
        "|---|---|---|",
    ]
    for e in experiments:
        cells = [f"`{e['recipe']}`" if e.get("recipe") else "—", e.get("change", ""), e.get("result", "")]
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    return lines + [""]


def _transformer_hyper_parameters(cfg: TransformerConfig, params: int, training: dict[str, Any]) -> list[str]:
    return [
        "## Hyper-parameters",
        "",
        "| | this model | paper, base model |",
        "|---|---|---|",
        _row("d_model", cfg.d_model, PAPER_BASE["d_model"]),
        _row("encoder / decoder layers", f"{cfg.n_encoder_layers} / {cfg.n_decoder_layers}", f"{PAPER_BASE['n_layers']} / {PAPER_BASE['n_layers']}"),
        _row("heads (d_k = d_v)", f"{cfg.n_heads} ({cfg.d_head})", f"{PAPER_BASE['n_heads']} (64)"),
        _row("d_ff", cfg.d_ff, PAPER_BASE["d_ff"]),
        _row("dropout", cfg.dropout, PAPER_BASE["dropout"]),
        _row("vocabulary", training.get("vocabulary") or (f"{cfg.src_vocab_size} shared sentencepiece BPE" if cfg.share_embeddings else f"{cfg.src_vocab_size} / {cfg.tgt_vocab_size}"), "37000 shared BPE (en-de)"),
        _row("parameters", f"{params / 1e6:.1f} M", f"{PAPER_BASE['params_millions']} M"),
        _row("label smoothing", training.get("label_smoothing"), 0.1),
        _row("optimizer", "Adam β1 0.9, β2 0.98, ε 1e-9, warm-up schedule", "same (§5.3)"),
        _row("warm-up steps", training.get("warmup_steps"), 4000),
        "",
    ]


def _rnn_hyper_parameters(cfg: RNNConfig, params: int, training: dict[str, Any]) -> list[str]:
    attention = "none: the decoder reads only the final summary vector" if cfg.attention == "none" else (
        f"additive (Bahdanau), scorer width {cfg.attention_dim}")
    return [
        "## Hyper-parameters",
        "",
        "| | this model | Bahdanau et al. (2015), RNNsearch |",
        "|---|---|---|",
        _row("encoder", f"bidirectional GRU, {cfg.hidden} per direction", "bidirectional GRU, 1000 per direction"),
        _row("decoder", f"GRU, {cfg.hidden}", "GRU, 1000"),
        _row("attention", attention, "additive, 1000"),
        _row("word embeddings", f"{cfg.emb_dim} (shared with the output layer)", 620),
        _row("dropout", cfg.dropout, "none (maxout output layer)"),
        _row("vocabulary", training.get("vocabulary"), "30000 words per language"),
        _row("parameters", f"{params / 1e6:.1f} M", "—"),
        _row("label smoothing", training.get("label_smoothing"), "none"),
        _row("optimizer", "Adam β1 0.9, β2 0.98, ε 1e-9, the Transformer's warm-up schedule", "Adadelta"),
        _row("warm-up steps", training.get("warmup_steps"), "none"),
        "",
    ]


def _content(corpus: dict[str, Any]) -> str:
    """A corpus's description; a back-translated one also says which model made its source side from which text."""
    text = corpus.get("description", "")
    bt = corpus.get("back_translate")
    if bt:
        decoding = "greedy" if int(bt.get("beam_size", 1)) == 1 else f"beam {bt['beam_size']}"
        text = f"{text} — source side back-translated from `{bt['text']}` by `{bt['model']}` ({decoding})".lstrip(" —")
    return text
