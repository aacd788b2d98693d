"""The "Take it apart" page's small pure helpers (no Streamlit).

The experiments themselves live in ``core.ablation_studies`` and
``core.head_importance``; this module turns their results into what the page
shows: the URL codes of removed heads, the head importance table as rows and
matrices (decoder row labels come from ``app.lessons.explorer_view.row_labels``).
"""

from __future__ import annotations

import numpy as np

from core.head_importance import HeadImportance
from core.kinds import KIND_NAMES

PARTS = ("positions", "scaling", "look_ahead", "heads")  # the page's four experiments, in paper order
TOY_SOURCE = "a b c d e f"  # the letters toy's default string


def head_code(kind: str, layer: int, head: int) -> str:
    """URL code of a head, 1-based as in the UI: ``("cross", 2, 0)`` → ``"cross-3-1"``."""
    return f"{kind}-{layer + 1}-{head + 1}"


def parse_head_code(code: str, depth: dict[str, int], n_heads: int) -> tuple[str, int, int] | None:
    """``"cross-3-1"`` → ``("cross", 2, 0)``; ``None`` when it names no head of this model."""
    kind, _, rest = code.rpartition("-")
    kind, _, layer = kind.rpartition("-")
    try:
        layer_i, head_i = int(layer) - 1, int(rest) - 1
    except ValueError:
        return None
    if kind not in KIND_NAMES or not (0 <= layer_i < depth.get(kind, 0)) or not (0 <= head_i < n_heads):
        return None
    return kind, layer_i, head_i


def head_codes(depth: dict[str, int], n_heads: int) -> list[str]:
    """Every head's code, kind by kind, layer by layer."""
    return [head_code(k, l, h) for k in KIND_NAMES for l in range(depth[k]) for h in range(n_heads)]


def importance_matrix(table: HeadImportance, kind: str, layers: int, heads: int) -> np.ndarray:
    """``(layers, heads)`` ΔBLEU of one kind (NaN where the table has no row)."""
    out = np.full((layers, heads), np.nan)
    for r in table.rows:
        if r.kind == kind and r.layer < layers and r.head < heads:
            out[r.layer, r.head] = r.delta
    return out


def importance_rows(table: HeadImportance) -> list[tuple[str, int, int, float, float]]:
    """``(kind, layer, head, bleu, delta)`` 1-based, most harmful removal first."""
    return [(r.kind, r.layer + 1, r.head + 1, r.bleu, r.delta) for r in sorted(table.rows, key=lambda r: r.delta)]


def max_change(a: np.ndarray, b: np.ndarray) -> float:
    """Largest absolute difference of two arrays (0 for empty ones)."""
    return float(np.abs(np.asarray(a) - np.asarray(b)).max()) if np.size(a) else 0.0
