"""Back-translation: parallel data made from target-language text (Sennrich, Haddow & Birch, 2016).

A translation model learns from pairs, and pairs are scarce for Korean–English
(about 26k here, against 4.5M for the paper's WMT English–German). Text in the
*target* language alone is easier to find. Back-translation turns it into
pairs: a model of the *reverse* direction translates each target sentence into
the source language, and the new pair is (machine-made source, real target).
The decoder then only ever learns to write real sentences; the noise is on the
side it reads. Edunov et al. (2018) measured that this helps most when the real
data is small — our case.

A recipe asks for it with a ``back_translate`` table in place of ``train``::

    [[data.corpus]]
    name = "multi30k-bt"
    back_translate = { model = "pretrained/en-ko", text = "../shared/data/multi30k/train.en" }
    weight = 0.5

Here the shipped English → Korean model turns Multi30k's English captions into
Korean, and a Korean → English run trains on (Korean made by en-ko, the
caption). The translations are written once into the run folder
(``back-translation/<name>.txt``) next to a record of what made them (the
SHA-256 of the model's weights and tokenizer and of the text, and the decoding
settings); a resumed run reuses them and refuses to go on if any of these has
changed, since its earlier steps learned from the old pairs.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch

from .checkpoint import file_sha256
from .data import read_lines

CACHE_FOLDER = "back-translation"
MODEL_FILES = {"model.safetensors", "config.json"}


@dataclass(frozen=True)
class BackTranslation:
    """One ``back_translate`` table: which model translates which target-language file, and how.

    ``model`` and ``text`` are resolved paths; ``beam_size`` 1 is greedy
    decoding (Edunov et al. found sampled or noised sources better than beam
    search for large data; at our size greedy is the plain choice).
    """

    name: str
    model: Path
    text: Path
    beam_size: int = 1
    batch_size: int = 64

    @classmethod
    def from_table(cls, name: str, table: dict[str, Any], resolve) -> BackTranslation:
        """Read a recipe's ``back_translate = {model, text, beam_size?, batch_size?}``; ``resolve`` maps a recipe path to a file."""
        unknown = set(table) - {"model", "text", "beam_size", "batch_size"}
        if unknown or not {"model", "text"} <= set(table):
            raise ValueError(
                f"corpus {name!r}: back_translate needs model and text (optional beam_size, batch_size); "
                f"got {sorted(table)}"
            )
        return cls(
            name=name,
            model=resolve(table["model"]),
            text=resolve(table["text"]),
            beam_size=int(table.get("beam_size", 1)),
            batch_size=int(table.get("batch_size", 64)),
        )

    def cache_paths(self, run_dir: Path) -> tuple[Path, Path]:
        """The machine-made source sentences (one per line of ``text``) and the record of what made them."""
        folder = run_dir / CACHE_FOLDER
        return folder / f"{self.name}.txt", folder / f"{self.name}.json"

    def fingerprint(self) -> dict[str, Any]:
        """What the translations depend on: the model's files, the text and the decoding settings."""
        if not self.model.is_dir():
            raise FileNotFoundError(
                f"back-translation model {self.model} is missing: train or download it first "
                f"(its own recipe in configs/), or change back_translate.model in the recipe"
            )
        if not self.text.is_file():
            raise FileNotFoundError(f"back-translation text {self.text} is missing: check back_translate.text in the recipe")
        # The weights, their configuration and the tokenizer(s): what decides the translations.
        model_files = sorted(p for p in self.model.iterdir() if p.name in MODEL_FILES or p.match("spm*.model"))
        return {
            "model_sha256": {p.name: file_sha256(p) for p in model_files},
            "text_sha256": file_sha256(self.text),
            "beam_size": self.beam_size,
        }


def prepare(spec: BackTranslation, run_dir: Path, resuming: bool, quiet: bool = False) -> Path:
    """Write the back-translations of ``spec`` into ``run_dir`` once, and return their file.

    Raises:
        RuntimeError: when a resumed run's translations were made by another
            model, text or setting than the recipe now names.
    """
    out, record = spec.cache_paths(run_dir)
    wanted = spec.fingerprint()
    if out.is_file() and record.is_file():
        made = json.loads(record.read_text(encoding="utf-8"))
        if made.get("fingerprint") == wanted:
            return out
        if resuming:
            raise RuntimeError(
                f"{out} was made from other inputs than the recipe now names ({_difference(made.get('fingerprint', {}), wanted)}): "
                f"this run learned from those pairs. Restore the old model/text, or start a new run (another --out)"
            )
    # Deferred import: the loader pulls in the whole inference stack, which a recipe without
    # back-translation never needs.
    from .loader import load_translator

    translator = load_translator(spec.model)
    texts = read_lines(spec.text)
    start = time.perf_counter()
    with torch.inference_mode():
        made_sources = translator.translate_texts(texts, beam_size=spec.beam_size, batch_size=spec.batch_size)
    seconds = time.perf_counter() - start
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".partial")
    partial.write_text("".join(s.replace("\n", " ") + "\n" for s in made_sources), encoding="utf-8")
    partial.replace(out)
    record.write_text(
        json.dumps({"fingerprint": wanted, "lines": len(texts), "seconds": round(seconds, 1), "settings": asdict(spec)},
                   indent=1, default=str),
        encoding="utf-8",
    )
    if not quiet:
        print(f"back-translated {len(texts)} lines of {spec.text} with {spec.model} in {seconds:.1f} s -> {out}")
    return out


def _difference(old: dict[str, Any], new: dict[str, Any]) -> str:
    changed = [key for key in sorted(set(old) | set(new)) if old.get(key) != new.get(key)]
    return "changed: " + ", ".join(changed)
