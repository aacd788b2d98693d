"""Take it apart: switch off positional encoding, 1/√d_k, the look-ahead mask or heads (§3.5, §3.2.1, §3.2.3, §3.2.2).

Every experiment runs the shipped model on the sentence in the box twice — as
trained and with one part removed (``core.ablation``) — and shows both side by
side on one colour scale, with a one-line reading of what changed. The
computations are ``core.ablation_studies`` and ``core.head_importance``
(cached per process in ``app.services.ablations``); the figures are
``app.figures.ablations``; the strings ``app/i18n/ablations.toml``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.figures import ablations as figures
from app.figures.common import map_panels
from app.i18n import current_language, t
from app.lessons import ablations as lesson
from app.lessons.explorer_view import row_labels
from app.services import ablations as services
from app.ui import page_setup
from app.ui.choices import BIND, note_invalid_link_value, note_invalid_link_values, translated_key
from app.ui.export_panel import ChartShelf
from app.ui.sidebar import current
from core import KIND_NAMES
from core.ablation import Ablation
from core.analysis import head_statistics

ctx = current()
style = ctx.display.style
st.title(t("ablations.title"))
st.markdown(t("ablations.intro"))

ready = page_setup.model_and_sentence(ctx)
if ready is None:
    st.stop()
model, translator, text = ready.model, ready.translator, ready.text
if page_setup.view_unavailable(translator, "ablation", model.name):
    st.stop()
# every chart below is offered for slides at the end of the page; file names carry the model and sentence
shelf = ChartShelf("ablations", style, sentence=f"{model.name} {text}")
cfg = translator.config
DEPTH = {"encoder_self": cfg.n_encoder_layers, "decoder_self": cfg.n_decoder_layers, "cross": cfg.n_decoder_layers}
kind_titles = {k: t(f"kind.{k}") for k in KIND_NAMES}
names = (t("ablations.as_trained"), t("ablations.ablated"))
row_mode = ctx.display.row_labels
sentence = text if len(text) <= 40 else text[:40] + "…"

PART_KEYS = {p: f"ablations.part.{p}" for p in lesson.PARTS}
part_titles = {p: t(key) for p, key in PART_KEYS.items()}
note_invalid_link_value(f"abl_part_{current_language()}", list(part_titles.values()))
part = st.segmented_control(
    t("ablations.part"), list(lesson.PARTS), format_func=part_titles.get, default=lesson.PARTS[0],
    required=True, key=translated_key("abl_part", PART_KEYS.get), bind=BIND,
) or lesson.PARTS[0]
st.caption(t("ablations.greedy_note"))


def pick_layer_head(key: str, n_layers: int, layer: int = 0, head: int = 0) -> tuple[int, int]:
    """Layer and head (0-based) of the map shown for an experiment, in the URL as ``?<key>_layer=…``;
    ``layer``/``head`` (0-based) are the defaults, e.g. the first removed head."""
    note_invalid_link_value(f"{key}_layer", [str(i) for i in range(1, n_layers + 1)])
    note_invalid_link_value(f"{key}_head", [str(i) for i in range(1, cfg.n_heads + 1)])
    col_l, col_h = st.columns([1, 2])
    with col_l:
        layer = st.segmented_control(t("explorer.layer"), list(range(1, n_layers + 1)), default=min(layer, n_layers - 1) + 1,
                                     required=True, key=f"{key}_layer", bind=BIND)
    with col_h:
        head = st.segmented_control(t("explorer.head"), list(range(1, cfg.n_heads + 1)), default=min(head, cfg.n_heads - 1) + 1,
                                    required=True, key=f"{key}_head", bind=BIND)
    return min(int(layer or 1), n_layers) - 1, min(int(head or 1), cfg.n_heads) - 1


def follow(what: str, choice: tuple, key: str, layer: int, head: int | None = None) -> None:
    """When the ablation ``choice`` changes, point the map's layer (and head) selector at what was
    ablated (``layer``/``head`` 0-based). Not on the first run, so a link's own layer and head win."""
    seen = f"_abl_follow_{what}"
    if seen in st.session_state and st.session_state[seen] != choice:
        st.session_state[f"{key}_layer"] = layer + 1
        if head is not None:
            st.session_state[f"{key}_head"] = head + 1
    st.session_state[seen] = choice


