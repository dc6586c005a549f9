"""Fill Solara's CDN proxy cache from npm, so the app needs no internet at run time.

Solara's server answers ``/_solara/cdn/<path>`` from the folder named by
``SOLARA_ASSETS_PROXY_CACHE_DIR`` and only falls back to downloading from
``cdn.jsdelivr.net`` when the file is missing (``solara/server/cdn_helper.py``:
``get_path`` looks up ``<cache>/<path>`` literally). The page asks for paths
such as ``@widgetti/solara-vuetify-app@10.1.1/dist/main8.css`` and
``vega@5/build/vega.min.js``, so each npm package is unpacked into a folder
named exactly as the page spells it (``vega@5``, not ``vega@5.33.1``).

The versions are read from the installed Solara's own templates and widgets
(so a Solara upgrade asks for, and gets, the versions it needs); the pins below
are only the fallback. Run ``python -m consultsim.app.assets`` (``make install``
does). It is idempotent: a package already unpacked is skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

__all__ = ["ENV", "FONT_DIR", "FONT_FAMILY", "font_file", "font_css", "PACKAGES", "default_cache_dir", "cache_dir", "wanted", "missing", "fill", "main"]

ENV = "SOLARA_ASSETS_PROXY_CACHE_DIR"
#: The CJK font shipped with the package (SIL OFL, see its README): the page serves it itself, so Chinese text
#: needs no font on the classroom PC. ``consultsim app`` adds this folder to Solara's asset folders
#: (``SOLARA_ASSETS_EXTRA_LOCATIONS``), which serves it at ``/static/assets/<file>``.
FONT_DIR = Path(__file__).resolve().parent.parent / "analysis" / "fonts"
FONT_FAMILY = "ConsultSim CJK"
FONT_ENV = "SOLARA_ASSETS_EXTRA_LOCATIONS"


def font_file() -> Path | None:
    fonts = sorted(FONT_DIR.glob("*.otf"))
    return fonts[0] if fonts else None


def font_css(root: str = "") -> str:
    """``@font-face`` for the shipped font, used only for CJK characters and punctuation (Latin text keeps the
    page's own font)."""
    f = font_file()
    if f is None:
        return ""
    return (f"@font-face {{ font-family: '{FONT_FAMILY}'; src: url('{root}/static/assets/{f.name}') "
            "format('opentype'); font-display: swap; "
            "unicode-range: U+2E80-2FFF, U+3000-303F, U+3100-9FFF, U+F900-FAFF, U+FE30-FE4F, U+FF00-FFEF, "
            "U+00B7, U+2014-2026; }")
_MARKER = ".consultsim-complete"

# npm package -> version spec as a Solara 1.x page asks for it (fallback when the
# installed Solara's sources do not say). The page (Vue 2 build, which Mesa 3.3 needs)
# loads the app bundle, requirejs and font-awesome; the widgets load the others on demand
# (found by recording a page's requests in chromium: tests/test_app_browser.py).
PACKAGES: dict[str, str] = {
    "@widgetti/solara-vuetify-app": "10.1.1",
    "requirejs": "2.3.6",
    "font-awesome": "4.5.0",
    "@widgetti/vue-grid-layout": "2.3.13-alpha.2",
    "katex": "0.16.9",
    "mermaid": "10.8.0",  # solara.Markdown loads it on every page that shows Markdown
    "vega": "5",
    "vega-lite": "5",
    "vega-embed": "6",
}

# Files that jsDelivr minifies on the fly but that the npm package does not contain:
# {package: [(file to create, copied from)]}. Solara's widgets load requirejs@2.3.6/require.min.js
# when a page has not loaded require.js yet; the unminified file works the same.
_MADE_UP = {"requirejs": [("require.min.js", "require.js")]}

# where Solara names those packages: its page template and the widgets that use them
_SOURCES = ("server/templates/solara.html.j2", "widgets/vue/vegalite.vue", "widgets/vue/gridlayout.vue",
            "components/markdown.py", "server/settings.py")


def default_cache_dir() -> Path:
    """The repository's ``.cache/solara-assets`` (what the Makefile exports)."""
    return Path(__file__).resolve().parents[2] / ".cache" / "solara-assets"


def cache_dir() -> Path:
    """The cache folder: ``$SOLARA_ASSETS_PROXY_CACHE_DIR`` or :func:`default_cache_dir`."""
    value = os.environ.get(ENV, "").strip()
    return Path(value) if value else default_cache_dir()


def _solara_root() -> Path | None:
    import importlib.util
    spec = importlib.util.find_spec("solara")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def wanted(solara_root: Path | None = None) -> dict[str, str]:
    """``{package: version spec}`` for every package in :data:`PACKAGES`, as the installed Solara asks."""
    root = solara_root if solara_root is not None else _solara_root()
    text = ""
    if root is not None:
        for rel in _SOURCES:
            p = root / rel
            if p.is_file():
                text += p.read_text(encoding="utf-8", errors="replace") + "\n"
    found = {}
    for name, fallback in PACKAGES.items():
        # "<name>@<version>/" right after a cdn prefix or a quote ("/font-awesome@4.5.0/css/...")
        pat = re.compile(r"(?:[/'\"])" + re.escape(name) + r"@([0-9][\w.\-]*)/")
        versions = sorted(set(pat.findall(text)))
        found[name] = versions[-1] if versions else fallback
    return found


def _folder(root: Path, name: str, version: str) -> Path:
    return root / f"{name}@{version}"


def missing(root: Path | None = None, packages: dict[str, str] | None = None) -> list[str]:
    """``name@version`` of every wanted package not yet unpacked in the cache."""
    root = cache_dir() if root is None else root
    packages = wanted() if packages is None else packages
    def complete(n: str, v: str) -> bool:
        d = _folder(root, n, v)
        return (d / _MARKER).is_file() and all((d / made).is_file() for made, _ in _MADE_UP.get(n, []))

    return [f"{n}@{v}" for n, v in packages.items() if not complete(n, v)]


def _npm() -> str:
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed; it is needed once, to fill the offline cache of the app")
    return npm


def _unpack(tgz: Path, dest: Path, package: str = "") -> None:
    """Unpack an npm tarball (files under ``package/``) into ``dest`` atomically."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".unpack-", dir=dest.parent))
    try:
        with tarfile.open(tgz, "r:gz") as tar:
            members = []
            for m in tar.getmembers():
                if not (m.isfile() or m.isdir()):
                    continue  # npm tarballs hold only files; skip anything else
                parts = Path(m.name).parts
                if len(parts) < 2 or ".." in parts:
                    continue
                m.name = str(Path(*parts[1:]))  # strip the "package/" (sometimes other) top folder
                members.append(m)
            # the "data" filter (Python >= 3.11.4) also refuses links and absolute names
            kw = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            tar.extractall(tmp, members=members, **kw)
        for made, source in _MADE_UP.get(package, []):
            if not (tmp / made).exists() and (tmp / source).is_file():
                shutil.copyfile(tmp / source, tmp / made)
        (tmp / _MARKER).write_text(tgz.name + "\n", encoding="utf-8")
        if dest.exists():
            shutil.rmtree(dest)
        os.replace(tmp, dest)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def fill(root: Path | None = None, packages: dict[str, str] | None = None, *, quiet: bool = False) -> list[str]:
    """Download (``npm pack``) and unpack every missing package; return what was added."""
    root = cache_dir() if root is None else root
    packages = wanted() if packages is None else packages
    todo = missing(root, packages)
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr))
    if not todo:
        say(f"solara assets: all {len(packages)} packages present in {root}")
        return []
    npm = _npm()
    added = []
    with tempfile.TemporaryDirectory(prefix="consultsim-npm-") as work:
        for spec in todo:
            name, _, version = spec.rpartition("@")
            say(f"solara assets: npm pack {spec}")
            out = subprocess.run([npm, "pack", spec, "--json", "--silent", "--pack-destination", work],
                                 capture_output=True, text=True, cwd=work, check=False)
            if out.returncode != 0:
                raise RuntimeError(f"npm pack {spec} failed: {out.stderr.strip()[-500:]}")
            start = out.stdout.find("[")
            info = json.loads(out.stdout[start:])[0]
            _unpack(Path(work) / info["filename"], _folder(root, name, version), name)
            added.append(f"{spec} ({info['version']})")
    say(f"solara assets: added {', '.join(added)} to {root}")
    return added


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m consultsim.app.assets", description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=None, help=f"cache folder (default: ${ENV} or {default_cache_dir()})")
    parser.add_argument("--check", action="store_true", help="only report what is missing (exit 1 if anything is)")
    args = parser.parse_args(argv)
    root = args.dir if args.dir is not None else cache_dir()
    if args.check:
        gone = missing(root)
        print("solara assets: " + (f"missing {', '.join(gone)}" if gone else f"complete in {root}"))
        return 1 if gone else 0
    try:
        fill(root)
    except RuntimeError as e:
        print(f"solara assets: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
