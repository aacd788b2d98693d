"""Lesson: sinusoidal positional encoding (§3.5)."""

from __future__ import annotations

import numpy as np
import streamlit as st

from app.figures import positional as positional_figures
from app.i18n import t
from app.lessons import positional as lesson
from app.services.models import get_translator, model_error
from app.ui import page_setup
from app.ui.choices import BIND
from app.ui.export_panel import ChartShelf
from app.ui.sentence import sentence_input
from app.ui.sidebar import current
from core.tokenizer import clean_text

ctx = current()
style = ctx.display.style
shelf = ChartShelf("positional", style)  # every chart below is offered for slides at the end of the page
st.title(t("positional.title"))
st.markdown(t("positional.intro"))
st.latex(
    r"PE_{(pos,\,2i)} = \sin\!\left(\frac{pos}{10000^{2i/d_{model}}}\right) \qquad "
    r"PE_{(pos,\,2i+1)} = \cos\!\left(\frac{pos}{10000^{2i/d_{model}}}\right)"
)

# The shipped model, if it loads, gives the default length (its max_positions).
broken = model_error(ctx.model) if ctx.model is not None else None
translator = get_translator(ctx.model) if ctx.model is not None and broken is None else None
model_length = translator.config.max_positions if translator else 64

# ------------------------------------------------------------- controls
col_d, col_n = st.columns(2)
with col_d:
    d_model = int(st.select_slider(t("positional.d_model"), options=lesson.D_MODEL_CHOICES, value=lesson.DEFAULT_D_MODEL,
                                   key="positional_d_model", bind=BIND, help=t("positional.d_model_help")))
with col_n:
    length = int(st.slider(t("positional.length"), 2, lesson.MAX_LENGTH, min(model_length, lesson.MAX_LENGTH),
                           key="positional_length", bind=BIND, help=t("positional.length_help", n=model_length)))
# Keep the selection valid when d_model shrinks (set before the widget is drawn).
chosen = st.session_state.get("positional_dims")
if chosen is not None and any(d >= d_model for d in chosen):
    st.session_state["positional_dims"] = [d for d in chosen if d < d_model] or lesson.default_dimensions(d_model)
dims = st.multiselect(t("positional.dims"), list(range(d_model)), default=lesson.default_dimensions(d_model),
                      key="positional_dims", help=t("positional.dims_help"), max_selections=8, bind=BIND)
dims = sorted(dims) or lesson.default_dimensions(d_model)
table = lesson.encoding_table(length, d_model)  # (length, d_model)

# ------------------------------------------------------------- curves
st.subheader(t("positional.curves_header"))
st.markdown(t("positional.curves_explain"))
infos = [lesson.describe_dimension(d, d_model) for d in dims]
dim_names = [t("positional.dim_name", dim=i.dim, fn=i.function, pair=i.pair, wavelength=f"{i.wavelength:,.1f}") for i in infos]
shelf.chart(lambda s: positional_figures.pe_curves(table, dims, dim_names, t("positional.curves_title", d_model=d_model, n=length), s,
                            t("positional.position"), t("positional.value"), t("positional.curves_note")),
    key="positional_curves",
)

# ------------------------------------------------------------- heatmap
st.subheader(t("positional.heatmap_header"))
st.markdown(t("positional.heatmap_explain"))
shelf.chart(lambda s: positional_figures.pe_heatmap(table, t("positional.heatmap_title", d_model=d_model, n=length), s,
                             t("positional.dimension"), t("positional.position")),
    key="positional_heatmap",
)
step_r, step_c = lesson.stride(length, 240), lesson.stride(d_model, 240)
if step_r > 1 or step_c > 1:
    st.caption(t("positional.thinned", rows=step_r, cols=step_c))

# ------------------------------------------------------------- similarity
st.subheader(t("positional.similarity_header"))
st.markdown(t("positional.similarity_explain", half=d_model // 2))
sim = lesson.similarity(table)
reference = st.slider(t("positional.reference"), 0, length - 1, min(length // 2, length - 1), key="positional_reference", bind=BIND)
col_m, col_p = st.columns(2)
with col_m:
    shelf.chart(lambda s: positional_figures.pe_similarity(sim, t("positional.similarity_title", d_model=d_model), s,
                                    (t("positional.position_i"), t("positional.position_j")),
                                    subtitle=t("positional.not_attention")),
        key="positional_similarity",
    )
with col_p:
    shelf.chart(lambda s: positional_figures.pe_profile(lesson.similarity_profile(table, reference), reference,
                                 t("positional.profile_title", ref=reference, d_model=d_model), s,
                                 t("positional.position_j"), t("positional.dot_axis", ref=reference),
                                 t("positional.not_attention")),
        key="positional_profile",
    )
offset = 3
shift = lesson.shift_matrix(offset, d_model)
shift_error = float(np.abs(table[offset:] - table[:-offset] @ shift.T).max()) if length > offset else 0.0
st.markdown(t("positional.shift", k=offset, error=f"{shift_error:.1e}"))

# ------------------------------------------------------------- the shipped model
st.subheader(t("positional.model_header"))
if ctx.model is None:
    st.info(t("positional.no_model"))
elif translator is None:
    st.error(t("model.broken", error=broken))
elif not page_setup.view_unavailable(translator, "positional", ctx.model.name):
    model = ctx.model
    cfg = translator.config
    own = translator.model.positional_encoding.numpy().astype(np.float64)  # (max_positions, d_model)
    formula_error = float(np.abs(own - lesson.encoding_table(cfg.max_positions, cfg.d_model)).max())
    st.markdown(t("positional.model_explain", model=model.name, n=cfg.max_positions, d_model=cfg.d_model,
                  error=f"{formula_error:.1e}", norm=f"{np.sqrt(cfg.d_model / 2):.2f}"))
    text = sentence_input(model)
    if not text.strip():
        st.info(t("input.empty"))
    elif not clean_text(text):
        st.warning(t("input.nothing_to_translate"))
    else:
        labels, truncated = lesson.sentence_positions(translator, text)
        if truncated:
            st.warning(t("input.truncated", n=translator.max_source_tokens))
        shelf.chart(lambda s: positional_figures.pe_heatmap(own[: len(labels)], t("positional.model_title", model=model.name, n=len(labels)), s,
                                     t("positional.dimension"), t("positional.token"), row_labels=labels),
            key="positional_model",
        )
    with st.expander(t("positional.model_full")):
        shelf.chart(lambda s: positional_figures.pe_heatmap(own, t("positional.model_full_title", model=model.name, n=cfg.max_positions), s,
                                     t("positional.dimension"), t("positional.position")),
            key="positional_model_full",
        )

st.info(t("positional.learned_note"))
