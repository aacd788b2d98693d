"""Training end to end on the toy task, and resuming after kill -9."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from core import load_translator
from core.data import synthetic_pairs
from core.train import learning_rate, train

ROOT = Path(__file__).resolve().parent.parent
TOY = ROOT / "configs" / "toy-reverse.toml"


def test_learning_rate_schedule_warms_up_then_decays():
    lrs = [learning_rate(s, 256, 100, 1.0) for s in (1, 50, 100, 400)]
    assert lrs[0] < lrs[1] < lrs[2]
    assert lrs[3] == pytest.approx(lrs[2] / 2)  # step^-0.5: 4x steps → half


def test_toy_trains_end_to_end(tmp_path):
    """train → save → load → translate → attention invariants (about 20 s on 2 cores)."""
    folder = train(TOY, tmp_path / "run", tmp_path / "toy", max_steps=400, quiet=True)
    assert folder is not None and (folder / "MODEL_CARD.md").is_file()
    tr = load_translator(folder)
    pairs = synthetic_pairs("reverse", 30, 4, 8, seed=123)
    correct = sum(tr.translate(s).text == t for s, t in pairs)
    assert correct >= 15, f"only {correct}/30 reversed correctly"
    res = tr.translate("a b c d e f")
    att = res.attention
    for weights in (att.encoder_self, att.decoder_self, att.cross):
        assert np.allclose(weights.sum(-1), 1.0, atol=1e-5)
    assert np.all(np.triu(att.decoder_self, k=1) == 0)
    if res.text == "f e d c b a":
        # Anti-diagonal: the strongest cross-attention head of the last layer
        # looks at source position n-1-t when producing output t.
        n = 6
        best = max(range(att.cross.shape[1]), key=lambda h: sum(att.cross[-1, h, t, n - 1 - t] for t in range(n)))
        assert sum(att.cross[-1, best, t].argmax() == n - 1 - t for t in range(n)) >= 4
    card = (folder / "MODEL_CARD.md").read_text()
    assert "BLEU" in card and "Toy model" in card


def test_resume_after_kill_continues_step_count(tmp_path):
    run = tmp_path / "run"
    cmd = [sys.executable, "-m", "core.train", "--config", str(TOY), "--out", str(run), "--export", str(tmp_path / "exp"), "--max-steps", "300"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    state_file = run / "state" / "state.json"
    deadline = time.time() + 120
    while time.time() < deadline:
        if state_file.is_file() and json.loads(state_file.read_text())["step"] >= 100:
            break
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_at = json.loads(state_file.read_text())["step"]
    assert 100 <= killed_at < 300

    out = subprocess.run(cmd + ["--resume"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert f"resuming {run} at step {killed_at}" in out.stdout
    assert json.loads(state_file.read_text())["step"] == 300
    tr = load_translator(tmp_path / "exp")
    assert tr.translate("a b c").text


def test_resume_flag_without_state_fails_clearly(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "core.train", "--config", str(TOY), "--out", str(tmp_path / "none"), "--resume"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert out.returncode != 0 and "does not exist" in out.stderr


def test_max_minutes_stops_this_invocation_and_saves_state(tmp_path):
    run = tmp_path / "run"
    assert train(TOY, run, tmp_path / "exp", max_steps=5000, max_minutes=0.05, quiet=True) is None  # 3 s
    step = json.loads((run / "state" / "state.json").read_text())["step"]
    assert 0 < step < 5000
    assert not (tmp_path / "exp").exists()  # exported only after the last step
