"""Attention as data: every weight of a translation as a long table (CSV) or
as ``TranslationResult.to_dict()`` (JSON, what ``python -m core.translate --json``
prints), and several files as one ZIP.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence

import numpy as np
import pandas as pd

from core import ATTENTION_KINDS, TranslationResult


def unique_names(names: Sequence[str]) -> list[str]:
    """``["a", "a", "b"]`` → ``["a", "a-2", "b"]``."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        n = seen.get(name, 0) + 1
        seen[name] = n
        out.append(name if n == 1 else f"{name}-{n}")
    return out


def zip_files(files: Sequence[tuple[str, bytes]]) -> bytes:
    """``[(file name, bytes), …]`` as a ZIP (deflated; names made unique)."""
    buffer = io.BytesIO()
    names = unique_names([name for name, _ in files])
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, (_, data) in zip(names, files):
            zf.writestr(name, data)
    return buffer.getvalue()


CSV_COLUMNS = ["kind", "layer", "head", "query_index", "query_token", "key_index", "key_token", "weight"]


def attention_long_dataframe(res: TranslationResult) -> pd.DataFrame:
    """Every attention weight of ``res`` in long format, one row per weight.

    Columns: ``kind`` (``encoder_self`` / ``decoder_self`` / ``cross``),
    ``layer`` and ``head`` (**1-based**, as the app shows them),
    ``query_index`` / ``key_index`` (**0-based** positions, the ``#i`` of the
    hover box), ``query_token`` / ``key_token`` (the raw token labels:
    source tokens incl. ``</s>``; decoder input tokens ``<s> y_1 …``) and
    ``weight`` (float32, exactly ``res.attention``). Rows are ordered like
    ``res.attention.get(kind)[layer-1, head-1, query, key]``; masked decoder
    positions are included as exact zeros.
    """
    tokens = {"source": list(res.source_tokens), "target": list(res.target_tokens)}
    frames = []
    for info in ATTENTION_KINDS:
        kind, q_side, k_side = info.name, info.query_side, info.key_side
        w = np.asarray(res.attention.get(kind), dtype=np.float32)
        layers, heads, n_q, n_k = w.shape
        layer, head, q, k = (a.ravel() for a in np.indices(w.shape))
        q_tokens = np.asarray(tokens[q_side][:n_q], dtype=object)
        k_tokens = np.asarray(tokens[k_side][:n_k], dtype=object)
        frames.append(
            pd.DataFrame(
                {
                    "kind": kind,
                    "layer": layer + 1,
                    "head": head + 1,
                    "query_index": q,
                    "query_token": q_tokens[q],
                    "key_index": k,
                    "key_token": k_tokens[k],
                    "weight": w.ravel(),
                }
            )
        )
    df = pd.concat(frames, ignore_index=True)
    return df[CSV_COLUMNS]


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with a byte-order mark so spreadsheet programs read Hangul right)."""
    return df.to_csv(index=False).encode("utf-8-sig")


def attention_csv(res: TranslationResult) -> bytes:
    """``attention_long_dataframe(res)`` as CSV bytes."""
    return to_csv_bytes(attention_long_dataframe(res))


def attention_json(res: TranslationResult) -> bytes:
    """The JSON ``python -m core.translate --json`` prints for this translation."""
    return json.dumps(res.to_dict(), ensure_ascii=False).encode("utf-8")
