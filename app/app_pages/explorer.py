"""The attention explorer: every head, every layer, every generation step."""

from __future__ import annotations

import functools
import html
import math

import streamlit as st

from app import charts, export, page_state, widgets
from app.context import current
from app.export_panel import ExportItem, data_downloads, export_panel
from app.i18n import t
from app.url_state import clamp_choice
from app.views import KINDS, attention_view, with_average
from core.analysis import cross_rollout, head_statistics, rollout

ctx = current()
style = ctx.display.style
st.title(t("explorer.title"))
st.caption(t("explorer.intro"))

ready = page_state.model_and_sentence(ctx)
res = page_state.translation(ready, ctx.beam_size) if ready else None
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
widgets.token_chips(res.source_tokens, res.source_special, t("explorer.source_tokens"))
widgets.token_chips(res.output_tokens, [tok == "</s>" for tok in res.output_tokens], t("explorer.output_tokens"))
data_downloads(res)

opts = ctx.display
hover = (t("axis.query"), t("axis.key"), t("axis.weight"))
kind_titles = {k: t(f"kind.{k}") for k in KINDS}
axis_names = {
    "encoder_self": (t("axis.source_query"), t("axis.source_key")),
    "decoder_self": (t("axis.target_query"), t("axis.target_key")),
    "cross": (t("axis.target_query"), t("axis.source_key")),
}
SECTIONS = [*KINDS, "steps", "stats", "rollout"]
section_titles = {**kind_titles, "steps": t("steps.tab"), "stats": t("stats.tab"), "rollout": t("rollout.tab")}
if st.session_state.get("section") not in SECTIONS:
    st.session_state["section"] = SECTIONS[0]
tabs_key = f"section_tabs_{st.session_state.get('lang', 'en')}"


def remember_section() -> None:
    label = st.session_state[tabs_key]
    st.session_state["section"] = next(k for k, v in section_titles.items() if v == label)


tabs = st.tabs(
    [section_titles[k] for k in SECTIONS],
    default=section_titles[st.session_state["section"]],
    key=tabs_key,
    on_change=remember_section,
)
sentence = res.source_text if len(res.source_text) <= 40 else res.source_text[:40] + "…"


def layer_and_head(n_layers: int, n_heads: int) -> tuple[int, int | None]:
    """Layer (0-based) and head (0-based, None = average) selectors for a tab."""
    col_l, col_h = st.columns([1, 2])
    layers = list(range(1, n_layers + 1))
    heads = ["avg", *range(1, n_heads + 1)]
    clamp_choice("layer", layers, 1)
    clamp_choice("head", heads, 1)
    with col_l:
        layer = st.segmented_control(t("explorer.layer"), layers, key="layer", required=True, persist_state="session") or 1
    with col_h:
        head = st.segmented_control(
            t("explorer.head"), heads, key="head", required=True, persist_state="session",
            format_func=lambda h: t("explorer.average") if h == "avg" else str(h),
        )
    head = heads[1] if head is None else head
    return min(int(layer), n_layers) - 1, None if head == "avg" else min(int(head), n_heads) - 1


