"""Helpers for tests that run ``core.train`` in a subprocess."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path


def saved_step(run: Path) -> int:
    """The step of the training state saved in ``run`` (``run/state/state.json``)."""
    return json.loads((run / "state" / "state.json").read_text())["step"]


def kill_after_saved_step(proc: subprocess.Popen, run: Path, step: int, timeout: float) -> int:
    """SIGKILL the process group of ``proc`` (started with ``start_new_session=True``) once
    ``run`` holds a state at ``step`` or later (or ``timeout`` seconds passed); the step saved."""
    state_file = run / "state" / "state.json"
    deadline = time.time() + timeout
    while time.time() < deadline:
        if state_file.is_file() and saved_step(run) >= step:
            break
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return saved_step(run)
