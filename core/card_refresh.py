"""Rewrites the parts of a shipped model card that its timeline and its recipe determine.

A card is written by the export at the end of a training run (``core.train``). Two of its
sections can change later without retraining: the **training curve** (read back from the
shipped ``timeline.json``, whose points are the run's own evaluation records plus the shipped,
checkpoint-averaged model) and **tried and not shipped** (the recipe's ``[card] experiments``:
runs measured against this recipe). This tool renders both with the functions the export uses
and puts them after "## Training" and before "## Scores", replacing older copies; every other
line stays as it was. The export itself ends by calling it, so a fresh card and a refreshed one
are the same text.

    python -m core.card_refresh pretrained/ko-en --config configs/ko-en.toml
"""

from __future__ import annotations

import argparse
import json
import tomllib
from pathlib import Path
from typing import Any

from .checkpoint import CARD_FILE, CheckpointError, read_config
from .model_card import experiment_lines, training_curve_lines
from .timeline import INDEX_FILE as TIMELINE_INDEX

CURVE_HEADING = "## Training curve"
EXPERIMENTS_HEADING = "## Tried and not shipped"
INSERT_BEFORE = "## Scores"


def timeline_curve(folder: Path) -> list[dict[str, Any]] | None:
    """The evaluation records of a shipped timeline, the averaged last point marked ``averaged``;
    ``None`` when the folder has no timeline (an RNN, or a model trained before the recorder)."""
    path = folder / TIMELINE_INDEX
    if not path.is_file():
        return None
    index = json.loads(path.read_text(encoding="utf-8"))
    return [{**s["metrics"], "averaged": bool(s.get("averaged"))} for s in index.get("snapshots", [])]


def _without_sections(lines: list[str], headings: set[str]) -> list[str]:
    """``lines`` minus every section that starts with one of ``headings`` (up to the next ``## ``)."""
    kept: list[str] = []
    skipping = False
    for line in lines:
        if line.startswith("## "):
            skipping = line.strip() in headings
        if not skipping:
            kept.append(line)
    return kept


def refresh_card_text(text: str, curve: list[dict[str, Any]] | None, experiments: list[dict[str, Any]],
                      eval_sentences: int | None = None) -> str:
    """``text`` with its tried-and-not-shipped section, and its training curve unless ``curve`` is
    ``None`` (then the card's own curve, written from the run's log, is kept), rendered anew.

    Raises:
        ValueError: the card has no "## Scores" section to put them before (not an exported card).
    """
    replaced = {EXPERIMENTS_HEADING} | ({CURVE_HEADING} if curve is not None else set())
    lines = _without_sections(text.split("\n"), replaced)
    at = next((i for i, line in enumerate(lines) if line.startswith(INSERT_BEFORE)), None)
    if at is None:
        raise ValueError(f"the card has no '{INSERT_BEFORE}' section, so it was not written by an export: export "
                         "the model again (python -m core.train --config <recipe> --out <run folder> --export-only)")
    new = (training_curve_lines(curve, eval_sentences=eval_sentences) if curve else []) \
        + (experiment_lines(experiments) if experiments else [])
    return "\n".join(lines[:at] + new + lines[at:])


def rendered_card(folder: str | Path, config: str | Path) -> str:
    """``folder``'s card as ``refresh_card`` would write it, from its timeline and the recipe at ``config``.

    Raises:
        FileNotFoundError: the folder has no card or the recipe does not exist.
        ValueError: the recipe trains another model than the folder holds, or the card is not an export's.
        CheckpointError: the folder's ``config.json`` is missing or broken (``core.checkpoint.read_config``).
    """
    folder, config = Path(folder), Path(config)
    card_path = folder / CARD_FILE
    if not card_path.is_file():
        raise FileNotFoundError(f"{card_path} is missing: export the model first "
                                f"(python -m core.train --config {config} --out <run folder> --export-only)")
    if not config.is_file():
        raise FileNotFoundError(f"recipe {config} does not exist: pass the one {folder} was trained with (configs/…)")
    with config.open("rb") as fh:
        recipe = tomllib.load(fh)
    shipped = read_config(folder).get("name")
    if recipe.get("name") != shipped:
        raise ValueError(f"{config} trains '{recipe.get('name')}' but {folder} holds '{shipped}': "
                         "pass the recipe that model was trained with")
    eval_sentences = recipe.get("train", {}).get("eval_sentences")  # how many validation sentences BLEU read
    return refresh_card_text(card_path.read_text(encoding="utf-8"), timeline_curve(folder),
                             recipe.get("card", {}).get("experiments", []), eval_sentences)


def refresh_card(folder: str | Path, config: str | Path) -> Path:
    """Rewrite ``folder``'s card as ``rendered_card`` makes it; returns the card's path."""
    card_path = Path(folder) / CARD_FILE
    text = rendered_card(folder, config)
    card_path.write_text(text, encoding="utf-8")
    return card_path


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m core.card_refresh <folder> --config <recipe>``; exits 2 with the cause on errors."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="a shipped model folder, e.g. pretrained/ko-en")
    parser.add_argument("--config", required=True, help="the recipe it was trained with, e.g. configs/ko-en.toml")
    args = parser.parse_args(argv)
    try:
        print(f"rewrote {refresh_card(args.folder, args.config)}")
    except (FileNotFoundError, ValueError, CheckpointError) as err:
        parser.exit(2, f"error: {err}\n")


if __name__ == "__main__":
    main()
