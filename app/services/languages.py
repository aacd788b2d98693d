"""Does a sentence fit a model's source language? (pure; no Streamlit)

A model trained on English cannot read Hangul, and the letters toy reads only
``a``–``t``: typing into the wrong model gives a confident but meaningless
translation. ``fits_language`` looks at the *script* of the letters, which
is enough to tell the app's source languages apart; text without letters
(numbers, emoji, punctuation) fits every model, so nobody is nagged for it.
"""

from __future__ import annotations

import unicodedata

LATIN_LANGUAGES = {"en", "de", "fr", "es", "it", "pt", "nl"}
TOY_LETTERS = set("abcdefghijklmnopqrst")


def letter_scripts(text: str) -> dict[str, int]:
    """How many letters of ``text`` are Hangul, Latin or another script."""
    counts = {"hangul": 0, "latin": 0, "other": 0}
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        if name.startswith(("HANGUL", "CJK COMPATIBILITY")) or "\uac00" <= ch <= "\ud7a3":
            counts["hangul"] += 1
        elif name.startswith("LATIN"):
            counts["latin"] += 1
        else:
            counts["other"] += 1
    return counts


def fits_language(text: str, language: str) -> bool:
    """``True`` unless most letters of ``text`` are in a script ``language`` does not use."""
    counts = letter_scripts(text)
    letters = sum(counts.values())
    if letters == 0:
        return True
    if language == "ko":
        return counts["hangul"] * 2 >= letters
    if language in LATIN_LANGUAGES:
        return counts["latin"] * 2 > letters
    if language == "toy":
        return all(ch in TOY_LETTERS for ch in text if ch.isalpha())
    return True
