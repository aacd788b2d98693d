"""Greedy decoding with PyTorch's weight layout against the input-major one (``bench/decode.py --compare-layout``).

    python bench/decode.py --compare-layout [--model pretrained/multi30k-en-de] [--sentences 64] [--repeats 4]

``core.inference_layout`` stores a loaded model's Linear weights input-major, so
``F.linear`` runs BLAS's "NN" product. This loads the same checkpoint twice — as
``load_checkpoint`` leaves it (PyTorch's ``(out, in)`` row-major weights) and as
``load_translator`` serves it — and decodes the first ``--sentences`` lines of
test_2016_flickr with both, batch 1 and ``--batch``, every map recorded
(``translate_batch``) and plain (``translate_texts``), interleaved over
``--repeats`` rounds (order alternated). It prints the fastest round of each in ms
per sentence, the ratio, in how many rounds the input-major one was faster, and
checks that both give the same translations (and how far apart their maps are).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import torch

from core import Translator, load_translator
from core.checkpoint import load_checkpoint


def _timed(translator: Translator, lines: list[str], batch: int, record: bool) -> tuple[float, list]:
    start, out = time.perf_counter(), []
    for i in range(0, len(lines), batch):
        chunk = lines[i : i + batch]
        out += translator.translate_batch(chunk) if record else translator.translate_texts(chunk)
    return (time.perf_counter() - start) / len(lines) * 1e3, out


def compare(model: str | Path, lines: list[str], batches: list[int], threads: list[int], repeats: int) -> dict:
    """Print and return ``{(threads, batch, "maps"|"plain"): (default_ms, input_major_ms, wins)}``."""
    served = load_translator(model)
    plain_model, src_tok, tgt_tok, info = load_checkpoint(model)
    default = Translator(plain_model, src_tok, tgt_tok, info, Path(model))
    a, b = _timed(default, lines, max(batches), True)[1], _timed(served, lines, max(batches), True)[1]
    assert [r.text for r in a] == [r.text for r in b], "the two layouts translate differently"
    gaps = {k: max(float(np.abs(getattr(x.attention, k) - getattr(y.attention, k)).max()) for x, y in zip(a, b))
            for k in ("encoder_self", "decoder_self", "cross")}
    print(f"model: {model}; {len(lines)} sentences, the same translations with both layouts; max |Δ| of the maps: "
          + ", ".join(f"{k} {v:.1e}" for k, v in gaps.items()))
    results = {}
    for n in threads:
        torch.set_num_threads(n)
        for batch in batches:
            for record in (True, False):
                times: dict[str, list[float]] = {"default": [], "input-major": []}
                for r in range(repeats):
                    order = [("default", default), ("input-major", served)]
                    for name, tr in order if r % 2 == 0 else order[::-1]:
                        times[name].append(_timed(tr, lines, batch, record)[0])
                d, m = min(times["default"]), min(times["input-major"])
                wins = sum(x < y for x, y in zip(times["input-major"], times["default"]))
                kind = "maps" if record else "plain"
                results[(n, batch, kind)] = (d, m, wins)
                print(f"{n} thread{'s' if n > 1 else ' '}  batch {batch:>2}  {kind:5s}  default {d:7.2f}  input-major {m:7.2f} "
                      f"ms/sentence  ratio {m / d:.3f}  (input-major faster in {wins}/{repeats})", flush=True)
    return results
