"""What the Docker image holds is enough to run the app, and its HEALTHCHECK passes.

No Docker engine is needed (none is available in CI): the test lays out the
files the Dockerfile's ``COPY`` lines put in ``/app`` in a temporary folder,
sets the ``ENV`` lines, starts the Dockerfile's ``CMD`` from there with a
fresh ``HOME`` and runs the ``HEALTHCHECK`` command verbatim (only the port is
changed to a free one). It would fail if the app needed a file the image does
not copy (``configs/``, ``bench/`` …), if the health command were wrong, or if
the shipped models were left out of the image.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser_support import free_port, stop, wait_until_healthy
from tests.test_deploy_files import ROOT, dockerfile_instructions

IMAGE_PORT = "8501"


def image_layout(dest: Path) -> dict[str, str]:
    """Copy what the Dockerfile copies into ``dest``; return the image's ENV."""
    env: dict[str, str] = {}
    for kind, args in dockerfile_instructions():
        if kind == "COPY":
            *sources, target = shlex.split(args)
            for source in sources:
                src, to = ROOT / source, dest / (source if target in ("./", ".") else target)
                if src.is_dir():
                    shutil.copytree(src, to, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "secrets.toml"))
                else:
                    to.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(src, to)
        elif kind == "ENV":
            for pair in shlex.split(args):
                key, _, value = pair.partition("=")
                env[key] = value
    return env


def exec_form(kind: str) -> list[str]:
    """The JSON (exec-form) command of the last ``kind`` instruction (``CMD``, or ``HEALTHCHECK``'s ``CMD``)."""
    args = [a for k, a in dockerfile_instructions() if k == kind][-1]
    return json.loads(args[args.index("CMD") + 3:] if kind == "HEALTHCHECK" else args)


def local(command: list[str], port: str) -> list[str]:
    """The image's command for this machine: this Python for ``python``/``streamlit``, a free port."""
    head = {"python": [sys.executable], "streamlit": [sys.executable, "-m", "streamlit"]}
    return head.get(command[0], command[:1]) + [a.replace(IMAGE_PORT, port) for a in command[1:]]


@pytest.fixture(scope="module")
def image_app(tmp_path_factory):
    """The image's /app started with the image's CMD; yields (folder, port)."""
    root = tmp_path_factory.mktemp("image")
    app_dir, home = root / "app", root / "home"
    app_dir.mkdir()
    home.mkdir()
    env = {**os.environ, **image_layout(app_dir), "HOME": str(home), "PYTHONPATH": ""}
    env.pop("ATTENTION_LAB_PRETRAINED", None)
    port = str(free_port())
    proc = subprocess.Popen(local(exec_form("CMD"), port), cwd=app_dir, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until_healthy(proc, f"http://127.0.0.1:{port}", timeout=90)
        yield app_dir, port, env
    finally:
        stop(proc)

def test_image_contents_pass_the_healthcheck(image_app):
    app_dir, port, env = image_app
    done = subprocess.run(local(exec_form("HEALTHCHECK"), port), cwd=app_dir, env=env, timeout=30)
    assert done.returncode == 0


def test_image_contents_translate_on_the_explorer(image_app):
    """The copied app alone (no configs/, tests/ …) runs the explorer on a shipped model."""
    app_dir, _, env = image_app
    script = (
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_file('app/main.py', default_timeout=120)\n"
        "at.query_params['model'] = 'multi30k-en-de'\n"
        "at.query_params['text'] = 'A dog runs through the snow.'\n"
        "at.run()\n"
        "assert not at.exception, at.exception\n"
        "print([e.value for e in at.error])\n"
        "print(sum(1 for _ in at.get('plotly_chart')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=app_dir, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    errors, charts = done.stdout.strip().splitlines()[-2:]
    assert errors == "[]" and int(charts) >= 2  # the head grid and the large heatmap
