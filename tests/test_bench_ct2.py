"""bench/decode.py --compare-ct2 compares the same function: CTranslate2 on our converted weights decodes as we do."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("ctranslate2")

ROOT = Path(__file__).resolve().parent.parent


def test_converted_model_translates_exactly_as_ours(tmp_path):
    from bench.ct2_compare import Worker
    from bench.ct2_convert import convert

    folder = "pretrained/multi30k-en-de"
    convert(ROOT / folder, tmp_path)
    test = ROOT / "../shared/data/multi30k/test_2016_flickr.en"
    from core import load_translator

    lines = test.read_text(encoding="utf-8").splitlines()[:24] if test.is_file() else []
    lines = lines or list(load_translator(ROOT / folder).info.metadata["examples"])
    ct2 = Worker("ct2", str(tmp_path), folder)
    ours = Worker("ours", str(tmp_path), folder)
    try:
        _, theirs = ct2.run(lines, 8, 1)
        _, plain = ours.run(lines, 8, 1, "plain")
        _, maps = ours.run(lines, 1, 1, "maps")
        _, walk = ours.run(lines, 8, 1, "walk")
    finally:
        ct2.close()
        ours.close()
    assert theirs == plain == maps == walk
    assert len(set(theirs)) == len(lines)  # real, different translations
