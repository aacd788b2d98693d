"""Lesson: scaled dot-product attention — a soft dictionary, and why divide by √d_k (§3.2.1)."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from app.figures import scaled as scaled_figures
from app.i18n import t
from app.lessons import scaled as lesson
from app.services import translations
from app.ui import page_setup
from app.ui.choices import BIND
from app.ui.export_panel import ChartShelf
from app.ui.sentence import sentence_input
from app.ui.sidebar import current
from core.tokenizer import clean_text

ctx = current()
style = ctx.display.style
shelf = ChartShelf("scaled", style)  # every chart below is offered for slides at the end of the page
st.title(t("scaled.title"))
st.markdown(t("scaled.intro"))
st.latex(r"\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\!\left(\frac{QK^\top}{\sqrt{d_k}}\right) V")

# ------------------------------------------------------- 1. soft dictionary
st.subheader(t("scaled.lookup_header"))
st.markdown(t("scaled.lookup_explain"))
col_a, col_b = st.columns(2)
with col_a:
    angle = st.slider(t("scaled.angle"), 0, 359, 30, step=1, key="scaled_angle", bind=BIND, help=t("scaled.angle_help"))
with col_b:
    length = st.slider(t("scaled.length"), 0.0, 10.0, 2.0, step=0.5, key="scaled_length", bind=BIND, help=t("scaled.length_help"))
lookup = lesson.dictionary_lookup(lesson.query_vector(angle, length))
col_plane, col_bars = st.columns(2)
with col_plane:
    shelf.chart(lambda s: scaled_figures.lookup_plane(lookup, lesson.LOOKUP_NAMES, t("scaled.plane_title"), s, t("scaled.query"),
                                  t("scaled.plane_note")),
        key="scaled_plane",
    )
with col_bars:
    shelf.chart(lambda s: scaled_figures.lookup_bars(lookup, lesson.LOOKUP_NAMES, t("scaled.bars_title"), s, t("axis.weight"),
                                 t("scaled.toy_note")),
        key="scaled_bars",
    )
st.metric(t("scaled.output"), f"{lookup.output:.2f}")
st.markdown(
    t("scaled.lookup_result", output=f"{lookup.output:.2f}", name=lesson.LOOKUP_NAMES[lookup.nearest],
      value=f"{lookup.values[lookup.nearest]:g}", weight=f"{lookup.weights[lookup.nearest]:.0%}")
)

# ------------------------------------------------------------- 2. why √d_k
st.subheader(t("scaled.why_header"))
st.markdown(t("scaled.why_explain"))
d_k = int(st.select_slider(t("scaled.dk"), options=lesson.D_K_CHOICES, value=64, key="scaled_dk", bind=BIND, help=t("scaled.dk_help")))
N_KEYS = 16
stats = translations.scaling_stats(d_k, N_KEYS, 0)
cols = st.columns(4)
cols[0].metric(t("scaled.metric_std"), f"{stats.std_unscaled:.1f} → {stats.std_scaled:.2f}", help=t("scaled.metric_std_help"))
cols[1].metric(t("scaled.metric_max"), f"{stats.max_weight_unscaled:.2f} → {stats.max_weight_scaled:.2f}", help=t("scaled.metric_max_help"))
cols[2].metric(t("scaled.metric_entropy"), f"{stats.entropy_unscaled:.2f} → {stats.entropy_scaled:.2f}", help=t("scaled.metric_entropy_help", n=N_KEYS, max=f"{math.log2(N_KEYS):.0f}"))
cols[3].metric(t("scaled.metric_grad"), f"{stats.gradient_unscaled:.3f} → {stats.gradient_scaled:.3f}", help=t("scaled.metric_grad_help"))
st.caption(t("scaled.metrics_caption", n=N_KEYS))
names = (t("scaled.unscaled"), t("scaled.scaled"))
col_h, col_e = st.columns(2)
with col_h:
    shelf.chart(lambda s: scaled_figures.dot_histograms(stats, names, t("scaled.hist_title", d_k=d_k), s, t("scaled.score_axis"),
                                     t("scaled.random_note")),
        key="scaled_hist",
    )
with col_e:
    shelf.chart(lambda s: scaled_figures.softmax_example(stats, names, t("scaled.example_title", d_k=d_k, n=N_KEYS), s, t("axis.key"),
                                      t("axis.weight"), subtitle=t("scaled.random_note")),
        key="scaled_example",
    )
shelf.chart(lambda s: scaled_figures.scaling_curves(
        translations.scaling_curve(N_KEYS, 0), d_k, names,
        (t("scaled.curve_max"), t("scaled.curve_entropy"), t("scaled.curve_grad")),
        t("scaled.curves_title", n=N_KEYS), s,
    ),
    key="scaled_curves",
)
st.markdown(t("scaled.why_conclusion"))

# ------------------------------------------------------- 3. scoring functions
st.subheader(t("scaled.scoring_header"))
st.markdown(t("scaled.scoring_explain"))
st.latex(
    r"\underbrace{q^\top k}_{\text{dot}} \quad \underbrace{\frac{q^\top k}{\sqrt{d_k}}}_{\text{scaled}} \quad "
    r"\underbrace{q^\top W k}_{\text{general}} \quad \underbrace{v^\top \tanh(W_1 q + W_2 k)}_{\text{additive}}"
)
setup = lesson.scoring_setup(d_k, seed=0)
scores = {f: lesson.score(setup, f) for f in lesson.SCORING_FUNCTIONS}
weights = {f: lesson.softmax(s) for f, s in scores.items()}
function_titles = {f: t(f"scaled.fn.{f}") for f in lesson.SCORING_FUNCTIONS}
shelf.chart(lambda s: scaled_figures.scoring_grid(
        scores, weights, function_titles, t("scaled.scoring_title", d_k=d_k), s,
        (t("scaled.row_scores"), t("scaled.row_weights")), (t("axis.query"), t("axis.key")),
    ),
    key="scaled_scoring",
)
table = pd.DataFrame(
    {
        t("scaled.col_function"): [function_titles[f] for f in lesson.SCORING_FUNCTIONS],
        t("scaled.col_formula"): ["q·k", "q·k / √d_k", "qᵀ W k", "vᵀ tanh(W₁q + W₂k)"],
        t("scaled.col_params"): [lesson.scoring_parameters(f, d_k) for f in lesson.SCORING_FUNCTIONS],
        t("scaled.col_spread"): [float(scores[f].std()) for f in lesson.SCORING_FUNCTIONS],
        t("scaled.col_max"): [float(weights[f].max(-1).mean()) for f in lesson.SCORING_FUNCTIONS],
    }
)
st.dataframe(table, hide_index=True, width="stretch",
             column_config={t("scaled.col_spread"): st.column_config.NumberColumn(format="%.2f"),
                            t("scaled.col_max"): st.column_config.NumberColumn(format="%.2f")})
st.markdown(t("scaled.scoring_conclusion"))

# ----------------------------------------------------- 4. the shipped model
st.subheader(t("scaled.real_header"))
loaded = page_setup.usable_model(ctx, message_if_missing=False)
if loaded is None:
    if ctx.model is None:
        st.info(t("scaled.real_no_model"))
    st.stop()
model, translator = loaded
if page_setup.view_unavailable(translator, "scores", model.name):
    st.stop()
cfg = translator.config
st.markdown(t("scaled.real_explain", d_k=cfg.d_head, sqrt=f"{math.sqrt(cfg.d_head):.1f}"))
text = sentence_input(model)
if not text.strip():
    st.info(t("input.empty"))
    st.stop()
if not clean_text(text):
    st.warning(t("input.nothing_to_translate"))
    st.stop()
page_setup.warn_if_truncated(translator, text)
col_l, col_hd = st.columns([1, 2])
with col_l:
    layer = st.segmented_control(t("explorer.layer"), list(range(1, cfg.n_encoder_layers + 1)), key="scaled_layer", required=True, default=1, bind=BIND)
with col_hd:
    head = st.segmented_control(t("explorer.head"), list(range(1, cfg.n_heads + 1)), key="scaled_head", required=True, default=1, bind=BIND)
layer_i = min(int(layer or 1), cfg.n_encoder_layers) - 1
head_i = min(int(head or 1), cfg.n_heads) - 1
with st.spinner(t("input.running")):
    batch = translations.inspect(model, (text,))
real = lesson.real_scaling(batch.maps.encoder_self_scores[0, layer_i, head_i].double().numpy(), cfg.d_head)
labels = batch.source_tokens[0]
kind = t("kind.encoder_self")
shelf.chart(lambda s: scaled_figures.real_scaling_pair(
        real, labels, labels,
        (t("scaled.real_with"), t("scaled.real_without")),
        t("scaled.real_title", kind=kind, layer=layer_i + 1, head=head_i + 1, model=model.name),
        s, (t("axis.query"), t("axis.key"), t("axis.weight")),
    ),
    key="scaled_real",
)
st.markdown(
    t("scaled.real_result", max_s=f"{real.max_weight_scaled:.2f}", max_u=f"{real.max_weight_unscaled:.2f}",
      ent_s=f"{real.entropy_scaled:.2f}", ent_u=f"{real.entropy_unscaled:.2f}")
)
