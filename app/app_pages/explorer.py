"""The attention explorer: every head, every layer, every generation step."""

from __future__ import annotations

import functools
import html
import math

import streamlit as st

from app.export import names as export_names
from app.figures import common as common_figures
from app.figures import explorer as explorer_figures
from app.figures.common import ReadyFigure
from app.i18n import t
from app.lessons.explorer_view import (
    WINDOW,
    attention_view,
    decoder_row_labels,
    piece_spans,
    window_view,
    with_average,
)
from app.ui import page_setup, share
from app.ui.choices import BIND, layer_and_head, translated_key
from app.ui.export_panel import ExportItem, data_downloads, export_panel
from app.ui.sentence import pieces_legend, token_chips
from app.ui.sidebar import current
from core import KIND_NAMES
from core.analysis import cross_rollout, head_statistics, rollout

ctx = current()
style = ctx.display.style
st.title(t("explorer.title"))
st.caption(t("explorer.intro"))

ready = page_setup.model_and_sentence(ctx)
res = page_setup.translation(ready, ctx.beam_size) if ready else None
if res is None:
    st.stop()
model, translator = ready.model, ready.translator
cfg = translator.config
if not res.finished:
    st.caption(t("explorer.unfinished", n=len(res.output_ids)))

st.html(
    f'<div style="font-size:1.45rem;font-weight:600;margin:0.2rem 0 0.4rem 0" lang="{html.escape(model.target_language)}">'
    f"{html.escape(res.text) or '&nbsp;'}</div>"
)
token_chips(res.source_tokens, res.source_special, t("explorer.source_tokens"), legend=False)
token_chips(res.output_tokens, res.output_special, t("explorer.output_tokens"), legend=False)
pieces_legend(res.source_tokens + res.output_tokens)
data_downloads(res)

opts = ctx.display
decoding = t("export.decoding_greedy") if res.beam_size == 1 else t("export.decoding_beam", beam=res.beam_size)
source_line = t("export.caption_source", model=model.name, decoding=decoding)
hover = (t("axis.query"), t("axis.key"), t("axis.weight"))
kind_titles = {k: t(f"kind.{k}") for k in KIND_NAMES}
axis_names = {
    "encoder_self": (t("axis.source_query"), t("axis.source_key")),
    "decoder_self": (t(f"axis.target_query.{ctx.display.row_labels}"), t("axis.target_key")),
    "cross": (t(f"axis.target_query.{ctx.display.row_labels}"), t("axis.source_key")),
}
SECTIONS = [*KIND_NAMES, "steps", "stats", "rollout"]
SECTION_KEYS = {**{k: f"kind.{k}" for k in KIND_NAMES}, "steps": "steps.tab", "stats": "stats.tab", "rollout": "rollout.tab"}
section_titles = {k: t(key) for k, key in SECTION_KEYS.items()}
sentence = res.source_text if len(res.source_text) <= 40 else res.source_text[:40] + "…"


def long_input_window(view):
    """For a long sentence, the part of the map that can be drawn legibly, with sliders to move it."""
    n_q, n_k = len(view.query_labels), len(view.key_labels)
    if max(n_q, n_k) <= WINDOW:
        return view
    col_r, col_c = st.columns(2)
    row_start = col_start = 1
    with col_r:
        if n_q > WINDOW:
            row_start = st.slider(t("window.rows"), 1, n_q - WINDOW + 1, 1, key="rows_from", bind=BIND)
    with col_c:
        if n_k > WINDOW:
            col_start = st.slider(t("window.cols"), 1, n_k - WINDOW + 1, 1, key="cols_from", bind=BIND)
    view, window = window_view(view, row_start - 1, col_start - 1)
    st.info(t("window.note", r0=window.row_start + 1, r1=window.row_start + window.rows, n_rows=window.n_rows,
              c0=window.col_start + 1, c1=window.col_start + window.cols, n_cols=window.n_cols, size=WINDOW),
            icon=":material/crop:")
    return view


