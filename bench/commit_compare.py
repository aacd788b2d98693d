"""Before and after a change, in one run: an earlier commit's decoder against the working tree's.

    python bench/decode.py --compare-commit HEAD~1 [--model pretrained/multi30k-en-de] [--sentences 64] [--repeats 4]

A speed-up is only real when "before" and "after" are measured on the same
machine at the same moment: a VM's speed drifts by 10–20 % within minutes, more
than most changes gain. This checks the commit out into a temporary
``git worktree`` (nothing in your working tree changes), starts one worker
process per tree (each imports its own ``core`` and loads the model folder from
its own tree), and asks them in turn, round after round with the order
alternated, to decode the first ``--sentences`` lines of test_2016_flickr at
batch 1 and ``--batch``, 1 and 2 threads, every map recorded
(``Translator.translate_batch``) and plain (``Translator.translate_texts``).
It prints the fastest round of each in ms per sentence, the ratio after ÷
before, in how many rounds "after" was faster, and whether both trees gave the
same translations. Each measurement starts half a second after the previous one
ended (OpenMP threads spin for a while after a call).
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path

from bench.ct2_compare import SETTLE_SECONDS, Worker

ROOT = Path(__file__).resolve().parent.parent


def compare(rev: str, model: str, lines: list[str], batches: list[int], threads: list[int], repeats: int) -> dict:
    """Print and return ``{(batch, threads, variant): (before_ms, after_ms, wins, same)}``.

    ``rev`` is any git revision of this repository; ``model`` a folder relative to the
    repository root (read from each tree).
    """
    settings = [(b, t, v) for b in batches for t in threads for v in ("maps", "plain")]
    with tempfile.TemporaryDirectory(prefix="attnlab-before-") as tmp:
        before_root = Path(tmp) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(before_root), rev], check=True)
        workers: dict[str, Worker] = {}
        try:
            # our engine of bench/ct2_compare.py, each importing its own tree's core
            workers["before"] = Worker("ours", "", model, root=before_root)
            workers["after"] = Worker("ours", "", model, root=ROOT)
            outputs = {(name, s): w.run(lines, s[0], s[1], s[2])[1] for name, w in workers.items() for s in settings}  # warm-up
            times: dict[tuple, list[float]] = {(name, s): [] for name in workers for s in settings}
            for r in range(repeats):
                for s in settings:
                    for name in ("before", "after") if r % 2 == 0 else ("after", "before"):
                        time.sleep(SETTLE_SECONDS)
                        seconds = workers[name].run(lines, s[0], s[1], s[2])[0]
                        times[(name, s)].append(seconds * 1e3 / len(lines))
        finally:
            for w in workers.values():
                w.close()
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before_root)], check=False)
    results = {}
    print(f"{len(lines)} sentences × {repeats} rounds; before = {rev}, after = the working tree; ms per sentence, fastest round")
    for s in settings:
        before, after = min(times[("before", s)]), min(times[("after", s)])
        wins = sum(a < b for a, b in zip(times[("after", s)], times[("before", s)]))
        same = outputs[("before", s)] == outputs[("after", s)]
        results[s] = (before, after, wins, same)
        print(f"batch {s[0]:2d}, {s[1]} thread{'s' if s[1] > 1 else ' '}, {s[2]:5s}: before {before:7.2f}  after {after:7.2f}"
              f"  {after / before:.3f}×  after faster in {wins}/{repeats}  {'same translations' if same else 'TRANSLATIONS DIFFER'}")
    return results
