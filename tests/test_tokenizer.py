"""Tokenizer wrapper: labels, word spans, and unusual input."""

from __future__ import annotations

from core.tokenizer import CONTINUATION_PREFIX, clean_text


def test_labels_strip_word_marker_and_mark_continuations(tiny_tokenizer):
    ids = tiny_tokenizer.encode("A man is riding a bike.")
    pieces = [tiny_tokenizer.piece(i) for i in ids]
    labels = tiny_tokenizer.labels(ids)
    for piece, label in zip(pieces, labels):
        if piece.startswith("\u2581"):
            assert label == (piece[1:] or "\u2581")
        else:
            assert label == CONTINUATION_PREFIX + piece
    assert tiny_tokenizer.labels([2, 3, 0]) == ["<s>", "</s>", "<pad>"]


def test_word_spans_group_pieces_into_words(tiny_tokenizer):
    text = "Zwei Hunde spielen im Schnee."
    ids = tiny_tokenizer.encode(text) + [tiny_tokenizer.eos_id]
    spans = tiny_tokenizer.word_spans(ids)
    assert spans[0][0] == 0 and spans[-1] == (len(ids) - 1, len(ids))  # </s> is its own word
    assert all(a < b for a, b in spans)
    assert all(spans[i][1] == spans[i + 1][0] for i in range(len(spans) - 1))
    words = ["".join(tiny_tokenizer.piece(i) for i in ids[a:b]).replace("\u2581", "") for a, b in spans[:-1]]
    assert "".join(words) == text.replace(" ", "")


def test_roundtrip_and_unusual_text(tiny_tokenizer):
    assert tiny_tokenizer.decode(tiny_tokenizer.encode("Two dogs are playing.")) == "Two dogs are playing."
    for text in ["😀👩‍👩‍👧 family", "שלום עולם", "漢字 한글 mixed", "<b>x</b> $x^2$"]:
        ids = tiny_tokenizer.encode(text)
        assert ids and all(isinstance(i, int) for i in ids)


def test_clean_text_replaces_control_characters():
    assert clean_text("a\x00b\x1b[31mc\n d\t") == "a b [31mc d"
    assert clean_text(" \n\t ") == ""
    assert clean_text("👩‍👩‍👧") == "👩‍👩‍👧"  # zero-width joiners kept


def test_labels_from_the_table_equal_label_for_every_id(tiny_tokenizer):
    """``labels`` reads a table built once; it must say what ``label`` says, for every id."""
    ids = list(range(tiny_tokenizer.vocab_size))
    assert tiny_tokenizer.labels(ids) == [tiny_tokenizer.label(i) for i in ids]
    import torch

    assert tiny_tokenizer.labels(torch.tensor(ids[:7])) == [tiny_tokenizer.label(i) for i in ids[:7]]