def draw_kind(kind: str) -> None:
    view = attention_view(res, kind, opts.merge_words, opts.hide_special, opts.row_labels)
    n_layers, n_heads = view.weights.shape[:2]
    q_axis, k_axis = axis_names[kind]
    st.caption(t(f"kind.{kind}.explain"))
    if opts.hide_special:
        st.caption(t("display.hidden_note"))
    layer, head = layer_and_head(n_layers, n_heads)
    view = long_input_window(view)
    panels = with_average(view.weights[layer])
    head_titles = [t("explorer.head_n", n=h + 1) for h in range(n_heads)] + [t("explorer.average")]
    grid_title = t("chart.grid_title", kind=kind_titles[kind], layer=layer + 1, model=model.name)
    # Re-drawn on every click: handed to Streamlit as ready JSON (ReadyFigure), not as go.Figure objects
    st.plotly_chart(
        ReadyFigure(explorer_figures.head_grid_spec(panels, view.query_labels, view.key_labels, grid_title, head_titles, style,
                                                    hover_names=hover)),
        key=f"grid_{kind}",
        config=export_names.toolbar_config(kind, layer + 1, "all-heads", res.source_text),
    )
    weights = panels[-1] if head is None else view.weights[layer, head]
    head_name = t("explorer.average") if head is None else t("explorer.head_n", n=head + 1)
    title = t("chart.title", kind=kind_titles[kind], layer=layer + 1, head=head_name, model=model.name, sentence=sentence)
    st.plotly_chart(
        ReadyFigure(explorer_figures.attention_heatmap_spec(weights, view.query_labels, view.key_labels, title, style, q_axis, k_axis,
                                                            hover_names=hover)),
        key=f"large_{kind}",
        config=export_names.toolbar_config(kind, layer + 1, "avg" if head is None else head + 1, res.source_text),
    )
    kind_export_panel(kind, view, layer, head, title, grid_title, head_titles)
    # The overview is the costliest figure of the page (layers × heads heatmaps,
    # ~60 % of a re-draw's time and 250 kB per run for the en-de model): it is
    # built only while its expander is open (a stateful expander reruns on
    # open), not on every switch of layer, head or tab.
    overview_box = st.expander(t("explorer.overview"), expanded=False, key=f"overview_open_{kind}", on_change="rerun")
    if not overview_box.open:
        return
    with overview_box:
        st.caption(t("explorer.overview_help"))
        overview = explorer_figures.layers_heads_overview(
            view.weights,
            t("chart.overview_title", kind=kind_titles[kind], model=model.name),
            [t("explorer.layer_n", n=i + 1) for i in range(n_layers)],
            [t("explorer.head_n", n=h + 1) for h in range(n_heads)],
            view.query_labels,
            view.key_labels,
            style,
            hover_names=hover,
            click_label=t("explorer.open_large"),
        )
        st.plotly_chart(
            overview, key=f"overview_{kind}", on_select=functools.partial(open_clicked_thumbnail, f"overview_{kind}"),
            selection_mode="points", config=export_names.toolbar_config(kind, extra="overview", sentence=res.source_text),
        )


def open_clicked_thumbnail(chart_key: str) -> None:
    """Selection callback of the overview: the clicked thumbnail becomes the selected layer and head.

    It runs before the next rerun draws the selectors, so it may set their state.
    """
    event = st.session_state.get(chart_key) or {}
    points = (event.get("selection") or {}).get("points") or []
    chosen = points[0].get("customdata") if points else None  # [layer, head], 1-based
    if chosen:
        st.session_state["layer"], st.session_state["head"] = int(chosen[0]), int(chosen[1])
        st.session_state["avg_heads"] = False


