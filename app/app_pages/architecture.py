"""Lesson: the encoder–decoder architecture (Figure 1, §3) and where its parameters are (Table 3)."""

from __future__ import annotations

import itertools

import pandas as pd
import streamlit as st

from app.app_pages import PAGE_BY_FILE
from app.figures import architecture as architecture_figures
from app.i18n import current_language, t
from app.lessons import architecture as lesson
from app.services.models import get_translator, model_error
from app.ui.export_panel import ChartShelf
from app.ui.sidebar import current
from core.config import PAPER_BASE, PAPER_BIG

ctx = current()
style = ctx.display.style
shelf = ChartShelf("architecture", style)  # every chart below is offered for slides at the end of the page
st.title(t("architecture.title"))
st.markdown(t("architecture.intro"))

broken = model_error(ctx.model) if ctx.model is not None else None
translator = get_translator(ctx.model) if ctx.model is not None and broken is None else None
cfg = translator.config if translator else None
if ctx.model is None:
    st.info(t("architecture.no_model"))
elif broken:
    st.error(t("model.broken", error=broken))


def link_label(link: lesson.Link) -> str:
    page = t(PAGE_BY_FILE[link.page].title_key)
    if link.section:
        return f"→ {page}: {t(lesson.SECTION_TITLE_KEYS[link.section])}"
    return f"→ {page}"


def link_params(link: lesson.Link) -> dict[str, str]:
    """The query string of a link to an explorer tab (its URL parameter holds the
    translated tab title). The rest of the view — sentence, model, language — is
    bound to the URL and travels along by itself."""
    if not link.section:
        return {}
    return {f"section_{current_language()}": t(lesson.SECTION_TITLE_KEYS[link.section])}


def draw_block(block: lesson.Block, side: str, position: int) -> None:
    """One box: name and paper section, links to where it is shown, a one-line explanation."""
    with st.container(border=True, gap="small"):
        with st.container(horizontal=True, gap="small", vertical_alignment="center"):
            st.markdown(f"**{t(f'architecture.block.{block.key}')}** · {block.paper}", width="content")
            for link in block.links:
                st.page_link(f"app_pages/{link.page}", label=link_label(link), query_params=link_params(link) or None)
        st.caption(t(f"architecture.block.{block.key}.explain"))


def arrow() -> None:
    st.markdown("↑", text_alignment="center")


def draw_stack(blocks: tuple[lesson.Block, ...], side: str, n_layers: int | None) -> None:
    """Blocks top to bottom (Figure 1 reads bottom-up), the N× repeated ones in one frame."""
    ordered = list(enumerate(blocks))[::-1]
    for g, (repeated, group) in enumerate(itertools.groupby(ordered, key=lambda item: item[1].repeated)):
        if g:
            arrow()
        group = list(group)
        frame = st.container(border=True) if repeated else st.container()
        with frame:
            if repeated:
                st.markdown(t("architecture.stack", n=n_layers if n_layers else "—", paper=PAPER_BASE["n_layers"]))
            for k, (position, block) in enumerate(group):
                if k:
                    arrow()
                draw_block(block, side, position)


# ------------------------------------------------------------- Figure 1
st.subheader(t("architecture.diagram_header"))
st.caption(t("architecture.diagram_explain"))
col_enc, col_dec = st.columns(2, gap="large")
with col_enc:
    st.markdown(f"### {t('architecture.encoder')}")
    draw_stack(lesson.ENCODER, "encoder", cfg.n_encoder_layers if cfg else None)
    st.info(t("architecture.memory_arrow"))
with col_dec:
    st.markdown(f"### {t('architecture.decoder')}")
    draw_stack(lesson.DECODER, "decoder", cfg.n_decoder_layers if cfg else None)

# ------------------------------------------------------------- hyper-parameters
st.subheader(t("architecture.hp_header"))
st.markdown(t("architecture.hp_explain"))
real = lesson.parameter_breakdown(translator.model) if translator else None
total = sum(real.values()) if real else None
ours_name = ctx.model.name if ctx.model is not None else t("architecture.shipped")
VALUE_KEYS = {"positions", "norm"}  # rows whose values are words, shown in the interface language


def shown(name: str, value: str) -> str:
    return t(f"architecture.value.{value}") if name in VALUE_KEYS and value != "—" else value


rows = [(name, *(shown(name, v) for v in values)) for name, *values in lesson.hyperparameters(cfg, total)]
hp_table = pd.DataFrame(
    {
        t("architecture.col_hp"): [t(f"architecture.hp.{name}") for name, *_ in rows],
        ours_name: [r[1] for r in rows],
        t("architecture.col_base"): [r[2] for r in rows],
        t("architecture.col_big"): [r[3] for r in rows],
    }
)
st.table(hp_table, hide_index=True)

# ------------------------------------------------------------- parameter counts
st.subheader(t("architecture.params_header"))
st.markdown(t("architecture.params_explain"))
base, big = lesson.paper_breakdown(PAPER_BASE), lesson.paper_breakdown(PAPER_BIG)
breakdowns = {t("architecture.col_base"): base, t("architecture.col_big"): big}
if real:
    breakdowns = {ours_name: real, **breakdowns}
component_names = {c: t(f"architecture.component.{c}") for c in lesson.COMPONENTS}
counts = pd.DataFrame({t("architecture.col_component"): [*component_names.values(), t("architecture.total")]})
for name, breakdown in breakdowns.items():
    counts[name] = [f"{breakdown[c]:,}" for c in lesson.COMPONENTS] + [f"{sum(breakdown.values()):,}"]
st.table(counts, hide_index=True)
shelf.chart(lambda s: architecture_figures.parameter_shares(breakdowns, component_names, t("architecture.params_title"), s, t("architecture.share_axis")),
    key="architecture_params",
)
st.markdown(
    t("architecture.params_check",
      base=lesson.format_count(sum(base.values())), base_paper=PAPER_BASE["params_millions"],
      big=lesson.format_count(sum(big.values())), big_paper=PAPER_BIG["params_millions"])
)
if real and cfg:
    formula = lesson.config_breakdown(cfg)
    match = formula == real
    st.caption(t("architecture.formula_match" if match else "architecture.formula_mismatch", model=ours_name))
