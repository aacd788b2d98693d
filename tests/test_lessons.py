"""Unit tests of the lesson computations (app/lessons), Translator.trace_layer and the lesson chart builders."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import torch

from app.app_pages import PAGE_BY_FILE
from app.i18n import TABLES
from app.lessons import architecture, masks, multihead, positional, scaled

LESSON_AREAS = ("masks", "scaled", "positional", "multihead", "architecture")
STRINGS = {key: entry for area in LESSON_AREAS for key, entry in TABLES[area].items()}
from app.figures import architecture as architecture_figures
from app.figures import common as common_figures
from app.figures import masks as masks_figures
from app.figures import multihead as multihead_figures
from app.figures import positional as positional_figures
from app.figures import scaled as scaled_figures
from app.figures.common import Style
from core import LayerTrace
from core.positional import sinusoidal_encoding
from tests.conftest import ROOT, make_model

KINDS = ("encoder_self", "decoder_self", "cross")
LONG = "A man in a blue shirt is riding a bike."
SHORT = "Two dogs."


# ------------------------------------------------------------------ trace_layer
@pytest.fixture(scope="module")
def translation(tiny_translator):
    return tiny_translator.translate(LONG, max_len=12)


@pytest.mark.parametrize("kind", KINDS)
def test_trace_weights_equal_the_translations_attention_maps(tiny_translator, translation, kind):
    cfg = tiny_translator.config
    for layer in range(cfg.n_encoder_layers if kind == "encoder_self" else cfg.n_decoder_layers):
        trace = tiny_translator.trace_layer(LONG, kind, layer, translation.target_ids)
        expected = translation.attention.get(kind)[layer]  # (heads, q, k)
        assert trace.weights.shape == expected.shape
        np.testing.assert_allclose(trace.weights, expected, atol=1e-5)
        assert trace.kind == kind and trace.layer == layer


@pytest.mark.parametrize("kind", KINDS)
def test_trace_opens_the_layer_consistently(tiny_translator, translation, kind):
    cfg = tiny_translator.config
    trace = tiny_translator.trace_layer(LONG, kind, 1, translation.target_ids)
    assert isinstance(trace, LayerTrace)
    q_len, k_len = len(trace.query_tokens), len(trace.key_tokens)
    assert trace.q.shape == (cfg.n_heads, q_len, cfg.d_head)
    assert trace.k.shape == trace.v.shape == (cfg.n_heads, k_len, cfg.d_head)
    assert trace.query_input.shape == (q_len, cfg.d_model) and trace.key_value_input.shape == (k_len, cfg.d_model)
    # Equation 1 from the traced Q, K, V reproduces scores, weights and head outputs.
    np.testing.assert_allclose(trace.q @ trace.k.transpose(0, 2, 1) / math.sqrt(cfg.d_head), trace.scores, atol=1e-4)
    np.testing.assert_allclose(trace.weights @ trace.v, trace.head_outputs, atol=1e-5)
    # Concat puts head h in columns h·d_k … (h+1)·d_k; the output is Concat·W^O + b = Σ contributions + b.
    for h, (a, b) in enumerate(multihead.head_slices(cfg.d_model, cfg.n_heads)):
        np.testing.assert_allclose(trace.concat[:, a:b], trace.head_outputs[h], atol=1e-6)
    np.testing.assert_allclose(trace.head_contributions.sum(0) + trace.output_bias, trace.output, atol=1e-5)
    assert trace.mask.shape == (q_len, k_len)
    if kind == "decoder_self":
        assert not trace.mask[np.triu_indices(q_len, 1)].any()  # look-ahead
        assert (trace.weights[:, ~trace.mask] == 0).all()
    if kind == "cross":
        assert trace.key_tokens == translation.source_tokens and trace.query_tokens == translation.target_tokens
        assert trace.key_ids == translation.source_ids and trace.query_ids == translation.target_ids


def test_trace_uses_the_real_hidden_state(tiny_translator, tiny_model):
    trace = tiny_translator.trace_layer(LONG, "encoder_self", 0)
    ids = torch.tensor([trace.query_ids])
    with torch.no_grad():
        embedded = tiny_model.src_embed(ids) * math.sqrt(tiny_model.cfg.d_model) + tiny_model.positional_encoding[: ids.size(1)]
    np.testing.assert_allclose(trace.query_input, embedded[0].numpy(), atol=1e-5)
    batch = tiny_translator.inspect_batch([LONG])
    later = tiny_translator.trace_layer(LONG, "encoder_self", 1)
    np.testing.assert_allclose(later.scores, batch.maps.encoder_self_scores[0, 1].numpy(), atol=1e-4)


def test_trace_translates_first_when_no_target_is_given(tiny_translator):
    res = tiny_translator.translate(SHORT)
    trace = tiny_translator.trace_layer(SHORT, "cross", 0)
    assert trace.query_ids == res.target_ids
    np.testing.assert_allclose(trace.weights, res.attention.cross[0], atol=1e-5)


def test_trace_stashes_nothing_on_the_modules(tiny_translator, tiny_model):
    before = {name: set(vars(m)) for name, m in tiny_model.named_modules()}
    state = {k: v.clone() for k, v in tiny_model.state_dict().items()}
    tiny_translator.trace_layer(LONG, "cross", 1)
    assert {name: set(vars(m)) for name, m in tiny_model.named_modules()} == before
    assert all(torch.equal(state[k], v) for k, v in tiny_model.state_dict().items())


def test_trace_rejects_bad_requests(tiny_translator):
    with pytest.raises(ValueError, match="kind"):
        tiny_translator.trace_layer(LONG, "sideways", 0)
    with pytest.raises(ValueError, match="layer"):
        tiny_translator.trace_layer(LONG, "encoder_self", 7)
    with pytest.raises(ValueError, match="empty"):
        tiny_translator.trace_layer(" \x00 ", "encoder_self", 0)


# ------------------------------------------------------------------------ masks
@pytest.fixture(scope="module")
def batch(tiny_translator):
    return tiny_translator.inspect_batch([SHORT, LONG], [SHORT, LONG])


def test_sentence_masks_come_from_the_models_masks(batch):
    short = masks.sentence_masks(batch, 0)
    long = masks.sentence_masks(batch, 1)
    assert short.source_pads > 0 and long.source_pads == 0  # the short sentence is padded
    n_src = len(short.source_tokens)
    pads = [i for i, tok in enumerate(short.source_tokens) if tok == "<pad>"]
    assert len(pads) == short.source_pads and pads == list(range(n_src - len(pads), n_src))
    assert not short.padding[:, pads].any() and short.padding[:, : pads[0]].all()  # pad *columns* blocked
    n_tgt = len(short.target_tokens)
    assert np.array_equal(short.look_ahead, np.tril(np.ones((n_tgt, n_tgt), dtype=bool)))
    real = np.array([tok != "<pad>" for tok in short.target_tokens])
    assert np.array_equal(short.decoder, short.look_ahead & real[None, :])  # padding AND look-ahead
    assert short.target_pads == int((~real).sum()) > 0


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("index", [0, 1])
def test_blocked_cells_are_minus_infinity_before_and_exactly_zero_after_softmax(batch, tiny_translator, kind, index):
    d_k = tiny_translator.config.d_head
    for layer in range(2):
        for head in range(tiny_translator.config.n_heads):
            st = masks.mask_stages(batch, kind, index, layer, head, d_k)
            blocked = st.blocked
            assert np.isneginf(st.masked[blocked]).all()
            assert np.isfinite(st.masked[~blocked]).all() and np.array_equal(st.masked[~blocked], st.scaled[~blocked])
            assert (st.weights[blocked] == 0.0).all()  # exactly zero, not merely small
            np.testing.assert_allclose(masks.masked_softmax(st.masked), st.weights, atol=1e-6)
            np.testing.assert_allclose(st.raw, st.scaled * math.sqrt(d_k))
            summary = masks.stage_summary(st)
            assert summary.blocked == int(blocked.sum()) and summary.blocked_are_neg_inf
            assert summary.max_blocked_weight == 0.0 and summary.max_row_error < 1e-5
    if kind == "decoder_self":
        assert masks.stage_summary(masks.mask_stages(batch, kind, index, 0, 0, d_k)).blocked > 0


def test_stage_labels_follow_the_attention_kind(batch):
    enc = masks.mask_stages(batch, "encoder_self", 0, 0, 0, 8)
    cross = masks.mask_stages(batch, "cross", 0, 0, 0, 8)
    dec = masks.mask_stages(batch, "decoder_self", 0, 0, 0, 8)
    assert enc.query_labels == enc.key_labels == batch.source_tokens[0]
    assert cross.query_labels == batch.target_tokens[0] and cross.key_labels == batch.source_tokens[0]
    assert dec.query_labels == dec.key_labels == batch.target_tokens[0]
    with pytest.raises(ValueError):
        masks.mask_stages(batch, "nope", 0, 0, 0, 8)


def test_masked_softmax_handles_fully_blocked_rows():
    scores = np.array([[1.0, -np.inf, 2.0], [-np.inf, -np.inf, -np.inf]])
    w = masks.masked_softmax(scores)
    assert not np.isnan(w).any()
    assert w[0, 1] == 0.0 and math.isclose(w[0].sum(), 1.0) and (w[1] == 0).all()


def test_second_sentence_has_a_different_length():
    length = lambda s: len(s.split())  # noqa: E731
    assert masks.second_sentence("a b c", ["x y z", "a b c d e", "p"], length) == "a b c d e"  # prefers longer
    assert masks.second_sentence("a b c d e f", ["x y", "q", "a b c d e f"], length) == "q"  # else shortest shorter
    assert masks.second_sentence("a b c d", [], length) == "a b"
    assert masks.second_sentence("word", [], len) == "wo"


# ---------------------------------------------------------------- scaled dot
def test_dictionary_lookup_is_a_weighted_mix_of_values():
    look = scaled.dictionary_lookup(scaled.query_vector(0, 1.0))
    assert math.isclose(look.weights.sum(), 1.0)
    assert math.isclose(look.output, float(look.weights @ scaled.LOOKUP_VALUES))
    assert look.nearest == 0
    np.testing.assert_allclose(look.scores, scaled.LOOKUP_KEYS @ look.query / math.sqrt(2))
    blend = scaled.dictionary_lookup(np.zeros(2))
    np.testing.assert_allclose(blend.weights, 0.25)  # no preference: equal weights
    assert math.isclose(blend.output, 25.0)
    sharp = scaled.dictionary_lookup(scaled.query_vector(90, 10.0))  # long query → nearly a hard look-up
    assert sharp.nearest == 1 and sharp.weights[1] > 0.99 and abs(sharp.output - 20.0) < 0.2


def test_unscaled_scores_spread_like_sqrt_dk_and_scaled_ones_like_one():
    for d_k in (4, 64, 1024):
        stats = scaled.scaling_stats(d_k)
        assert abs(stats.std_unscaled / math.sqrt(d_k) - 1) < 0.15
        assert abs(stats.std_scaled - 1) < 0.15


def test_unscaled_softmax_saturates_as_dk_grows_and_scaled_does_not():
    curve = scaled.scaling_curve([1, 4, 16, 64, 256, 1024])
    unscaled_max = [s.max_weight_unscaled for s in curve]
    scaled_max = [s.max_weight_scaled for s in curve]
    assert all(b >= a - 0.02 for a, b in zip(unscaled_max, unscaled_max[1:]))  # rises …
    assert unscaled_max[-1] > 0.9 and unscaled_max[0] < 0.4  # … toward 1
    assert max(scaled_max) - min(scaled_max) < 0.1 and max(scaled_max) < 0.4  # scaled: unchanged
    entropy = [s.entropy_unscaled for s in curve]
    assert all(b <= a + 0.05 for a, b in zip(entropy, entropy[1:])) and entropy[-1] < 0.5
    assert min(s.entropy_scaled for s in curve) > 3.0  # close to log2(16) = 4 bits
    assert curve[-1].gradient_unscaled < 0.3 * curve[-1].gradient_scaled  # the gradient vanishes unscaled
    assert all(abs(s.gradient_scaled - curve[0].gradient_scaled) < 0.05 for s in curve)


def test_softmax_gradient_norm_is_the_jacobians_norm():
    rng = np.random.default_rng(3)
    for scores in (rng.normal(size=6), rng.normal(size=6) * 30, np.array([50.0, 0, 0])):
        p = scaled.softmax(scores)
        jacobian = np.diag(p) - np.outer(p, p)
        assert math.isclose(scaled.softmax_gradient_norm(p), np.linalg.norm(jacobian), rel_tol=1e-9, abs_tol=1e-12)
    assert scaled.softmax_gradient_norm(np.array([1.0, 0.0, 0.0])) == 0.0


def test_four_scoring_functions_on_the_same_vectors():
    setup = scaled.scoring_setup(256, n_queries=3, n_keys=5)
    dot, sc, gen, add = (scaled.score(setup, f) for f in scaled.SCORING_FUNCTIONS)
    assert dot.shape == sc.shape == gen.shape == add.shape == (3, 5)
    np.testing.assert_allclose(sc, dot / 16)
    np.testing.assert_allclose(gen, setup.queries @ setup.w_general @ setup.keys.T)
    assert np.abs(add).max() <= np.abs(setup.v).sum() + 1e-9  # tanh keeps additive scores bounded
    assert dot.std() > 8 * sc.std() and gen.std() > 5 * sc.std()  # dot and general grow with √d_k
    assert [scaled.scoring_parameters(f, 8) for f in scaled.SCORING_FUNCTIONS] == [0, 0, 64, 136]
    with pytest.raises(ValueError):
        scaled.score(setup, "cosine")


def test_real_scaling_removes_the_factor():
    scores = np.array([[0.5, 0.1, -0.3], [0.0, 0.2, 0.4]])
    real = scaled.real_scaling(scores, 16)
    np.testing.assert_allclose(real.weights_scaled, scaled.softmax(scores))
    np.testing.assert_allclose(real.weights_unscaled, scaled.softmax(scores * 4))
    assert real.max_weight_unscaled > real.max_weight_scaled and real.entropy_unscaled < real.entropy_scaled


# ------------------------------------------------------------------ positional
@pytest.mark.parametrize("d_model", [16, 64, 512])
def test_encoding_table_equals_the_papers_formula(d_model):
    table = positional.encoding_table(50, d_model)
    for pos in (0, 1, 7, 49):
        for dim in range(0, d_model, max(1, d_model // 16)):
            expected = (math.sin if dim % 2 == 0 else math.cos)(pos / 10000 ** ((dim - dim % 2) / d_model))
            assert abs(table[pos, dim] - expected) < 1e-6
            assert abs(positional.formula(pos, dim, d_model) - expected) < 1e-12


def test_the_models_own_encoding_is_the_formula(tiny_model):
    cfg = tiny_model.cfg
    np.testing.assert_allclose(
        tiny_model.positional_encoding.numpy(), positional.encoding_table(cfg.max_positions, cfg.d_model), atol=1e-6
    )


def test_similarity_depends_only_on_distance_and_peaks_on_the_diagonal():
    table = positional.encoding_table(40, 64)
    sim = positional.similarity(table)
    np.testing.assert_allclose(np.diag(sim), 32.0)  # d_model / 2
    for k in range(1, 5):
        off = np.diag(sim, k)
        np.testing.assert_allclose(off, off[0], atol=1e-6)  # Toeplitz: only i − j matters
    profile = positional.similarity_profile(table, 20)
    assert int(np.argmax(profile)) == 20 and profile[19] > profile[10] and profile[21] > profile[30]


def test_shift_is_a_linear_map_the_same_for_every_position():
    table = positional.encoding_table(30, 32)
    m = positional.shift_matrix(5, 32)
    np.testing.assert_allclose(table[5:], table[:-5] @ m.T, atol=1e-6)  # the table is float32


def test_dimension_descriptions_and_defaults():
    d = positional.describe_dimension(5, 512)
    assert (d.function, d.pair) == ("cos", 2) and math.isclose(d.wavelength, 2 * math.pi * 10000 ** (4 / 512))
    assert positional.describe_dimension(0, 8).wavelength == pytest.approx(2 * math.pi)
    with pytest.raises(ValueError):
        positional.describe_dimension(8, 8)
    for d_model in positional.D_MODEL_CHOICES:
        dims = positional.default_dimensions(d_model)
        assert dims[:2] == [0, 1] and all(0 <= x < d_model for x in dims) and len(set(dims)) == len(dims)
    assert positional.stride(1000, 240) == 5 and positional.stride(100, 240) == 1
    np.testing.assert_allclose(positional.continuous(np.arange(6), 3, 16), positional.encoding_table(6, 16)[:, 3], atol=1e-6)


def test_sentence_positions_match_the_translation(tiny_translator):
    labels, truncated = positional.sentence_positions(tiny_translator, LONG)
    assert labels == tiny_translator.translate(LONG, max_len=3).source_tokens and not truncated
    labels, truncated = positional.sentence_positions(tiny_translator, "word " * 200)
    assert truncated and len(labels) == tiny_translator.config.max_positions


# ------------------------------------------------------------------- multi-head
def _habits(weights, special_last=False):
    n = weights.shape[-1]
    key_special = [False] * (n - 1) + [special_last]
    return multihead.head_habits(weights, key_special)


def test_head_habits_recognise_textbook_heads():
    n = 6
    eye = np.eye(n)
    previous = np.roll(eye, -1, axis=1)
    previous[0] = eye[0]
    nxt = np.roll(eye, 1, axis=1)
    nxt[-1] = eye[-1]
    reverse = eye[::-1]
    sink = np.zeros((n, n))
    sink[:, -1] = 1.0
    uniform = np.full((n, n), 1 / n)
    habits = _habits(np.stack([eye, previous, nxt, reverse, sink, uniform]), special_last=True)
    assert [(h.habit, h.offset) for h in habits[:4]] == [("offset", 0), ("offset", -1), ("offset", 1), ("reverse", 0)]
    assert habits[4].habit == "special" and habits[5].habit == "broad"
    assert all(0 <= h.share <= 1.0 + 1e-9 for h in habits)


def test_head_output_shares_and_similarity(tiny_translator):
    trace = tiny_translator.trace_layer(LONG, "encoder_self", 0)
    shares = multihead.head_output_shares(trace)
    assert shares.shape == (trace.n_heads, len(trace.query_tokens))
    np.testing.assert_allclose(shares.sum(0), 1.0, atol=1e-6)
    sim = multihead.head_similarity(trace.weights)
    np.testing.assert_allclose(np.diag(sim), 1.0)
    np.testing.assert_allclose(sim, sim.T)
    assert multihead.head_slices(64, 4) == [(0, 16), (16, 32), (32, 48), (48, 64)]


# ---------------------------------------------------------------- architecture
@pytest.mark.parametrize("overrides", [{}, {"tie_output": False}, {"d_ff": 48, "n_decoder_layers": 3}])
def test_formulas_give_exactly_the_real_parameter_counts(overrides):
    model = make_model(50, **overrides)
    real = architecture.parameter_breakdown(model)
    assert sum(real.values()) == sum(p.numel() for p in model.parameters())
    assert architecture.config_breakdown(model.cfg) == real
    assert real["positional_encoding"] == 0
    assert real["output_projection"] == (0 if model.cfg.tie_output else 50 * model.cfg.d_model)


def test_paper_models_match_their_reported_sizes():
    from core.config import PAPER_BASE, PAPER_BIG

    base = sum(architecture.paper_breakdown(PAPER_BASE).values())
    big = sum(architecture.paper_breakdown(PAPER_BIG).values())
    assert abs(base / 1e6 - PAPER_BASE["params_millions"]) < 0.05 * PAPER_BASE["params_millions"]
    assert abs(big / 1e6 - PAPER_BIG["params_millions"]) < 0.02 * PAPER_BIG["params_millions"]
    assert architecture.format_count(63_076_352) == "63.1 M" and architecture.format_count(170_300) == "170.3 K"


def test_hyperparameter_rows(tiny_model):
    rows = {name: rest for name, *rest in architecture.hyperparameters(tiny_model.cfg, 1234)}
    assert rows["d_model"] == ["32", "512", "1024"] and rows["heads"] == ["4", "8", "16"]
    assert rows["d_k"] == ["8", "64", "64"] and rows["parameters"][0] == "1.2 K"
    assert all(shipped == "—" for _, shipped, _, _ in architecture.hyperparameters(None, None))


def test_every_block_links_to_a_real_page_and_view():
    from core import KIND_NAMES as EXPLORER_KINDS

    pages = {p.name for p in (ROOT / "app" / "app_pages").glob("*.py")}
    for block in architecture.ENCODER + architecture.DECODER:
        assert f"architecture.block.{block.key}" in STRINGS and f"architecture.block.{block.key}.explain" in STRINGS
        for link in block.links:
            assert link.page in pages and link.page in PAGE_BY_FILE
            if link.section:
                assert link.page == "explorer.py" and link.section in (*EXPLORER_KINDS, "steps")
    assert [b.key for b in architecture.ENCODER if b.repeated] == ["encoder_self_attention", "add_norm", "feed_forward", "add_norm"]
    assert [b.key for b in architecture.DECODER if b.repeated][::2] == ["masked_self_attention", "cross_attention", "feed_forward"]


# --------------------------------------------------------------------- strings
def test_every_lesson_string_has_english_and_korean_with_the_same_placeholders():
    hangul = re.compile("[\uac00-\ud7a3]")
    for key, entry in STRINGS.items():
        assert entry.get("en") and entry.get("ko"), key
        assert set(re.findall(r"{(\w+)}", entry["en"])) == set(re.findall(r"{(\w+)}", entry["ko"])), key
        if re.search("[A-Za-z]{4,}", re.sub(r"{\w+}", "", entry["en"])) and key not in {"positional.d_model"}:
            assert hangul.search(entry["ko"]) or entry["ko"] == entry["en"], key


def test_lesson_keys_do_not_collide_with_the_shared_strings():
    COMMON = TABLES["common"]

    assert not set(STRINGS) & set(COMMON)


# --------------------------------------------------------------------- charts
def _heatmaps(fig):
    return [tr for tr in fig.data if tr.type == "heatmap"]


def test_mask_diagrams_show_each_mask_with_token_labels(batch):
    sm = [masks.sentence_masks(batch, i) for i in range(2)]
    fig = masks_figures.mask_diagrams([("s1", sm[0]), ("s2 <b>", sm[1])], ("pad", "look", "dec"), "Masks · all layers", Style())
    maps = _heatmaps(fig)
    assert len(maps) == 6
    np.testing.assert_array_equal(np.asarray(maps[0].z), sm[0].padding.astype(float))
    np.testing.assert_array_equal(np.asarray(maps[5].z), sm[1].decoder.astype(float))
    assert set(np.asarray(maps[2].text).ravel()) <= {"✓", "✗"}
    assert fig.layout.yaxis.autorange == "reversed"
    ticks = list(fig.layout.xaxis.ticktext)  # positional axis: one tick per token, escaped
    assert len(ticks) == len(sm[0].source_tokens) and "&lt;pad&gt;" in ticks and "&lt;/s&gt;" in ticks
    assert "s2 &lt;b&gt;" in " ".join(a.text for a in fig.layout.annotations)  # user text is escaped
    assert "may attend" in fig.layout.title.text and "blocked" in fig.layout.title.text


def test_stage_panels_draw_minus_infinity_in_its_own_colour(batch, tiny_translator):
    small = tiny_translator.inspect_batch(["Two dogs.", "A man."], ["Two dogs.", "A man is riding."])
    st = masks.mask_stages(small, "decoder_self", 0, 1, 2, 8)
    assert max(len(st.query_labels), len(st.key_labels)) <= common_figures.MAX_NUMBER_CELLS
    fig = masks_figures.mask_stage_panels(st, ("1", "2", "3", "4"), "Masked decoder self-attention · layer 2 · head 3", Style())
    raw, sc, masked, weights, overlay = _heatmaps(fig)
    blocked = st.blocked
    np.testing.assert_allclose(np.asarray(raw.z, dtype=float), st.raw)
    assert np.isnan(np.asarray(masked.z, dtype=float)[blocked]).all()  # −∞ is not a number on the scale …
    overlay_z = np.asarray(overlay.z, dtype=float)
    assert (overlay_z[blocked] == 1).all() and np.isnan(overlay_z[~blocked]).all()  # … but its own colour
    assert overlay.colorscale[0][1] == common_figures.BLOCKED_COLOR and set(np.asarray(overlay.text)[blocked]) == {"−∞"}
    assert set(np.asarray(weights.text)[blocked]) == {"0"}  # exactly 0 after the softmax
    assert {raw.coloraxis, sc.coloraxis, masked.coloraxis, weights.coloraxis} == {"coloraxis", "coloraxis2", "coloraxis3", "coloraxis4"}
    assert "layer 2" in fig.layout.title.text and "head 3" in fig.layout.title.text
    long = masks.mask_stages(batch, "encoder_self", 1, 0, 0, 8)
    quiet = masks_figures.mask_stage_panels(long, ("1", "2", "3", "4"), "t", Style(), show_numbers=False)
    assert _heatmaps(quiet)[0].text is None


def test_scaled_charts(tmp_path):
    stats = scaled.scaling_stats(64)
    hist = scaled_figures.dot_histograms(stats, ("u", "s"), "Spread", Style(), subtitle="random vectors")
    assert len(hist.data) == 2 and "random vectors" in hist.layout.title.text
    assert np.std(hist.data[0].x) > 6 * np.std(hist.data[1].x)
    curve = scaled.scaling_curve([1, 64, 1024])
    fig = scaled_figures.scaling_curves(curve, 64, ("u", "s"), ("a", "b", "c"), "Curves", Style())
    assert len(fig.data) == 6 and fig.layout.xaxis.type == "log"
    setup = scaled.scoring_setup(8)
    scores = {f: scaled.score(setup, f) for f in scaled.SCORING_FUNCTIONS}
    grid = scaled_figures.scoring_grid(scores, {f: scaled.softmax(s) for f, s in scores.items()}, {f: f for f in scores}, "Scoring", Style())
    assert len(_heatmaps(grid)) == 8
    look = scaled.dictionary_lookup(scaled.query_vector(45, 2))
    assert len(scaled_figures.lookup_bars(look, scaled.LOOKUP_NAMES, "b", Style()).data[0].y) == 4
    assert scaled_figures.lookup_plane(look, scaled.LOOKUP_NAMES, "p", Style()).data[1].marker.size is not None


def test_positional_charts_thin_large_tables_and_keep_true_indices():
    table = positional.encoding_table(1024, 1024)
    fig = positional_figures.pe_heatmap(table, "PE", Style(), max_cells=240)
    z = np.asarray(fig.data[0].z)
    assert z.shape[0] <= 240 and z.shape[1] <= 240
    cols = list(fig.data[0].x)
    assert cols[:4] == [0, 1, 10, 11] and fig.layout.yaxis.autorange == "reversed"  # whole sine/cosine pairs
    assert all(c % 2 == 0 and c + 1 in cols for c in cols[::2])


def test_positional_heatmap_of_a_256_wide_model_keeps_cosines_so_position_0_is_not_blank():
    """The d_model 256 models were thinned to even (sine) dimensions only: row 0 (sin 0 = 0) looked empty."""
    table = positional.encoding_table(20, 256)
    fig = positional_figures.pe_heatmap(table, "PE", Style(), max_cells=240)
    z = np.asarray(fig.data[0].z)
    cols = list(fig.data[0].x)
    assert any(c % 2 == 1 for c in cols)  # cosine dimensions are shown
    np.testing.assert_allclose(np.linalg.norm(z[0]) ** 2 / len(cols) * 2, 1.0, atol=0.05)  # row 0 is not blank
    curves = positional_figures.pe_curves(table[:64], [0, 1, 64], ["a", "b", "c"], "PE curves", Style())
    assert len(curves.data) == 6  # a continuous wave and the whole-position markers per dimension
    np.testing.assert_allclose(np.asarray(curves.data[1].y), table[:64, 0])
    tokens = positional_figures.pe_heatmap(table[:3, :16], "PE", Style(), row_labels=["<b>", "$x$", "</s>"])
    assert list(tokens.layout.yaxis.ticktext) == ["&lt;b&gt;", "\u200b$x$", "&lt;/s&gt;"]
    sim = positional_figures.pe_similarity(positional.similarity(table[:600, :64]), "Sim", Style())
    assert np.asarray(sim.data[0].z).shape[0] <= 256


def test_multihead_charts(tiny_translator):
    trace = tiny_translator.trace_layer(LONG, "cross", 1)
    heads = [f"head {h + 1}" for h in range(trace.n_heads)]
    grid = multihead_figures.projection_grid(trace, heads, ("Q", "K", "V"), "Encoder–decoder attention · layer 2 · each head", Style())
    maps = _heatmaps(grid)
    assert len(maps) == 3 * trace.n_heads
    np.testing.assert_allclose(np.asarray(maps[0].z), trace.q[0], atol=1e-6)
    np.testing.assert_allclose(np.asarray(maps[5].z), trace.v[1], atol=1e-6)
    concat = multihead_figures.vectors_heatmap(trace.concat, trace.query_tokens, "Concat", Style(),
                                           blocks=multihead.head_slices(trace.d_model, trace.n_heads), block_names=heads)
    assert len([s for s in concat.layout.shapes]) == trace.n_heads - 1  # separators between head blocks
    shares = multihead_figures.head_share_heatmap(multihead.head_output_shares(trace), heads, trace.query_tokens, "Shares", Style())
    np.testing.assert_allclose(np.asarray(shares.data[0].z).sum(0), 1.0, atol=1e-6)


def test_parameter_share_bars_are_fractions(tiny_model):
    real = architecture.parameter_breakdown(tiny_model)
    fig = architecture_figures.parameter_shares({"tiny": real}, {c: c for c in architecture.COMPONENTS}, "Params", Style())
    assert math.isclose(sum(bar.x[0] for bar in fig.data), 1.0)
    assert all(bar.customdata[0] == real[bar.name] for bar in fig.data)
    assert "positional_encoding" not in {bar.name for bar in fig.data}  # zero components are left out


def test_titles_are_escaped_and_can_have_a_second_line():
    assert common_figures.title_text("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"
    two = common_figures.title_text("Title", "note <i>")
    assert two.startswith("Title<br>") and "note &lt;i&gt;" in two
    assert common_figures.legend_line([("<pad>", "#000")]).endswith("&lt;pad&gt;")


def test_sinusoidal_encoding_is_shared_with_core():
    np.testing.assert_allclose(positional.encoding_table(10, 8), sinusoidal_encoding(10, 8).numpy(), atol=1e-7)