def kind_export_panel(kind, view, layer: int, head: int | None, title: str, grid_title: str, head_titles: list[str]) -> None:
    """Export for slides: this figure, the head grid, the overview, or each head of the layer (ZIP)."""
    n_layers, n_heads = view.weights.shape[:2]
    q_axis, k_axis = axis_names[kind]
    q_labels, k_labels = view.query_labels, view.key_labels
    panels = with_average(view.weights[layer])
    weights = panels[-1] if head is None else view.weights[layer, head]
    columns = len(panels) if len(panels) <= 5 else math.ceil(len(panels) / 2)  # one or two rows on a slide
    overview_title = t("chart.overview_title", kind=kind_titles[kind], model=model.name)
    layer_names = [t("explorer.layer_n", n=i + 1) for i in range(n_layers)]
    head_names = [t("explorer.head_n", n=h + 1) for h in range(n_heads)]

    caption = export_names.default_caption(q_axis, k_axis, source_line)  # how to read it; the title says the rest

    def each_head(s: common_figures.Style) -> list:
        return [
            (
                export_names.file_stem(kind, layer + 1, h + 1, res.source_text),
                explorer_figures.attention_heatmap(
                    view.weights[layer, h], q_labels, k_labels,
                    t("chart.title", kind=kind_titles[kind], layer=layer + 1, head=head_names[h], model=model.name, sentence=sentence),
                    s, q_axis, k_axis, hover_names=hover,
                ),
            )
            for h in range(n_heads)
        ]

    export_panel(
        [
            ExportItem.current(
                lambda s: explorer_figures.attention_heatmap(weights, q_labels, k_labels, title, s, q_axis, k_axis, hover_names=hover),
                export_names.file_stem(kind, layer + 1, "avg" if head is None else head + 1, res.source_text),
                caption,
            ),
            ExportItem.grid(
                lambda s: explorer_figures.head_grid(panels, q_labels, k_labels, grid_title, head_titles, s, columns=columns, hover_names=hover),
                export_names.file_stem(kind, layer + 1, "all-heads", res.source_text),
                caption,
            ),
            ExportItem.overview(
                lambda s: explorer_figures.layers_heads_overview(view.weights, overview_title, layer_names, head_names, q_labels, k_labels, s, hover_names=hover),
                export_names.file_stem(kind, extra="overview", sentence=res.source_text),
                caption,
            ),
            ExportItem.heads(each_head, export_names.file_stem(kind, layer + 1, "each-head", res.source_text), caption),
        ],
        style=style,
    )


def draw_steps() -> None:
    st.caption(t("steps.explain"))
    n = len(res.steps)
    if not isinstance(st.session_state.get("step"), int) or not 1 <= st.session_state["step"] <= n:
        st.session_state["step"] = 1  # a longer translation's step, or none yet
    step = st.slider(t("steps.slider"), 1, n, key="step", bind=BIND) if n > 1 else 1
    s = res.steps[min(step, n) - 1]
    prefix = res.target_tokens[: s.index + 1]
    st.markdown(t("steps.chosen", step=s.index + 1, p=f"{s.probability:.1%}"))
    token_chips(prefix + [s.token], res.target_special[: s.index + 1] + [res.output_special[s.index]], t("steps.prefix"), legend=False)
    col_a, col_b = st.columns([1, 2])
    # the chosen bar, found by id: a byte-level tokenizer may label a piece differently alone
    chosen = s.top_tokens[s.top_ids.index(s.token_id)] if s.token_id in s.top_ids else s.token
    with col_a:
        st.plotly_chart(
            explorer_figures.probability_bars(s.top_tokens, s.top_probs, chosen, t("steps.top5", step=s.index + 1), style, t("axis.probability")),
            key="top5",
            config=export_names.toolbar_config("next-token", extra=f"step{s.index + 1}", sentence=res.source_text),
        )
    with col_b:
        layer = (st.segmented_control(t("explorer.layer"), list(range(1, cfg.n_decoder_layers + 1)), key="step_layer", required=True, default=cfg.n_decoder_layers, bind=BIND) or 1) - 1
        head_rows = [t("explorer.head_n", n=h + 1) for h in range(cfg.n_heads)] + [t("explorer.average")]
        cross_rows = with_average(s.cross_attention[layer][:, None, :])[:, 0, :]
        st.plotly_chart(
            explorer_figures.attention_rows(cross_rows, head_rows, res.source_tokens,
                                  t("steps.cross_title", step=s.index + 1, layer=layer + 1, model=model.name), style,
                                  t("axis.head"), t("axis.source_key"), (t("axis.head"), t("axis.key"), t("axis.weight"))),
            key="step_cross",
            config=export_names.toolbar_config("cross", layer + 1, extra=f"step{s.index + 1}", sentence=res.source_text),
        )
        self_rows = with_average(s.self_attention[layer][:, None, :])[:, 0, :]
        st.plotly_chart(
            explorer_figures.attention_rows(self_rows, head_rows, prefix,
                                  t("steps.self_title", step=s.index + 1, layer=layer + 1, model=model.name), style,
                                  t("axis.head"), t("axis.target_key"), (t("axis.head"), t("axis.key"), t("axis.weight"))),
            key="step_self",
            config=export_names.toolbar_config("decoder_self", layer + 1, extra=f"step{s.index + 1}", sentence=res.source_text),
        )