def translations_table(rows: list[tuple[str, str]]) -> None:
    st.dataframe(pd.DataFrame(rows, columns=[t("ablations.col_model"), t("ablations.col_translation")]),
                 hide_index=True, width="stretch")


def comparison_charts(comparison, kind: str, layer: int, head: int, key: str, what: str) -> None:
    """Translations, per-step probabilities and one map of ``kind`` as trained vs ablated."""
    normal, ablated = comparison.normal, comparison.ablated
    translations_table([(names[0], normal.text), (names[1], ablated.text)])
    shelf.chart(lambda s: figures.step_probabilities(
        (normal.output_tokens, comparison.normal_probs), (ablated.output_tokens, comparison.ablated_probs), names,
        t("ablations.probs_title", what=what, model=model.name), s, (t("ablations.axis_step"), t("ablations.axis_chosen_prob")),
        subtitle=sentence), key=f"{key}_probs")

    def labels(res):
        src = list(res.source_tokens)
        tgt = row_labels(res.target_tokens, res.output_tokens, row_mode)
        return {"encoder_self": (src, src), "decoder_self": (tgt, list(res.target_tokens)), "cross": (tgt, src)}[kind]

    (qn, kn), (qa, ka) = labels(normal), labels(ablated)
    query_axis = t("axis.source_query") if kind == "encoder_self" else t(f"axis.target_query.{row_mode}")
    key_axis = t("axis.target_key") if kind == "decoder_self" else t("axis.source_key")
    shelf.chart(lambda s: map_panels(
        [normal.attention.get(kind)[layer, head], ablated.attention.get(kind)[layer, head]], [qn, qa], [kn, ka], names,
        t("ablations.map_title", kind=kind_titles[kind], layer=layer + 1, head=head + 1, what=what, model=model.name), s,
        (query_axis, key_axis, t("axis.weight")), subtitle=sentence), key=f"{key}_map")


# ------------------------------------------------------------- 1. no positional encoding
def draw_positions() -> None:
    st.subheader(t("ablations.pe_header"))
    st.markdown(t("ablations.pe_explain"))
    col_seed, col_button = st.columns([1, 1], vertical_alignment="bottom")
    note_invalid_link_value("abl_seed", [str(i) for i in range(10_001)])
    with col_seed:
        # No value=: the default is min_value (0), and "Shuffle again" sets the number through session state.
        seed = int(st.number_input(t("ablations.seed"), min_value=0, max_value=10_000, step=1,
                                   key="abl_seed", bind=BIND, help=t("ablations.seed_help")) or 0)

    def reshuffle() -> None:
        st.session_state["abl_seed"] = (int(st.session_state.get("abl_seed") or 0) + 1) % 10_001

    with col_button:
        st.button(t("ablations.shuffle"), on_click=reshuffle, icon=":material/shuffle:")
    with st.spinner(t("input.running")):
        check = services.permutation(model, text, seed)
    if len(check.order) <= 2 or check.order == sorted(check.order):
        st.info(t("ablations.pe_one_word"))
    st.markdown(t("ablations.pe_shuffled", shuffled=check.shuffled_text))
    layer, head = pick_layer_head("abl_pe", cfg.n_encoder_layers)
    c1, c2 = st.columns(2)
    c1.metric(t("ablations.pe_diff_without"), f"{check.max_diff_no_pe:.1e}", help=t("ablations.pe_diff_help"))
    c2.metric(t("ablations.pe_diff_with"), f"{check.max_diff_with_pe:.2f}", help=t("ablations.pe_diff_help"))
    shuffled = realigned = check.shuffled_tokens  # P A Pᵀ puts the original rows in the shuffled order
    realigned_with = check.with_pe[..., check.order, :][..., check.order]
    shelf.chart(lambda s: map_panels(
        [check.no_pe_shuffled[layer, head], check.realigned_no_pe[layer, head],
         check.with_pe_shuffled[layer, head], realigned_with[layer, head]],
        [shuffled, realigned, shuffled, realigned], [shuffled, realigned, shuffled, realigned],
        [t("ablations.pe_panel_shuffled_no"), t("ablations.pe_panel_realigned_no"),
         t("ablations.pe_panel_shuffled_with"), t("ablations.pe_panel_realigned_with")],
        t("ablations.pe_title", kind=kind_titles["encoder_self"], layer=layer + 1, head=head + 1, model=model.name), s,
        (t("axis.source_query"), t("axis.source_key"), t("axis.weight")), columns=2,
        subtitle=check.shuffled_text if len(check.shuffled_text) <= 60 else check.shuffled_text[:60] + "…"),
        key="abl_pe_maps")
    translations_table([
        (t("ablations.pe_row_original"), check.translation),
        (t("ablations.pe_row_original_no"), check.translation_no_pe),
        (t("ablations.pe_row_shuffled"), check.shuffled_translation),
        (t("ablations.pe_row_shuffled_no"), check.shuffled_translation_no_pe),
    ])
    same = check.translation_no_pe == check.shuffled_translation_no_pe
    st.markdown(t("ablations.pe_reading", no=f"{check.max_diff_no_pe:.1e}", with_=f"{check.max_diff_with_pe:.2f}")
                + " " + t("ablations.pe_reading_same" if same else "ablations.pe_reading_differs"))
    st.page_link("app_pages/positional.py", label=t("ablations.link_positional"), icon=":material/waves:")


