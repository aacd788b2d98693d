"""How much each attention head matters: sacreBLEU with one head removed.

Michel, Levy & Neubig (2019), "Are Sixteen Heads Really Better than One?",
removed heads one at a time from a trained translation Transformer and found
that most can go with little loss while a few are essential; Voita et al.
(2019) found the essential ones are those with a clear job (positional,
syntactic, rare-word heads). This module repeats that experiment on our
models: translate a fixed test sample greedily with every head, then once per
head with that head switched off (``core.ablation.Ablation.removed_heads``),
and record the change in sacreBLEU.

    python -m core.head_importance --model pretrained/multi30k-en-de

writes ``pretrained/multi30k-en-de/head_importance.json``: the baseline
score, one row per (kind, layer, head) — 0-based, as every tensor — and the
SHA-256 of the weights it was measured on, so a re-trained model never shows
a stale table. Greedy decoding has no randomness: the numbers reproduce
exactly on the same sentences (the first ``--sentences`` lines of the
model's first test set; for the letters toy, ``--seed`` picks fresh strings).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .ablation import Ablation
from .evaluate import score_outputs
from .kinds import KIND_NAMES
from .loader import load_translator
from .translator import Translator

FILE_NAME = "head_importance.json"


@dataclass
class HeadScore:
    """sacreBLEU with one head removed. ``layer`` and ``head`` are 0-based."""

    kind: str
    layer: int
    head: int
    bleu: float
    delta: float  # bleu − baseline: negative = the head helped


@dataclass
class HeadImportance:
    """The whole table for one model.

    Attributes:
        model: model name.
        weights_sha256: SHA-256 of the ``model.safetensors`` measured.
        test: name of the test sample; sentences: how many lines.
        baseline_bleu: sacreBLEU with every head; signature: sacreBLEU's signature.
        rows: one ``HeadScore`` per (kind, layer, head).
    """

    model: str
    weights_sha256: str
    test: str
    sentences: int
    baseline_bleu: float
    signature: str
    rows: list[HeadScore] = field(default_factory=list)

    def row(self, kind: str, layer: int, head: int) -> HeadScore:
        for r in self.rows:
            if (r.kind, r.layer, r.head) == (kind, layer, head):
                return r
        raise KeyError((kind, layer, head))

    def to_json(self) -> str:
        return json.dumps({"indexing": "layer and head are 0-based", **asdict(self)}, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> "HeadImportance":
        data = json.loads(text)
        data.pop("indexing", None)
        rows = [HeadScore(**r) for r in data.pop("rows")]
        return cls(**data, rows=rows)


def weights_sha256(translator: Translator) -> str:
    """The SHA-256 ``config.json`` records for the model's weights ("" if unknown)."""
    if translator.folder is None:
        return ""
    config = json.loads((Path(translator.folder) / "config.json").read_text(encoding="utf-8"))
    return str((config.get("files", {}).get("model.safetensors") or {}).get("sha256", ""))


def every_head(translator: Translator, kinds: Sequence[str] = KIND_NAMES) -> list[tuple[str, int, int]]:
    """All (kind, layer, head) triples of the model, 0-based."""
    cfg = translator.config
    depth = {"encoder_self": cfg.n_encoder_layers, "decoder_self": cfg.n_decoder_layers, "cross": cfg.n_decoder_layers}
    return [(k, l, h) for k in kinds for l in range(depth[k]) for h in range(cfg.n_heads)]


