"""Lever names, descriptions and values as the page shows them, in English or 中文."""

from __future__ import annotations

from consultsim.core.params import PARAM_INFO
from consultsim.i18n import tr

__all__ = ["lever_label", "lever_doc", "fmt"]


def lever_label(name: str, lang: str = "en") -> str:
    try:
        return tr(f"app.lever.{name}", lang)
    except KeyError:
        return name.replace("_", " ")


def lever_doc(name: str, lang: str = "en") -> str:
    doc = PARAM_INFO[name].metadata["doc"]
    if lang == "en":
        return doc
    try:
        return tr(f"app.leverdoc.{name}", lang)
    except KeyError:
        return doc


def fmt(value, lang: str = "en") -> str:
    if isinstance(value, bool):
        return tr("app.on" if value else "app.off", lang)
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:.2f}"