# ------------------------------------------------------------------- 2. no 1/√d_k
def draw_scaling() -> None:
    st.subheader(t("ablations.scale_header"))
    st.markdown(t("ablations.scale_explain", d_k=cfg.d_head, sqrt=f"{cfg.d_head ** 0.5:.1f}"))
    max_depth = max(DEPTH.values())
    kinds_key = translated_key("abl_scale_kinds", "kind.{}".format)
    note_invalid_link_values(kinds_key, list(kind_titles.values()))
    note_invalid_link_values("abl_scale_layers", [str(i) for i in range(1, max_depth + 1)])
    kinds = st.pills(t("ablations.scale_kinds"), list(KIND_NAMES), format_func=kind_titles.get, selection_mode="multi",
                     default=list(KIND_NAMES), key=kinds_key, bind=BIND)
    layers = st.pills(t("ablations.scale_layers"), list(range(1, max_depth + 1)), selection_mode="multi",
                      default=list(range(1, max_depth + 1)), key="abl_scale_layers", bind=BIND)
    kinds = [k for k in KIND_NAMES if k in (kinds or [])]
    layers = sorted(int(l) - 1 for l in (layers or []))
    if not kinds or not layers:
        st.info(t("ablations.scale_pick"))
        return
    ablation = Ablation(unscaled=frozenset((k, l) for k in kinds for l in layers if l < DEPTH[k]))
    with st.spinner(t("input.running")):
        comparison = services.comparison(model, text, ablation)
    # Only the kinds whose scaling was removed can be shown (the others did not change).
    kind = st.segmented_control(t("ablations.show_kind"), kinds, format_func=kind_titles.get, required=True,
                                default=kinds[0], key=translated_key("abl_scale_show", "kind.{}".format), bind=BIND) or kinds[0]
    kind = kind if kind in kinds else kinds[0]
    ablated_layers = [l for l in layers if l < DEPTH[kind]] or [0]
    follow("scale", (kind, tuple(ablated_layers)), "abl_scale", ablated_layers[0])
    layer, head = pick_layer_head("abl_scale", DEPTH[kind], layer=ablated_layers[0])
    n, a = comparison.normal_stats[kind], comparison.ablated_stats[kind]
    before, after = n.entropy_ratio[ablated_layers].mean(), a.entropy_ratio[ablated_layers].mean()
    max_before, max_after = n.max_weight[ablated_layers].mean(), a.max_weight[ablated_layers].mean()
    cols = st.columns(3)
    cols[0].metric(t("ablations.metric_entropy"), f"{before:.2f} → {after:.2f}", help=t("ablations.metric_entropy_help"))
    cols[1].metric(t("ablations.metric_max"), f"{max_before:.2f} → {max_after:.2f}", help=t("ablations.metric_max_help"))
    cols[2].metric(t("ablations.metric_same"), t("ablations.yes") if comparison.same_translation else t("ablations.no"))
    what = t("ablations.what_unscaled")
    comparison_charts(comparison, kind, layer, head, "abl_scale", what)
    shelf.chart(lambda s: figures.head_statistic_panels(
        n.entropy_ratio, a.entropy_ratio, names,
        t("ablations.entropy_title", kind=kind_titles[kind], model=model.name), s,
        (t("axis.head"), t("ablations.axis_layer"), t("ablations.axis_entropy")), subtitle=sentence), key="abl_scale_entropy")
    if before - after >= 0.02:
        st.markdown(t("ablations.scale_reading", kind=kind_titles[kind], before=f"{before:.2f}", after=f"{after:.2f}",
                      max_before=f"{max_before:.2f}", max_after=f"{max_after:.2f}"))
    else:
        st.markdown(t("ablations.scale_reading_small", kind=kind_titles[kind], before=f"{before:.2f}", after=f"{after:.2f}"))
    st.page_link("app_pages/scaled_attention.py", label=t("ablations.link_scaled"), icon=":material/functions:")


