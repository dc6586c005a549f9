"""Offline assets for the app (Solara's CDN proxy cache) and the ``consultsim app`` command's checks."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import textwrap
from pathlib import Path

import pytest

from consultsim.app import assets
from consultsim.cli import main

pytest.importorskip("solara", reason="the app needs the [app] extra (solara)")


# ---------------------------------------------------------------- which packages, which versions
def test_wanted_reads_versions_from_solaras_sources(tmp_path):
    (tmp_path / "server/templates").mkdir(parents=True)
    (tmp_path / "widgets/vue").mkdir(parents=True)
    (tmp_path / "server/templates/solara.html.j2").write_text(
        '<link href="{{cdn}}/@widgetti/solara-vuetify-app@11.2.3/dist/main8.css">\n'
        '<script src="{{cdn}}/requirejs@2.3.7/require.js"></script>\n')
    (tmp_path / "widgets/vue/vegalite.vue").write_text("'vega': `${this.getCdn()}/vega@6/build/vega.min.js`,")
    got = assets.wanted(tmp_path)
    assert got["@widgetti/solara-vuetify-app"] == "11.2.3"
    assert got["requirejs"] == "2.3.7"
    assert got["vega"] == "6"
    assert got["katex"] == assets.PACKAGES["katex"]  # not named: the fallback pin
    assert set(got) == set(assets.PACKAGES)


def test_wanted_for_the_installed_solara_uses_the_vue2_app():
    # Mesa 3.3 needs ipyvue < 2 (Vue 2), so the page loads solara-vuetify-app, not the vuetify3 bundle
    got = assets.wanted()
    assert "@widgetti/solara-vuetify3-app" not in got
    assert got["vega"] == "5" and got["vega-lite"] == "5" and got["vega-embed"] == "6"


# ---------------------------------------------------------------- the fill step, with a stand-in npm
FAKE_NPM = textwrap.dedent('''\
    #!{python}
    """Stands in for `npm pack SPEC --json --silent --pack-destination DIR`: writes a small tarball."""
    import io, json, sys, tarfile, pathlib
    args = sys.argv[1:]
    spec, dest = args[1], pathlib.Path(args[args.index("--pack-destination") + 1])
    with open({log!r}, "a") as f:
        f.write(spec + "\\n")
    name, _, version = spec.rpartition("@")
    fname = name.replace("@", "").replace("/", "-") + "-9.9.9.tgz"
    with tarfile.open(dest / fname, "w:gz") as tar:
        for member, data in (("package/dist/main.js", b"//" + spec.encode()),
                             ("package/../../evil.txt", b"outside")):
            info = tarfile.TarInfo(member)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    print("npm notice junk before the json")
    print(json.dumps([{{"filename": fname, "version": "9.9.9"}}]))
''')


@pytest.fixture
def fake_npm(tmp_path, monkeypatch):
    bindir = tmp_path / "bin"
    bindir.mkdir()
    log = tmp_path / "npm.log"
    npm = bindir / "npm"
    npm.write_text(FAKE_NPM.format(python=sys.executable, log=str(log)))
    npm.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    return log


def test_fill_unpacks_each_package_under_its_name_at_version_and_is_idempotent(tmp_path, fake_npm):
    root = tmp_path / "cache"
    pkgs = {"@widgetti/solara-vuetify-app": "10.1.1", "vega": "5"}
    added = assets.fill(root, pkgs, quiet=True)
    assert len(added) == 2
    # the layout Solara's cdn_helper looks up: <cache>/<path as the page spells it>
    assert (root / "@widgetti/solara-vuetify-app@10.1.1/dist/main.js").read_text() == \
        "//@widgetti/solara-vuetify-app@10.1.1"
    assert (root / "vega@5/dist/main.js").is_file()
    assert not (tmp_path / "evil.txt").exists() and not (root / "evil.txt").exists()
    assert assets.missing(root, pkgs) == []
    calls = fake_npm.read_text().split()
    assert assets.fill(root, pkgs, quiet=True) == []  # second run: nothing to do, npm not called
    assert fake_npm.read_text().split() == calls
    # a half-unpacked folder (no completion marker) is redone
    (root / "vega@5" / assets._MARKER).unlink()
    assert assets.missing(root, pkgs) == ["vega@5"]
    assets.fill(root, pkgs, quiet=True)
    assert fake_npm.read_text().split() == [*calls, "vega@5"]


def test_check_mode_reports_missing(tmp_path, capsys):
    assert assets.main(["--dir", str(tmp_path), "--check"]) == 1
    assert "missing" in capsys.readouterr().out


# ---------------------------------------------------------------- the real cache (filled by `make install`)
def _page_paths(w: dict[str, str]) -> list[str]:
    """Files the page and Solara's widgets request (paths from solara's templates and .vue files)."""
    app = f"@widgetti/solara-vuetify-app@{w['@widgetti/solara-vuetify-app']}/dist"
    return [f"{app}/main8.css", f"{app}/fonts.css", f"{app}/solara-vuetify-app8.min.js",
            f"requirejs@{w['requirejs']}/require.js", f"requirejs@{w['requirejs']}/require.min.js",
            f"font-awesome@{w['font-awesome']}/css/font-awesome.min.css",
            f"vega@{w['vega']}/build/vega.min.js", f"vega-lite@{w['vega-lite']}/build/vega-lite.min.js",
            f"vega-embed@{w['vega-embed']}/build/vega-embed.min.js",
            f"katex@{w['katex']}/dist/katex.min.js", f"mermaid@{w['mermaid']}/dist/mermaid.min.js",
            f"@widgetti/vue-grid-layout@{w['@widgetti/vue-grid-layout']}/dist/vue-grid-layout.umd.js"]


def test_the_cache_serves_every_page_asset_without_the_cdn(monkeypatch):
    root = assets.cache_dir()
    gone = assets.missing(root)
    assert not gone, f"offline assets missing in {root}: {gone}; run `make install`"
    from solara.server import cdn_helper

    def no_cdn(url):
        raise AssertionError(f"would download {url}")

    monkeypatch.setattr(cdn_helper, "fetch_from_cdn", no_cdn)
    for path in _page_paths(assets.wanted()):
        p = cdn_helper.get_path(root, path)  # Solara's own lookup
        assert p.is_file() and p.stat().st_size > 100, path


# ---------------------------------------------------------------- consultsim app: checks before serving
_CACHE = assets.cache_dir()  # as the environment says before a test clears it
@pytest.fixture
def clean_env(monkeypatch):
    from consultsim.cli.commands.app import SCENARIO_ENV
    for k in (SCENARIO_ENV, assets.ENV, "SOLARA_TELEMETRY_MIXPANEL_ENABLE", "SOLARA_THEME_VARIANT"):
        monkeypatch.delenv(k, raising=False)  # restored after the test, whatever the command sets


def test_app_command_rejects_a_missing_scenario(clean_env, capsys):
    assert main(["app", "--scenario", "no_such_scenario.toml"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("consultsim app: error:") and "no_such_scenario" in err and "\n" not in err


def test_app_command_refuses_to_serve_without_offline_assets(clean_env, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(assets.ENV, str(tmp_path))
    assert main(["app", "--port", "18999"]) == 2
    err = capsys.readouterr().err
    assert "offline assets missing" in err and "make install" in err


def test_app_command_rejects_a_bad_port(clean_env, capsys):
    assert main(["app", "--port", "70000"]) == 2
    assert "--port" in capsys.readouterr().err


def test_app_command_refuses_a_busy_port_in_one_line(clean_env, monkeypatch, capsys):
    import socket
    monkeypatch.setenv(assets.ENV, str(_CACHE))  # the offline assets are checked before the port
    assert not assets.missing(), "run `make install` (or set SOLARA_ASSETS_PROXY_CACHE_DIR)"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["app", "--port", str(port)]) == 2
    out = capsys.readouterr()
    assert "serving on" not in out.out
    err = out.err.strip()
    assert err.startswith("consultsim app: error:") and "already in use" in err and "\n" not in err


def test_app_command_warns_that_a_shared_address_has_no_login(clean_env, monkeypatch, capsys):
    import solara.__main__ as solara_main

    from consultsim.cli.commands import app as app_cmd
    monkeypatch.setenv(assets.ENV, str(_CACHE))  # the offline assets are checked before the port
    assert not assets.missing(), "run `make install` (or set SOLARA_ASSETS_PROXY_CACHE_DIR)"
    calls = []
    monkeypatch.setattr(solara_main.run, "main", lambda argv, **kw: calls.append(argv))
    monkeypatch.setattr(app_cmd, "check_port", lambda host, port: None)  # no real bind on 0.0.0.0
    assert main(["app", "--host", "0.0.0.0", "--port", "18998"]) == 0
    assert "no login" in capsys.readouterr().err and calls and "0.0.0.0" in calls[0]
    assert main(["app", "--host", "127.0.0.1", "--port", "18998"]) == 0
    assert "no login" not in capsys.readouterr().err
    assert app_cmd.is_loopback("localhost") and app_cmd.is_loopback("::1") and not app_cmd.is_loopback("10.0.0.5")


def test_cli_sets_solaras_cache_before_solara_is_imported(tmp_path):
    """Solara reads its settings at import: the command must set them first, and the CLI must not import it."""
    code = textwrap.dedent('''
        import os, sys
        os.environ.pop("SOLARA_ASSETS_PROXY_CACHE_DIR", None)
        from consultsim.cli import build_parser
        build_parser()
        assert "solara" not in sys.modules, "building the CLI imported solara"
        from consultsim.cli.commands.app import prepare_environment
        prepare_environment(None, allow_cdn=True)
        import solara.server.settings as s
        from consultsim.app.assets import default_cache_dir
        assert s.assets.proxy_cache_dir == default_cache_dir(), s.assets.proxy_cache_dir
        assert not s.telemetry.mixpanel_enable
        print("ok")
    ''')
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                         env={k: v for k, v in os.environ.items() if k != assets.ENV}, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "ok"


def test_npm_tarball_reader_handles_a_real_layout(tmp_path):
    """npm tarballs keep files under package/; the unpacker strips it (checked on a hand-made tarball)."""
    tgz = tmp_path / "x.tgz"
    with tarfile.open(tgz, "w:gz") as tar:
        data = json.dumps({"name": "x"}).encode()
        info = tarfile.TarInfo("package/package.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    assets._unpack(tgz, tmp_path / "out" / "x@1")
    assert json.loads((tmp_path / "out/x@1/package.json").read_text()) == {"name": "x"}
    assert (tmp_path / "out/x@1" / assets._MARKER).is_file()
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["x@1"]  # no temporary folder left
    assert Path(tmp_path / "out/x@1").is_dir()
