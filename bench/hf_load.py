"""Does loading a large Hugging Face model freeze the other sessions?

    python bench/hf_load.py [--folder /tmp/attnlab-marian-base] [--threads 2]

Writes (once) a paper-base MarianMT folder with random weights — 6 + 6 layers,
d_model 512, 8 heads, d_ff 2048, opus-mt's 58 101-entry vocabulary, float32:
about 300 MB, the size of an opus-mt model — with ``save_pretrained``. Then,
in one process as the app runs it (one thread per session):

  * a "session" thread translates with ``pretrained/multi30k-en-de``
    (``Translator.translate``, every map recorded) over and over;
  * first alone (baseline), then while another thread opens the big folder
    with ``core.load_translator`` — the first time in the process (that also
    imports ``transformers``' modules: ``core.hf.preload_library`` does that in
    the background when the app lists a Hugging Face folder), and again (the
    load alone; the app's ``st.cache_resource`` keeps the result, so this is
    what a second Hugging Face model costs).

With ``--preload`` the library is imported first (``preload_library``, as the
app does when it lists the folder), then the folder is opened.

Prints each load time and the other session's median and worst translation
latency, alone and during each load.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import load_translator  # noqa: E402
from core.hf import preload_library  # noqa: E402

VOCAB = 58101
SENTENCE = "Two young girls are playing soccer in a park while their parents watch."


def write_folder(folder: Path) -> None:
    """A random paper-base Marian folder with a tokenizer from our en-de sentencepiece model."""
    import transformers as tf

    folder.mkdir(parents=True, exist_ok=True)
    spm_file = ROOT / "pretrained" / "multi30k-en-de" / "spm.model"
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(spm_file))
    vocab = {sp.id_to_piece(i): i for i in range(sp.get_piece_size())}
    for i in range(len(vocab), VOCAB):
        vocab[f"<extra_{i}>"] = i
    for name in ("source.spm", "target.spm"):
        (folder / name).write_bytes(spm_file.read_bytes())
    (folder / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    tok = tf.MarianTokenizer(str(folder / "source.spm"), str(folder / "target.spm"), str(folder / "vocab.json"))
    config = tf.MarianConfig(
        vocab_size=VOCAB, d_model=512, encoder_layers=6, decoder_layers=6, encoder_attention_heads=8,
        decoder_attention_heads=8, encoder_ffn_dim=2048, decoder_ffn_dim=2048, max_position_embeddings=512,
        pad_token_id=tok.pad_token_id, eos_token_id=tok.eos_token_id, decoder_start_token_id=tok.pad_token_id,
    )
    torch.manual_seed(0)
    tf.MarianMTModel(config).save_pretrained(str(folder))
    tok.save_pretrained(str(folder))


def latencies(translator, stop: threading.Event, out: list[float], limit: int | None = None) -> None:
    while not stop.is_set() and (limit is None or len(out) < limit):
        start = time.perf_counter()
        translator.translate(SENTENCE)
        out.append((time.perf_counter() - start) * 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folder", default="/tmp/attnlab-marian-base")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--baseline", type=int, default=15, help="translations measured before the load")
    parser.add_argument("--preload", action="store_true", help="import the library first, as the app does when it lists the folder")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    folder = Path(args.folder)
    if not (folder / "model.safetensors").is_file():
        write_folder(folder)
    size_mb = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
    session = load_translator(ROOT / "pretrained" / "multi30k-en-de")
    session.translate(SENTENCE)  # warm-up

    alone: list[float] = []
    latencies(session, threading.Event(), alone, args.baseline)
    rows = [("alone", None, alone)]
    phases = ("first load (with the library import)", "second load")
    if args.preload:  # what the app does: import the library in the background when it lists the folder
        phases = ("preload_library (the app runs it in a background thread)", "first load after the preload")
    for name in phases:
        during: list[float] = []
        stop = threading.Event()
        other = threading.Thread(target=latencies, args=(session, stop, during))
        other.start()
        time.sleep(0.2)  # the session is mid-translation when the load starts
        start = time.perf_counter()
        if name.startswith("preload"):
            preload_library(["marian"])
        else:
            big = load_translator(folder)
        load_s = time.perf_counter() - start
        stop.set()
        other.join()
        rows.append((name, load_s, during))
    params = sum(p.numel() for p in big.model.parameters())
    print(f"folder:   {folder} ({size_mb:.0f} MB, {params / 1e6:.1f} M parameters)   threads: {torch.get_num_threads()}")
    for name, load_s, values in rows:
        took = "" if load_s is None else f"load {load_s:.2f} s; "
        print(f"{name}: {took}other session's translation median {statistics.median(values):.0f} ms, "
              f"worst {max(values):.0f} ms over {len(values)} translations")


if __name__ == "__main__":
    main()
