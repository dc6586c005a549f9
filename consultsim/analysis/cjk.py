"""A Chinese font that works on a fresh machine: shipped with the package, registered at plot time.

``fonts/ConsultSimSansSC-Regular.otf`` is a GB 2312 subset of Noto Sans CJK SC (SIL Open Font
License; ``fonts/README.md``). :func:`use_font` registers it with matplotlib and puts it in the
font family list (first for Chinese figures; after DejaVu Sans for English ones, as the fallback
for Chinese scenario names, matplotlib >= 3.6 falls back glyph by glyph). :func:`font_face_css`
embeds in an HTML report a subset holding just the characters the report uses, so that chromium
shows them without any Chinese font installed.
"""

from __future__ import annotations

import base64
import io
from functools import cache
from pathlib import Path

__all__ = ["FONT_PATH", "FONT_FAMILY", "use_font", "font_rc", "font_face_css", "missing_chars"]

FONT_PATH = Path(__file__).with_name("fonts") / "ConsultSimSansSC-Regular.otf"
FONT_FAMILY = "ConsultSim Sans SC"


@cache
def _register() -> None:
    from matplotlib import font_manager
    font_manager.fontManager.addfont(str(FONT_PATH))


def font_rc(lang: str = "en") -> dict[str, object]:
    """matplotlib rc settings for figures in ``lang`` (registers the shipped font first)."""
    _register()
    fams = [FONT_FAMILY, "DejaVu Sans"] if lang == "zh" else ["DejaVu Sans", FONT_FAMILY]
    # A list in font.family (not font.sans-serif) is what makes matplotlib fall back glyph by glyph.
    return {"font.family": fams, "axes.unicode_minus": True}


def use_font(lang: str = "en"):
    """A context manager applying :func:`font_rc` (``with use_font("zh"): ...``)."""
    import matplotlib
    return matplotlib.rc_context(font_rc(lang))


@cache
def _cmap() -> frozenset[int]:
    from fontTools.ttLib import TTFont
    with TTFont(str(FONT_PATH), lazy=True) as f:
        return frozenset(f.getBestCmap())


def missing_chars(text: str) -> str:
    """The characters of ``text`` the shipped font cannot show (whitespace and controls ignored)."""
    cmap = _cmap()
    return "".join(sorted({c for c in text if not c.isspace() and ord(c) >= 32 and ord(c) not in cmap}))


def font_face_css(text: str) -> str:
    """A CSS ``@font-face`` rule embedding (as a ``data:`` URI, WOFF) the shipped font cut down to
    the characters of ``text``, under the family name :data:`FONT_FAMILY`."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    chars = {c for c in text if ord(c) >= 32} | set("0123456789%.,:;-+()[]/ ")
    opts = subset.Options()
    opts.flavor = "woff"
    opts.hinting = False
    opts.name_IDs = ["*"]
    with TTFont(str(FONT_PATH)) as font:
        sub = subset.Subsetter(opts)
        sub.populate(text="".join(chars))
        sub.subset(font)
        buf = io.BytesIO()
        font.flavor = "woff"
        font.save(buf)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return (f"@font-face{{font-family:'{FONT_FAMILY}';src:url(data:font/woff;base64,{data}) format('woff');"
            "font-weight:normal;font-style:normal}")
