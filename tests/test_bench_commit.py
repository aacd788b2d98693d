"""bench/decode.py --compare-commit: an earlier commit against the working tree, in one run."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_head_against_the_working_tree_gives_the_same_translations_and_cleans_up():
    if subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True).returncode != 0:
        pytest.skip("not a git checkout")
    from bench.commit_compare import compare

    lines = ["A dog runs through the snow.", "Two young girls are playing soccer in a park.", "A child plays."]
    before = subprocess.run(["git", "-C", str(ROOT), "worktree", "list"], capture_output=True, text=True).stdout
    results = compare("HEAD", "pretrained/multi30k-en-de", lines, [1, 2], [1], repeats=1)
    assert set(results) == {(b, 1, v) for b in (1, 2) for v in ("maps", "plain")}
    for before_ms, after_ms, wins, same in results.values():
        assert same  # in a clean checkout the working tree is HEAD: the same decoder on both sides
        assert before_ms > 0 and after_ms > 0 and wins in (0, 1)
    after = subprocess.run(["git", "-C", str(ROOT), "worktree", "list"], capture_output=True, text=True).stdout
    assert after == before  # the temporary worktree is gone


def test_a_missing_model_names_the_folder():
    from bench.ct2_compare import Worker

    with pytest.raises(RuntimeError, match="no-such-model"):
        Worker("ours", "", "pretrained/no-such-model", root=ROOT)
