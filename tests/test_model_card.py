"""The model card's training curve and its "tried and not shipped" table (core/model_card.py,
core/card_refresh.py): rendered from evaluation records and recipes, and kept in step with them."""

from __future__ import annotations

import json

import pytest

from core.card_refresh import refresh_card, refresh_card_text
from core.checkpoint import FORMAT
from core.model_card import experiment_lines, training_curve_lines


def _record(step: int, loss: float, bleu: float, ratios: list[float], epoch: int | None = None) -> dict:
    record = {"step": step, "train_loss": loss + 0.5, "valid_loss": loss, "valid_bleu": bleu,
              "valid_chrf": 2 * bleu, "cross_entropy_ratio": ratios}
    if epoch is not None:
        record["epoch"] = epoch
    return record


def test_the_curve_has_one_row_per_evaluation_and_names_the_best_steps():
    records = [_record(0, 9.0, 0.0, [0.99, 0.98]), _record(500, 4.0, 12.5, [0.7, 0.5], epoch=2),
               _record(1000, 4.2, 14.25, [0.6, 0.4], epoch=4)]
    lines = training_curve_lines(records, eval_sentences=300)
    rows = [line for line in lines if line.startswith("| ") and line[2].isdigit()]
    assert rows == [
        "| 0 | 0 | 9.500 | 9.000 | 0.00 | 0.00 | 0.990 / 0.980 |",
        "| 500 | 2 | 4.500 | 4.000 | 12.50 | 25.00 | 0.700 / 0.500 |",
        "| 1000 | 4 | 4.700 | 4.200 | 14.25 | 28.50 | 0.600 / 0.400 |",
    ]
    assert any(line.endswith("entropy ratio, layer 1 / 2 |") for line in lines)
    assert any("its first 300 sentences" in line for line in lines)
    assert "Lowest validation loss 4.000 at step 500; highest validation BLEU 14.25 at step 1000." in lines


def test_the_shipped_average_comes_last_and_missing_numbers_show_as_dashes():
    shipped = {**_record(1000, 3.9, 15.0, [0.55]), "train_loss": None, "averaged": True}
    no_bleu = {"step": 500, "epoch": 1, "train_loss": 4.0, "valid_loss": 4.4, "cross_entropy_ratio": []}
    lines = training_curve_lines([shipped, _record(0, 9.0, 0.0, [0.9]), no_bleu])  # order as given, shipped last
    rows = [line for line in lines if line.startswith("| ") and line[2].isdigit()]
    assert rows[-1] == "| 1000, shipped (mean of the last checkpoints) | — | — | 3.900 | 15.00 | 30.00 | 0.550 |"
    assert rows[1] == "| 500 | 1 | 4.000 | 4.400 | — | — | — |"
    assert lines[-2].endswith("; the shipped average: loss 3.900, BLEU 15.00.")
    only_loss = training_curve_lines([no_bleu])
    assert "Lowest validation loss 4.400 at step 500." in only_loss  # no BLEU sentence without BLEU
    assert any(line.endswith("| entropy ratio |") for line in only_loss)  # no attention: no layer numbers


def test_long_curves_are_thinned_evenly_but_the_best_steps_come_from_every_record():
    records = [_record(s, 10.0 - s / 10_000, 1.0, [0.5]) for s in range(0, 10_001, 100)]  # 101 points
    records[4]["valid_loss"] = 0.5  # the lowest, at step 400, which thinning to every 3rd row drops
    records[7]["valid_bleu"] = 99.0  # the highest, at step 700, dropped too
    lines = training_curve_lines(records, max_rows=40)
    rows = [line for line in lines if line.startswith("| ") and line[2].isdigit()]
    steps = [int(row.split(" | ")[0][2:]) for row in rows]
    assert len(rows) <= 40 and steps[0] == 0 and steps[-1] == 10_000 and len(set(steps)) == len(steps)
    assert len({b - a for a, b in zip(steps[:-2], steps[1:-1])}) == 1  # evenly spaced (the last row may be closer)
    assert 400 not in steps and 700 not in steps
    assert "Lowest validation loss 0.500 at step 400; highest validation BLEU 99.00 at step 700." in lines
    assert training_curve_lines([]) == []


