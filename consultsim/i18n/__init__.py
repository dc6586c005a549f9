"""Text for readers in 中文 and English.

One catalog per audience (``terms`` for the shared glossary and metric names, ``events``
for the model's event sentences; the report, the command line and the app add their
own). :func:`tr` looks a key up in the reader's language and falls back to English, so a
missing translation shows English text rather than a key. Terms follow Beijing usage
(居委会, 物业, 社工, 楼门长, 积分制, 12345 热线).
"""

from __future__ import annotations

from typing import Any

__all__ = ["LANGS", "tr", "register", "check_lang"]

LANGS = ("en", "zh")
_CATALOG: dict[str, dict[str, str]] = {lang: {} for lang in LANGS}


def register(entries: dict[str, dict[str, str]]) -> None:
    """Add ``{key: {"en": ..., "zh": ...}}`` entries (a key may be registered once)."""
    for key, texts in entries.items():
        for lang, text in texts.items():
            if lang not in _CATALOG:
                raise ValueError(f"{key}: unknown language {lang!r}; expected one of {LANGS}")
            if key in _CATALOG[lang] and _CATALOG[lang][key] != text:
                raise ValueError(f"{key!r} registered twice for {lang}")
            _CATALOG[lang][key] = text


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"language {lang!r}: expected one of {', '.join(LANGS)}")
    return lang


def tr(key: str, lang: str = "en", **fields: Any) -> str:
    """The text for ``key`` in ``lang`` (English if it has no translation), formatted with ``fields``."""
    _load()
    text = _CATALOG[check_lang(lang)].get(key)
    if text is None:
        text = _CATALOG["en"].get(key)
    if text is None:
        raise KeyError(f"no text for {key!r}")
    return text.format(**fields) if fields else text


_loaded = False


def _load() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        from consultsim.i18n import app, district, events, messages, params, report, terms  # noqa: F401  (each registers its catalog)
