"""The bottleneck measured: sacreBLEU by source length for the RNNs and the Transformer.

    python -m core.seq2seq.length_buckets            # writes pretrained/seq2seq/length_buckets.json

Cho et al. (2014, "On the Properties of Neural Machine Translation") found that
an encoder–decoder without attention translates short sentences well and
long ones ever worse: one fixed-size vector cannot hold a long sentence.
Bahdanau et al. (2015, Figure 2) showed attention removes most of that fall.
This module measures the same thing on our three en→de models: every test
sentence is translated greedily, the sentences are grouped by their length in
source *words* (whitespace-separated, so the buckets do not depend on the
tokenizer), and each group is scored as its own sacreBLEU corpus.

The JSON holds one table per test set and one for the pool of all of them, so
a test can re-translate one set and compare (``tests/test_seq2seq_page.py``).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from ..data import read_parallel
from ..evaluate import score_outputs

PROJECT_ROOT = Path(__file__).resolve().parents[2]
RESULT_FILE = PROJECT_ROOT / "pretrained" / "seq2seq" / "length_buckets.json"
# (lowest, highest) source words per bucket; None = no upper bound. The pooled tests (2,461
# sentences) put 615, 675, 497, 414, 175 and 84 sentences in them.
BUCKETS: tuple[tuple[int, int | None], ...] = ((1, 8), (9, 10), (11, 12), (13, 15), (16, 19), (20, None))
TEST_SETS = ("test_2016_flickr", "test_2017_flickr", "test_2017_mscoco")
MODELS = {  # name in the table → checkpoint folder (relative to the project root)
    "multi30k-en-de-rnn": "pretrained/seq2seq/multi30k-en-de-rnn",
    "multi30k-en-de-bahdanau": "pretrained/seq2seq/multi30k-en-de-bahdanau",
    "multi30k-en-de": "pretrained/multi30k-en-de",
}


class TextTranslator(Protocol):
    def translate_texts(self, texts: list[str], beam_size: int = 1) -> list[str]: ...


@dataclass
class Bucket:
    """One length group: its bounds, size, and each model's corpus BLEU/chrF on it."""

    label: str
    low: int
    high: int | None
    sentences: int
    bleu: dict[str, float]
    chrf: dict[str, float]


def bucket_label(low: int, high: int | None) -> str:
    return f"{low}+" if high is None else f"{low}–{high}"


def bucket_of(words: int) -> int:
    """Index in ``BUCKETS`` of a sentence with ``words`` source words."""
    for i, (low, high) in enumerate(BUCKETS):
        if words >= low and (high is None or words <= high):
            return i
    return 0  # an empty line (never in the test sets) goes with the shortest


def bucket_table(
    sources: list[str], references: list[str], outputs: dict[str, list[str]]
) -> list[Bucket]:
    """Score each model's ``outputs`` (aligned with ``sources``) per length bucket."""
    groups: list[list[int]] = [[] for _ in BUCKETS]
    for i, s in enumerate(sources):
        groups[bucket_of(len(s.split()))].append(i)
    table = []
    for (low, high), members in zip(BUCKETS, groups):
        if not members:
            continue
        refs = [references[i] for i in members]
        bleu, chrf = {}, {}
        for name, outs in outputs.items():
            bleu[name], chrf[name], _ = score_outputs([outs[i] for i in members], refs)
        table.append(Bucket(bucket_label(low, high), low, high, len(members), bleu, chrf))
    return table


def test_pairs(name: str) -> list[tuple[str, str]]:
    """The English sources and German references of one Multi30k test set."""
    data = PROJECT_ROOT.parent / "shared" / "data" / "multi30k"
    return read_parallel(data / f"{name}.en", data / f"{name}.de")


def measure(translators: dict[str, TextTranslator], test_sets: tuple[str, ...] = TEST_SETS) -> dict[str, Any]:
    """Translate every test set with every model (greedy) and build the tables."""
    per_set: dict[str, Any] = {}
    pooled_src: list[str] = []
    pooled_ref: list[str] = []
    pooled_out: dict[str, list[str]] = {name: [] for name in translators}
    for test in test_sets:
        pairs = test_pairs(test)
        sources, refs = [s for s, _ in pairs], [r for _, r in pairs]
        outputs = {name: tr.translate_texts(sources, beam_size=1) for name, tr in translators.items()}
        per_set[test] = [asdict(b) for b in bucket_table(sources, refs, outputs)]
        pooled_src += sources
        pooled_ref += refs
        for name in translators:
            pooled_out[name] += outputs[name]
    return {
        "decoding": "greedy",
        "length_unit": "source words (whitespace-separated)",
        "models": list(translators),
        "test_sets": list(test_sets),
        "tables": per_set,
        "pooled": [asdict(b) for b in bucket_table(pooled_src, pooled_ref, pooled_out)],
    }


def load_models() -> dict[str, TextTranslator]:
    """The three shipped en→de models (RNN, Bahdanau, Transformer)."""
    from ..loader import load_translator
    from .checkpoint import load_rnn_translator

    return {
        name: (load_translator if name == "multi30k-en-de" else load_rnn_translator)(PROJECT_ROOT / folder)
        for name, folder in MODELS.items()
    }


def read_result(path: Path = RESULT_FILE) -> dict[str, Any] | None:
    """The shipped table, or ``None`` if it has not been measured."""
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core.seq2seq.length_buckets", description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(RESULT_FILE), help="JSON file to write")
    parser.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0 = default)")
    args = parser.parse_args(argv)
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    result = measure(load_models())
    Path(args.out).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for b in result["pooled"]:
        scores = "  ".join(f"{name} {b['bleu'][name]:5.2f}" for name in result["models"])
        print(f"{b['label']:>6} words ({b['sentences']:4d} sentences): {scores}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
