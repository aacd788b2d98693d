"""Our greedy decoding side by side with CTranslate2 on the same weights (``bench/decode.py --compare-ct2``).

Each engine runs in its own worker process, started once: CTranslate2's worker
imports ``ctranslate2`` and never ``torch`` (two OpenMP runtimes in one process
busy-wait against each other and slow CTranslate2 down several times), and each
CTranslate2 back end × thread count gets a process of its own. The parent asks
the workers in turn, round after round, to decode the same sentences, so
background load falls on every engine alike, and prints the
median over rounds of the milliseconds per sentence:

* ``ct2 mkl`` / ``ct2 dnnl``: CTranslate2 float32, greedy (``beam_size=1``), tokens
  only, with Intel MKL or with oneDNN for its matrix products (``CT2_USE_MKL``);
  ratios are against the faster of the two;
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
import os
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
    """One engine in its own process, answering one measurement per line.

    ``env`` adds environment variables for that process only (``CT2_USE_MKL=0``
    makes CTranslate2 use oneDNN instead of Intel MKL for its matrix products).
    ``root`` is the source tree whose ``core`` the process imports and where
    ``folder`` is read (another commit's worktree for ``bench/commit_compare.py``).
    """

    def __init__(self, engine: str, model_dir: str, folder: str, env: dict[str, str] | None = None,
                 root: Path = ROOT) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", WORKER.format(root=str(root)), engine, model_dir, folder],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=root,
            env={**os.environ, **(env or {})},
        )
        ready = self.proc.stdout.readline().strip()
        if ready != "ready":
            self.proc.kill()
            raise RuntimeError(f"the {engine} worker did not start (it printed {ready!r}): "
                               f"does {Path(root) / folder} exist and load there?")

    def run(self, sentences: list[str], batch: int, threads: int, variant: str = "") -> tuple[float, list[str]]:
        self.proc.stdin.write(json.dumps(dict(sentences=sentences, batch=batch, threads=threads, variant=variant)) + "\n")
        self.proc.stdin.flush()
        reply = json.loads(self.proc.stdout.readline())
        return reply["seconds"], reply["out"]

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


# CTranslate2's two CPU back ends for float32 matrix products. Which one is faster depends
# on the machine: on a 2-core Intel Xeon VM (AMX, AVX-512) MKL at 2 threads took 76 ms per
# sentence at batch 1 against 7.5 ms with oneDNN, while at 1 thread the two were within 10 %.
# A user picking CTranslate2 for speed would pick the faster one, so the comparison is
# against the faster of the two at every setting.
CT2_BACKENDS = {"ct2 mkl": {"CT2_USE_MKL": "1"}, "ct2 dnnl": {"CT2_USE_MKL": "0"}}
OURS = {"ours plain": "plain", "ours maps": "maps", "ours maps, module walk": "walk"}


def compare(folder: str, sentences: list[str], batches: list[int], threads: list[int], rounds: int) -> dict:
    """Measure every engine × batch × threads, interleaved; return and print the medians.

    Every CTranslate2 back end × thread count has its own process, so no two
    translators share one OpenMP runtime.
    """
    from bench.ct2_convert import convert

    with tempfile.TemporaryDirectory() as tmp:
        convert(folder, tmp)
        ct2 = {(name, th): Worker("ct2", tmp, folder, env) for name, env in CT2_BACKENDS.items() for th in threads}
        ours = Worker("ours", tmp, folder)
        # (name, threads) -> (worker, variant)
        runs = {**{key: (worker, "") for key, worker in ct2.items()},
                **{(name, th): (ours, variant) for name, variant in OURS.items() for th in threads}}
        try:
            _, ref = ct2[(next(iter(CT2_BACKENDS)), threads[-1])].run(sentences, 32, threads[-1])
            _, mine = ours.run(sentences, 32, 2, "plain")
            same = sum(a == b for a, b in zip(ref, mine))
            print(f"identical translations, CTranslate2 vs ours: {same} of {len(sentences)}")
            for (name, th), (worker, variant) in runs.items():  # warm-up at every setting
                for b in batches:
                    worker.run(sentences[:4], b, th, variant)
            times: dict[tuple, list[float]] = {}
            for _ in range(rounds):
                for b in batches:
                    for (name, th), (worker, variant) in runs.items():
                        time.sleep(SETTLE_SECONDS)
                        seconds, _ = worker.run(sentences, b, th, variant)
                        times.setdefault((name, b, th), []).append(seconds * 1000 / len(sentences))
        finally:
            for worker in [*ct2.values(), ours]:
                worker.close()
    medians = {k: statistics.median(v) for k, v in times.items()}
    names = [*CT2_BACKENDS, *OURS]
    print(f"{len(sentences)} sentences × {rounds} rounds, ms per sentence (median over rounds); "
          f"ratio = ÷ the faster CTranslate2 back end at that setting")
    for b in batches:
        for th in threads:
            base = min(medians[(name, b, th)] for name in CT2_BACKENDS)
            medians[("ct2", b, th)] = base
            cells = "   ".join(f"{name} {medians[(name, b, th)]:6.2f} ({medians[(name, b, th)] / base:4.2f}×)" for name in names)
            print(f"batch {b:2d}, {th} thread{'s' if th > 1 else ' '}:  {cells}")
    for b in batches:
        for th in threads:
            ratio = medians[("ours maps", b, th)] / medians[("ours plain", b, th)]
            print(f"recording every map costs {ratio:.3f}× of not recording (batch {b}, {th} thread{'s' if th > 1 else ''})")
    return medians