def test_experiments_escape_table_pipes():
    lines = experiment_lines([{"recipe": "configs/x.toml", "change": "a | b", "result": "BLEU 1"},
                              {"change": "no recipe", "result": "r"}])
    assert "| `configs/x.toml` | a \\| b | BLEU 1 |" in lines
    assert "| — | no recipe | r |" in lines


CARD = "\n".join(["# m: t", "", "## Training", "", "- Steps: 10", "", "## Scores (sacreBLEU, cased, detokenized)",
                  "", "| a |", "", "## Known limits", "", "none", ""])


def test_refresh_puts_both_sections_before_the_scores_and_is_idempotent():
    curve = [_record(0, 9.0, 0.0, [0.99]), _record(10, 3.0, 5.0, [0.5], epoch=1)]
    experiments = [{"recipe": "configs/e.toml", "change": "dropout 0.3", "result": "worse"}]
    once = refresh_card_text(CARD, curve, experiments)
    assert once.index("## Training\n") < once.index("## Training curve") < once.index("## Tried and not shipped") \
        < once.index("## Scores")
    assert refresh_card_text(once, curve, experiments) == once
    # a new experiment replaces the section instead of adding a second one
    twice = refresh_card_text(once, curve, experiments + [{"change": "more data", "result": "better"}])
    assert twice.count("## Tried and not shipped") == 1 and "| — | more data | better |" in twice
    # with nothing to show, both sections go and the card is as exported
    assert refresh_card_text(once, [], []) == CARD
    assert "## Known limits\n\nnone" in once
    # a folder without a timeline (curve None) keeps the curve its export wrote from the run's log
    kept = refresh_card_text(once, None, [])
    assert "## Training curve" in kept and "## Tried and not shipped" not in kept


def test_refresh_refuses_a_card_without_scores():
    with pytest.raises(ValueError, match="no '## Scores' section"):
        refresh_card_text("# m\n\n## Training\n", [], [])


def _shipped_folder(tmp_path, name: str):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "MODEL_CARD.md").write_text(CARD, encoding="utf-8")
    config = {"format": FORMAT, "name": name, "model": {}, "tokenizer": {}, "files": {}}  # what read_config checks
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    snapshots = [{"step": 0, "averaged": False, "metrics": _record(0, 9.0, 0.0, [0.9])},
                 {"step": 10, "averaged": True, "metrics": {**_record(10, 3.0, 5.0, [0.5]), "train_loss": None}}]
    (folder / "timeline.json").write_text(json.dumps({"snapshots": snapshots}), encoding="utf-8")
    return folder


def test_refresh_card_reads_the_timeline_and_the_recipe(tmp_path):
    folder = _shipped_folder(tmp_path, "m")
    recipe = tmp_path / "m.toml"
    recipe.write_text('name = "m"\n[train]\neval_sentences = 50\n[card]\n'
                      'experiments = [{ change = "dropout 0.3", result = "BLEU 1.0 lower" }]\n', encoding="utf-8")
    card = refresh_card(folder, recipe).read_text(encoding="utf-8")
    assert "| 0 | 0 | 9.500 | 9.000 | 0.00 | 0.00 | 0.900 |" in card
    assert "| 10, shipped (mean of the last checkpoints) | — | — | 3.000 | 5.00 | 10.00 | 0.500 |" in card
    assert "its first 50 sentences" in card and "| — | dropout 0.3 | BLEU 1.0 lower |" in card


def test_refresh_card_refuses_another_models_recipe_and_names_missing_files(tmp_path):
    folder = _shipped_folder(tmp_path, "ko-en")
    other = tmp_path / "en-ko.toml"
    other.write_text('name = "en-ko"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="trains 'en-ko' but .* holds 'ko-en': pass the recipe"):
        refresh_card(folder, other)
    with pytest.raises(FileNotFoundError, match="recipe .*nothing.toml does not exist"):
        refresh_card(folder, tmp_path / "nothing.toml")
    with pytest.raises(FileNotFoundError, match="MODEL_CARD.md is missing: export the model first"):
        refresh_card(tmp_path, other)
