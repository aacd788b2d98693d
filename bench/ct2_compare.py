"""Our greedy decoding side by side with CTranslate2 on the same weights (``bench/decode.py --compare-ct2``).

Each engine runs in its own worker process, started once: CTranslate2's worker
imports ``ctranslate2`` and never ``torch`` (two OpenMP runtimes in one process
busy-wait against each other and slow CTranslate2 down several times). The
parent asks the workers in turn, round after round, to decode the same
sentences, so background load falls on every engine alike, and prints the
median over rounds of the milliseconds per sentence:

* ``ct2``: CTranslate2 float32, greedy (``beam_size=1``), tokens only;
* ``ours plain``: ``Translator.translate_texts`` (tokens only);
* ``ours maps``: ``Translator.translate_batch`` recording every map (encoder
  self-attention, masked decoder self-attention and cross-attention of every
  layer and head), the per-step top-5, returned as numpy arrays: what the app
  shows;
* ``ours maps, module walk``: the same through ``core.decoding.greedy_decode``
  (``Translator.fast_decoding = False``), the path before ``core.fast_decoding``.

Batch 1 decodes the sentences one by one; batch B decodes them B at a time.
It checks first that both engines produce the same translations. Each measurement
starts half a second after the previous one ended (``SETTLE_SECONDS``).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# OpenMP threads keep spinning for a while after a call returns (GNU and Intel runtimes both
# busy-wait before they sleep): without a pause, the engine measured next would share the
# cores with the previous one's spinning threads.
SETTLE_SECONDS = 0.5

WORKER = r'''
import json, sys, time
sys.path.insert(0, {root!r})
engine, model_dir, folder = sys.argv[1], sys.argv[2], sys.argv[3]
if engine == "ct2":
    import ctranslate2
    import sentencepiece as spm
    sp = spm.SentencePieceProcessor(model_file=folder + "/spm.model")
    engines = {{}}
    def run(sentences, batch, threads, variant):
        if threads not in engines:
            engines[threads] = ctranslate2.Translator(model_dir, device="cpu", inter_threads=1, intra_threads=threads)
        tr = engines[threads]
        pieces = [sp.encode(s, out_type=str) + ["</s>"] for s in sentences]
        out = []
        start = time.perf_counter()
        for i in range(0, len(pieces), batch):
            chunk = pieces[i : i + batch]
            longest = max(len(p) for p in chunk)
            res = tr.translate_batch(chunk, beam_size=1, max_batch_size=batch,
                                     max_decoding_length=int(1.5 * longest) + 10)
            out += [sp.decode([t for t in r.hypotheses[0] if t != "</s>"]) for r in res]
        return time.perf_counter() - start, out
else:
    import torch
    from core import load_translator
    tr = load_translator(folder)
    def run(sentences, batch, threads, variant):
        torch.set_num_threads(threads)
        tr.fast_decoding = variant != "walk"
        out = []
        start = time.perf_counter()
        for i in range(0, len(sentences), batch):
            chunk = sentences[i : i + batch]
            if variant == "plain":
                out += tr.translate_texts(chunk, batch_size=batch)
            else:
                out += [r.text for r in tr.translate_batch(chunk)]
        return time.perf_counter() - start, out
print("ready", flush=True)
for line in sys.stdin:
    cmd = json.loads(line)
    seconds, out = run(cmd["sentences"], cmd["batch"], cmd["threads"], cmd["variant"])
    print(json.dumps({{"seconds": seconds, "out": out}}), flush=True)
'''


class Worker:
    """One engine in its own process, answering one measurement per line."""

    def __init__(self, engine: str, model_dir: str, folder: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", WORKER.format(root=str(ROOT)), engine, model_dir, folder],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
        )
        assert self.proc.stdout.readline().strip() == "ready"

    def run(self, sentences: list[str], batch: int, threads: int, variant: str = "") -> tuple[float, list[str]]:
        self.proc.stdin.write(json.dumps(dict(sentences=sentences, batch=batch, threads=threads, variant=variant)) + "\n")
        self.proc.stdin.flush()
        reply = json.loads(self.proc.stdout.readline())
        return reply["seconds"], reply["out"]

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def compare(folder: str, sentences: list[str], batches: list[int], threads: list[int], rounds: int) -> dict:
    """Measure every engine × batch × threads, interleaved; return and print the medians."""
    from bench.ct2_convert import convert

    with tempfile.TemporaryDirectory() as tmp:
        convert(folder, tmp)
        ct2 = Worker("ct2", tmp, folder)
        ours = Worker("ours", tmp, folder)
        try:
            variants = [("ct2", ct2, ""), ("ours plain", ours, "plain"), ("ours maps", ours, "maps"),
                        ("ours maps, module walk", ours, "walk")]
            _, ref = ct2.run(sentences, 32, 2)
            _, mine = ours.run(sentences, 32, 2, "plain")
            same = sum(a == b for a, b in zip(ref, mine))
            print(f"identical translations, CTranslate2 vs ours: {same} of {len(sentences)}")
            for _, worker, variant in variants:  # warm-up at every setting
                for b in batches:
                    for th in threads:
                        worker.run(sentences[:4], b, th, variant)
            times: dict[tuple, list[float]] = {}
            for _ in range(rounds):
                for b in batches:
                    for th in threads:
                        for name, worker, variant in variants:
                            time.sleep(SETTLE_SECONDS)
                            seconds, _ = worker.run(sentences, b, th, variant)
                            times.setdefault((name, b, th), []).append(seconds * 1000 / len(sentences))
        finally:
            ct2.close()
            ours.close()
    medians = {k: statistics.median(v) for k, v in times.items()}
    print(f"{len(sentences)} sentences × {rounds} rounds, ms per sentence (median over rounds); ratio = ÷ ct2")
    for b in batches:
        for th in threads:
            base = medians[("ct2", b, th)]
            cells = "   ".join(
                f"{name} {medians[(name, b, th)]:6.2f} ({medians[(name, b, th)] / base:4.2f}×)" for name, _, _ in variants
            )
            print(f"batch {b:2d}, {th} thread{'s' if th > 1 else ' '}:  {cells}")
    for b in batches:
        for th in threads:
            ratio = medians[("ours maps", b, th)] / medians[("ours plain", b, th)]
            print(f"recording every map costs {ratio:.3f}× of not recording (batch {b}, {th} thread{'s' if th > 1 else ''})")
    return medians
