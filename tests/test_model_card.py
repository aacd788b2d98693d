"""The model card's training curve and its "tried and not shipped" table (core/model_card.py,
core/card_refresh.py): rendered from evaluation records and recipes, and kept in step with them."""

from __future__ import annotations

import pytest

from core.card_refresh import refresh_card_text
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
    lines = training_curve_lines(records)
    rows = [line for line in lines if line.startswith("| ") and line[2].isdigit()]
    assert rows == [
        "| 0 | — | 9.500 | 9.000 | 0.00 | 0.00 | 0.990 / 0.980 |",
        "| 500 | 2 | 4.500 | 4.000 | 12.50 | 25.00 | 0.700 / 0.500 |",
        "| 1000 | 4 | 4.700 | 4.200 | 14.25 | 28.50 | 0.600 / 0.400 |",
    ]
    assert "Lowest validation loss 4.000 at step 500; highest validation BLEU 14.25 at step 1000." in lines


def test_the_epoch_column_is_left_out_when_no_record_has_one():
    lines = training_curve_lines([_record(0, 9.0, 0.0, [0.9]), _record(100, 5.0, 1.0, [0.8])])
    header = next(line for line in lines if line.startswith("| step"))
    assert "epoch" not in header
    assert "| 100 | 5.500 | 5.000 | 1.00 | 2.00 | 0.800 |" in lines


def test_long_curves_are_thinned_but_keep_their_last_point():
    records = [_record(s, 10.0 - s / 1000, 1.0, [0.5]) for s in range(0, 10_001, 100)]  # 101 points
    rows = [line for line in training_curve_lines(records, max_rows=40) if line.startswith("| ") and line[2].isdigit()]
    assert 30 <= len(rows) <= 41
    assert rows[0].startswith("| 0 |") and rows[-1].startswith("| 10000 |")
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


def test_refresh_refuses_a_card_without_scores():
    with pytest.raises(ValueError, match="no '## Scores' section"):
        refresh_card_text("# m\n\n## Training\n", [], [])
