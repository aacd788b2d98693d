"""Tiny Hugging Face encoder–decoder folders, built here (no hub access).

For each architecture the app opens, a random-weight model from its config
class (2 + 2 layers, d_model 32, 4 heads) and a tokenizer trained on a few
hundred Multi30k lines, written with ``save_pretrained`` exactly as a
downloaded model folder looks. Build time: about a second each.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import sentencepiece as spm
import torch

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "multi30k"
ARCHITECTURES = ("marian", "bart", "mbart", "t5", "mt5", "m2m_100")
LINES = 300
FALLBACK = [
    "A man in a blue shirt is riding a bike.", "Two dogs are playing in the snow.",
    "Ein Mann fährt Fahrrad auf der Straße.", "Zwei Hunde spielen im Schnee.",
    "A woman sings on a stage while people watch.", "Eine Frau singt auf einer Bühne.",
]
TINY = dict(d_model=32, layers=2, heads=4, ffn=64, positions=64)


def corpus_lines() -> list[str]:
    """English and German training lines from ../shared/data/multi30k (a fallback set without it)."""
    lines = []
    for lang in ("en", "de"):
        path = DATA / f"train.{lang}"
        if path.is_file():
            with path.open(encoding="utf-8") as fh:
                lines += [next(fh).strip() for _ in range(LINES)]
    return lines or FALLBACK * 50


def _unigram(work: Path, vocab_size: int = 300) -> spm.SentencePieceProcessor:
    text = work / "corpus.txt"
    text.write_text("\n".join(corpus_lines()) + "\n", encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(text), model_prefix=str(work / "unigram"), vocab_size=vocab_size, model_type="unigram",
        pad_id=0, unk_id=1, bos_id=-1, eos_id=2, pad_piece="<pad>", eos_piece="</s>", minloglevel=2,
        hard_vocab_limit=False,
    )
    return spm.SentencePieceProcessor(model_file=str(work / "unigram.model"))


def build_tiny(architecture: str, folder: Path, seed: int = 0) -> Path:
    """Write a tiny random ``architecture`` model folder (``save_pretrained``) and return it."""
    import transformers as tf

    folder.mkdir(parents=True, exist_ok=True)
    work = folder.parent / f".{folder.name}-work"
    work.mkdir(exist_ok=True)
    sp = _unigram(work)
    pieces = [(sp.id_to_piece(i), sp.get_score(i)) for i in range(sp.get_piece_size())]
    sidecar: dict = {"source_language": "en", "target_language": "de", "publisher": "the test suite",
                     "examples": ["A man rides a bike.", "Two dogs play in the snow."]}
    b = TINY
    common = dict(d_model=b["d_model"], encoder_layers=b["layers"], decoder_layers=b["layers"],
                  encoder_attention_heads=b["heads"], decoder_attention_heads=b["heads"],
                  encoder_ffn_dim=b["ffn"], decoder_ffn_dim=b["ffn"], max_position_embeddings=b["positions"],
                  dropout=0.0, attention_dropout=0.0, activation_dropout=0.0)
    if architecture == "marian":
        vocab = {sp.id_to_piece(i): i for i in range(sp.get_piece_size())}
        for name in ("source.spm", "target.spm"):
            shutil.copyfile(work / "unigram.model", work / name)
        (work / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
        tok = tf.MarianTokenizer(str(work / "source.spm"), str(work / "target.spm"), str(work / "vocab.json"))
        config = tf.MarianConfig(vocab_size=len(vocab), pad_token_id=tok.pad_token_id, eos_token_id=tok.eos_token_id,
                                 decoder_start_token_id=tok.pad_token_id, **common)
        model_class = tf.MarianMTModel
    elif architecture == "bart":
        from tokenizers import ByteLevelBPETokenizer

        bpe = ByteLevelBPETokenizer()
        bpe.train(str(work / "corpus.txt"), vocab_size=400, special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"],
                  show_progress=False)
        bpe.save_model(str(work))
        tok = tf.BartTokenizer(vocab=str(work / "vocab.json"), merges=str(work / "merges.txt"))
        config = tf.BartConfig(vocab_size=len(tok), pad_token_id=tok.pad_token_id, bos_token_id=tok.bos_token_id,
                               eos_token_id=tok.eos_token_id, decoder_start_token_id=tok.eos_token_id,
                               forced_eos_token_id=None, **common)
        model_class = tf.BartForConditionalGeneration
    elif architecture == "mbart":
        tok = tf.MBartTokenizer(vocab=pieces, src_lang="en_XX", tgt_lang="de_DE")
        sidecar.update(src_lang="en_XX", tgt_lang="de_DE")
        config = tf.MBartConfig(vocab_size=len(tok), pad_token_id=tok.pad_token_id, bos_token_id=tok.bos_token_id,
                                eos_token_id=tok.eos_token_id, decoder_start_token_id=tok.eos_token_id,
                                forced_eos_token_id=None, **common)
        model_class = tf.MBartForConditionalGeneration
    elif architecture in ("t5", "mt5"):
        # T5's layout: <pad> 0, </s> 1, <unk> 2, then the pieces
        t5_pieces = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0)] + [p for p in pieces if p[0] not in ("<pad>", "</s>", "<unk>")]
        tok = tf.T5Tokenizer(vocab=t5_pieces, extra_ids=0)
        config_class = tf.MT5Config if architecture == "mt5" else tf.T5Config
        config = config_class(vocab_size=len(tok), d_model=b["d_model"], d_kv=b["d_model"] // b["heads"], d_ff=b["ffn"],
                             num_layers=b["layers"], num_decoder_layers=b["layers"], num_heads=b["heads"],
                             dropout_rate=0.0, pad_token_id=tok.pad_token_id, eos_token_id=tok.eos_token_id,
                             decoder_start_token_id=tok.pad_token_id,
                             task_specific_params={"translation_en_to_de": {"prefix": "translate English to German: "}})
        model_class = tf.MT5ForConditionalGeneration if architecture == "mt5" else tf.T5ForConditionalGeneration
    elif architecture == "m2m_100":
        vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
        for i in range(sp.get_piece_size()):
            vocab.setdefault(sp.id_to_piece(i), len(vocab))
        (work / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
        shutil.copyfile(work / "unigram.model", work / "sentencepiece.bpe.model")
        tok = tf.M2M100Tokenizer(str(work / "vocab.json"), str(work / "sentencepiece.bpe.model"), src_lang="en", tgt_lang="de")
        sidecar.update(src_lang="en", tgt_lang="de")
        # the language codes (and 8 made-up words) come after the pieces
        config = tf.M2M100Config(vocab_size=max(tok.lang_token_to_id.values()) + 1 + tok.num_madeup_words,
                                 pad_token_id=tok.pad_token_id, bos_token_id=tok.bos_token_id,
                                 eos_token_id=tok.eos_token_id, decoder_start_token_id=tok.eos_token_id, **common)
        model_class = tf.M2M100ForConditionalGeneration
    else:
        raise ValueError(f"unknown architecture {architecture!r}; choose from {ARCHITECTURES}")
    torch.manual_seed(seed)
    model = model_class(config).eval()
    tok.model_max_length = b["positions"]
    tok.save_pretrained(str(folder))
    model.save_pretrained(str(folder))
    (folder / "attention-lab.json").write_text(json.dumps(sidecar, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(work)
    return folder
