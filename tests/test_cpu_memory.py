"""Bounding a CPU training's memory (core/cpu_memory.py; figures in bench/train_memory.py)."""

from __future__ import annotations

import ctypes.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

import core.train as train_module
from core.cpu_memory import ONEDNN_CACHE_ENV, bound_onednn_cache, release_freed_memory

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_freed_memory_is_returned_to_the_system():
    assert ctypes.util.find_library("c")
    rss = lambda: int(next(l for l in open("/proc/self/status") if l.startswith("VmRSS")).split()[1])  # noqa: E731
    blocks = [bytearray(64 * 1024) for _ in range(4000)]  # 256 MB in blocks below mmap's threshold
    del blocks[::2]  # every other block freed: the heap cannot shrink from its top by itself
    before = rss()
    assert release_freed_memory()
    assert rss() < before - 50_000  # at least 50 MB of the freed 128 MB went back
    del blocks


def test_the_onednn_bound_is_set_once_and_a_users_choice_wins(monkeypatch):
    monkeypatch.delenv(ONEDNN_CACHE_ENV, raising=False)
    assert not bound_onednn_cache(0)  # 0 = the library's default
    assert ONEDNN_CACHE_ENV not in os.environ
    assert bound_onednn_cache(16) and os.environ[ONEDNN_CACHE_ENV] == "16"
    monkeypatch.setenv(ONEDNN_CACHE_ENV, "512")
    assert not bound_onednn_cache(16) and os.environ[ONEDNN_CACHE_ENV] == "512"


def test_a_bf16_cpu_recipe_with_onednn_cache_sets_the_bound_before_training(tmp_path):
    toy = (ROOT / "configs" / "toy-reverse.toml").read_text(encoding="utf-8")
    config = tmp_path / "toy-bf16.toml"
    config.write_text(toy.replace("[train]", "[train]\nbf16 = true\nonednn_cache = 16", 1), encoding="utf-8")
    script = f"""
import os, sys
sys.path.insert(0, {str(ROOT)!r})
os.environ.pop("{ONEDNN_CACHE_ENV}", None)
import core.train
core.train.cpu_has_fast_bf16 = lambda: True  # bf16 even where it is only emulated (AVX2): the bound must come first
from core.train import train
from pathlib import Path
train(Path({str(config)!r}), Path({str(tmp_path / 'run')!r}), None, max_steps=2, quiet=True)
print("bound", os.environ.get("{ONEDNN_CACHE_ENV}"))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=180, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-1500:]
    assert "bound 16" in out.stdout


def test_bf16_is_used_only_on_cpus_that_run_it_in_hardware(monkeypatch):
    """On an AVX2-only CPU oneDNN emulates bf16 (an en-ko step took 29 s instead of 1.4 s): train in float32."""
    cpu = torch.device("cpu")
    monkeypatch.setattr(train_module, "cpu_has_fast_bf16", lambda: False)
    with pytest.warns(UserWarning, match="no bfloat16 matrix units.*float32"):
        slow = train_module.Precision.for_device(cpu, True)
    assert not slow.enabled and slow.label == "float32"
    monkeypatch.setattr(train_module, "cpu_has_fast_bf16", lambda: True)
    fast = train_module.Precision.for_device(cpu, True)
    assert fast.enabled and fast.dtype == torch.bfloat16 and fast.label == "bfloat16 autocast"
    assert train_module.Precision.for_device(cpu, False).label == "float32"


def test_the_card_says_how_the_matmuls_ran(tmp_path, monkeypatch):
    monkeypatch.setattr(train_module, "cpu_has_fast_bf16", lambda: False)
    toy = (ROOT / "configs" / "toy-reverse.toml").read_text(encoding="utf-8")
    config = tmp_path / "toy-bf16.toml"
    config.write_text(toy.replace("[train]", "[train]\nbf16 = true", 1), encoding="utf-8")
    with pytest.warns(UserWarning, match="no bfloat16"):
        folder = train_module.train(config, tmp_path / "run", tmp_path / "out", max_steps=3, quiet=True)
    state = json.loads((tmp_path / "run" / "state" / "state.json").read_text(encoding="utf-8"))
    assert state["precisions"] == ["float32"]
    training_line = next(line for line in (folder / "MODEL_CARD.md").read_text(encoding="utf-8").splitlines()
                         if line.startswith("- Training time:"))
    assert training_line.endswith(", float32")


def test_cpu_flags_are_read_from_cpuinfo(tmp_path):
    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nflags\t\t: fpu avx2 avx512f avx512_bf16 amx_tile\n\nprocessor\t: 1\nflags\t\t: fpu\n")
    assert train_module.cpu_flags(info) == {"fpu", "avx2", "avx512f", "avx512_bf16", "amx_tile"}
    assert train_module.cpu_flags(tmp_path / "missing") == set()
