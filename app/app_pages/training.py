"""Training: watch attention being learned, step by step (the model's shipped timeline).

A timeline (``core.timeline``) was recorded while the model trained: at step 0
and every few steps, every attention map of a teacher-forced pass on fixed
probe sentences (fed their *reference* translations), the greedy translation,
the losses, BLEU and per-head statistics. This page plays it back: a step
slider (with play), the curves with the step marked, the chosen head at that
step with the explorer's axes, the same head at ~8 steps side by side, and how
every head's entropy falls as it specialises. Computations: ``app.lessons.training``;
figures: ``app.figures.training``; strings: ``app/i18n/training.toml``.
"""

from __future__ import annotations

import streamlit as st

from app.figures import explorer as explorer_figures
from app.figures import training as figures
from app.figures.common import map_panels
from app.i18n import t
from app.lessons import training as lesson
from app.lessons.explorer_view import row_labels
from app.services import live_training as live
from app.services import models
from app.services import training as services
from app.ui import page_setup
from app.ui.choices import BIND, layer_and_head, note_invalid_link_value, translated_key
from app.ui.export_panel import ChartShelf
from app.ui.sidebar import current
from core import KIND_NAMES

PLAY_SECONDS = 1.0  # one timeline point per second while playing

ctx = current()
style = ctx.display.style
shelf = ChartShelf("training", style)
st.title(t("training.title"))
st.markdown(t("training.intro"))

def session_id() -> str:
    """This browser session's id (the live-training queue is per session)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    run = get_script_run_ctx()
    return run.session_id if run is not None else "local"


def draw_live_training() -> None:
    """Train the letters toy now, in this session: progress, loss and the cross-attention as it forms."""
    st.subheader(t("training.live_header"))
    st.markdown(t("training.live_explain", steps=live.MAX_STEPS, seconds=int(live.MAX_SECONDS)))
    me = session_id()

    def start() -> None:
        live.SLOT.forget(me)
        st.session_state["live_wanted"] = True

    st.button(t("training.live_start"), on_click=start, icon=":material/play_arrow:", type="primary")

    running = live.SLOT.current(me)
    polling = bool(st.session_state.get("live_wanted")) or (running is not None and not running.progress.done)

    @st.fragment(run_every=1.5 if polling else None)
    def live_view() -> None:
        """Redrawn every 1.5 s while this session's training runs or waits in the queue."""
        job = live.SLOT.current(me)
        if st.session_state.get("live_wanted"):
            job, position = live.SLOT.request(me)
            if job is None:
                st.info(t("training.live_queue", position=position))
                return
            st.session_state["live_wanted"] = False
        if job is None:
            return
        p = job.progress
        st.progress(min(1.0, max(p.step / p.max_steps, p.seconds / p.max_seconds)),
                    text=t("training.live_progress", step=p.step, max_steps=p.max_steps, seconds=f"{p.seconds:.0f}"))
        if not p.done:
            st.button(t("training.live_stop"), on_click=job.stop, icon=":material/stop:")
        col_loss, col_map = st.columns(2)
        with col_loss:
            if p.losses:
                st.plotly_chart(figures.live_loss(p.losses, t("training.live_loss_title"), style,
                                                  (t("training.axis_step"), t("training.axis_loss"))), key="live_loss")
        with col_map:
            if p.cross is not None:
                src, inputs, outputs = job.probe_tokens()
                rows = row_labels(inputs, outputs)
                st.plotly_chart(explorer_figures.attention_heatmap(
                    p.cross, rows, src, t("training.live_map_title", step=p.cross_step), style,
                    t("axis.target_query.both"), t("axis.source_key"), zmax=1.0,
                    hover_names=(t("axis.query"), t("axis.key"), t("axis.weight"))), key="live_map")
        if p.state == "failed":
            st.error(t("training.live_failed", error=p.error))
        elif p.done:
            folder = live.save_for_session(job, me)
            saved = st.session_state.setdefault(models.SESSION_MODELS, [])
            if str(folder) not in saved:
                saved.append(str(folder))
            if polling:  # it just finished: one full rerun stops the timer and lists the model in the sidebar
                st.rerun(scope="app")
            output = job.translator().translate_texts([job.probe])[0]
            st.success(t("training.live_done", name=folder.name, step=p.step, seconds=f"{p.seconds:.0f}", output=output))
            if output.split() != job.probe.split()[::-1] and p.state == "finished" and p.step < p.max_steps:
                st.caption(t("training.live_busy", step=p.step, seconds=int(p.max_seconds)))
            if st.button(t("training.live_open", name=folder.name), icon=":material/grid_view:", key="live_open"):
                # Choose it in the sidebar (the bound selectbox then writes ?model= itself) and go to the explorer.
                st.session_state["model"] = folder.name
                st.switch_page("app_pages/explorer.py")

    live_view()


loaded = page_setup.usable_model(ctx)
if loaded is None:
    st.stop()
model, translator = loaded
timeline = services.timeline(model)
if timeline is None:
    with_timeline = services.models_with_timelines(ctx.models)
    if not page_setup.view_unavailable(translator, "timeline", model.name):
        st.info(t("training.no_timeline", model=model.name, models=", ".join(with_timeline) or "—"))
    else:
        st.caption(t("training.no_timeline", model=model.name, models=", ".join(with_timeline) or "—"))
    draw_live_training()
    st.stop()