def draw_stats() -> None:
    st.caption(t("stats.explain"))
    kind = st.segmented_control(t("stats.kind"), list(KIND_NAMES), format_func=kind_titles.get, key=translated_key("stats_kind", "kind.{}".format), required=True, default="encoder_self", bind=BIND) or "encoder_self"
    view = attention_view(res, kind)
    table = head_statistics(view.weights, view.key_special, view.query_special)
    metrics = {c: t(f"stats.{c}") for c in ["entropy", "max_weight", "diagonal_distance", "previous_token", "special_share"]}
    metric = st.selectbox(t("stats.metric"), list(metrics), format_func=metrics.get, key=translated_key("stats_metric", "stats.{}".format), bind=BIND)
    values = table.pivot(index="layer", columns="head", values=metric).to_numpy()
    st.plotly_chart(
        explorer_figures.statistic_heatmap(values, t("stats.chart_title", metric=metrics[metric], kind=kind_titles[kind], model=model.name), metrics[metric], style,
                                 t("explorer.layer"), t("explorer.head")),
        key="stats_heatmap",
        config=export_names.toolbar_config(kind, extra=f"stats-{metric}", sentence=res.source_text),
    )
    shown = table.rename(columns={"layer": t("explorer.layer"), "head": t("explorer.head"), **metrics})
    st.dataframe(shown, hide_index=True, width="stretch", column_config={v: st.column_config.NumberColumn(format="%.3f") for v in metrics.values()})
    st.caption(t("stats.howto"))


def draw_rollout() -> None:
    st.caption(t("rollout.explain"))
    st.warning(t("rollout.caveat"))
    enc = rollout(res.attention.encoder_self)  # (enc_layers, src, src)
    col_enc, col_dec = st.columns(2)
    with col_enc:
        layer = (st.segmented_control(t("rollout.encoder_layer"), list(range(1, cfg.n_encoder_layers + 1)), key="rollout_layer",
                                      required=True, default=cfg.n_encoder_layers, bind=BIND) or 1) - 1
    with col_dec:
        dec_layer = (st.segmented_control(t("rollout.decoder_layer"), list(range(1, cfg.n_decoder_layers + 1)), key="rollout_dec_layer",
                                          required=True, default=cfg.n_decoder_layers, bind=BIND) or 1) - 1
    st.plotly_chart(
        explorer_figures.attention_heatmap(enc[layer], res.source_tokens, res.source_tokens,
                                 t("rollout.encoder_title", layer=layer + 1, model=model.name), style,
                                 t("axis.source_query"), t("rollout.input_tokens"), hover_names=hover),
        key="rollout_encoder",
        config=export_names.toolbar_config("encoder_rollout", layer + 1, sentence=res.source_text),
    )
    # Cross-attention keys are the encoder's *output*, so the decoder side is
    # composed with the rollout through every encoder layer (enc[-1]).
    composed = cross_rollout(res.attention.cross, enc[-1])  # (dec_layers, tgt, src)
    st.plotly_chart(
        explorer_figures.attention_heatmap(composed[dec_layer], decoder_row_labels(res, piece_spans(res.target_tokens), opts.row_labels),
                                 res.source_tokens, t("rollout.cross_title", layer=dec_layer + 1, model=model.name), style,
                                 t(f"axis.target_query.{opts.row_labels}"), t("rollout.input_tokens"), hover_names=hover),
        key="rollout_cross",
        config=export_names.toolbar_config("cross_rollout", dec_layer + 1, sentence=res.source_text),
    )


DRAW = {"steps": draw_steps, "stats": draw_stats, "rollout": draw_rollout}


@st.fragment
def chosen_view() -> None:
    """The view picker and the chosen view.

    A fragment: switching view, layer, head, step or anything else drawn in here
    re-runs only this function, with the translation of the last full run, so a
    re-draw skips the sidebar, the translation lookup, the sentence chips and the
    data downloads (about a third of a run's server time; ``bench/load.py``).
    Everything outside (model, sentence, decoding, display options) re-runs the page.
    """
    # The view is in the URL (``?section_en=…``; one parameter per language, as its
    # labels are translated). A segmented control rather than ``st.tabs``: only the
    # chosen view is computed, and Streamlit 1.67 does not write the URL for bound
    # widgets inside a lazily drawn tab.
    section = st.segmented_control(
        t("explorer.view"), SECTIONS, format_func=section_titles.get, default=SECTIONS[0], required=True,
        key=translated_key("section", SECTION_KEYS.get), bind=BIND, label_visibility="collapsed",
    ) or SECTIONS[0]
    st.session_state["section"] = section
    DRAW.get(section, lambda: draw_kind(section))()
    share.remember_view()  # Back after the next sentence returns to this view


chosen_view()