# ------------------------------------------------------------------- 3. no look-ahead mask
def draw_look_ahead() -> None:
    st.subheader(t("ablations.mask_header"))
    st.markdown(t("ablations.mask_explain"))
    with st.spinner(t("input.running")):
        effect = services.look_ahead(model, text)
    layer, head = pick_layer_head("abl_mask", cfg.n_decoder_layers)
    rows = row_labels(effect.input_tokens, effect.output_tokens, row_mode)
    cols = st.columns(3)
    cols[0].metric(t("ablations.metric_future"), f"{effect.future_mass.mean():.0%}", help=t("ablations.metric_future_help"))
    cols[1].metric(t("ablations.metric_loss"), f"{effect.loss_masked.mean():.2f} → {effect.loss_unmasked.mean():.2f}",
                   help=t("ablations.metric_loss_help"))
    cols[2].metric(t("ablations.metric_worse"), f"{int((effect.loss_unmasked > effect.loss_masked).sum())} / {len(rows)}")
    mask_names = (t("ablations.with_mask"), t("ablations.without_mask"))
    shelf.chart(lambda s: map_panels(
        [effect.masked[layer, head], effect.unmasked[layer, head]], [rows, rows],
        [effect.input_tokens, effect.input_tokens], mask_names,
        t("ablations.mask_title", kind=kind_titles["decoder_self"], layer=layer + 1, head=head + 1, model=model.name), s,
        (t(f"axis.target_query.{row_mode}"), t("axis.target_key"), t("axis.weight")), subtitle=sentence),
        key="abl_mask_maps")
    shelf.chart(lambda s: figures.future_mass(
        effect.future_mass, rows, t("ablations.future_title", model=model.name), s, t("ablations.layer_n"),
        (t(f"axis.target_query.{row_mode}"), t("ablations.axis_future")), subtitle=sentence), key="abl_mask_future")
    shelf.chart(lambda s: figures.token_losses(
        rows, effect.loss_masked, effect.loss_unmasked, mask_names, t("ablations.loss_title", model=model.name), s,
        (t(f"axis.target_query.{row_mode}"), t("ablations.axis_loss")), subtitle=sentence), key="abl_mask_loss")
    st.markdown(t("ablations.mask_reading", future=f"{effect.future_mass.mean():.0%}",
                  before=f"{effect.loss_masked.mean():.2f}", after=f"{effect.loss_unmasked.mean():.2f}"))
    draw_toy_without_mask()


