"""Rewrites the parts of a shipped model card that its recipe and its timeline determine.

A card is written once, by the export at the end of a training run (``core.train``). Two of its
sections can change later without retraining: the **training curve** (read back from the
shipped ``timeline.json``, whose points are the run's own evaluation records) and **tried and not
shipped** (the recipe's ``[card] experiments``: runs measured after the model shipped). This tool
renders both with the same functions the export uses and puts them in place, after
"## Training" and before "## Scores", replacing older copies; every other line stays as the
export wrote it.

    python -m core.card_refresh pretrained/ko-en --config configs/ko-en.toml
"""

from __future__ import annotations

import argparse
import json
import tomllib
from pathlib import Path
from typing import Any

from .model_card import experiment_lines, training_curve_lines

CARD_FILE = "MODEL_CARD.md"
TIMELINE_INDEX = "timeline.json"
REFRESHED_HEADINGS = ("## Training curve", "## Tried and not shipped")
INSERT_BEFORE = "## Scores"


def timeline_curve(folder: Path) -> list[dict[str, Any]]:
    """The run's evaluation records kept in a shipped timeline (the averaged last point left out)."""
    path = folder / TIMELINE_INDEX
    if not path.is_file():
        return []
    index = json.loads(path.read_text(encoding="utf-8"))
    return [s["metrics"] for s in index.get("snapshots", []) if not s.get("averaged")]


def _without_sections(lines: list[str], headings: tuple[str, ...]) -> list[str]:
    """``lines`` minus every section that starts with one of ``headings`` (up to the next ``## ``)."""
    kept: list[str] = []
    skipping = False
    for line in lines:
        if line.startswith("## "):
            skipping = line.strip() in headings
        if not skipping:
            kept.append(line)
    return kept


def refresh_card_text(text: str, curve: list[dict[str, Any]], experiments: list[dict[str, Any]]) -> str:
    """``text`` with its training-curve and tried-and-not-shipped sections rendered anew.

    Raises:
        ValueError: the card has no "## Scores" section to put them before (not an exported card).
    """
    lines = _without_sections(text.split("\n"), REFRESHED_HEADINGS)
    at = next((i for i, line in enumerate(lines) if line.startswith(INSERT_BEFORE)), None)
    if at is None:
        raise ValueError(f"the card has no '{INSERT_BEFORE}' section: re-export it with python -m core.train --export-only")
    new = (training_curve_lines(curve) if curve else []) + (experiment_lines(experiments) if experiments else [])
    return "\n".join(lines[:at] + new + lines[at:])


def refresh_card(folder: str | Path, config: str | Path) -> Path:
    """Rewrite ``folder``'s card from its timeline and the recipe at ``config``; returns the card's path."""
    folder, config = Path(folder), Path(config)
    card_path = folder / CARD_FILE
    if not card_path.is_file():
        raise FileNotFoundError(f"{card_path} is missing: export the model first (python -m core.train --config {config} --export-only)")
    with config.open("rb") as fh:
        recipe = tomllib.load(fh)
    experiments = recipe.get("card", {}).get("experiments", [])
    text = refresh_card_text(card_path.read_text(encoding="utf-8"), timeline_curve(folder), experiments)
    card_path.write_text(text, encoding="utf-8")
    return card_path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="a shipped model folder, e.g. pretrained/ko-en")
    parser.add_argument("--config", required=True, help="the recipe it was trained with, e.g. configs/ko-en.toml")
    args = parser.parse_args(argv)
    try:
        print(f"rewrote {refresh_card(args.folder, args.config)}")
    except (FileNotFoundError, ValueError) as err:
        parser.exit(2, f"error: {err}\n")


if __name__ == "__main__":
    main()
