"""Lesson: multi-head attention — split into heads, attend, concatenate, project (§3.2.2)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from app.figures import explorer as explorer_figures
from app.figures import multihead as multihead_figures
from app.i18n import t
from app.lessons import multihead as lesson
from app.services import translations
from app.ui import page_setup
from app.ui.choices import BIND, translated_key
from app.ui.export_panel import ChartShelf
from app.ui.sidebar import current
from core import KIND_NAMES, attention_kind

ctx = current()
style = ctx.display.style
shelf = ChartShelf("multihead", style)  # every chart below is offered for slides at the end of the page
st.title(t("multihead.title"))
st.markdown(t("multihead.intro"))
st.latex(
    r"\mathrm{MultiHead}(Q,K,V) = \mathrm{Concat}(\mathrm{head}_1,\dots,\mathrm{head}_h)\,W^O,\quad "
    r"\mathrm{head}_i = \mathrm{Attention}(QW_i^Q,\,KW_i^K,\,VW_i^V)"
)

ready = page_setup.model_and_sentence(ctx)
if ready is None:
    st.stop()
model, translator, text = ready.model, ready.translator, ready.text
if page_setup.view_unavailable(translator, "trace", model.name):
    st.stop()
cfg = translator.config
res = page_setup.translation(ready, ctx.beam_size)
if res is None:
    st.stop()

col_k, col_l = st.columns([2, 1])
with col_k:
    kind_titles = {k: t(f"kind.{k}") for k in KIND_NAMES}  # not a lambda calling t(): see app.ui.sidebar.display_options
    kind = st.segmented_control(t("multihead.kind"), list(KIND_NAMES), format_func=kind_titles.get,
                                key=translated_key("multihead_kind", "kind.{}".format), bind=BIND, required=True, default="encoder_self") or "encoder_self"
n_layers = cfg.n_encoder_layers if kind == "encoder_self" else cfg.n_decoder_layers
with col_l:
    layer = st.segmented_control(t("explorer.layer"), list(range(1, n_layers + 1)), key="multihead_layer", required=True,
                                 default=n_layers, bind=BIND)  # the last layer: its heads are usually the most specialised
layer_i = min(int(layer or 1), n_layers) - 1
with st.spinner(t("input.running")):
    trace = translations.trace(model, text, kind, layer_i, tuple(res.target_ids))
kind_name = t(f"kind.{kind}")
heads, d_head, d_model = trace.n_heads, trace.d_head, trace.d_model
head_names = [t("explorer.head_n", n=h + 1) for h in range(heads)]
axis_token, axis_dim = t("multihead.token"), t("multihead.dimension")

# ------------------------------------------------------------- 1. split
st.subheader(t("multihead.split_header"))
st.markdown(t("multihead.split_explain", d_model=d_model, h=heads, d_k=d_head, q=len(trace.query_tokens), k=len(trace.key_tokens)))
shelf.chart(lambda s: multihead_figures.vectors_heatmap(
        trace.query_input, trace.query_tokens,
        t("multihead.input_title", kind=kind_name, layer=layer_i + 1, model=model.name, d_model=d_model), s,
        (axis_token, axis_dim),
    ),
    key="multihead_input",
)
if kind == "cross":
    st.caption(t("multihead.cross_memory"))
shelf.chart(lambda s: multihead_figures.projection_grid(
        trace, head_names, ("Q", "K", "V"),
        t("multihead.qkv_title", kind=kind_name, layer=layer_i + 1, model=model.name, d_k=d_head), s,
        (axis_token, axis_dim),
    ),
    key="multihead_qkv",
)

# ------------------------------------------------------------- 2. heads
st.subheader(t("multihead.heads_header"))
st.markdown(t("multihead.heads_explain"))
side_tokenizer = {"source": translator.source_tokenizer, "target": translator.target_tokenizer}
kind_info = attention_kind(kind)
q_special = [side_tokenizer[kind_info.query_side].is_special(i) for i in trace.query_ids]
k_special = [side_tokenizer[kind_info.key_side].is_special(i) for i in trace.key_ids]
hover = (t("axis.query"), t("axis.key"), t("axis.weight"))
shelf.chart(lambda s: explorer_figures.head_grid(trace.weights, trace.query_tokens, trace.key_tokens,
                     t("multihead.grid_title", kind=kind_name, layer=layer_i + 1, model=model.name),
                     head_names, s, columns=min(heads, 4), hover_names=hover),
    key="multihead_grid",
)
habits = lesson.head_habits(trace.weights, k_special, q_special)


def habit_text(habit: lesson.HeadHabit) -> str:
    if habit.habit == "offset":
        key = {-1: "previous", 0: "self_cross" if kind == "cross" else "self", 1: "next"}.get(habit.offset)
        if key:
            return t(f"multihead.habit.{key}")
        return t("multihead.habit.back" if habit.offset < 0 else "multihead.habit.ahead", n=abs(habit.offset))
    return t(f"multihead.habit.{habit.habit}")


table = pd.DataFrame(
    {
        t("explorer.head"): [h.head + 1 for h in habits],
        t("multihead.col_habit"): [habit_text(h) for h in habits],
        # "focused"/"mixed" are supported by the max weight itself: no second copy of that column
        t("multihead.col_share"): [None if h.habit in ("focused", "mixed") else h.share for h in habits],
        t("stats.entropy"): [h.entropy for h in habits],
        t("stats.max_weight"): [h.max_weight for h in habits],
    }
)
st.dataframe(table, hide_index=True, width="stretch",
             column_config={c: st.column_config.NumberColumn(format="%.2f") for c in table.columns[2:]})
st.caption(t("multihead.habit_caption"))
sim = lesson.head_similarity(trace.weights)
off_diagonal = sim[~np.eye(heads, dtype=bool)]
col_sim, col_note = st.columns([1, 1])
with col_sim:
    shelf.chart(lambda s: multihead_figures.head_similarity_heatmap(sim, head_names, t("multihead.similarity_title", kind=kind_name, layer=layer_i + 1),
                                              s, t("multihead.cosine"), t("multihead.similarity_note", model=model.name)),
        key="multihead_similarity",
    )
with col_note:
    st.markdown(t("multihead.similarity_explain", mean=f"{off_diagonal.mean():.2f}" if off_diagonal.size else "—"))

# ------------------------------------------------------------- 3. concat + W^O
st.subheader(t("multihead.concat_header"))
st.markdown(t("multihead.concat_explain", h=heads, d_k=d_head, d_model=d_model))
blocks = lesson.head_slices(d_model, heads)
shelf.chart(lambda s: multihead_figures.vectors_heatmap(
        trace.concat, trace.query_tokens,
        t("multihead.concat_title", kind=kind_name, layer=layer_i + 1, model=model.name), s,
        (axis_token, axis_dim), blocks, head_names,
    ),
    key="multihead_concat",
)
shelf.chart(lambda s: multihead_figures.vectors_heatmap(
        trace.output, trace.query_tokens,
        t("multihead.output_title", kind=kind_name, layer=layer_i + 1, model=model.name), s, (axis_token, axis_dim),
    ),
    key="multihead_output",
)
rebuilt = trace.head_contributions.sum(0) + trace.output_bias
st.markdown(t("multihead.sum_check", error=f"{float(np.abs(rebuilt - trace.output).max()):.1e}"))
shelf.chart(lambda s: multihead_figures.head_share_heatmap(
        lesson.head_output_shares(trace), head_names, trace.query_tokens,
        t("multihead.share_title", kind=kind_name, layer=layer_i + 1, model=model.name), s,
        (t("axis.head"), t("axis.query"), t("multihead.col_share")),
    ),
    key="multihead_shares",
)
st.caption(t("multihead.share_caption"))