def draw_toy_without_mask() -> None:
    st.subheader(t("ablations.toy_header"))
    st.markdown(t("ablations.toy_explain"))
    pair = services.toy_pair()
    if pair is None:
        st.warning(t("ablations.toy_missing", folder=str(services.NO_MASK_TOY)))
        return
    masked, unmasked = pair
    with st.spinner(t("input.running")):
        rows = services.toy_rows(masked, unmasked)
    table = pd.DataFrame([
        {t("ablations.col_model"): r.name,
         t("ablations.col_trained_mask"): t("ablations.yes") if r.trained_with_mask else t("ablations.no"),
         t("ablations.col_tf_loss"): r.teacher_forced_loss,
         t("ablations.col_tf_acc"): r.teacher_forced_accuracy,
         t("ablations.col_free_acc"): r.free_running_accuracy,
         t("ablations.col_free_tok"): r.free_running_token_accuracy}
        for r in rows
    ])
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        t("ablations.col_tf_loss"): st.column_config.NumberColumn(format="%.5f"),
        t("ablations.col_tf_acc"): st.column_config.NumberColumn(format="percent"),
        t("ablations.col_free_acc"): st.column_config.NumberColumn(format="percent"),
        t("ablations.col_free_tok"): st.column_config.NumberColumn(format="percent"),
    })
    st.caption(t("ablations.toy_table_caption"))
    source = st.text_input(t("ablations.toy_input"), value=lesson.TOY_SOURCE, key="abl_toy", bind=BIND,
                           help=t("ablations.toy_input_help"), max_chars=60)
    words = (source or "").split()
    letters = [c for c in words if len(c) == 1 and "a" <= c <= "t"]
    if len(letters) < 3:
        st.info(t("ablations.toy_input_bad"))
        return
    if len(letters) < len(words):
        st.caption(t("ablations.toy_dropped", dropped=" ".join(w for w in words if w not in letters)[:60]))
    if len(letters) > 10:
        st.caption(t("ablations.toy_cut", n=len(letters)))
        letters = letters[:10]
    source = " ".join(letters)
    reference = " ".join(reversed(letters))
    views = [services.toy_view(m, source, reference) for m in (masked, unmasked)]
    translations_table([(t("ablations.toy_reference"), reference)]
                       + [(m.name, v.generated or t("ablations.toy_nothing")) for m, v in zip((masked, unmasked), views)])
    toy_layers = views[0].decoder_self.shape[0]
    busiest = int(views[1].next_token_mass.argmax())  # the layer where the no-mask toy looks at the answer most
    note_invalid_link_value("abl_toy_layer", [str(i) for i in range(1, toy_layers + 1)])
    toy_layer = st.segmented_control(t("explorer.layer"), list(range(1, toy_layers + 1)), default=busiest + 1,
                                     required=True, key="abl_toy_layer", bind=BIND)
    toy_layer = min(int(toy_layer or toy_layers), toy_layers) - 1
    rows_ = [row_labels(v.input_tokens, v.output_tokens, row_mode) for v in views]
    shelf.chart(lambda s: map_panels(
        [v.decoder_self[toy_layer].mean(0) for v in views], rows_, [v.input_tokens for v in views],
        [t("ablations.toy_panel_masked"), t("ablations.toy_panel_unmasked")],
        t("ablations.toy_title", layer=toy_layer + 1), s,
        (t(f"axis.target_query.{row_mode}"), t("axis.target_key"), t("axis.weight")), subtitle=source),
        key="abl_toy_maps")
    st.markdown(t("ablations.toy_reading", next=f"{views[1].next_token_mass[toy_layer]:.0%}",
                  loss_masked=f"{rows[0].teacher_forced_loss:.5f}", loss_unmasked=f"{rows[1].teacher_forced_loss:.5f}",
                  acc_masked=f"{rows[0].free_running_accuracy:.0%}", acc_unmasked=f"{rows[1].free_running_accuracy:.0%}"))
    st.page_link("app_pages/masks.py", label=t("ablations.link_masks"), icon=":material/visibility_off:")


# ------------------------------------------------------------------- 4. remove heads
def draw_heads() -> None:
    st.subheader(t("ablations.heads_header"))
    st.markdown(t("ablations.heads_explain"))
    codes = lesson.head_codes(DEPTH, cfg.n_heads)

    def head_label(code: str) -> str:
        kind, layer, head = lesson.parse_head_code(code, DEPTH, cfg.n_heads)
        return t("ablations.head_label", kind=kind_titles[kind], layer=layer + 1, head=head + 1)

    note_invalid_link_values("abl_heads", codes)
    chosen = st.multiselect(t("ablations.heads_pick"), codes, key="abl_heads", bind=BIND, help=t("ablations.heads_pick_help"),
                            placeholder=t("ablations.heads_placeholder"))
    heads = [h for h in (lesson.parse_head_code(c, DEPTH, cfg.n_heads) for c in chosen or []) if h is not None]
    if heads:
        st.caption(t("ablations.heads_chosen", heads="; ".join(head_label(c) for c in chosen)))
        with st.spinner(t("input.running")):
            comparison = services.comparison(model, text, Ablation(removed_heads=frozenset(heads)))
        kind0, layer0, head0 = heads[0]
        kind = st.segmented_control(t("ablations.show_kind"), list(KIND_NAMES), format_func=kind_titles.get, required=True,
                                    default=kind0, key=translated_key("abl_heads_show", "kind.{}".format), bind=BIND) or kind0
        first = next(((l, h) for k, l, h in heads if k == kind), (0, 0))  # by default the first removed head of this kind
        follow("heads", (kind, tuple(sorted(heads))), "abl_heads", *first)
        layer, head = pick_layer_head("abl_heads", DEPTH[kind], *first)
        st.metric(t("ablations.metric_same"), t("ablations.yes") if comparison.same_translation else t("ablations.no"))
        comparison_charts(comparison, kind, layer, head, "abl_heads", t("ablations.what_removed", n=len(heads)))
        st.caption(t("ablations.heads_zero_note"))
    else:
        st.info(t("ablations.heads_none"))
    draw_importance()


