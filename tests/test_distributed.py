"""Training in several processes (torchrun + DistributedDataParallel, gloo on the CPU) and device choice."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from safetensors.torch import load_file

from core import load_translator
from core.distributed import Runtime, resolve_device
from core.train import train
from tests.train_support import kill_after_saved_step

ROOT = Path(__file__).resolve().parent.parent
TOY = ROOT / "configs" / "toy-reverse.toml"


def run_train(out: Path, processes: int, steps: int, export: Path | None = None, wait: bool = True):
    cmd = [sys.executable, "-m", "core.train", "--config", str(TOY), "--out", str(out),
           "--export", str(export or out.with_name(out.name + "-export")), "--max-steps", str(steps), "--threads", "1",
           "--device", "cpu"]
    if processes > 1:
        cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={processes}", *cmd[1:]]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    if not wait:
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def log(run: Path) -> dict[int, dict]:
    return {r["step"]: r for r in map(json.loads, (run / "log.jsonl").read_text().splitlines())}


def test_two_gloo_processes_make_the_single_process_updates(tmp_path):
    run_train(tmp_path / "one", 1, 30)
    run_train(tmp_path / "two", 2, 30)
    one, two = log(tmp_path / "one"), log(tmp_path / "two")
    for step in (25, 30):
        # the whole batch's loss, and the validation loss of the weights after the update
        assert two[step]["train_loss"] == pytest.approx(one[step]["train_loss"], abs=2e-3)
        assert two[step]["valid_loss"] == pytest.approx(one[step]["valid_loss"], abs=2e-3)
    a, b = load_file(str(tmp_path / "one/state/model.safetensors")), load_file(str(tmp_path / "two/state/model.safetensors"))
    # Adam turns float-rounding differences of near-zero gradients into steps of up to ~lr (6.6e-4 here)
    assert max(float((a[k] - b[k]).abs().max()) for k in a) < 3e-3
    states = [json.loads((tmp_path / r / "state/state.json").read_text()) for r in ("one", "two")]
    assert states[0]["step"] == states[1]["step"] == 30
    assert states[0]["target_tokens"] == states[1]["target_tokens"]  # the same global batches


def test_killed_two_process_run_resumes_in_one_process_and_exports(tmp_path):
    run = tmp_path / "run"
    proc = run_train(run, 2, 400, wait=False)
    state_file = run / "state" / "state.json"
    saved = kill_after_saved_step(proc, run, 100, timeout=180)
    assert saved >= 100
    done = run_train(run, 1, 200, export=tmp_path / "export")  # resumed alone, to a nearer end
    assert f"resuming {run} at step {saved}" in done.stdout
    assert json.loads(state_file.read_text())["step"] == 200
    tr = load_translator(tmp_path / "export")
    assert tr.translate("a b c d").output_tokens[-1] == "</s>"


def test_only_rank_zero_writes_files(tmp_path):
    """A rank-1 process (alone here, so no process group is needed) trains but writes nothing."""
    run = tmp_path / "run"
    run.mkdir()
    shutil.copyfile(ROOT / "pretrained" / "toy-reverse" / "spm.model", run / "spm.model")  # rank 0 wrote it
    result = train(TOY, run, tmp_path / "export", max_steps=20, quiet=True, runtime=Runtime(rank=1, world_size=1))
    assert result is None
    assert sorted(p.name for p in run.iterdir()) == ["spm.model"]  # no state, snapshots, log or timeline
    assert not (tmp_path / "export").exists()


def test_asking_for_a_missing_device_fails_with_the_reason():
    import torch

    if not torch.cuda.is_available():
        with pytest.raises(SystemExit, match="no CUDA GPU"):
            resolve_device("cuda")
    with pytest.raises(SystemExit, match="not one of"):
        resolve_device("tpu")
    assert resolve_device("cpu").type == "cpu"
    done = subprocess.run([sys.executable, "-m", "core.train", "--config", str(TOY), "--device", "cuda", "--max-steps", "1",
                           "--out", "/nonexistent/run"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    if not torch.cuda.is_available():
        assert done.returncode != 0 and "no CUDA GPU" in done.stderr
