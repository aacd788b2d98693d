"""One encoder pass by source length: the GRU (sequential) against the Transformer (parallel).

    python bench/encoder_wall_time.py [--threads 2] [--repeats 20]

Prints the fastest of --repeats passes, in milliseconds, batch 1, for the shipped
multi30k-en-de-bahdanau encoder (bidirectional GRU) and the multi30k-en-de
Transformer encoder (3 layers), the same measurement the /seq2seq page makes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402

from core import load_translator  # noqa: E402
from core.seq2seq import load_rnn_translator  # noqa: E402
from core.seq2seq.wall_time import time_encoders  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    rnn = load_rnn_translator(ROOT / "pretrained" / "seq2seq" / "multi30k-en-de-bahdanau").model
    transformer = load_translator(ROOT / "pretrained" / "multi30k-en-de").model
    times = time_encoders(rnn, transformer, repeats=args.repeats)
    print(f"one encoder pass, batch 1, {times.threads} threads (fastest of {args.repeats})")
    print(f"{'length':>7} {'GRU ms':>8} {'Transformer ms':>15} {'GRU steps':>10} {'Transformer steps':>18}")
    for n, r, t in zip(times.lengths, times.rnn_ms, times.transformer_ms):
        print(f"{n:>7} {r:>8.3f} {t:>15.3f} {n:>10} {times.transformer_sequential_steps:>18}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