cfg = translator.config
labels = lesson.point_labels(timeline)
kind_titles = {k: t(f"kind.{k}") for k in KIND_NAMES}
sentences = {i: timeline.probe["sources"][i] for i in range(timeline.mapped_sentences)}
note_invalid_link_value("train_sentence", list(sentences.values()))  # the URL holds the sentence itself
sentence = st.selectbox(t("training.sentence"), list(sentences), format_func=sentences.get, key="train_sentence",
                        bind=BIND, help=t("training.sentence_help"))
kind = st.segmented_control(t("training.kind"), list(KIND_NAMES), format_func=kind_titles.get, required=True,
                            default="cross", key=translated_key("train_kind", "kind.{}".format), bind=BIND) or "cross"
sentence = int(sentence or 0)
n_layers = cfg.n_encoder_layers if kind == "encoder_self" else cfg.n_decoder_layers
layer, head = layer_and_head(n_layers, cfg.n_heads)
st.caption(t("training.reference_note", reference=timeline.probe["references"][sentence]))
playing = st.toggle(t("training.play"), key="train_play", help=t("training.play_help"))
note_invalid_link_value("train_step", labels)


@st.fragment(run_every=PLAY_SECONDS if playing else None)
def timeline_view() -> None:
    """The step slider and everything drawn at that step (re-run alone while playing)."""
    if st.session_state.get("train_play"):
        now = st.session_state.get("train_step", labels[0])
        index = labels.index(now) if now in labels else 0
        if index + 1 >= len(labels):
            st.session_state["train_play"] = False  # the end: stop, and redraw the page without the timer
            st.rerun(scope="app")
        st.session_state["train_step"] = labels[index + 1]
    point_label = st.select_slider(t("training.step"), options=labels, key="train_step", bind=BIND,
                                   help=t("training.step_help"))
    point = labels.index(point_label) if point_label in labels else len(labels) - 1
    step = timeline.steps[point]
    metrics = timeline.metrics[point]
    cols = st.columns(4)
    cols[0].metric(t("training.metric_step"), point_label)
    cols[1].metric(t("training.metric_valid_loss"), f"{metrics.get('valid_loss', float('nan')):.3f}")
    cols[2].metric(t("training.metric_bleu"), f"{metrics.get('valid_bleu', float('nan')):.1f}")
    ratio = timeline.statistic(kind, "entropy_ratio")[point, layer]
    cols[3].metric(t("training.metric_entropy"), f"{(ratio.mean() if head is None else ratio[head]):.2f}",
                   help=t("training.metric_entropy_help"))
    st.markdown(t("training.translation", step=point_label, output=timeline.translations[point][sentence] or "∅",
                  reference=timeline.probe["references"][sentence]))

    shelf.chart(lambda s: figures.training_curves(
        timeline.steps, {t("training.train_loss"): timeline.metric("train_loss"),
                         t("training.valid_loss"): timeline.metric("valid_loss")},
        timeline.metric("valid_bleu"), step, (t("training.panel_loss"), t("training.panel_bleu")),
        t("training.curves_title", model=model.name), s, (t("training.axis_step"), t("training.axis_loss"), "BLEU")),
        key="train_curves")

    rows, cols_ = lesson.axes_tokens(timeline, sentence, kind)
    maps = timeline.maps(point, sentence, kind)[layer]  # (heads, q, k)
    weights = maps.mean(0) if head is None else maps[head]
    head_text = t("explorer.average") if head is None else t("explorer.head_n", n=head + 1)
    query_axis = t("axis.target_query.both") if kind != "encoder_self" else t("axis.source_query")
    key_axis = t("axis.source_key") if kind != "decoder_self" else t("axis.target_key")
    shelf.chart(lambda s: explorer_figures.attention_heatmap(
        weights, rows, cols_, t("training.map_title", kind=kind_titles[kind], layer=layer + 1, head=head_text,
                                step=point_label, model=model.name), s, query_axis, key_axis, zmax=1.0,
        hover_names=(t("axis.query"), t("axis.key"), t("axis.weight"))), key="train_map")

    picks = lesson.small_multiple_points(len(labels), point)
    panels = [timeline.maps(p, sentence, kind)[layer] for p in picks]
    panels = [m.mean(0) if head is None else m[head] for m in panels]
    shelf.chart(lambda s: map_panels(
        panels, [rows] * len(panels), [cols_] * len(panels), [t("training.panel_step", step=labels[p]) for p in picks],
        t("training.multiples_title", kind=kind_titles[kind], layer=layer + 1, head=head_text, model=model.name), s,
        (t("axis.query"), t("axis.key"), t("axis.weight")), columns=4), key="train_multiples")

    entropy = timeline.statistic(kind, "entropy_ratio")[:, layer]  # (points, heads)
    shelf.chart(lambda s: figures.head_statistic_over_steps(
        timeline.steps, entropy, step, t("training.heads_title", kind=kind_titles[kind], layer=layer + 1, model=model.name),
        s, t("training.head_n"), (t("training.axis_step"), t("training.axis_entropy"))), key="train_heads")
    clicked = lesson.first_step_below(list(entropy.mean(1)), 0.5 * float(entropy[0].mean()))
    if clicked is not None:
        st.markdown(t("training.heads_reading", step=labels[clicked], start=f"{entropy[0].mean():.2f}",
                      end=f"{entropy[-1].mean():.2f}"))


timeline_view()
st.caption(t("training.how_recorded", n=len(labels), final=labels[-1]))
draw_live_training()
