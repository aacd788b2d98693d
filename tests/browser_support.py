"""Real-browser testing: the app started on 127.0.0.1 and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import functools
import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOAD_BENCH = ROOT / "bench" / "load.py"  # the load generator, which speaks Streamlit's websocket protocol
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(os.environ.get("ATTENTION_LAB_SCREENSHOTS", ROOT / "artifacts" / "screenshots"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

requires_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)")


@functools.cache
def load_bench():
    """``bench/load.py`` as a module (its ``Session`` talks to the app as a browser tab does)."""
    spec = importlib.util.spec_from_file_location("attention_lab_bench_load", LOAD_BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(port: int | None = None, env: dict[str, str] | None = None) -> Iterator[str]:
    """Start ``streamlit run app/main.py`` on 127.0.0.1 and yield its base URL."""
    port = port or free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app" / "main.py"),
        "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(proc, url)
        yield url
    finally:
        stop(proc)


def wait_until_healthy(proc: subprocess.Popen, url: str, timeout: float = 60) -> None:
    """Wait until the Streamlit server ``proc`` answers ``/_stcore/health``; raise with its stderr if it exits."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited: {proc.stderr.read().decode()[-2000:]}")
    raise RuntimeError(f"streamlit did not become healthy within {timeout:.0f} s")


def stop(proc: subprocess.Popen, timeout: float = 10) -> None:
    """Terminate a server process, killing it if it does not exit within ``timeout`` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def chromium_page(width: int = 1500, height: int = 3000, locale: str = "en-US"):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": width, "height": height}, locale=locale, accept_downloads=True)
        page = context.new_page()
        try:
            yield page
        finally:
            context.close()
            browser.close()


def wait_for_app(page, timeout: float = 60_000) -> None:
    """Wait until the script has finished running (no 'Running…' status) and a title exists.

    The status widget appears only after a short delay, so wait a moment first
    and require it to stay away for a while.
    """
    page.wait_for_selector("h1", timeout=timeout)
    for _ in range(2):
        page.wait_for_timeout(400)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout
        )


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
