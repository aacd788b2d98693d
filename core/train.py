"""Train a tokenizer and a Transformer from parallel text, resumably.

    python -m core.train --config configs/multi30k-en-de.toml            # start or resume
    python -m core.train --config configs/multi30k-en-de.toml --resume   # must resume
    python -m core.train --config configs/toy-reverse.toml --out runs/toy --export /tmp/toy

The recipe is the paper's (§5.3–5.4): Adam with β1 = 0.9, β2 = 0.98,
ε = 1e-9; the learning rate rises linearly for ``warmup_steps`` and then
decays with the inverse square root of the step,

    lrate = factor · d_model^−0.5 · min(step^−0.5, step · warmup_steps^−1.5);

label smoothing ε_ls = 0.1; residual dropout. Batches hold about
``batch_tokens`` tokens. Every ``checkpoint_every`` steps the full training
state (weights, Adam moments, step, data position, random state) is written
atomically with safetensors + JSON, so ``kill -9`` loses at most one interval.
At the end the last ``average_last`` snapshots are averaged (§6.1), scored on
the test sets, and exported as a checkpoint folder with its model card.

Paths in the config are relative to the project root (the folder holding
``configs/``).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import platform
import random
import shutil
import sys
import time
import tomllib
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterable
from typing import Any

import torch
import torch.nn.functional as F
from safetensors.torch import load_file, save_file
from torch.nn.parallel import DistributedDataParallel
from tqdm import tqdm

from .attention_quality import measure as measure_attention
from .back_translation import BackTranslation
from .back_translation import prepare as prepare_back_translation
from .card_refresh import refresh_card
from .checkpoint import CheckpointInfo, save_checkpoint
from .config import TransformerConfig
from .data import (
    Batch,
    EncodedPair,
    collate,
    encode_pairs,
    epoch_batches,
    update_groups,
    make_batches,
    read_parallel,
    synthetic_pairs,
)
from .cpu_memory import bound_onednn_cache, release_freed_memory
from .distributed import DEVICES, Runtime, any_rank, barrier, setup, shard, teardown, token_mean
from .evaluate import evaluate_outputs, score_outputs
from .model import Transformer
from .model_card import render_card
from .seq2seq.config import RNNConfig, is_rnn
from .seq2seq.model import RNNSeq2Seq
from .seq2seq.translator import RNNTranslator
from .timeline import (
    TimelineSettings,
    build_probe,
    export_timeline,
    run_snapshots,
    save_probe,
    save_run_snapshot,
    synthetic_target,
    take_snapshot,
)
from .tokenizer import Tokenizer
from .translator import Translator

PROJECT_ROOT = Path(__file__).resolve().parent.parent


RELEASE_EVERY = 25  # steps between returns of freed memory to the system on the CPU


@dataclass
class TrainSettings:
    """The ``[train]`` table of a config file."""

    batch_tokens: int = 3000
    warmup_steps: int = 1000
    lr_factor: float = 1.0
    label_smoothing: float = 0.1
    max_steps: int = 10000  # parameter updates (each of ``accumulate`` batches)
    accumulate: int = 1  # batches per update: e.g. 4 × 6,250 tokens = the paper's 25k-token batches (§5.1)
    max_minutes: float = 0.0  # stop this invocation after so many minutes (0 = no limit)
    checkpoint_every: int = 200
    eval_every: int = 1000
    eval_sentences: int = 300
    average_last: int = 5
    max_tokens: int = 100
    clip_norm: float = 0.0
    threads: int = 0  # 0 = PyTorch's default
    bf16: bool = False  # bfloat16 autocast for matmuls (2.4x faster on CPUs with AVX512-BF16; without it, float32 and a warning)
    onednn_cache: int = 0  # CPU bf16: keep at most this many compiled oneDNN kernels (0 = default 1,024; core/cpu_memory.py)
    seed: int = 1


@dataclass
class TrainState:
    """Where training is, saved next to the weights as JSON."""

    step: int = 0
    epoch: int = 0
    batch_in_epoch: int = 0
    elapsed_seconds: float = 0.0
    target_tokens: int = 0
    history: list[dict[str, Any]] = field(default_factory=list)
    snapshots: list[int] = field(default_factory=list)
    precisions: list[str] = field(default_factory=list)  # how the matmuls ran ("bfloat16 autocast", "float32"), in order


def learning_rate(step: int, d_model: int, warmup: int, factor: float) -> float:
    """The paper's schedule (§5.3, equation 3); ``step`` counts from 1."""
    step = max(step, 1)
    return factor * d_model**-0.5 * min(step**-0.5, step * warmup**-1.5)


def resolve(path: str) -> Path:
    p = Path(path)
    return p if p.is_absolute() else PROJECT_ROOT / p


def load_config(path: str | Path) -> dict[str, Any]:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


# ----------------------------------------------------------------- data setup
def _weighted(pairs: list[tuple[str, str]], weight: float, seed: int) -> list[tuple[str, str]]:
    """``weight`` 2 repeats a corpus twice, 0.5 keeps a fixed random half (same on resume)."""
    whole, frac = int(weight), weight - int(weight)
    out = pairs * whole
    if frac > 0:
        rng = random.Random(seed)
        out += [p for p in pairs if rng.random() < frac]
    return out


