"""Replaying a run exported from the app (``consultsim run --replay EXPORT``), bit for bit.

The app's export (:meth:`consultsim.app.session.Session.export_zip`) records in
``run.json`` under ``"app"`` everything the live run was made of: the parameters
both runs were built from (``start_params``), the seed, the scenario, the
community size, the weeks run, and the lever-change log (``week``, ``lever``,
``from``, ``to``; a change at week ``w`` was made after ``w`` steps, before the
next). Replaying builds the same model, makes each change at its week and steps
as the app did, so the time series and the topics come out identical; the
reference run is the same model without the changes.

No Solara here; the command line imports this module.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Any

__all__ = ["ReplayError", "read_export", "replay", "FORMAT"]

#: Version of the ``"app"`` record in run.json (bump when its meaning changes).
FORMAT = 1


MAX_EXPORT_BYTES = 200_000_000  # an export is a few MB (time series, topics, figures)


class ReplayError(ValueError):
    """An export that cannot be replayed (one line for the user)."""


def read_export(path: str | Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    """(run.json as a dict, {file name: bytes} of the export's other files) from the downloaded zip, its
    unpacked folder, or the run.json itself."""
    from consultsim.running.inputs import check_regular_file, read_bytes

    p = Path(path)
    files: dict[str, bytes] = {}
    if not os.path.lexists(p):
        raise ReplayError(f"{path}: no such file or folder")
    # through the input layer (issue 21): regular files only (a named pipe, /dev/zero, a link loop are one
    # line), and at most MAX_EXPORT_BYTES in all, packed or unpacked (a zip bomb is refused, not inflated)
    try:
        if p.is_dir():
            total = 0
            for f in sorted(p.rglob("*")):
                if f.is_dir() and not f.is_symlink():
                    continue
                files[f.relative_to(p).as_posix()] = data = read_bytes(f, ReplayError, "file of the export",
                                                                       MAX_EXPORT_BYTES)
                total += len(data)
                if total > MAX_EXPORT_BYTES:
                    raise ReplayError(f"{path}: more than {MAX_EXPORT_BYTES:,} bytes; not an export of the app")
        else:
            check_regular_file(p, ReplayError, "app export", MAX_EXPORT_BYTES)
            if p.suffix.lower() == ".zip" or zipfile.is_zipfile(p):
                with zipfile.ZipFile(p) as z:
                    infos = [i for i in z.infolist() if not i.filename.endswith("/")]
                    if sum(i.file_size for i in infos) > MAX_EXPORT_BYTES:
                        raise ReplayError(f"{path}: unpacks to more than {MAX_EXPORT_BYTES:,} bytes; not an "
                                          "export of the app")
                    files = {i.filename: z.read(i) for i in infos}
            else:
                files = {"run.json": read_bytes(p, ReplayError, "app export", MAX_EXPORT_BYTES)}
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as e:
        raise ReplayError(f"{path}: cannot be read ({e})") from None
    if "run.json" not in files:
        raise ReplayError(f"{path}: no run.json in it (expected the zip the app's 'Download this run' gives)")
    try:
        meta = json.loads(files.pop("run.json").decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise ReplayError(f"{path}: run.json is not valid JSON ({type(e).__name__})") from None
    app = meta.get("app") if isinstance(meta, dict) else None
    if not isinstance(app, dict) or not {"start_params", "seed", "weeks", "lever_changes"} <= set(app):
        raise ReplayError(f"{path}: run.json has no replay record (exported by an app before issue 20, or by "
                          "`consultsim run`, whose command line replays it)")
    if app.get("format") != FORMAT:
        raise ReplayError(f"{path}: replay record format {app.get('format')!r}; this version reads {FORMAT}")
    return meta, files


def _model(start_params: dict[str, Any], seed: int):
    from consultsim.core.model import ConsultationModel
    from consultsim.core.params import ParamError, Params
    from consultsim.core.scenario import Scenario

    try:
        params = Params().replace(**start_params)
    except (ParamError, TypeError) as e:
        raise ReplayError(f"run.json: start_params: {e}") from None
    sc = Scenario(name="replay", description="", params=params)
    if params.network_file:
        from consultsim.running.network_files import apply_network
        sc, net = apply_network(sc)
        return ConsultationModel(sc, rng=seed, network=net.edges)
    return ConsultationModel(sc, rng=seed)


def replay(meta: dict[str, Any]):
    """(live run, reference run) as :class:`~consultsim.running.runner.RunResult`, replayed from ``meta``."""
    from consultsim.core.params import ParamError
    from consultsim.running.runner import RunResult, release_model

    app = meta["app"]
    seed, weeks = int(app["seed"]), int(app["weeks"])
    changes = sorted(app["lever_changes"], key=lambda c: int(c["week"]))  # stable: same-week order kept
    live, ref = _model(app["start_params"], seed), _model(app["start_params"], seed)
    k = 0
    for week in range(weeks + 1):
        while k < len(changes) and int(changes[k]["week"]) == week:
            c = changes[k]
            try:
                live.params = live.params.replace(**{c["lever"]: c["to"]})
            except (ParamError, TypeError, KeyError) as e:
                raise ReplayError(f"run.json: lever change {c}: {e}") from None
            k += 1
        if week < weeks:
            live.step()
            ref.step()
    if k < len(changes):
        raise ReplayError(f"run.json: a lever change after week {weeks}: {changes[k]}")
    name = meta.get("scenario", "replay")
    extra = {"app": app}
    out = (RunResult(live.timeseries(), live.topic_records(), live.params.to_dict(), seed, name, extra=extra),
           RunResult(ref.timeseries(), ref.topic_records(), ref.params.to_dict(), seed, name))
    release_model(live)
    release_model(ref)
    return out
