"""Training timelines: how attention is learned, recorded while a model trains.

Every ``snapshot_every`` steps — and at step 0, before any update — the
recorder runs the model (in eval mode, no dropout) on a fixed *probe set* and
keeps:

* every attention map of a teacher-forced pass on the probe's **reference**
  translations (the final model's own output is not known while it trains, so
  the decoder is fed the reference; rows still predict the next reference
  token), float16, for the first ``map_sentences`` probe sentences;
* per head, the mean row entropy ÷ log(keys seen) and the mean maximum weight,
  over all probe sentences (how heads specialise);
* the greedy translation of every probe sentence at that step;
* the step's training loss, the validation loss, sacreBLEU and the
  cross-attention entropy ratio per layer (the same numbers ``log.jsonl`` has).

Each snapshot is two files in ``<run>/timeline/``: ``step0001500.npz`` (maps)
and ``step0001500.json`` (the rest), each written to a temporary name and
renamed, so a crash never leaves half a snapshot and a resumed run rewrites a
step instead of duplicating it. The export packs them, plus the shipped
(checkpoint-averaged) model as the last point, into ``timeline.npz`` +
``timeline.json`` next to the weights; ``load_timeline`` reads that back.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from . import attention_quality
from .data import EncodedPair
from .kinds import KIND_NAMES
from .model import Transformer
from .tokenizer import Tokenizer

FOLDER = "timeline"
MAPS_FILE = "timeline.npz"
INDEX_FILE = "timeline.json"
FORMAT = "attention-lab-timeline/1"


@dataclass
class TimelineSettings:
    """The ``[timeline]`` table of a recipe.

    Attributes:
        enabled: record at all.
        snapshot_every: steps between snapshots (0 = the recipe's ``eval_every``).
        probe_sentences: validation pairs in the probe set (after the examples).
        map_sentences: probe sentences whose full maps are kept (the rest give statistics only).
    """

    enabled: bool = True
    snapshot_every: int = 0
    probe_sentences: int = 20
    map_sentences: int = 6


@dataclass
class Probe:
    """The fixed sentences a timeline watches. Decoder input = ``<s>`` + reference pieces."""

    sources: list[str]
    references: list[str]
    pairs: list[EncodedPair]
    source_tokens: list[list[str]]
    target_tokens: list[list[str]]  # decoder input labels: <s> y_1 …
    output_tokens: list[list[str]]  # what each decoder row should predict: y_1 … </s>

    def to_json(self) -> dict[str, Any]:
        return {"sources": self.sources, "references": self.references, "source_tokens": self.source_tokens,
                "target_tokens": self.target_tokens, "output_tokens": self.output_tokens}


def synthetic_target(task: str, source: str) -> str:
    """The right answer of a toy task for ``source`` (see ``core.data.synthetic_pairs``)."""
    words = source.split()
    return " ".join({"copy": words, "reverse": words[::-1], "sort": sorted(words)}[task])


def build_probe(
    examples: Sequence[tuple[str, str]],
    valid_pairs: Sequence[tuple[str, str]],
    src_tok: Tokenizer,
    tgt_tok: Tokenizer,
    settings: TimelineSettings,
    max_tokens: int,
    eos_id: int,
    bos_id: int,
) -> Probe:
    """Examples with a known reference first, then the first ``probe_sentences`` validation pairs."""
    chosen = list(examples) + list(valid_pairs[: settings.probe_sentences])
    pairs, kept = [], []
    for s, r in chosen:
        src = src_tok.encode(s)[:max_tokens] + [eos_id]
        tgt = tgt_tok.encode(r)[:max_tokens] + [eos_id]
        pairs.append(EncodedPair(src, tgt))
        kept.append((s, r))
    return Probe(
        sources=[s for s, _ in kept],
        references=[r for _, r in kept],
        pairs=pairs,
        source_tokens=[src_tok.labels(p.src) for p in pairs],
        target_tokens=[tgt_tok.labels([bos_id] + p.tgt[:-1]) for p in pairs],
        output_tokens=[tgt_tok.labels(p.tgt) for p in pairs],
    )


def teacher_forced_maps(model: Transformer, pair: EncodedPair) -> dict[str, np.ndarray]:
    """The three kinds' maps ``(layers, heads, q, k)`` of one probe pair (float32, eval mode)."""
    cfg = model.cfg
    src = torch.tensor([pair.src])
    tgt = torch.tensor([[cfg.bos_id] + pair.tgt[:-1]])
    with torch.inference_mode():
        _, maps = model(src, tgt, need_attention=True)
    return {kind: getattr(maps, kind)[0].float().numpy() for kind in KIND_NAMES}


def head_statistics(all_maps: Sequence[dict[str, np.ndarray]]) -> dict[str, dict[str, np.ndarray]]:
    """Per kind: ``entropy_ratio`` and ``max_weight`` ``(layers, heads)`` averaged over every row of every sentence."""
    out: dict[str, dict[str, np.ndarray]] = {}
    for kind in KIND_NAMES:
        stats = attention_quality.head_statistics([maps[kind] for maps in all_maps], kind)
        out[kind] = {"entropy_ratio": stats.entropy_ratio, "max_weight": stats.max_weight}
    return out


@dataclass
class Snapshot:
    """One point of a timeline: maps of the first sentences, statistics, translations, metrics."""

    step: int
    maps: list[dict[str, np.ndarray]]  # per mapped probe sentence, per kind: (layers, heads, q, k) float16
    stats: dict[str, dict[str, np.ndarray]]
    translations: list[str]
    metrics: dict[str, Any]
    averaged: bool = False

    def record(self) -> dict[str, Any]:
        """The JSON half (everything but the maps)."""
        return {
            "step": self.step,
            "averaged": self.averaged,
            "metrics": self.metrics,
            "translations": self.translations,
            "stats": {k: {n: np.round(v, 4).tolist() for n, v in s.items()} for k, s in self.stats.items()},
        }


def take_snapshot(
    model: Transformer,
    probe: Probe,
    step: int,
    metrics: dict[str, Any],
    translate: Callable[[list[str]], list[str]],
    settings: TimelineSettings,
    averaged: bool = False,
) -> Snapshot:
    """Run the probe through ``model`` (put in eval mode and restored) and keep what the timeline needs.

    ``translate(sources) -> list[str]`` gives the greedy translations (the
    trainer passes a ``Translator.translate_texts`` bound to this model).
    """
    was_training = model.training
    model.eval()
    try:
        all_maps = [teacher_forced_maps(model, pair) for pair in probe.pairs]
        translations = translate(probe.sources)
    finally:
        model.train(was_training)
    kept = [{k: v.astype(np.float16) for k, v in maps.items()} for maps in all_maps[: settings.map_sentences]]
    return Snapshot(step, kept, head_statistics(all_maps), translations, dict(metrics), averaged)


# ---------------------------------------------------------------- run folder
def _atomic_write_bytes(path: Path, write) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.chmod(tmp, 0o644)  # mkstemp makes files private; shipped files are world-readable
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _maps_arrays(snapshot: Snapshot, prefix: str = "") -> dict[str, np.ndarray]:
    return {f"{prefix}p{i}/{kind}": arr for i, maps in enumerate(snapshot.maps) for kind, arr in maps.items()}


def save_run_snapshot(run_dir: Path, snapshot: Snapshot) -> None:
    """Write ``<run>/timeline/step{N}.npz`` and ``.json`` atomically (a re-recorded step replaces its files)."""
    folder = run_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"step{snapshot.step:07d}"
    _atomic_write_bytes(folder / f"{stem}.npz", lambda fh: np.savez_compressed(fh, **_maps_arrays(snapshot)))
    _atomic_write_bytes(folder / f"{stem}.json", lambda fh: fh.write(json.dumps(snapshot.record()).encode("utf-8")))


def save_probe(run_dir: Path, probe: Probe) -> None:
    folder = run_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    _atomic_write_bytes(folder / "probe.json", lambda fh: fh.write(json.dumps(probe.to_json(), ensure_ascii=False).encode("utf-8")))


def run_snapshots(run_dir: Path) -> list[int]:
    """Steps recorded in a run folder, ascending (a step whose pair of files is incomplete is ignored)."""
    folder = run_dir / FOLDER
    if not folder.is_dir():
        return []
    steps = []
    for path in folder.glob("step*.json"):
        if (folder / f"{path.stem}.npz").exists():
            steps.append(int(path.stem[4:]))
    return sorted(steps)


def load_run_snapshot(run_dir: Path, step: int) -> Snapshot:
    folder = run_dir / FOLDER
    record = json.loads((folder / f"step{step:07d}.json").read_text(encoding="utf-8"))
    with np.load(folder / f"step{step:07d}.npz") as data:
        arrays = {k: data[k] for k in data.files}
    return _snapshot_from(record, arrays, "")


def _snapshot_from(record: dict[str, Any], arrays: dict[str, np.ndarray], prefix: str) -> Snapshot:
    n = 1 + max((int(k[len(prefix):].split("/")[0][1:]) for k in arrays if k.startswith(prefix)), default=-1)
    maps = [{kind: arrays[f"{prefix}p{i}/{kind}"] for kind in KIND_NAMES} for i in range(n)]
    stats = {k: {name: np.asarray(v) for name, v in s.items()} for k, s in record["stats"].items()}
    return Snapshot(record["step"], maps, stats, record["translations"], record["metrics"], record.get("averaged", False))


# ------------------------------------------------------------------- export
def export_timeline(run_dir: Path, export_dir: Path, final: Snapshot, model_name: str) -> Path:
    """Pack the run's snapshots plus ``final`` (the shipped model) into ``export_dir``.

    Returns the path of ``timeline.json``. Written atomically: both files go
    to temporary names first.
    """
    probe = json.loads((run_dir / FOLDER / "probe.json").read_text(encoding="utf-8"))
    snapshots = [load_run_snapshot(run_dir, s) for s in run_snapshots(run_dir)] + [final]
    arrays: dict[str, np.ndarray] = {}
    records = []
    for i, snap in enumerate(snapshots):
        arrays.update(_maps_arrays(snap, prefix=f"s{i}/"))
        records.append(snap.record())
    index = {"format": FORMAT, "model": model_name, "probe": probe, "snapshots": records,
             "note": "teacher-forced on the reference translations; the last point is the shipped (averaged) model"}
    export_dir.mkdir(parents=True, exist_ok=True)
    _atomic_write_bytes(export_dir / MAPS_FILE, lambda fh: np.savez_compressed(fh, **arrays))
    _atomic_write_bytes(export_dir / INDEX_FILE, lambda fh: fh.write(json.dumps(index, ensure_ascii=False).encode("utf-8")))
    return export_dir / INDEX_FILE


@dataclass
class Timeline:
    """A shipped timeline, read back (see ``load_timeline``).

    Attributes:
        model: model name.
        steps: ``(n,)`` training step of each point; the last point is the
            shipped averaged model (``averaged[-1]`` is True).
        probe: sources, references and token labels of the probe sentences.
        metrics: per point, the recorded numbers (``train_loss``, ``valid_loss``, ``valid_bleu`` …).
        translations: per point, the greedy translation of every probe sentence.
        stats: per point, per kind: ``entropy_ratio`` / ``max_weight`` ``(layers, heads)``.
    """

    model: str
    steps: list[int]
    averaged: list[bool]
    probe: dict[str, Any]
    metrics: list[dict[str, Any]]
    translations: list[list[str]]
    stats: list[dict[str, dict[str, np.ndarray]]]
    _arrays: dict[str, np.ndarray] = field(repr=False, default_factory=dict)

    @property
    def mapped_sentences(self) -> int:
        """How many probe sentences have full maps (the first ones)."""
        return 1 + max((int(k.split("/")[1][1:]) for k in self._arrays), default=-1)

    def maps(self, point: int, sentence: int, kind: str) -> np.ndarray:
        """``(layers, heads, q, k)`` float32 of one point, probe sentence and kind."""
        return self._arrays[f"s{point}/p{sentence}/{kind}"].astype(np.float32)

    def statistic(self, kind: str, name: str) -> np.ndarray:
        """``(points, layers, heads)`` of ``entropy_ratio`` or ``max_weight`` across the timeline."""
        return np.stack([s[kind][name] for s in self.stats])

    def metric(self, name: str) -> list[float | None]:
        return [m.get(name) for m in self.metrics]


def load_timeline(folder: str | Path) -> Timeline | None:
    """The timeline shipped in a model folder, or ``None`` when it has none."""
    folder = Path(folder)
    index_path, maps_path = folder / INDEX_FILE, folder / MAPS_FILE
    if not index_path.exists() or not maps_path.exists():
        return None
    index = json.loads(index_path.read_text(encoding="utf-8"))
    if index.get("format") != FORMAT:
        raise ValueError(f"{index_path} is not a {FORMAT} file: re-export the model with python -m core.train --export-only")
    with np.load(maps_path) as data:
        arrays = {k: data[k] for k in data.files}
    records = index["snapshots"]
    return Timeline(
        model=index["model"],
        steps=[r["step"] for r in records],
        averaged=[bool(r.get("averaged")) for r in records],
        probe=index["probe"],
        metrics=[r["metrics"] for r in records],
        translations=[r["translations"] for r in records],
        stats=[{k: {n: np.asarray(v) for n, v in s.items()} for k, s in r["stats"].items()} for r in records],
        _arrays=arrays,
    )
