"""Before the Transformer: RNN seq2seq, the context-vector bottleneck, Bahdanau attention, Table 1.

Three models trained on the same Multi30k data with the same tokenizer
(``configs/multi30k-en-de-rnn.toml``, ``…-bahdanau.toml``, ``multi30k-en-de.toml``):

1. the user's sentence through all three, and where each decoder looks —
   Bahdanau's alignment next to the Transformer's encoder–decoder attention on
   the same rows and columns; what the bottleneck's one vector is;
2. the bottleneck measured: BLEU by source length (shipped table,
   ``python -m core.seq2seq.length_buckets``);
3. the paper's Table 1 for the n, d, k, r the student picks, and one encoder
   pass timed on this CPU (sequential steps against one parallel step);
4. the scoring functions, linked to the √d_k lesson.

Computations: ``app.lessons.seq2seq`` and ``core.seq2seq``; figures:
``app.figures.seq2seq``; strings: ``app/i18n/seq2seq.toml``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from app.figures import seq2seq as figures
from app.figures.explorer import attention_heatmap
from app.figures.common import map_panels
from app.i18n import t
from app.lessons import seq2seq as lesson
from app.lessons.explorer_view import row_labels
from app.services import models
from app.services import seq2seq as services
from app.services.translations import get_translation
from app.ui.choices import BIND, note_invalid_link_value
from app.ui.export_panel import ChartShelf
from app.ui.page_setup import warn_if_truncated
from app.ui.sentence import sentence_input
from app.ui.sidebar import current
from core import NothingToTranslate
from core.tokenizer import clean_text

ctx = current()
style = ctx.display.style
shelf = ChartShelf("seq2seq", style)
st.title(t("seq2seq.title"))
st.markdown(t("seq2seq.intro"))

MODEL_KEYS = ("rnn", "bahdanau", "transformer")
model_names = {k: t(f"seq2seq.model.{k}") for k in MODEL_KEYS}

transformer = services.transformer_entry(ctx.models)
transformer_error = t("seq2seq.no_transformer") if transformer is None else models.model_error(transformer)
rnn_errors = {kind: services.rnn_error(kind) for kind in services.RNN_MODELS}
ready = transformer_error is None and not any(rnn_errors.values())
for message in [transformer_error, *rnn_errors.values()]:
    if message:
        st.error(t("seq2seq.model_missing", error=message))


def card_bleu(metadata: dict, test: str = "test_2016_flickr", decoding: str = "greedy") -> float | None:
    """A model card's BLEU on ``test`` with ``decoding`` (from ``config.json``'s metadata)."""
    row = next((r for r in metadata.get("bleu", []) if r.get("test") == test and r.get("decoding") == decoding), None)
    return None if row is None else float(row["bleu"])


# ------------------------------------------------------------ 1. one sentence, three models
def draw_sentence() -> None:
    st.header(t("seq2seq.sentence_header"))
    if transformer is not None and ctx.model is not None and ctx.model.name != transformer.name:
        st.info(t("seq2seq.uses_en_de", model=ctx.model.name, transformer=transformer.name))
    text = sentence_input(transformer)
    if not text.strip():
        st.info(t("input.empty"))
        return
    if not clean_text(text):
        st.warning(t("input.nothing_to_translate"))
        return
    translator = models.get_translator(transformer)
    warn_if_truncated(translator, text)
    beam = ctx.beam_size
    try:
        with st.spinner(t("input.running")):
            tr_result = get_translation(transformer, text, beam)
            rnn_results = {kind: services.rnn_translation(kind, text, beam) for kind in services.RNN_MODELS}
            axes = services.same_axes(transformer, text, beam)
    except NothingToTranslate:
        st.warning(t("input.nothing_to_translate"))
        return

    decoding = t("seq2seq.greedy") if beam == 1 else t("seq2seq.beam", k=beam)
    st.markdown(t("seq2seq.translations_explain", decoding=decoding))
    metas = {"rnn": services.rnn_translator("rnn").info.metadata, "bahdanau": services.rnn_translator("bahdanau").info.metadata,
             "transformer": translator.info.metadata}
    outputs = {"rnn": rnn_results["rnn"].text, "bahdanau": rnn_results["bahdanau"].text, "transformer": tr_result.text}
    for col, key in zip(st.columns(3), MODEL_KEYS):
        with col:
            with st.container(border=True):
                st.markdown(f"**{model_names[key]}**")
                st.markdown(outputs[key] or "∅")
                bleu = card_bleu(metas[key])
                if bleu is not None:
                    st.caption(t("seq2seq.card_bleu", bleu=f"{bleu:.1f}"))

    # Where each decoder looks, on one grid
    st.subheader(t("seq2seq.alignment_header"))
    st.markdown(t("seq2seq.alignment_explain"))
    rows = row_labels(axes.target_tokens, axes.output_tokens)
    layer, head = axes.best
    n_layers = axes.transformer.shape[0]
    best_map = axes.transformer[layer, head]
    mean_agreement = lesson.argmax_agreement(axes.transformer_mean, axes.bahdanau)
    titles = [t("seq2seq.panel_bahdanau"), t("seq2seq.panel_mean", layer=n_layers),
              t("seq2seq.panel_best", layer=layer + 1, head=head + 1)]
    shelf.chart(lambda s: map_panels(
        [axes.bahdanau, axes.transformer_mean, best_map], [rows] * 3, [axes.source_tokens] * 3, titles,
        t("seq2seq.alignment_title", text=text[:60]), s,
        (t("axis.target_query.both"), t("axis.source_key"), t("axis.weight")), columns=3,
        subtitle=t("seq2seq.alignment_subtitle")), key="seq2seq_alignment")
    st.markdown(t("seq2seq.alignment_reading", layer=layer + 1, head=head + 1,
                  best=f"{100 * axes.agreement[layer, head]:.0f}", mean=f"{100 * mean_agreement:.0f}",
                  last=n_layers) + " "
                + t("seq2seq.alignment_agree" if axes.agreement[layer, head] >= 0.5 else "seq2seq.alignment_differ"))
    own = rnn_results["bahdanau"]
    with st.expander(t("seq2seq.own_header")):
        shelf.chart(lambda s: attention_heatmap(
            own.alignment, row_labels(own.target_tokens, own.output_tokens), own.source_tokens,
            t("seq2seq.own_title", output=own.text[:60]), s, t("axis.target_query.both"), t("axis.source_key"), zmax=1.0,
            hover_names=(t("axis.query"), t("axis.key"), t("axis.weight"))), key="seq2seq_own_alignment")

    # The bottleneck's one vector
    st.subheader(t("seq2seq.vector_header"))
    rnn = services.rnn_translator("rnn")
    n = len(axes.source_tokens)
    numbers = lesson.readable_numbers(n, rnn.config.hidden, translator.config.d_model)
    st.markdown(t("seq2seq.vector_explain", n=n, c=rnn.config.hidden, bahdanau=f"{numbers['bahdanau']:,}",
                  transformer=f"{numbers['transformer']:,}", d_model=translator.config.d_model,
                  annotation=2 * rnn.config.hidden))
    vector = rnn.summary_vector(text)
    col_v, col_n = st.columns(2)
    with col_v:
        shelf.chart(lambda s: figures.context_vector(
            vector, t("seq2seq.vector_title", c=rnn.config.hidden), s, hover=(t("seq2seq.vector_number"), t("seq2seq.vector_value")),
            subtitle=t("seq2seq.vector_subtitle", text=text[:50], n=n)), key="seq2seq_vector")
    with col_n:
        longest = max(60, n)
        lengths = list(range(1, longest + 1))
        per_length = [lesson.readable_numbers(m, rnn.config.hidden, translator.config.d_model) for m in lengths]
        series = {k: (model_names[k], [p[k] for p in per_length]) for k in MODEL_KEYS}
        shelf.chart(lambda s: figures.readable_numbers(
            lengths, series, n, t("seq2seq.numbers_title"), s, (t("seq2seq.axis_source_length"), t("seq2seq.axis_numbers")),
            subtitle=t("seq2seq.numbers_subtitle", n=n)), key="seq2seq_numbers")


# ------------------------------------------------------------ 2. the bottleneck measured
def draw_buckets() -> None:
    st.header(t("seq2seq.buckets_header"))
    result = services.bucket_result()
    if result is None:
        st.warning(t("seq2seq.buckets_missing"))
        return
    st.markdown(t("seq2seq.buckets_explain", sets=", ".join(result["test_sets"])))
    choices = [*result["test_sets"], "pooled"]
    # Button labels are the same in both languages (the URL holds the label, so a link works in either).
    buttons = {c: (" + ".join(result["test_sets"]) if c == "pooled" else c) for c in choices}
    set_labels = {**buttons, "pooled": t("seq2seq.buckets_pooled")}
    note_invalid_link_value("s2s_test", list(buttons.values()))
    chosen = st.segmented_control(t("seq2seq.buckets_set"), choices, format_func=buttons.get, default=choices[0],
                                  required=True, key="s2s_test", bind=BIND) or choices[0]
    everything = result["pooled"] if chosen == "pooled" else result["tables"][chosen]
    buckets, dropped = lesson.reliable_buckets(everything)
    names = {"multi30k-en-de-rnn": "rnn", "multi30k-en-de-bahdanau": "bahdanau", "multi30k-en-de": "transformer"}
    lines = {name: (key, model_names[key]) for name, key in names.items() if name in result["models"]}
    shelf.chart(lambda s: figures.bleu_by_length(
        buckets, lines, t("seq2seq.buckets_title", set=set_labels[chosen]), s,
        (t("seq2seq.axis_source_words"), "BLEU", t("seq2seq.axis_relative")),
        (t("seq2seq.panel_absolute"), t("seq2seq.panel_relative")), t("seq2seq.buckets_sentences"),
        subtitle=t("seq2seq.buckets_subtitle")), key="seq2seq_buckets")
    if dropped:
        st.caption(t("seq2seq.buckets_dropped", buckets=", ".join(f"{b['label']} ({b['sentences']})" for b in dropped),
                     n=lesson.MIN_BUCKET_SENTENCES))
    if len(buckets) >= 3:
        reading = lesson.length_reading(buckets, {name: key for name, (key, _) in lines.items()})
        st.markdown(t("seq2seq.buckets_reading", **reading.values))
        if reading.bottleneck_first:
            st.markdown(t("seq2seq.buckets_bottleneck", **reading.values))
        if reading.all_fall_last:
            st.markdown(t("seq2seq.buckets_all_fall", **reading.values))
    table = pd.DataFrame(
        [{t("seq2seq.axis_source_words"): b["label"], t("seq2seq.col_sentences"): b["sentences"],
          **{model_names[key]: b["bleu"][name] for name, (key, _) in lines.items()}} for b in everything])
    st.dataframe(table, hide_index=True)
    st.caption(t("seq2seq.buckets_how"))


# ------------------------------------------------------------ 3. Table 1
def draw_table_one() -> None:
    st.header(t("seq2seq.table_header"))
    st.markdown(t("seq2seq.table_explain"))
    col_n, col_d, col_k, col_r = st.columns(4)
    with col_n:
        n = int(st.slider(t("seq2seq.n"), 1, 1024, 32, key="s2s_n", bind=BIND, help=t("seq2seq.n_help")))
    with col_d:
        d = int(st.select_slider(t("seq2seq.d"), options=[2**i for i in range(4, 13)], value=512, key="s2s_d", bind=BIND,
                                 help=t("seq2seq.d_help")))
    with col_k:
        k = int(st.slider(t("seq2seq.k"), 2, 9, 3, key="s2s_k", bind=BIND, help=t("seq2seq.k_help")))
    with col_r:
        r = int(st.slider(t("seq2seq.r"), 1, 256, 16, key="s2s_r", bind=BIND, help=t("seq2seq.r_help")))
    rows = lesson.table_one(n, d, k, r)
    st.dataframe(pd.DataFrame([{
        t("seq2seq.col_layer"): t(f"seq2seq.layer.{row.layer}"),
        t("seq2seq.col_complexity"): row.complexity, t("seq2seq.col_operations"): f"{row.operations:,.0f}",
        t("seq2seq.col_sequential"): row.sequential, t("seq2seq.col_steps"): row.sequential_steps,
        t("seq2seq.col_path"): row.path, t("seq2seq.col_path_value"): row.path_length,
    } for row in rows]), hide_index=True)
    attention, recurrent = rows[0].operations, rows[1].operations
    key = "seq2seq.table_cheaper" if n < d else "seq2seq.table_dearer"
    st.markdown(t(key, n=n, d=d, ratio=f"{attention / recurrent:.2g}"))
    lengths = np.unique(np.geomspace(1, max(1024, n), 200).astype(int))
    ops = lesson.operations_by_length(lengths, d, k, r)
    series = {name: (t(f"seq2seq.layer.{name}"), values) for name, values in ops.items()}
    shelf.chart(lambda s: figures.operations_by_length(
        lengths, series, n, t("seq2seq.ops_title", d=d, k=k, r=r), s, ("n", t("seq2seq.axis_operations")),
        subtitle=t("seq2seq.ops_subtitle")), key="seq2seq_operations")

    st.subheader(t("seq2seq.time_header"))
    if not ready:
        st.info(t("seq2seq.time_needs_models"))
        return
    with st.spinner(t("seq2seq.time_running")):
        times = services.encoder_times(transformer)
    series = {"bahdanau": (t("seq2seq.time_gru"), times.rnn_ms),
              "transformer": (t("seq2seq.time_transformer", layers=times.transformer_sequential_steps), times.transformer_ms)}
    shelf.chart(lambda s: figures.encoder_wall_time(
        times.lengths, series, t("seq2seq.time_title", threads=times.threads), s,
        (t("seq2seq.axis_source_length"), t("seq2seq.axis_ms")), subtitle=t("seq2seq.time_subtitle")), key="seq2seq_time")
    st.markdown(t("seq2seq.time_reading", n=times.lengths[-1], gru=f"{times.rnn_ms[-1]:.1f}",
                  tr=f"{times.transformer_ms[-1]:.1f}", layers=times.transformer_sequential_steps,
                  gru_short=f"{times.rnn_ms[0]:.1f}", tr_short=f"{times.transformer_ms[0]:.1f}", short=times.lengths[0]))


# ------------------------------------------------------------ 4. scoring functions
def draw_scoring() -> None:
    st.header(t("seq2seq.scoring_header"))
    st.latex(r"\underbrace{s^\top h}_{\text{dot (Luong)}} \quad \underbrace{s^\top W h}_{\text{general (Luong)}} \quad "
             r"\underbrace{v_a^\top \tanh(W_a s + U_a h)}_{\text{additive (Bahdanau)}} \quad "
             r"\underbrace{\frac{q^\top k}{\sqrt{d_k}}}_{\text{scaled dot (Vaswani)}}")
    if ready:
        attention = services.rnn_translator("bahdanau").model.attention
        st.markdown(t("seq2seq.scoring_ours", state=attention.query.in_features, annotation=attention.key.in_features,
                      width=attention.query.out_features,
                      params=f"{sum(p.numel() for p in attention.parameters()):,}"))
    st.markdown(t("seq2seq.scoring_explain"))
    st.page_link("app_pages/scaled_attention.py", label=t("seq2seq.link_scaled"), icon=":material/functions:")


if ready:
    draw_sentence()
draw_buckets()
draw_table_one()
draw_scoring()
