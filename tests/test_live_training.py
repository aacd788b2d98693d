"""Training the letters toy live (core.live_training), one job per process (app.services.live_training),
and the Training page's "train it yourself" in AppTest."""

from __future__ import annotations

import time

import numpy as np

from app.services import live_training as live
from core.live_training import LiveTraining


def anti_diagonal_weight(cross: np.ndarray) -> float:
    """Mean weight output i puts on input n−1−i (the letters, without </s>)."""
    n = cross.shape[1] - 1
    return float(np.mean([cross[i, n - 1 - i] for i in range(n)]))


def test_a_live_training_finishes_inside_its_cap_with_an_anti_diagonal():
    job = LiveTraining(max_steps=700, max_seconds=90, report_every=50).start()
    job.join(timeout=150)
    p = job.progress
    assert p.state == "finished" and p.step <= 700 and p.seconds <= 95
    assert [s for s, _ in p.losses] == list(range(50, p.step + 1, 50))
    assert p.losses[-1][1] < 0.5 * p.losses[0][1]
    assert anti_diagonal_weight(p.cross) > 0.5  # untrained it is ≈ 1/7
    assert job.translator().translate_texts(["a b c d e f"]) == ["f e d c b a"]


def test_stop_ends_a_training_early():
    job = LiveTraining(max_steps=5000, max_seconds=300).start()
    time.sleep(1.0)
    job.stop()
    job.join(timeout=30)
    assert job.progress.state == "stopped" and job.progress.step < 5000


def test_two_sessions_asking_at_once_one_runs_the_other_waits(monkeypatch):
    monkeypatch.setattr(live, "MAX_STEPS", 40)
    slot = live.Slot()
    first, position = slot.request("session-a")
    assert first is not None and position == 0
    second, position = slot.request("session-b")
    assert second is None and position == 1
    assert slot.request("session-c") == (None, 2)
    assert slot.request("session-a")[0] is first  # asking again returns the same job
    first.join(timeout=60)
    assert slot.current("session-a") is first and first.progress.done
    assert slot.request("session-c") == (None, 2)  # b is first in line: c keeps waiting
    started, position = slot.request("session-b")
    assert started is not None and position == 0 and started is not first
    started.stop()
    started.join(timeout=30)


def test_a_waiting_session_that_stops_asking_leaves_the_queue(monkeypatch):
    monkeypatch.setattr(live, "QUEUE_TIMEOUT", 0.2)
    monkeypatch.setattr(live, "MAX_STEPS", 2000)
    slot = live.Slot()
    job, _ = slot.request("a")
    slot.request("b")
    assert slot.request("c") == (None, 2)
    time.sleep(0.3)
    assert slot.request("c") == (None, 1)  # b stopped asking and lost its place
    job.stop()
    job.join(timeout=30)


def test_the_page_trains_and_lists_the_model_for_this_session(monkeypatch):
    from tests.apptest_support import assert_no_exception, new_app

    monkeypatch.setattr(live, "MAX_STEPS", 200)
    monkeypatch.setattr(live, "SLOT", live.Slot())
    at = new_app(model="toy-reverse")
    at.switch_page("app_pages/training.py").run()
    assert_no_exception(at)
    next(b for b in at.button if b.label == "Train the toy now").click().run()
    for _ in range(40):
        if at.success:
            break
        time.sleep(2)
        at.run()
        assert_no_exception(at)
    assert at.success and "my-toy-" in at.success[0].value
    folders = at.session_state["live_models"]
    assert len(folders) == 1 and (live.SAVE_ROOT / folders[0].split("/")[-1] / "config.json").exists()
    assert any(c for c in at.get("plotly_chart"))


def test_the_result_is_the_mean_of_the_last_checkpoints():
    """As the shipped toy's recipe (average_last = 3): the mean of the last kept weights, element-wise."""
    import torch

    from core.train import mean_weights

    states = [{"w": torch.full((2, 2), float(i)), "n": torch.tensor([i], dtype=torch.float32)} for i in (1, 2, 6)]
    mean = mean_weights(states)
    assert torch.equal(mean["w"], torch.full((2, 2), 3.0)) and mean["n"].dtype == torch.float32