def measure(
    translator: Translator,
    sources: Sequence[str],
    references: Sequence[str],
    test_name: str,
    heads: Sequence[tuple[str, int, int]] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> HeadImportance:
    """Greedy sacreBLEU of ``sources`` with every head, then with each of ``heads`` removed.

    ``progress(done, total)`` is called after every translation pass (the app
    draws a progress bar with it).
    """
    heads = list(heads) if heads is not None else every_head(translator)
    total = len(heads) + 1
    base_bleu, _, signature = score_outputs(translator.translate_texts(list(sources)), list(references))
    if progress:
        progress(1, total)
    table = HeadImportance(translator.name, weights_sha256(translator), test_name, len(sources), base_bleu, signature)
    for i, (kind, layer, head) in enumerate(heads, start=2):
        outputs = translator.translate_texts(list(sources), ablation=Ablation(removed_heads=frozenset({(kind, layer, head)})))
        bleu, _, _ = score_outputs(outputs, list(references))
        table.rows.append(HeadScore(kind, layer, head, bleu, round(bleu - base_bleu, 4)))
        if progress:
            progress(i, total)
    return table


def test_sample(translator: Translator, sentences: int = 200, seed: int = 12345) -> tuple[str, list[str], list[str]]:
    """The sample a model's table is measured on: (name, sources, references).

    The first ``sentences`` lines of the first test set of ``configs/<model>.toml``;
    for a synthetic toy, ``sentences`` fresh strings drawn with ``seed``.

    Raises:
        FileNotFoundError: the recipe or its test files are missing (the message says which).
    """
    from .data import read_parallel, synthetic_pairs
    from .train import PROJECT_ROOT, evaluation_sets, load_config, resolve

    recipe = PROJECT_ROOT / "configs" / f"{translator.name}.toml"
    if not recipe.exists():
        raise FileNotFoundError(f"{recipe} is missing: head importance reads the model's test set from its recipe")
    cfg = load_config(recipe)
    data = cfg.get("data", {})
    if "synthetic" in data:
        pairs = synthetic_pairs(data["synthetic"], sentences, data.get("min_len", 3), data.get("max_len", 12), seed)
        name = f"synthetic {data['synthetic']}, seed {seed}"
    else:
        test = evaluation_sets(cfg)[0]
        src, ref = resolve(test["src"]), resolve(test["ref"])
        for path in (src, ref):
            if not Path(path).exists():
                raise FileNotFoundError(f"test file {path} is missing: head importance needs ../shared/data next to the project")
        pairs = read_parallel(src, ref)[:sentences]
        name = test["name"]  # the first ``sentences`` lines of it (``HeadImportance.sentences``)
    return name, [s for s, _ in pairs], [r for _, r in pairs]


def load(folder: str | Path, expected_sha256: str | None = None) -> HeadImportance | None:
    """The shipped table of a model folder, or ``None`` when there is none or it
    was measured on other weights than ``expected_sha256``."""
    path = Path(folder) / FILE_NAME
    if not path.exists():
        return None
    table = HeadImportance.from_json(path.read_text(encoding="utf-8"))
    if expected_sha256 is not None and table.weights_sha256 != expected_sha256:
        return None
    return table


def save(table: HeadImportance, folder: str | Path) -> Path:
    """Write ``head_importance.json`` atomically (a reader never sees half a file)."""
    path = Path(folder) / FILE_NAME
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".head_importance.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(table.to_json() + "\n")
    os.replace(tmp, path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="checkpoint folder, e.g. pretrained/multi30k-en-de")
    parser.add_argument("--sentences", type=int, default=200, help="test lines to translate per pass (default 200)")
    parser.add_argument("--seed", type=int, default=12345, help="seed of the toy's fresh strings")
    parser.add_argument("--threads", type=int, help="torch CPU threads")
    args = parser.parse_args(argv)
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    from tqdm import tqdm

    translator = load_translator(args.model)
    name, sources, refs = test_sample(translator, args.sentences, args.seed)
    bar = tqdm(total=len(every_head(translator)) + 1, desc=f"{translator.name}: heads", unit="pass")

    def progress(done: int, total: int) -> None:
        bar.update(done - bar.n)

    table = measure(translator, sources, refs, name, progress=progress)
    bar.close()
    path = save(table, args.model)
    worst = sorted(table.rows, key=lambda r: r.delta)[:5]
    print(f"{path}: baseline sacreBLEU {table.baseline_bleu:.2f} on {name}")
    for r in worst:
        print(f"  {r.kind} layer {r.layer + 1} head {r.head + 1}: {r.bleu:.2f} ({r.delta:+.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