def draw_importance() -> None:
    st.subheader(t("ablations.importance_header"))
    st.markdown(t("ablations.importance_explain"))
    table = services.known_importance(model)
    if table is None:
        st.info(t("ablations.importance_missing"))
        if not st.button(t("ablations.importance_measure"), icon=":material/play_arrow:"):
            return
        bar = st.progress(0.0, text=t("ablations.importance_progress", done=0, total=1))

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=t("ablations.importance_progress", done=done, total=total))

        try:
            table = services.measure_importance(model, progress)
        except FileNotFoundError as exc:
            st.error(t("ablations.importance_failed", error=str(exc)))
            return
        bar.empty()
    st.caption(t("ablations.importance_source", test=table.test, n=table.sentences, bleu=f"{table.baseline_bleu:.2f}",
                 signature=table.signature))
    deltas = [lesson.importance_matrix(table, k, DEPTH[k], cfg.n_heads) for k in KIND_NAMES]
    shelf.chart(lambda s: figures.importance_panels(
        deltas, [kind_titles[k] for k in KIND_NAMES], t("ablations.importance_title", model=model.name), s,
        (t("axis.head"), t("ablations.axis_layer"), t("ablations.axis_delta")),
        subtitle=t("ablations.importance_subtitle", bleu=f"{table.baseline_bleu:.1f}")), key="abl_importance")
    # The explorer's own head statistics (core.analysis: special query rows left out, entropy in bits)
    # of the sentence in the box, next to each head's importance.
    res = page_setup.translation(ready, 1)
    stats = {}
    if res is not None:
        sides = {"encoder_self": (res.source_special, res.source_special), "decoder_self": (res.target_special, res.target_special),
                 "cross": (res.target_special, res.source_special)}
        for k in KIND_NAMES:
            table_k = head_statistics(res.attention.get(k), sides[k][1], sides[k][0])
            stats[k] = {(int(r.layer), int(r.head)): r for r in table_k.itertuples()}
    frame = pd.DataFrame([
        {t("ablations.col_kind"): kind_titles[kind], t("explorer.layer"): layer, t("explorer.head"): head,
         t("ablations.col_bleu"): bleu, t("ablations.col_delta"): delta,
         t("ablations.col_entropy"): stats[kind][(layer, head)].entropy if stats else None,
         t("ablations.col_max"): stats[kind][(layer, head)].max_weight if stats else None}
        for kind, layer, head, bleu, delta in lesson.importance_rows(table)
    ])
    st.dataframe(frame, hide_index=True, width="stretch", column_config={
        t("ablations.col_bleu"): st.column_config.NumberColumn(format="%.2f"),
        t("ablations.col_delta"): st.column_config.NumberColumn(format="%+.2f"),
        t("ablations.col_entropy"): st.column_config.NumberColumn(format="%.2f", help=t("ablations.col_entropy_help")),
        t("ablations.col_max"): st.column_config.NumberColumn(format="%.2f"),
    })
    worst = lesson.importance_rows(table)[0]
    st.markdown(t("ablations.importance_reading", kind=kind_titles[worst[0]], layer=worst[1], head=worst[2],
                  delta=f"{worst[4]:+.2f}", small=sum(1 for r in table.rows if abs(r.delta) < 1.0), total=len(table.rows)))
    # The explorer's view parameter holds the translated view title (see app.ui.choices).
    st.page_link("app_pages/explorer.py", label=t("ablations.link_stats"), icon=":material/grid_view:",
                 query_params={f"section_{current_language()}": t("stats.tab")})


DRAW = {"positions": draw_positions, "scaling": draw_scaling, "look_ahead": draw_look_ahead, "heads": draw_heads}
DRAW[part]()
