"""What one live toy training (the Training page's "train it yourself") does to everyone else.

    python bench/live_training_impact.py [--model pretrained/multi30k-en-de] [--rounds 40]

Measures, in one process and one run, the latency another session sees with
and without a ``core.live_training.LiveTraining`` running in a background
thread (the way the app runs it):

* re-draw: building the explorer's head grid of a cached translation and
  serialising it (what a layer/head/view change costs);
* first result: translating a new sentence with every attention map.

Prints p50/p95 in milliseconds for both, idle and during the training, and
the training's own speed (steps/s).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.figures.common import Style  # noqa: E402
from app.figures.explorer import head_grid  # noqa: E402
from core import load_translator  # noqa: E402
from core.data import read_lines  # noqa: E402
from core.live_training import LiveTraining  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def measure(translator, sentences: list[str], rounds: int) -> tuple[list[float], list[float]]:
    cached = translator.translate(sentences[0])
    labels = cached.source_tokens
    redraw, first = [], []
    for i in range(rounds):
        t0 = time.perf_counter()
        weights = cached.attention.encoder_self[i % cached.attention.encoder_self.shape[0]]
        head_grid(weights, labels, labels, "bench", [f"head {h + 1}" for h in range(weights.shape[0])], Style()).to_json()
        redraw.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        translator.translate(sentences[1 + i % (len(sentences) - 1)])
        first.append((time.perf_counter() - t0) * 1000)
    return redraw, first


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="pretrained/multi30k-en-de")
    parser.add_argument("--sources", default="../shared/data/multi30k/val.en")
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    translator = load_translator(args.model)
    sentences = read_lines(args.sources)[:50]
    measure(translator, sentences, 3)  # warm-up
    idle = measure(translator, sentences, args.rounds)
    job = LiveTraining(max_steps=100_000, max_seconds=600).start()
    time.sleep(2.0)  # let it get going
    step0, t0 = job.progress.step, time.perf_counter()
    busy = measure(translator, sentences, args.rounds)
    steps_per_s = (job.progress.step - step0) / (time.perf_counter() - t0)
    job.stop()
    job.join()
    print(f"model {args.model}, {args.rounds} rounds each, torch threads {__import__('torch').get_num_threads()}")
    for name, i in (("re-draw (head grid + JSON)", 0), ("first result (translate, every map)", 1)):
        print(f"{name:38s} idle p50 {percentile(idle[i], .5):7.1f} ms  p95 {percentile(idle[i], .95):7.1f} ms   "
              f"during training p50 {percentile(busy[i], .5):7.1f} ms  p95 {percentile(busy[i], .95):7.1f} ms")
    print(f"live training meanwhile: {steps_per_s:.1f} steps/s (the page caps it at 800 steps / 60 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