def corpora(cfg: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``[[data.corpus]]`` tables of a multi-corpus recipe (empty for a single pair)."""
    return list(cfg.get("data", {}).get("corpus", []))


def load_pairs(cfg: dict[str, Any], run_dir: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Training and validation pairs: one file pair, several corpora, or generated (toy tasks).

    A multi-corpus recipe lists ``[[data.corpus]]`` tables, each with ``name``,
    ``train = {src, tgt}``, optional ``valid = {src, tgt}``, ``test = {src, ref}``
    and ``weight`` (sampling weight of its training pairs, default 1); in
    place of ``train``, ``back_translate = {model, text}`` makes the pairs from
    target-language text with a reverse model (``core/back_translation.py``). The
    validation set interleaves the corpora's validation pairs round-robin and
    is cut to ``data.valid_size`` pairs (default: all).
    """
    data = cfg["data"]
    if "synthetic" in data:
        task = data["synthetic"]
        lo, hi = data.get("min_len", 3), data.get("max_len", 12)
        train = synthetic_pairs(task, data.get("train_size", 20000), lo, hi, seed=cfg.get("seed", 1))
        valid = synthetic_pairs(task, data.get("valid_size", 200), lo, hi, seed=cfg.get("seed", 1) + 1)
        return train, valid
    if corpora(cfg):
        train: list[tuple[str, str]] = []
        valid_lists = []
        for i, corpus in enumerate(corpora(cfg)):
            pairs = corpus_pairs(corpus, run_dir)
            train += _weighted(pairs, float(corpus.get("weight", 1.0)), cfg.get("seed", 1) * 1000 + i)
            if "valid" in corpus:
                valid_lists.append(read_parallel(resolve(corpus["valid"]["src"]), resolve(corpus["valid"]["tgt"])))
        valid = [v[k] for k in range(max(map(len, valid_lists), default=0)) for v in valid_lists if k < len(v)]
        if data.get("valid_size"):
            valid = valid[: data["valid_size"]]
        return train, valid
    return (
        read_parallel(resolve(data["train"]["src"]), resolve(data["train"]["tgt"])),
        read_parallel(resolve(data["valid"]["src"]), resolve(data["valid"]["tgt"])),
    )


def corpus_pairs(corpus: dict[str, Any], run_dir: Path, resuming: bool = True) -> list[tuple[str, str]]:
    """The training pairs of one ``[[data.corpus]]``: its ``train`` files, or its ``back_translate``d text
    (made once into ``run_dir``, see ``core/back_translation.py``)."""
    if "back_translate" in corpus:
        spec = BackTranslation.from_table(corpus["name"], corpus["back_translate"], resolve)
        return read_parallel(prepare_back_translation(spec, run_dir, resuming), spec.text)
    if "train" not in corpus:
        raise ValueError(f"corpus {corpus.get('name')!r} needs train = {{src, tgt}} or back_translate = {{model, text}}")
    return read_parallel(resolve(corpus["train"]["src"]), resolve(corpus["train"]["tgt"]))


def corpus_sizes(cfg: dict[str, Any], run_dir: Path) -> list[int]:
    """Training pairs read from each ``[[data.corpus]]`` (before weighting)."""
    return [len(corpus_pairs(c, run_dir)) for c in corpora(cfg)]


def evaluation_sets(cfg: dict[str, Any]) -> list[dict[str, Any]]:
    """``[[data.test]]`` tables plus the ``test`` of every ``[[data.corpus]]`` (named after the corpus)."""
    tests = list(cfg.get("data", {}).get("test", []))
    for corpus in corpora(cfg):
        if "test" in corpus:
            tests.append({"name": corpus["test"].get("name", corpus["name"]), **corpus["test"]})
    return tests


def tokenizer_files(cfg: dict[str, Any]) -> tuple[str, str]:
    """File names of the source and target sentencepiece models in a run (and export) folder."""
    if cfg.get("tokenizer", {}).get("shared", True):
        return "spm.model", "spm.model"
    return "spm_src.model", "spm_tgt.model"


def prepare_tokenizer(cfg: dict[str, Any], run_dir: Path, train: list[tuple[str, str]]) -> tuple[Path, Path]:
    """Train the sentencepiece model(s) once per run (reused on resume).

    ``[tokenizer] shared = true`` (default) trains one model on both sides
    (§5.1); ``shared = false`` trains one per language, with ``vocab_size``
    (or ``src_vocab_size`` / ``tgt_vocab_size``) pieces each.
    """
    tok_cfg = cfg.get("tokenizer", {})
    names = tokenizer_files(cfg)
    shared = names[0] == names[1]
    sides = [(names[0], [0, 1])] if shared else [(names[0], [0]), (names[1], [1])]
    if tok_cfg.get("copy_from"):  # reuse another model's tokenizer (the RNNs read en-de's pieces)
        if not shared:
            raise ValueError("[tokenizer] copy_from needs one shared tokenizer (shared = true)")
        source = resolve(tok_cfg["copy_from"])
        if not source.is_file():
            raise FileNotFoundError(f"[tokenizer] copy_from = {source} does not exist: train or restore that model first")
        if not (run_dir / names[0]).is_file():
            shutil.copyfile(source, run_dir / names[0])
        return run_dir / names[0], run_dir / names[1]
    for name, cols in sides:
        model_path = run_dir / name
        if model_path.is_file():
            continue
        text_file = run_dir / (Path(name).stem + "_input.txt")
        with text_file.open("w", encoding="utf-8") as fh:
            for pair in train:
                for c in cols:
                    fh.write(pair[c] + "\n")
        size_key = None if shared else ("src_vocab_size" if cols == [0] else "tgt_vocab_size")
        Tokenizer.train(
            [text_file],
            run_dir / Path(name).stem,
            vocab_size=tok_cfg.get(size_key, tok_cfg.get("vocab_size", 8000)) if size_key else tok_cfg.get("vocab_size", 8000),
            model_type=tok_cfg.get("model_type", "bpe"),
            character_coverage=tok_cfg.get("character_coverage", 1.0),
            input_sentence_size=tok_cfg.get("input_sentence_size", 0),  # sample this many lines (large corpora)
        )
        text_file.unlink()
    return run_dir / names[0], run_dir / names[1]


# --------------------------------------------------------------- state on disk
def _atomic_dir_write(target: Path, write) -> None:
    """Write into ``target.tmp`` then swap it in, so a crash never leaves half a state."""
    tmp = target.with_name(target.name + ".tmp")
    old = target.with_name(target.name + ".old")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    write(tmp)
    if target.exists():
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
    tmp.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def save_state(run_dir: Path, model: Transformer, optimizer: torch.optim.Optimizer, state: TrainState) -> None:
    def write(folder: Path) -> None:
        save_file({k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}, str(folder / "model.safetensors"))
        opt_tensors: dict[str, torch.Tensor] = {}
        names = {id(p): n for n, p in model.named_parameters()}
        for group in optimizer.param_groups:
            for p in group["params"]:
                for key, value in optimizer.state.get(p, {}).items():
                    t = value if torch.is_tensor(value) else torch.tensor(value)
                    opt_tensors[f"{names[id(p)]}::{key}"] = t.detach().cpu().contiguous()
        opt_tensors["__torch_rng__"] = torch.get_rng_state()
        save_file(opt_tensors, str(folder / "optimizer.safetensors"))
        payload = state.__dict__ | {"python_rng": list(random.getstate()[1]), "python_rng_gauss": random.getstate()[2]}
        (folder / "state.json").write_text(json.dumps(payload), encoding="utf-8")

    _atomic_dir_write(run_dir / "state", write)


def load_state(run_dir: Path, model: Transformer, optimizer: torch.optim.Optimizer) -> TrainState:
    folder = run_dir / "state"
    if not folder.is_dir() and (run_dir / "state.old").is_dir():  # crashed between the two renames
        (run_dir / "state.old").rename(folder)
    model.load_state_dict(load_file(str(folder / "model.safetensors")))
    opt_tensors = load_file(str(folder / "optimizer.safetensors"))
    torch.set_rng_state(opt_tensors.pop("__torch_rng__"))
    params = dict(model.named_parameters())
    for key, value in opt_tensors.items():
        name, field_name = key.split("::")
        optimizer.state[params[name]][field_name] = value
    payload = json.loads((folder / "state.json").read_text(encoding="utf-8"))
    random.setstate((3, tuple(payload.pop("python_rng")), payload.pop("python_rng_gauss")))
    return TrainState(**payload)


def move_optimizer_state(optimizer: torch.optim.Optimizer, device: torch.device) -> None:
    """Put Adam's moments on the model's device (they are saved and loaded on the CPU).
    The step counters stay on the CPU unless the fused (GPU) Adam wants them on the device."""
    fused = any(group.get("fused") for group in optimizer.param_groups)
    for state in optimizer.state.values():
        for key, value in state.items():
            if torch.is_tensor(value) and (key != "step" or fused):
                state[key] = value.to(device)


def save_snapshot(run_dir: Path, model: Transformer, state: TrainState, keep: int) -> None:
    """Keep the weights of the last ``keep`` checkpoints for averaging (§6.1)."""
    snap_dir = run_dir / "snapshots"
    snap_dir.mkdir(exist_ok=True)
    tmp = snap_dir / f"step{state.step:07d}.tmp"
    save_file({k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}, str(tmp))
    tmp.rename(snap_dir / f"step{state.step:07d}.safetensors")
    state.snapshots = sorted(set(state.snapshots + [state.step]))
    for old in state.snapshots[:-keep]:
        (snap_dir / f"step{old:07d}.safetensors").unlink(missing_ok=True)
    state.snapshots = state.snapshots[-keep:]


def averaged_weights(run_dir: Path, steps: list[int]) -> dict[str, torch.Tensor]:
    """Element-wise mean of the snapshot weights (§6.1: "averaging the last 5 checkpoints")."""
    return mean_weights(load_file(str(run_dir / "snapshots" / f"step{step:07d}.safetensors")) for step in steps)


def mean_weights(states: Iterable[dict[str, torch.Tensor]]) -> dict[str, torch.Tensor]:
    """Element-wise mean of ``state_dict``s, summed in float64 and returned as float32; ``states`` is
    read one at a time (a generator of files keeps one snapshot in memory besides the sum)."""
    total: dict[str, torch.Tensor] = {}
    count = 0
    for state in states:
        count += 1
        for k, v in state.items():
            total[k] = total[k] + v.double() if k in total else v.double()
    return {k: (v / count).float() for k, v in total.items()}


# ----------------------------------------------------------------- evaluation
def validation_loss(model: Transformer, pairs: list[EncodedPair], batch_tokens: int) -> float:
    """Per-token cross-entropy (no label smoothing) on the validation pairs."""
    model.eval()
    total, count = 0.0, 0
    with torch.inference_mode():
        for indices in make_batches(pairs, batch_tokens):
            batch = collate(pairs, indices, model.cfg.pad_id, model.cfg.bos_id)
            logits, _ = model(batch.src, batch.tgt_in, need_attention=False)
            loss = F.cross_entropy(
                logits.view(-1, logits.size(-1)), batch.tgt_out.view(-1), ignore_index=model.cfg.pad_id, reduction="sum"
            )
            total += float(loss)
            count += batch.n_tokens
    model.train()
    return total / max(count, 1)


def evaluation_record(
    model: Transformer,
    tokenizers: tuple[Tokenizer, Tokenizer],
    cfg: dict[str, Any],
    valid_data: list[EncodedPair],
    valid_pairs: list[tuple[str, str]],
    attention_data: list[EncodedPair],
) -> dict[str, Any]:
    """Validation loss, sacreBLEU/chrF on the first ``eval_sentences`` pairs and the
    cross-attention entropy ratio per layer (the model is left in training mode)."""
    ts = TrainSettings(**cfg.get("train", {}))
    record: dict[str, Any] = {"valid_loss": round(validation_loss(model, valid_data, ts.batch_tokens), 4)}
    sample = valid_pairs[: ts.eval_sentences]
    model.eval()
    outputs = make_translator(model, tokenizers, cfg).translate_texts([s for s, _ in sample])
    model.train()
    record["valid_bleu"], record["valid_chrf"], _ = score_outputs(outputs, [t for _, t in sample])
    quality = measure_attention(model, attention_data)
    record["cross_entropy_ratio"] = [round(v, 4) for v in quality.layer_entropy_ratio]
    record["cross_max_weight"] = [round(v, 4) for v in quality.layer_max_weight]
    return record


def probe_examples(cfg: dict[str, Any]) -> list[tuple[str, str]]:
    """The card's examples that have a known right answer: every example of a
    synthetic toy, and those given an ``example_references`` entry in ``[card]``."""
    card = cfg.get("card", {})
    examples = list(card.get("examples", []))
    task = cfg.get("data", {}).get("synthetic")
    if task:
        return [(e, synthetic_target(task, e)) for e in examples]
    refs = list(card.get("example_references", []))
    return [(e, r) for e, r in zip(examples, refs) if r]


# ----------------------------------------------------------------- main loop
def optimization_step(
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    batch: Batch | list[Batch],
    step: int,
    ts: TrainSettings,
    tokens: int | None = None,
    world_size: int = 1,
    precision: Precision | None = None,
) -> tuple[torch.Tensor, float]:
    """One update of the recipe: the warm-up learning rate of ``step`` (1-based, §5.3),
    forward (autocast as ``precision`` says; on the CPU bf16 if ``ts.bf16``),
    label-smoothed cross-entropy over the real target tokens (§5.4), backward,
    optional gradient clipping, Adam step.

    Gradient accumulation: ``batch`` may be a list of micro-batches. Each one's
    summed loss is divided by the tokens of the *whole* update and
    back-propagated (gradients add up; under DDP only the last one is
    all-reduced, ``no_sync``), then one Adam step: the same update as one
    batch holding them all, with a fraction of the memory.

    Args:
        model: the model, or its ``DistributedDataParallel`` wrapper.
        tokens: real target tokens of the *whole* update when this process holds
            only a shard of it (``core.distributed``); the loss is summed here and
            divided by that count (× ``world_size``, as DDP averages gradients), so
            the update equals a single process's on the whole batch.

    Returns:
        ``(loss, lr)``: this process's per-token loss (a 0-d tensor) and the learning rate used.
    """
    cfg = getattr(model, "module", model).cfg
    precision = precision or Precision.for_device(torch.device("cpu"), ts.bf16)
    lr = learning_rate(step, cfg.d_model, ts.warmup_steps, ts.lr_factor)
    for group in optimizer.param_groups:
        group["lr"] = lr
    micro = batch if isinstance(batch, list) else [batch]
    n_tokens = sum(b.n_tokens for b in micro)
    total = max(tokens or n_tokens, 1)
    optimizer.zero_grad(set_to_none=True)
    loss_sum = torch.zeros((), device=micro[0].src.device)
    for i, b in enumerate(micro):
        last = i == len(micro) - 1
        # DDP all-reduces gradients on every backward; the earlier micro-batches skip it
        sync = contextlib.nullcontext() if last or not hasattr(model, "no_sync") else model.no_sync()
        with sync:
            with torch.autocast(precision.device_type, dtype=precision.dtype, enabled=precision.enabled):
                logits, _ = model(b.src, b.tgt_in, need_attention=False)
            summed = F.cross_entropy(
                logits.float().view(-1, logits.size(-1)),
                b.tgt_out.view(-1),
                ignore_index=cfg.pad_id,
                label_smoothing=ts.label_smoothing,
                reduction="sum",
            )
            objective = summed * world_size / total
            if precision.scaler is not None:  # fp16 on a GPU: scale the loss so small gradients do not underflow
                precision.scaler.scale(objective).backward()
            else:
                objective.backward()
        loss_sum += summed.detach()
    loss = loss_sum / max(n_tokens, 1)
    if precision.scaler is not None:
        precision.scaler.unscale_(optimizer)
    if ts.clip_norm:
        torch.nn.utils.clip_grad_norm_(model.parameters(), ts.clip_norm)
    if precision.scaler is not None:
        precision.scaler.step(optimizer)
        precision.scaler.update()
    else:
        optimizer.step()
    return loss.detach(), lr


@dataclass
class Precision:
    """Mixed precision for one device: bf16 autocast on CPUs (``[train] bf16``) and on GPUs
    that support it, otherwise fp16 with a gradient scaler; MPS runs float32."""

    device_type: str
    dtype: torch.dtype
    enabled: bool
    scaler: torch.amp.GradScaler | None = None

    @classmethod
    def for_device(cls, device: torch.device, bf16: bool) -> "Precision":
        if device.type == "cuda":
            if torch.cuda.is_bf16_supported():
                return cls("cuda", torch.bfloat16, True)
            return cls("cuda", torch.float16, True, torch.amp.GradScaler("cuda"))
        if device.type == "mps":
            return cls("cpu", torch.bfloat16, False)
        if bf16 and not cpu_has_fast_bf16():
            warnings.warn(
                "[train] bf16 = true, but this CPU has no bfloat16 matrix units (AVX512-BF16 or AMX): oneDNN would "
                "emulate them about 20x slower than float32, so this run trains in float32 (set bf16 = false to "
                "silence this)", stacklevel=2)
            bf16 = False
        return cls("cpu", torch.bfloat16, bf16)

    @property
    def label(self) -> str:
        """How the matrix products ran, for the model card: "bfloat16 autocast", "float16 autocast" or "float32"."""
        return f"{str(self.dtype).removeprefix('torch.')} autocast" if self.enabled else "float32"


@functools.cache  # the CPU does not change while the process runs; read /proc/cpuinfo once
def cpu_has_fast_bf16() -> bool:
    """Whether this CPU multiplies bfloat16 matrices in hardware: x86 with AVX512-BF16 or AMX.

    Elsewhere oneDNN emulates bf16 (on an AVX2-only AMD EPYC it fell back to reference
    kernels: one en-ko step took 29 s in bf16 and 1.4 s in float32, 2 threads). PyTorch has
    no public query for it, so read the CPU flags Linux reports; anything else (another OS,
    an ARM CPU) trains in float32, which is always correct, only slower where bf16 exists."""
    return bool({"avx512_bf16", "amx_bf16"} & cpu_flags())


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> set[str]:
    """The CPU's feature flags from the first ``flags`` line of ``/proc/cpuinfo`` (empty where there is none)."""
    try:
        with open(cpuinfo, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("flags"):
                    return set(line.partition(":")[2].split())
    except OSError:
        pass
    return set()


def build_model(cfg: dict[str, Any], vocab_size: int, tgt_vocab_size: int | None = None) -> Transformer | RNNSeq2Seq:
    """The recipe's untrained model: a Transformer, or with ``[model] architecture = "rnn"``
    one of the RNN encoder–decoders of ``core.seq2seq`` (same data, tokenizer and loop)."""
    table = {"src_vocab_size": vocab_size, "tgt_vocab_size": tgt_vocab_size or vocab_size, **cfg.get("model", {})}
    if is_rnn(table):
        return RNNSeq2Seq(RNNConfig.from_dict(table))
    return Transformer(TransformerConfig.from_dict(table))


def make_translator(
    model: Transformer | RNNSeq2Seq, tokenizers: tuple[Tokenizer, Tokenizer], cfg: dict[str, Any]
) -> Translator | RNNTranslator:
    """The translator class that fits ``model`` (both offer ``translate_texts``)."""
    if isinstance(model, RNNSeq2Seq):
        return RNNTranslator(model, *tokenizers, _info(cfg))
    return Translator(model, *tokenizers, _info(cfg))


def train(
    config_path: Path,
    run_dir: Path,
    export_dir: Path | None,
    require_resume: bool = False,
    max_steps: int | None = None,
    max_minutes: float | None = None,
    quiet: bool = False,
    threads: int | None = None,
    device: str = "auto",
    runtime: Runtime | None = None,
) -> Path | None:
    """Train (or resume) and, once ``max_steps`` is reached, export the checkpoint folder.

    ``device`` (``auto``, ``cpu``, ``cuda``, ``mps``) and the processes ``torchrun``
    started are read by ``core.distributed.setup`` (``runtime`` replaces it in tests).
    Returns the export folder, or ``None`` if this invocation stopped on its
    time limit before the last step (run it again to continue), and on every
    process but rank 0.
    """
    runtime = runtime or setup(device)
    try:
        return _train(config_path, run_dir, export_dir, require_resume, max_steps, max_minutes, quiet, threads, runtime)
    finally:
        teardown(runtime)


def _train(
    config_path: Path,
    run_dir: Path,
    export_dir: Path | None,
    require_resume: bool,
    max_steps: int | None,
    max_minutes: float | None,
    quiet: bool,
    threads: int | None,
    runtime: Runtime,
) -> Path | None:
    cfg = load_config(config_path)
    ts = TrainSettings(**cfg.get("train", {}))
    if max_steps is not None:
        ts.max_steps = max_steps
    if max_minutes is not None:
        ts.max_minutes = max_minutes
    if threads:
        ts.threads = threads
    if ts.threads:
        torch.set_num_threads(ts.threads)
    run_dir.mkdir(parents=True, exist_ok=True)
    resuming = (run_dir / "state").is_dir() or (run_dir / "state.old").is_dir()
    if require_resume and not resuming:
        raise SystemExit(f"--resume given but {run_dir}/state does not exist: start without --resume")

    if runtime.is_main:  # one process back-translates (if the recipe asks); the others wait and read
        for corpus in corpora(cfg):
            if "back_translate" in corpus:  # plain corpora are read once, by load_pairs below
                corpus_pairs(corpus, run_dir, resuming)
    barrier(runtime)
    train_pairs, valid_pairs = load_pairs(cfg, run_dir)
    if runtime.is_main:  # one process trains the tokenizer; the others wait and read it
        prepare_tokenizer(cfg, run_dir, train_pairs)
    barrier(runtime)
    src_path, tgt_path = prepare_tokenizer(cfg, run_dir, train_pairs)
    src_tok, tgt_tok = Tokenizer(src_path), Tokenizer(tgt_path)
    train_data = encode_pairs(train_pairs, src_tok, tgt_tok, ts.max_tokens)
    valid_data = encode_pairs(valid_pairs, src_tok, tgt_tok, ts.max_tokens)
    batches = make_batches(train_data, ts.batch_tokens)

    torch.manual_seed(ts.seed)
    random.seed(ts.seed)
    main = runtime.is_main
    quiet = quiet or not main
    model = build_model(cfg, src_tok.vocab_size, tgt_tok.vocab_size).to(runtime.device)
    fused = runtime.device.type == "cuda"  # one kernel for the whole Adam update
    optimizer = torch.optim.Adam(model.parameters(), lr=0.0, betas=(0.9, 0.98), eps=1e-9, fused=fused or None)
    precision = Precision.for_device(runtime.device, ts.bf16)
    on_cpu_device = runtime.device.type == "cpu"
    if on_cpu_device and precision.enabled:
        bound_onednn_cache(ts.onednn_cache)  # before the first bf16 kernel is built
    wrapped: torch.nn.Module = model
    if runtime.distributed:
        wrapped = DistributedDataParallel(model, device_ids=[runtime.device] if runtime.device.type == "cuda" else None)
    # Attention statistics on the same validation sentences as the BLEU sample
    # (those longer than max_tokens are dropped by encode_pairs).
    attention_data = encode_pairs(valid_pairs[: ts.eval_sentences], src_tok, tgt_tok, ts.max_tokens)
    last_ratio: float | None = None
    state = load_state(run_dir, model, optimizer) if resuming else TrainState()
    move_optimizer_state(optimizer, runtime.device)
    if precision.label not in state.precisions:  # a resumed run may land on a machine without bf16
        state.precisions.append(precision.label)
    if resuming and not quiet:
        print(f"resuming {run_dir} at step {state.step} (epoch {state.epoch}, batch {state.batch_in_epoch})")
    model.train()
    tokenizers = (src_tok, tgt_tok)

    # The training timeline (core.timeline): a fixed probe set, snapshotted at step 0 and every
    # snapshot_every steps. A resumed run keeps its snapshots; a step recorded twice is rewritten.
    tl = TimelineSettings(**cfg.get("timeline", {}))
    snapshot_every = tl.snapshot_every or ts.eval_every
    probe = None
    if tl.enabled and isinstance(model, Transformer) and main:  # the recorder reads a Transformer's maps
        probe = build_probe(probe_examples(cfg), valid_pairs, src_tok, tgt_tok, tl, ts.max_tokens,
                            model.cfg.eos_id, model.cfg.bos_id)
        save_probe(run_dir, probe)

    def on_cpu() -> torch.nn.Module:
        """The model for evaluation and snapshots: itself on the CPU, else a CPU copy
        (the translators and statistics build CPU tensors)."""
        if runtime.device.type == "cpu":
            return model
        copy = build_model(cfg, src_tok.vocab_size, tgt_tok.vocab_size)
        copy.load_state_dict({k: v.detach().cpu() for k, v in model.state_dict().items()})
        return copy.train(model.training)

    def snapshot(step: int, metrics: dict[str, Any]) -> None:
        m = on_cpu()
        was_training = m.training  # Translator() puts the model in eval mode: training must go on with dropout
        try:
            translator = Translator(m, src_tok, tgt_tok, _info(cfg))
            save_run_snapshot(run_dir, take_snapshot(m, probe, step, metrics, translator.translate_texts, tl))
        finally:
            m.train(was_training)

    if probe is not None and state.step == 0 and 0 not in run_snapshots(run_dir):
        snapshot(0, {"step": 0, "train_loss": None,
                     **evaluation_record(on_cpu(), tokenizers, cfg, valid_data, valid_pairs, attention_data)})

    started = time.perf_counter()  # since the last checkpoint (for state.elapsed_seconds)
    invocation_start = started  # for --max-minutes
    window_tokens, window_start = 0, time.perf_counter()
    progress = tqdm(
        total=ts.max_steps,
        initial=state.step,
        desc=cfg["name"],
        disable=quiet,
        dynamic_ncols=True,
        mininterval=0.5 if sys.stderr.isatty() else 30,
    )
    stopped_early = False
    while state.step < ts.max_steps:
        in_epoch = epoch_batches(batches, state.epoch, ts.seed, state.batch_in_epoch)
        for position, group in update_groups(in_epoch, max(ts.accumulate, 1)):
            group = [ix for ix in group if len(ix) >= runtime.world_size]  # each process needs a sentence
            if not group:
                state.batch_in_epoch = position + 1
                continue
            micro = [collate(train_data, shard(ix, runtime), model.cfg.pad_id, model.cfg.bos_id).to(runtime.device)
                     for ix in group]
            tokens = sum(len(train_data[i].tgt) for ix in group for i in ix)  # the whole update's target tokens
            loss, lr = optimization_step(wrapped, optimizer, micro, state.step + 1, ts, tokens,
                                         runtime.world_size, precision)
            loss = token_mean(loss, sum(b.n_tokens for b in micro), runtime)

            state.step += 1
            state.batch_in_epoch = position + 1
            state.target_tokens += tokens
            window_tokens += tokens
            now = time.perf_counter()
            tok_s = window_tokens / max(now - window_start, 1e-9)
            if now - window_start > 30:
                window_tokens, window_start = 0, now
            progress.update(1)
            if on_cpu_device and state.step % RELEASE_EVERY == 0:
                release_freed_memory()  # glibc keeps freed temporaries otherwise (core/cpu_memory.py)
            postfix = {"loss": f"{loss.item():.3f}", "tok_s": f"{tok_s:.0f}", "lr": f"{lr:.2e}", "epoch": state.epoch}
            if last_ratio is not None:
                postfix["attn_H"] = f"{last_ratio:.3f}"  # last decoder layer's cross-attention entropy ratio
            progress.set_postfix(postfix, refresh=False)

            take = probe is not None and (state.step % snapshot_every == 0 or state.step == ts.max_steps)
            if main and (take or state.step % ts.eval_every == 0 or state.step == ts.max_steps):
                record = {"step": state.step, "epoch": state.epoch, "train_loss": round(loss.item(), 4)}
                record.update(evaluation_record(on_cpu(), tokenizers, cfg, valid_data, valid_pairs, attention_data))
                last_ratio = record["cross_entropy_ratio"][-1] if record["cross_entropy_ratio"] else None
                record["tokens_per_second"] = round(tok_s)
                state.history.append(record)
                with (run_dir / "log.jsonl").open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(record) + "\n")
                progress.write(json.dumps(record))
                if take:
                    snapshot(state.step, record)
            if state.step % ts.checkpoint_every == 0 or state.step == ts.max_steps:
                state.elapsed_seconds += time.perf_counter() - started
                started = time.perf_counter()
                if main:
                    save_snapshot(run_dir, model, state, ts.average_last)
                    save_state(run_dir, model, optimizer, state)
            if state.step >= ts.max_steps:
                break
            out_of_time = bool(ts.max_minutes) and (time.perf_counter() - invocation_start) / 60 > ts.max_minutes
            if any_rank(out_of_time, runtime):  # every process stops at the same step
                stopped_early = True
                break
        else:
            state.epoch += 1
            state.batch_in_epoch = 0
            continue
        break
    progress.close()
    state.elapsed_seconds += time.perf_counter() - started
    if main:
        save_snapshot(run_dir, model, state, ts.average_last)
        save_state(run_dir, model, optimizer, state)
    barrier(runtime)
    if not main:
        return None
    if stopped_early or state.step < ts.max_steps:
        if not quiet:
            print(f"stopped at step {state.step}/{ts.max_steps}; run the same command again to resume")
        return None
    if export_dir is None:
        return None
    return export(cfg, config_path, run_dir, (src_tok, tgt_tok), state, export_dir, quiet=quiet)


def example_alignments(translator: Translator, texts: list[str]) -> list[dict[str, Any]]:
    """For each example: its greedy output and the source piece each output piece attends to most.

    Last decoder layer, mean of its heads (an RNN: its one alignment), ``</s>`` of the source left out.
    ``backward`` counts output pieces whose source piece lies *before* the
    previous output piece's: 0 for a monotonic (diagonal) alignment.
    """
    out = []
    if isinstance(translator, RNNTranslator) and not translator.has_attention:
        return out  # the bottleneck model looks at no source piece
    for text in texts:
        res = translator.translate(text)
        # (target rows, source keys): the Bahdanau alignment, or the Transformer's last layer
        cross = res.alignment if isinstance(translator, RNNTranslator) else res.attention.cross[-1].mean(0)
        n_src = len(res.source_tokens) - 1  # without </s>
        links, previous, backward = [], None, 0
        for t, piece in enumerate(res.output_tokens):
            if t >= cross.shape[0] or piece == "</s>" or n_src < 1:
                continue
            j = int(cross[t, :n_src].argmax())
            links.append(f"{piece} ← {res.source_tokens[j]} ({float(cross[t, j]):.2f})")
            if previous is not None and j < previous:
                backward += 1
            previous = j
        out.append({"source": text, "output": res.text, "links": links, "backward": backward})
    return out


def _vocabulary(cfg: dict[str, Any], src_tok: Tokenizer, tgt_tok: Tokenizer) -> str:
    kind = cfg.get("tokenizer", {}).get("model_type", "bpe")
    kind = "BPE" if kind == "bpe" else kind
    if src_tok.model_path.name == tgt_tok.model_path.name:
        return f"{src_tok.vocab_size} shared sentencepiece {kind}"
    return f"{src_tok.vocab_size} source / {tgt_tok.vocab_size} target sentencepiece {kind}"


def _info(cfg: dict[str, Any]) -> CheckpointInfo:
    card = cfg.get("card", {})
    return CheckpointInfo(
        name=cfg["name"],
        source_language=cfg["source_language"],
        target_language=cfg["target_language"],
        source_tokenizer=tokenizer_files(cfg)[0],
        target_tokenizer=tokenizer_files(cfg)[1],
        metadata={
            "title": cfg.get("title", cfg["name"]),
            "examples": card.get("examples", []),
            "toy": bool(card.get("toy")),
        },
    )


def export(
    cfg: dict[str, Any],
    config_path: Path,
    run_dir: Path,
    tokenizers: tuple[Tokenizer, Tokenizer],
    state: TrainState,
    export_dir: Path,
    quiet: bool = False,
) -> Path:
    """Average the last snapshots, score every test set, write the folder and its card."""
    ts = TrainSettings(**cfg.get("train", {}))
    src_tok, tgt_tok = tokenizers
    model = build_model(cfg, src_tok.vocab_size, tgt_tok.vocab_size)
    steps = state.snapshots[-ts.average_last :]
    model.load_state_dict(averaged_weights(run_dir, steps))
    model.eval()
    translator = make_translator(model, tokenizers, cfg)
    info = translator.info

    scores: list[dict[str, Any]] = []
    examples: list[dict[str, str]] = []
    pool_names = set(cfg.get("data", {}).get("pool", []))  # test sets scored together as one "pooled" set
    pooled: dict[str, tuple[list[str], list[str], list[float]]] = {}
    attention_pairs: list[tuple[str, str]] = []
    tests = evaluation_sets(cfg)
    if "synthetic" in cfg["data"]:
        data = cfg["data"]
        pairs = synthetic_pairs(data["synthetic"], 200, data.get("min_len", 3), data.get("max_len", 12), cfg.get("seed", 1) + 2)
        tests = [{"name": f"synthetic {data['synthetic']} (200 new sequences)", "pairs": pairs}]
    for test in tests:
        if "pairs" in test:
            pairs = test["pairs"]
        else:
            pairs = read_parallel(resolve(test["src"]), resolve(test["ref"]))
        sources, refs = [s for s, _ in pairs], [t for _, t in pairs]
        for s, outs in evaluate_outputs(translator, sources, refs, tuple(test.get("beams", [1, 4]))):
            scores.append({"test": test["name"], **s.__dict__})
            if test["name"] in pool_names:
                pooled.setdefault(s.decoding, ([], [], [0.0]))
                pooled[s.decoding][0].extend(outs)
                pooled[s.decoding][1].extend(refs)
                pooled[s.decoding][2][0] += s.seconds
            if not quiet:
                print(f"{test['name']}: {s.decoding} BLEU {s.bleu} chrF {s.chrf}", flush=True)
        if test["name"] in pool_names:
            attention_pairs.extend(pairs)
        if not examples:
            outs = translator.translate_texts(sources[:10])
            examples = [{"source": s, "reference": r, "output": o} for s, r, o in zip(sources[:10], refs[:10], outs)]

    pool_label = "pooled (" + ", ".join(cfg["data"]["pool"]) + ")" if pooled else ""
    for decoding, (outs, refs, secs) in pooled.items():
        bleu, chrf, signature = score_outputs(outs, refs)
        scores.append({"test": pool_label, "decoding": decoding, "bleu": bleu, "chrf": chrf,
                       "sentences": len(refs), "seconds": round(secs[0], 1), "signature": signature})
        if not quiet:
            print(f"{pool_label}: {decoding} BLEU {bleu} chrF {chrf}", flush=True)
    if attention_pairs and not (isinstance(model, RNNSeq2Seq) and model.attention is None):
        quality = measure_attention(model, encode_pairs(attention_pairs, src_tok, tgt_tok, model.cfg.max_positions - 1))
        info.metadata["attention_quality"] = {
            "test": pool_label,
            "cross_entropy_ratio": [round(v, 3) for v in quality.layer_entropy_ratio],
            "cross_max_weight": [round(v, 3) for v in quality.layer_max_weight],
            "uniform_max_weight": round(quality.uniform_max_weight, 3),
        }
        if not quiet:
            print(f"attention on {pool_label}: {info.metadata['attention_quality']}", flush=True)
    alignments = example_alignments(translator, cfg.get("card", {}).get("examples", []))
    ranked = [s for s in scores if s["test"] == pool_label] or scores
    headline = next((s for s in ranked if s["decoding"].startswith("beam")), ranked[0] if ranked else None)
    info.metadata["bleu"] = scores
    if headline:
        info.metadata["quality"] = f"BLEU {headline['bleu']:.1f} on {headline['test']} ({headline['decoding']})"
    training = {
        "steps": state.step,
        "epochs": state.epoch,
        "batch_tokens": ts.batch_tokens,
        **({"accumulate": ts.accumulate} if ts.accumulate > 1 else {}),
        "warmup_steps": ts.warmup_steps,
        "label_smoothing": ts.label_smoothing,
        "minutes": round(state.elapsed_seconds / 60, 1),
        "hardware": f"{platform.machine()} CPU, {torch.get_num_threads()} threads ({os.cpu_count()} cores visible), PyTorch {torch.__version__}",
        **({"precision": ", then ".join(state.precisions)} if state.precisions else {}),
        "averaging": f"mean of the last {len(steps)} checkpoints (steps {', '.join(map(str, steps))})",
        "vocabulary": _vocabulary(cfg, src_tok, tgt_tok),
    }
    info.metadata["training"] = training
    rel = config_path.resolve()
    try:
        rel = rel.relative_to(PROJECT_ROOT)
    except ValueError:
        pass
    card_text = render_card(
        name=cfg["name"],
        title=cfg.get("title", cfg["name"]),
        cfg=model.cfg,
        params=sum(p.numel() for p in model.parameters()),
        card=cfg.get("card", {}),
        training=training,
        scores=scores,
        examples=examples,
        command=train_command(rel, state.step, ts.max_steps),
        corpora=[{**c, "pairs": n} for c, n in zip(corpora(cfg), corpus_sizes(cfg, run_dir))] or None,
        attention=info.metadata.get("attention_quality"),
        alignments=alignments,
        curve=state.history,
    )
    files = {name: run_dir / name for name in dict.fromkeys(tokenizer_files(cfg))}
    folder = save_checkpoint(export_dir, model, info, files, card_text)
    if 0 in run_snapshots(run_dir):  # a timeline recorded from the first step on: ship it
        export_run_timeline(cfg, run_dir, model, (src_tok, tgt_tok), state, folder, quiet)
        refresh_card(folder, config_path)  # the card's curve from the timeline: step 0 and the shipped average too
    return folder


def train_command(config: Path | str, steps: int, configured_steps: int) -> str:
    """The command that reproduces a run: ``--max-steps`` is named when the run stopped at another step count
    than its config's ``[train] max_steps`` (ko-en and en-ko ran 6,000 of 9,000 planned steps)."""
    command = f"python -m core.train --config {config}"
    return command if steps == configured_steps else f"{command} --max-steps {steps}"


def export_run_timeline(
    cfg: dict[str, Any],
    run_dir: Path,
    model: Transformer,
    tokenizers: tuple[Tokenizer, Tokenizer],
    state: TrainState,
    export_dir: Path,
    quiet: bool = False,
) -> Path:
    """Write ``timeline.npz``/``timeline.json`` into ``export_dir``: the run's snapshots plus
    the shipped (averaged) ``model`` as the last point."""
    ts = TrainSettings(**cfg.get("train", {}))
    tl = TimelineSettings(**cfg.get("timeline", {}))
    src_tok, tgt_tok = tokenizers
    _, valid_pairs = load_pairs(cfg, run_dir)
    valid_data = encode_pairs(valid_pairs, src_tok, tgt_tok, ts.max_tokens)
    attention_data = encode_pairs(valid_pairs[: ts.eval_sentences], src_tok, tgt_tok, ts.max_tokens)
    probe = build_probe(probe_examples(cfg), valid_pairs, src_tok, tgt_tok, tl, ts.max_tokens,
                        model.cfg.eos_id, model.cfg.bos_id)
    metrics = {"step": state.step, "train_loss": None,
               **evaluation_record(model, tokenizers, cfg, valid_data, valid_pairs, attention_data)}
    model.eval()
    translator = Translator(model, src_tok, tgt_tok, _info(cfg))
    final = take_snapshot(model, probe, state.step, metrics, translator.translate_texts, tl, averaged=True)
    path = export_timeline(run_dir, export_dir, final, cfg["name"])
    if not quiet:
        print(f"timeline: {len(run_snapshots(run_dir)) + 1} points -> {path}", flush=True)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core.train", description=__doc__.split("\n")[0])
    parser.add_argument("--config", required=True, help="configs/<name>.toml")
    parser.add_argument("--out", help="run folder for resumable state (default runs/<name>)")
    parser.add_argument("--export", help="checkpoint folder to write at the end (default: the recipe's export, else pretrained/<name>)")
    parser.add_argument("--resume", action="store_true", help="fail unless an earlier run exists in --out")
    parser.add_argument("--max-steps", type=int, help="override [train] max_steps")
    parser.add_argument("--max-minutes", type=float, help="stop this invocation after N minutes (resume later)")
    parser.add_argument("--export-only", action="store_true", help="export the current state without training")
    parser.add_argument("--threads", type=int, help="override [train] threads (torch.set_num_threads)")
    parser.add_argument("--device", default="auto", choices=DEVICES,
                        help="auto (CUDA if present, else MPS, else CPU), cpu, cuda or mps; under torchrun each process takes its LOCAL_RANK's GPU")
    args = parser.parse_args(argv)
    config_path = Path(args.config)
    if not config_path.is_file():
        print(f"error: config {config_path} does not exist (see configs/)", file=sys.stderr)
        return 2
    cfg = load_config(config_path)
    run_dir = Path(args.out) if args.out else PROJECT_ROOT / "runs" / cfg["name"]
    # A recipe may name its own shipped folder (``export = "pretrained/seq2seq/…"``); default pretrained/<name>.
    export_dir = Path(args.export) if args.export else resolve(cfg.get("export", f"pretrained/{cfg['name']}"))
    if args.export_only:
        if args.threads:
            torch.set_num_threads(args.threads)
        src_name, tgt_name = tokenizer_files(cfg)
        tokenizers = (Tokenizer(run_dir / src_name), Tokenizer(run_dir / tgt_name))
        model = build_model(cfg, tokenizers[0].vocab_size, tokenizers[1].vocab_size)
        optimizer = torch.optim.Adam(model.parameters())
        state = load_state(run_dir, model, optimizer)
        print(export(cfg, config_path, run_dir, tokenizers, state, export_dir))
        return 0
    try:
        folder = train(config_path, run_dir, export_dir, args.resume, args.max_steps, args.max_minutes,
                       threads=args.threads, device=args.device)
    except FileNotFoundError as exc:  # a corpus file the recipe names is not there
        missing = exc.filename or exc
        print(f"error: {missing} does not exist: put the corpus there (one sentence per line, the two sides "
              f"aligned) or edit the [data] paths of {config_path}", file=sys.stderr)
        return 2
    if folder:
        print(f"wrote {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
