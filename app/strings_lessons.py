"""Interface strings of the lesson pages: ``{key: {"en": …, "ko": …}}``."""

STRINGS: dict[str, dict[str, str]] = {}
