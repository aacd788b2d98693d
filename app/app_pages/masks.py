"""Lesson: padding and look-ahead masks, and what −∞ does in the softmax (§3.2.3)."""

from __future__ import annotations

import streamlit as st

from app.figures import common as common_figures
from app.figures import masks as masks_figures
from app.i18n import t
from app.lessons import masks as lesson
from app.services import translations
from app.ui import page_setup
from app.ui.choices import BIND, translated_key
from app.ui.export_panel import ChartShelf
from app.ui.sentence import pieces_legend, token_chips
from app.ui.sidebar import current
from core import KIND_NAMES
from core.tokenizer import clean_text

ctx = current()
style = ctx.display.style
shelf = ChartShelf("masks", style)  # every chart below is offered for slides at the end of the page
st.title(t("masks.title"))
st.markdown(t("masks.intro"))

ready = page_setup.model_and_sentence(ctx)
if ready is None:
    st.stop()
model, translator, text = ready.model, ready.translator, ready.text
if page_setup.view_unavailable(translator, "scores", model.name):
    st.stop()
cfg = translator.config


def token_count(sentence: str) -> int:
    return len(translator.source_tokenizer.encode(sentence))


auto_second = lesson.second_sentence(text, model.examples, token_count)
typed_second = st.text_input(
    t("masks.second"), key="masks_second", bind=BIND, placeholder=auto_second, help=t("masks.second_help")
)
second = typed_second if clean_text(typed_second or "") else auto_second
if typed_second and not clean_text(typed_second):
    st.caption(t("masks.second_unusable"))

with st.spinner(t("input.running")):
    batch = translations.inspect(model, (text, second))

# ------------------------------------------------------------ the batch
st.subheader(t("masks.batch_header"))
st.markdown(t("masks.batch_explain", src=len(batch.source_tokens[0]), tgt=len(batch.target_tokens[0])))
SENTENCE_KEYS = ["masks.sentence_yours", "masks.sentence_second"]
sentence_names = [t(key) for key in SENTENCE_KEYS]
for i, name in enumerate(sentence_names):
    src, tgt = batch.source_tokens[i], batch.target_tokens[i]
    src_special = [translator.source_tokenizer.is_special(x) for x in batch.source_ids[i].tolist()]
    tgt_special = [translator.target_tokenizer.is_special(x) for x in batch.target_ids[i].tolist()]
    token_chips(src, src_special, t("masks.chips_source", name=name), legend=False)
    token_chips(tgt, tgt_special, t("masks.chips_target", name=name), legend=False)
pieces_legend([tok for row in batch.source_tokens + batch.target_tokens for tok in row])

sentence_masks = [lesson.sentence_masks(batch, i) for i in range(2)]
if all(m.source_pads == 0 and m.target_pads == 0 for m in sentence_masks):
    st.info(t("masks.no_padding"))

# ------------------------------------------------------------ mask diagrams
st.subheader(t("masks.diagrams_header"))
st.markdown(t("masks.diagrams_explain"))
shelf.chart(lambda s: masks_figures.mask_diagrams(
        list(zip(sentence_names, sentence_masks)),
        (t("masks.panel_padding"), t("masks.panel_look_ahead"), t("masks.panel_decoder")),
        t("masks.diagrams_title", model=model.name),
        s,
        legend=(t("masks.allowed"), t("masks.blocked")),
        axis_names=(t("axis.query"), t("axis.key")),
    ),
    key="masks_diagrams",
)

# ------------------------------------------------------------ four stages
st.subheader(t("masks.stages_header"))
st.markdown(t("masks.stages_explain"))
col_s, col_l, col_h = st.columns([2, 1, 2], vertical_alignment="bottom")
with col_s:
    index = st.segmented_control(
        t("masks.sentence"), [0, 1], format_func=lambda i: sentence_names[i], key=translated_key("masks_sentence", SENTENCE_KEYS.__getitem__), bind=BIND, required=True, default=0
    )
with col_l:
    layer = st.segmented_control(
        t("explorer.layer"), list(range(1, max(cfg.n_encoder_layers, cfg.n_decoder_layers) + 1)), key="masks_layer",
        required=True, default=1, bind=BIND,
    )
with col_h:
    head = st.segmented_control(t("explorer.head"), list(range(1, cfg.n_heads + 1)), key="masks_head", required=True, default=1, bind=BIND)
numbers = st.toggle(t("masks.numbers"), value=True, key="masks_numbers", bind=BIND, help=t("masks.numbers_help"))
index = int(index or 0)
head_index = min(int(head or 1), cfg.n_heads) - 1
panel_titles = (t("masks.stage_raw"), t("masks.stage_scaled"), t("masks.stage_masked"), t("masks.stage_softmax"))

for kind in KIND_NAMES:
    n_layers = cfg.n_encoder_layers if kind == "encoder_self" else cfg.n_decoder_layers
    layer_index = min(int(layer or 1), n_layers) - 1
    stages = lesson.mask_stages(batch, kind, index, layer_index, head_index, cfg.d_head)
    summary = lesson.stage_summary(stages)
    st.markdown(f"#### {t(f'kind.{kind}')}")
    st.caption(t(f"masks.kind_explain.{kind}"))
    title = t(
        "masks.stages_title", kind=t(f"kind.{kind}"), layer=layer_index + 1, head=head_index + 1,
        sentence=sentence_names[index], model=model.name,
    )
    shelf.chart(lambda s, stages=stages, title=title: masks_figures.mask_stage_panels(
            stages, panel_titles, title, s, bool(numbers),
            axis_names=(t("axis.query"), t("axis.key")),
            value_names=(t("masks.score"), t("axis.weight")),
            blocked_name=t("masks.blocked_inf"),
        ),
        key=f"masks_stages_{kind}",
    )
    st.caption(
        t("masks.check", blocked=summary.blocked, max_blocked=f"{summary.max_blocked_weight:g}",
          row_error=f"{summary.max_row_error:.1e}")
    )
    if bool(numbers) and max(len(stages.query_labels), len(stages.key_labels)) > common_figures.MAX_NUMBER_CELLS:
        st.caption(t("masks.numbers_too_long", n=common_figures.MAX_NUMBER_CELLS))
