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


def _stat(pid: int | str) -> list[str]:
    """The fields of ``/proc/<pid>/stat`` after the command name (state, parent pid, …), or [] if it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # the process ended meanwhile
        return []


def _alive(pid: int | str) -> bool:
    """``pid`` exists and is not a zombie."""
    fields = _stat(pid)
    return bool(fields) and fields[0] != "Z"


def descendants(pid: int) -> list[int]:
    """Every descendant of ``pid`` (read from /proc): its children, their children, and so on."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        fields = _stat(entry.name)
        if fields:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kill_after_saved_step(proc: subprocess.Popen, run: Path, step: int, timeout: float) -> int:
    """SIGKILL ``proc`` and every process it started once ``run`` holds a state at ``step``
    or later (or ``timeout`` seconds passed), as a power cut would; the step saved.

    The whole tree, not only ``proc``'s process group: torchrun starts each worker in a
    session of its own, so killing the launcher's group would leave its workers training
    (and writing into ``run``) next to the resumed run.
    """
    state_file = run / "state" / "state.json"
    deadline = time.time() + timeout
    while time.time() < deadline:
        if state_file.is_file() and saved_step(run) >= step:
            break
        time.sleep(0.2)
    tree = [proc.pid, *descendants(proc.pid)]
    for pid in tree:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait()
    for pid in tree[1:]:  # not our children: wait until the kernel has removed them
        for _ in range(100):
            if not _alive(pid):
                break
            time.sleep(0.05)
    assert not still_training(run), f"processes still train into {run} after the kill"
    return saved_step(run)


def still_training(run: Path) -> list[int]:
    """Living (not zombie) processes whose command line names ``run``."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        pid = int(cmdline.parent.name)
        if str(run).encode() in args and _alive(pid):
            found.append(pid)
    return found
