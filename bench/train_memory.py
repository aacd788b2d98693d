"""Resident memory of a CPU training over time, and what bounds it (``core/cpu_memory.py``).

    python bench/train_memory.py [--steps 150] [--threads 1]

Trains the en-de architecture (3 + 3 layers, d_model 256, 8k vocabulary,
dropout 0.1, Adam) on random token batches of about 1,800 tokens whose shape
changes every step, as token-bucketed batches do, and prints the resident
set size (RSS) every 25 steps and the time per step, for:

  * float32;
  * bf16 autocast as it was (the library defaults);
  * bf16 + ``release_freed_memory`` every 25 steps (what ``core.train`` does on the CPU);
  * bf16 + that + ``bound_onednn_cache(16)`` (the recipe's ``[train] onednn_cache = 16``).

Each variant runs in its own process (oneDNN reads its cache bound once).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = {
    "float32": {"bf16": False, "release": False, "cache": 0},
    "bf16": {"bf16": True, "release": False, "cache": 0},
    "bf16 + release": {"bf16": True, "release": True, "cache": 0},
    "bf16 + release + onednn_cache 16": {"bf16": True, "release": True, "cache": 16},
}


def rss_mb() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) // 1024
    return -1


def run(variant: dict, steps: int, threads: int) -> dict:
    """One variant in this process; returns its RSS curve and ms per step."""
    sys.path.insert(0, str(ROOT))
    from core.cpu_memory import bound_onednn_cache, release_freed_memory

    bound_onednn_cache(variant["cache"])
    import torch
    import torch.nn.functional as F

    from core import Transformer, TransformerConfig

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    rng = random.Random(0)
    vocab = 8000
    model = Transformer(TransformerConfig(src_vocab_size=vocab, tgt_vocab_size=vocab, d_model=256, n_heads=8,
                                          n_encoder_layers=3, n_decoder_layers=3, d_ff=1024, max_positions=256,
                                          dropout=0.1)).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    curve, start = [], time.perf_counter()
    for step in range(1, steps + 1):
        length = rng.randint(5, 60)
        rows = max(4, 1800 // length)
        src = torch.randint(4, vocab, (rows, length))
        tgt = torch.randint(4, vocab, (rows, length + 2))
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=variant["bf16"]):
            logits, _ = model(src, tgt[:, :-1], need_attention=False)
        loss = F.cross_entropy(logits.float().reshape(-1, vocab), tgt[:, 1:].reshape(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if variant["release"] and step % 25 == 0:
            release_freed_memory()
        if step % 25 == 0 or step == 1:
            curve.append((step, rss_mb()))
    return {"curve": curve, "ms_per_step": (time.perf_counter() - start) / steps * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=150)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:  # a child process
        print(json.dumps(run(VARIANTS[args.variant], args.steps, args.threads)))
        return
    print(f"en-de architecture, random batches of ~1,800 tokens in a new shape every step, {args.threads} thread(s)")
    for name in VARIANTS:
        out = subprocess.run([sys.executable, __file__, "--variant", name, "--steps", str(args.steps),
                              "--threads", str(args.threads)], capture_output=True, text=True, check=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        curve = "  ".join(f"{s}:{mb}" for s, mb in result["curve"])
        print(f"{name:34s} {result['ms_per_step']:5.0f} ms/step   RSS MB by step  {curve}")


if __name__ == "__main__":
    main()
