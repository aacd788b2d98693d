"""Every interface string exists in English and Korean, with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from app import i18n

ROOT = Path(__file__).resolve().parent.parent
TABLES = i18n.TABLES


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_tables_do_not_shadow_each_other():
    seen: dict[str, str] = {}
    for table_name, table in TABLES.items():
        for key in table:
            assert key not in seen, f"{key!r} is defined in both {seen[key]} and {table_name}"
            seen[key] = table_name
    assert set(seen) == set(i18n.STRINGS)


@pytest.mark.parametrize("key", sorted(i18n.STRINGS))
def test_both_languages_define_every_key(key):
    entry = i18n.STRINGS[key]
    assert set(entry) == {"en", "ko"}, f"{key}: languages {sorted(entry)}"
    assert entry["en"].strip() and entry["ko"].strip()
    assert placeholders(entry["en"]) == placeholders(entry["ko"]), key


def test_korean_strings_are_korean():
    hangul = re.compile("[\uac00-\ud7a3]")
    without = [k for k, v in i18n.STRINGS.items() if not hangul.search(v["ko"]) and v["ko"] != v["en"]]
    # Entries may equal English (symbols, names); otherwise they must contain Hangul.
    assert without == [], without


def test_every_key_used_in_the_app_exists():
    used = set()
    for path in (ROOT / "app").rglob("*.py"):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z0-9_.]+)["']""", path.read_text(encoding="utf-8")))
    missing = sorted(k for k in used if k not in i18n.STRINGS)
    assert missing == []


def test_translate_formats_and_falls_back():
    assert i18n.translate("explorer.layer_n", "ko", n=3) == "레이어 3"
    assert i18n.translate("explorer.layer_n", "en", n=3) == "layer 3"
    assert i18n.translate("explorer.layer_n", "xx", n=3) == "layer 3"
    with pytest.raises(KeyError, match="no interface string"):
        i18n.translate("no.such.key", "en")
    assert i18n.language_from_locale("ko-KR") == "ko" and i18n.language_from_locale("en-GB") == "en"
    assert i18n.language_from_locale(None) == "en"