def draw_kind(kind: str) -> None:
    view = attention_view(res, kind, opts.merge_words, opts.hide_special, opts.predicted_labels)
    n_layers, n_heads = view.weights.shape[:2]
    q_axis, k_axis = axis_names[kind]
    st.caption(t(f"kind.{kind}.explain"))
    if opts.hide_special:
        st.caption(t("display.hidden_note"))
    layer, head = layer_and_head(n_layers, n_heads)
    panels = with_average(view.weights[layer])
    head_titles = [t("explorer.head_n", n=h + 1) for h in range(n_heads)] + [t("explorer.average")]
    grid_title = t("chart.grid_title", kind=kind_titles[kind], layer=layer + 1, model=model.name)
    st.plotly_chart(
        charts.head_grid(panels, view.query_labels, view.key_labels, grid_title, head_titles, style, hover_names=hover),
        key=f"grid_{kind}",
        config=export.toolbar_config(kind, layer + 1, "all-heads", res.source_text),
    )
    weights = panels[-1] if head is None else view.weights[layer, head]
    head_name = t("explorer.average") if head is None else t("explorer.head_n", n=head + 1)
    title = t("chart.title", kind=kind_titles[kind], layer=layer + 1, head=head_name, model=model.name, sentence=sentence)
    st.plotly_chart(
        charts.attention_heatmap(weights, view.query_labels, view.key_labels, title, style, q_axis, k_axis, hover_names=hover),
        key=f"large_{kind}",
        config=export.toolbar_config(kind, layer + 1, "avg" if head is None else head + 1, res.source_text),
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
        overview = charts.layers_heads_overview(
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
            selection_mode="points", config=export.toolbar_config(kind, extra="overview", sentence=res.source_text),
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


def kind_export_panel(kind, view, layer: int, head: int | None, title: str, grid_title: str, head_titles: list[str]) -> None:
    """Export for slides: this figure, the head grid, the overview, or each head of the layer (ZIP)."""
    n_layers, n_heads = view.weights.shape[:2]
    q_axis, k_axis = axis_names[kind]
    q_labels, k_labels = view.query_labels, view.key_labels
    panels = with_average(view.weights[layer])
    weights = panels[-1] if head is None else view.weights[layer, head]
    head_name = t("explorer.average") if head is None else t("explorer.head_n", n=head + 1)
    columns = len(panels) if len(panels) <= 5 else math.ceil(len(panels) / 2)  # one or two rows on a slide
    overview_title = t("chart.overview_title", kind=kind_titles[kind], model=model.name)
    layer_names = [t("explorer.layer_n", n=i + 1) for i in range(n_layers)]
    head_names = [t("explorer.head_n", n=h + 1) for h in range(n_heads)]

    def caption(layer_no: int | None, head_label: str | None) -> str:
        return export.default_caption(kind_titles[kind], layer_no, head_label, model.name, sentence)

    def each_head(s: charts.Style) -> list:
        return [
            (
                export.file_stem(kind, layer + 1, h + 1, res.source_text),
                charts.attention_heatmap(
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
                lambda s: charts.attention_heatmap(weights, q_labels, k_labels, title, s, q_axis, k_axis, hover_names=hover),
                export.file_stem(kind, layer + 1, "avg" if head is None else head + 1, res.source_text),
                caption(layer + 1, head_name),
            ),
            ExportItem.grid(
                lambda s: charts.head_grid(panels, q_labels, k_labels, grid_title, head_titles, s, columns=columns, hover_names=hover),
                export.file_stem(kind, layer + 1, "all-heads", res.source_text),
                caption(layer + 1, t("export.all_heads")),
            ),
            ExportItem.overview(
                lambda s: charts.layers_heads_overview(view.weights, overview_title, layer_names, head_names, q_labels, k_labels, s, hover_names=hover),
                export.file_stem(kind, extra="overview", sentence=res.source_text),
                caption(None, None),
            ),
            ExportItem.heads(each_head, export.file_stem(kind, layer + 1, "each-head", res.source_text), caption(layer + 1, None)),
        ],
        style=style,
    )


def draw_steps() -> None:
    st.caption(t("steps.explain"))
    n = len(res.steps)
    if not isinstance(st.session_state.get("step"), int) or not 1 <= st.session_state["step"] <= n:
        st.session_state["step"] = 1
    step = st.slider(t("steps.slider"), 1, n, key="step") if n > 1 else 1
    s = res.steps[min(step, n) - 1]
    prefix = res.target_tokens[: s.index + 1]
    st.markdown(t("steps.chosen", step=s.index + 1, p=f"{s.probability:.1%}"))
    widgets.token_chips(prefix + [s.token], [tok in ("<s>", "</s>") for tok in prefix + [s.token]], t("steps.prefix"))
    col_a, col_b = st.columns([1, 2])
    with col_a:
        st.plotly_chart(
            charts.probability_bars(s.top_tokens, s.top_probs, s.token, t("steps.top5", step=s.index + 1), style, t("axis.probability")),
            key="top5",
            config=export.toolbar_config("next-token", extra=f"step{s.index + 1}", sentence=res.source_text),
        )
    with col_b:
        layer = (st.segmented_control(t("explorer.layer"), list(range(1, cfg.n_decoder_layers + 1)), key="step_layer", required=True, default=cfg.n_decoder_layers) or 1) - 1
        head_rows = [t("explorer.head_n", n=h + 1) for h in range(cfg.n_heads)] + [t("explorer.average")]
        cross_rows = with_average(s.cross_attention[layer][:, None, :])[:, 0, :]
        st.plotly_chart(
            charts.attention_rows(cross_rows, head_rows, res.source_tokens,
                                  t("steps.cross_title", step=s.index + 1, layer=layer + 1, model=model.name), style,
                                  t("axis.head"), t("axis.source_key"), (t("axis.head"), t("axis.key"), t("axis.weight"))),
            key="step_cross",
            config=export.toolbar_config("cross", layer + 1, extra=f"step{s.index + 1}", sentence=res.source_text),
        )
        self_rows = with_average(s.self_attention[layer][:, None, :])[:, 0, :]
        st.plotly_chart(
            charts.attention_rows(self_rows, head_rows, prefix,
                                  t("steps.self_title", step=s.index + 1, layer=layer + 1, model=model.name), style,
                                  t("axis.head"), t("axis.target_key"), (t("axis.head"), t("axis.key"), t("axis.weight"))),
            key="step_self",
            config=export.toolbar_config("decoder_self", layer + 1, extra=f"step{s.index + 1}", sentence=res.source_text),
        )


def draw_stats() -> None:
    st.caption(t("stats.explain"))
    kind = st.segmented_control(t("stats.kind"), list(KINDS), format_func=kind_titles.get, key="stats_kind", required=True, default="encoder_self") or "encoder_self"
    view = attention_view(res, kind)
    table = head_statistics(view.weights, view.key_special, view.query_special)
    metrics = {c: t(f"stats.{c}") for c in ["entropy", "max_weight", "diagonal_distance", "previous_token", "special_share"]}
    metric = st.selectbox(t("stats.metric"), list(metrics), format_func=metrics.get, key="stats_metric")
    values = table.pivot(index="layer", columns="head", values=metric).to_numpy()
    st.plotly_chart(
        charts.statistic_heatmap(values, t("stats.chart_title", metric=metrics[metric], kind=kind_titles[kind], model=model.name), metrics[metric], style,
                                 t("explorer.layer"), t("explorer.head")),
        key="stats_heatmap",
        config=export.toolbar_config(kind, extra=f"stats-{metric}", sentence=res.source_text),
    )
    shown = table.rename(columns={"layer": t("explorer.layer"), "head": t("explorer.head"), **metrics})
    st.dataframe(shown, hide_index=True, width="stretch", column_config={v: st.column_config.NumberColumn(format="%.3f") for v in metrics.values()})
    st.caption(t("stats.howto"))


def draw_rollout() -> None:
    st.caption(t("rollout.explain"))
    st.warning(t("rollout.caveat"))
    enc = rollout(res.attention.encoder_self)
    layer = (st.segmented_control(t("explorer.layer"), list(range(1, cfg.n_encoder_layers + 1)), key="rollout_layer", required=True, default=cfg.n_encoder_layers) or 1) - 1
    st.plotly_chart(
        charts.attention_heatmap(enc[layer], res.source_tokens, res.source_tokens,
                                 t("rollout.encoder_title", layer=layer + 1, model=model.name), style,
                                 t("axis.source_query"), t("rollout.input_tokens"), hover_names=hover),
        key="rollout_encoder",
        config=export.toolbar_config("encoder_rollout", layer + 1, sentence=res.source_text),
    )
    composed = cross_rollout(res.attention.cross, enc[-1])
    dec_layer = min(layer, composed.shape[0] - 1)
    st.plotly_chart(
        charts.attention_heatmap(composed[dec_layer], res.target_tokens, res.source_tokens,
                                 t("rollout.cross_title", layer=dec_layer + 1, model=model.name), style,
                                 t("axis.target_query"), t("rollout.input_tokens"), hover_names=hover),
        key="rollout_cross",
        config=export.toolbar_config("cross_rollout", dec_layer + 1, sentence=res.source_text),
    )


DRAW = {"steps": draw_steps, "stats": draw_stats, "rollout": draw_rollout}
for section, tab in zip(SECTIONS, tabs):
    if tab.open:
        with tab:
            DRAW.get(section, lambda k=section: draw_kind(k))()
