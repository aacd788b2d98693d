"""Score a checkpoint with sacreBLEU and chrF.

    python -m core.evaluate --model pretrained/multi30k-en-de \\
        --src ../shared/data/multi30k/test_2016_flickr.en \\
        --ref ../shared/data/multi30k/test_2016_flickr.de

BLEU is computed by sacreBLEU on detokenized, cased text (its default 13a
tokenization), so figures are comparable with published ones.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import sacrebleu

from .data import read_lines
from .loader import load_translator
from .translator import Translator


@dataclass
class Score:
    decoding: str  # "greedy" or "beam 4"
    bleu: float
    chrf: float
    sentences: int
    seconds: float
    signature: str


def score_outputs(hypotheses: list[str], references: list[str]) -> tuple[float, float, str]:
    """Corpus BLEU and chrF of detokenized outputs against one reference each."""
    bleu = sacrebleu.metrics.BLEU()
    result = bleu.corpus_score(hypotheses, [references])
    chrf = sacrebleu.metrics.CHRF().corpus_score(hypotheses, [references])
    return round(result.score, 2), round(chrf.score, 2), str(bleu.get_signature())


def evaluate(
    translator: Translator, sources: list[str], references: list[str], beam_sizes: tuple[int, ...] = (1, 4)
) -> list[Score]:
    """Translate ``sources`` with each beam size and score against ``references``."""
    return [score for score, _ in evaluate_outputs(translator, sources, references, beam_sizes)]


def evaluate_outputs(
    translator: Translator, sources: list[str], references: list[str], beam_sizes: tuple[int, ...] = (1, 4)
) -> list[tuple[Score, list[str]]]:
    """Like :func:`evaluate`, with the translations (to pool several test sets)."""
    if len(sources) != len(references):
        raise ValueError(f"{len(sources)} sources but {len(references)} references: the files must be aligned")
    results = []
    for beam in beam_sizes:
        start = time.perf_counter()
        outputs = translator.translate_texts(sources, beam_size=beam)
        elapsed = time.perf_counter() - start
        bleu, chrf, signature = score_outputs(outputs, references)
        name = "greedy" if beam == 1 else f"beam {beam}"
        results.append((Score(name, bleu, chrf, len(sources), round(elapsed, 1), signature), outputs))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core.evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("--model", required=True, help="checkpoint folder, e.g. pretrained/multi30k-en-de")
    parser.add_argument("--src", required=True, help="source sentences, one per line")
    parser.add_argument("--ref", required=True, help="reference translations, aligned with --src")
    parser.add_argument("--beam", type=int, nargs="+", default=[1, 4], help="beam sizes to score (1 = greedy)")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)
    for path in (args.src, args.ref):
        if not Path(path).is_file():
            print(f"error: {path} does not exist", file=sys.stderr)
            return 2
    translator = load_translator(args.model)
    scores = evaluate(translator, read_lines(args.src), read_lines(args.ref), tuple(args.beam))
    if args.json:
        print(json.dumps([asdict(s) for s in scores], indent=2))
    else:
        for s in scores:
            print(f"{s.decoding:>8}  BLEU {s.bleu:6.2f}  chrF {s.chrf:6.2f}  ({s.sentences} sentences, {s.seconds}s)")
        print(f"sacreBLEU signature: {scores[0].signature}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
