"""Greedy-decoding latency with and without attention recording.

    python bench/decode.py --model pretrained/multi30k-en-de [--threads 2] [--sentences 30]

Prints the median latency per sentence of
  * plain:     greedy decoding with the key/value cache, nothing recorded
               (``Translator.translate_texts``), and
  * recording: the same decoding recording every attention map, the per-step
               rows and top-5 probabilities, returned as numpy arrays
               (``Translator.translate``),
and their ratio. Targets (issue 2, 2 CPU cores, shipped 3+3-layer d_model 256
model): recording ≤ 1.15× plain, ≤ 40 ms median per sentence.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import load_translator  # noqa: E402
from core.data import read_lines  # noqa: E402

DEFAULT_SOURCES = "../shared/data/multi30k/val.en"


def pick_sentences(translator, path: Path, count: int, tokens: int) -> list[str]:
    """Sentences of about ``tokens`` source pieces (± 2) from ``path``."""
    lines = read_lines(path) if path.is_file() else []
    picked = [s for s in lines if s and abs(len(translator.source_tokenizer.encode(s)) - tokens) <= 2]
    if not picked:
        examples = translator.info.metadata.get("examples") or ["a b c d e f g h i j"]
        picked = examples
    return (picked * (count // len(picked) + 1))[:count]


def median_ms(fn, sentences: list[str], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        for s in sentences:
            start = time.perf_counter()
            fn(s)
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--sources", default=DEFAULT_SOURCES, help="sentences to pick from")
    parser.add_argument("--tokens", type=int, default=20, help="source length in pieces")
    parser.add_argument("--sentences", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    tr = load_translator(args.model)
    sentences = pick_sentences(tr, Path(args.sources), args.sentences, args.tokens)
    out_lens = [len(tr.translate(s).output_ids) for s in sentences]  # also warms up

    def plain(s: str) -> None:
        tr.translate_texts([s])

    def recording(s: str) -> None:
        tr.translate(s)

    # Interleave the two measurements so background load affects both alike.
    plain_ms, rec_ms = [], []
    for _ in range(args.repeats):
        plain_ms.append(median_ms(plain, sentences, 1))
        rec_ms.append(median_ms(recording, sentences, 1))
    p, r = statistics.median(plain_ms), statistics.median(rec_ms)
    print(f"model:      {args.model} ({tr.config.n_encoder_layers}+{tr.config.n_decoder_layers} layers, d_model {tr.config.d_model}, {tr.config.n_heads} heads)")
    print(f"threads:    {torch.get_num_threads()}   sentences: {len(sentences)} × {args.repeats}")
    print(f"source len: {statistics.mean(len(tr.source_tokenizer.encode(s)) for s in sentences):.1f} pieces; output len {statistics.mean(out_lens):.1f} tokens")
    print(f"plain:      {p:.1f} ms median per sentence")
    print(f"recording:  {r:.1f} ms median per sentence")
    print(f"ratio:      {r / p:.3f}x  (target ≤ 1.15x; ≤ 40 ms)")


if __name__ == "__main__":
    main()
