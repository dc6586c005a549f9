"""District files and community types: the one reader, with its limits (docs/district.md).

A *community type* (``districts/types/*.toml``) is a profile: a scenario-like file whose sections
([community], [population], [topics], ...) hold parameter overrides, each commented with its
source or "assumption", plus a ``[type]`` table::

    name = "danwei"
    name_zh = "单位大院"
    [type]
    households = [800, 3000]        # size range used when a district is generated
    households_per_building = 60    # sets n_buildings from a community's size
    property_manager = "work-unit"  # descriptive
    owners_committee = 0.9          # share of its communities with an owners' committee (true = 1, false = 0)
    [population]
    elderly_share = 0.40            # source ...

A *district file* (``districts/*.toml``) lists communities or a mix to generate::

    name = "street"
    seed = 2026
    budget = 3_000_000              # the street office's yearly budget for levers, yuan
    [[community]]
    name = "和平里一区"
    type = "danwei"
    households = 1800
    overrides = { trust_committee_mean = 0.45 }
    [generate]                      # optional: communities drawn from the seed
    count = 20
    mix = { danwei = 0.4, commercial = 0.3, resettlement = 0.2, hutong = 0.1 }
    total_households = 40_000       # optional: scale the drawn sizes to this total
    [street_office]                 # optional: the street office's yearly step (ODD §7.10)
    pressure = true                 # 接诉即办: rank last year's 12345 complaints, press the committees ranked high
    [station]                       # optional: the social-work station (社工站), one per street
    staff = 5                       # full-time social workers per station
    hours = 40                      # weekly hours of each
    split = "households"            # equal | households | need (last year's 12345 complaints)
    streets = 1                     # stations: the communities, in file order, split into this many streets

A community's parameters are the baseline defaults, then its type's overrides, then its size
(``n_residents``; ``n_buildings`` from the type's ``households_per_building``), then its own
overrides. A type's ``owners_committee`` share decides, by a draw from the district's seed, which of its
communities have an owners' committee (a community's own overrides may set ``owners_committee``). Every mistake raises :class:`DistrictError`: one line, in English and in Chinese.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from consultsim.core.params import PARAM_INFO, ParamError, Params, check_sums, coerce, suggest
from consultsim.errors import UsageError
from consultsim.running.scenarios import read_toml
from consultsim.running.shipped import shipped_dir

__all__ = ["DistrictError", "CommunityType", "Community", "District", "load_types", "load_district",
           "resolve_district", "DISTRICT_DIR", "MIN_HOUSEHOLDS", "MAX_HOUSEHOLDS", "MAX_COMMUNITIES",
           "MAX_DISTRICT_HOUSEHOLDS", "MIN_BUDGET_PER_COMMUNITY", "community_seed", "Station", "StreetOffice",
           "SPLITS", "HOUSING"]

DISTRICT_DIR = shipped_dir("districts")
MIN_HOUSEHOLDS = 50              # below this it is a building, not a community
MAX_HOUSEHOLDS = 1_000_000       # the model's limit for one community (n_residents)
MAX_COMMUNITIES = 5_000          # a district has 100-300; a city's worth stops here
MAX_DISTRICT_HOUSEHOLDS = 20_000_000
# A street office's yearly budget for consultation levers below this per community is read as 万元 by
# mistake: the cheapest lever (a year of published outcomes) costs about 10,000 yuan (params cost_publication).
MIN_BUDGET_PER_COMMUNITY = 1_000.0
RESERVED = ("n_residents", "n_buildings")  # set by the district (a community's size), never by a type
_TYPE_TOP = {"name", "name_zh", "description", "description_zh", "type"}
_TYPE_KEYS = {"households", "households_per_building", "property_manager", "owners_committee", "housing"}
# The kind of housing a type is (its [type] ``housing``): what decides which field sources observed it
# (consultsim.analysis.type_validation). older_estate: 老旧小区, estates built before the end of 2000, the
# scope of the 2020 national renovation guideline (State Council General Office 2020, 国办发〔2020〕23号).
HOUSING = ("older_estate", "commercial_estate", "resettlement_estate", "courtyards")
_DISTRICT_TOP = {"name", "name_zh", "description", "description_zh", "seed", "budget", "steps", "community",
                 "generate", "types"}
_DISTRICT_TOP |= {"street_office", "station"}
_COMMUNITY_KEYS = {"name", "type", "households", "overrides"}
_OFFICE_KEYS = {"pressure"}
_STATION_KEYS = {"staff", "hours", "split", "streets"}
#: how a social-work station splits its staff hours across the communities of its street
SPLITS = ("equal", "households", "need")
_GENERATE_KEYS = {"count", "mix", "total_households", "prefix"}
SECTIONS = sorted({f.metadata["section"] for f in PARAM_INFO.values()})


class DistrictError(UsageError):
    """A district or type file is wrong: one line, ``str(e)`` in English and ``e.zh`` in Chinese."""

    def __init__(self, en: str, zh: str | None = None):
        super().__init__(en)
        self.zh = zh or en

    def text(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" else str(self)


def _err(path: Path | str | None, msg: str, /, **fields: Any) -> DistrictError:
    from consultsim.i18n import tr

    pre = {lang: tr("district.err.prefix", lang, path=path) if path else "" for lang in ("en", "zh")}
    return DistrictError(pre["en"] + tr(msg, "en", **fields), pre["zh"] + tr(msg, "zh", **fields))


def _bad(path, where: str, key: str, value: Any, en: str, zh: str) -> DistrictError:
    from consultsim.i18n import tr

    return DistrictError(
        f"{path}: " + tr("district.err.value", "en", where=where, field=key, value=value, expected=en),
        f"{path}：" + tr("district.err.value", "zh", where=where, field=key, value=value, expected=zh))


def _check_keys(path, data: dict, allowed: set[str], where: str = "") -> None:
    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(key, sorted(allowed), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise _err(path, "district.err.key", where=where, field=f"{key}{hint}", allowed=", ".join(sorted(allowed)))


def _text(path, data: dict, key: str, default: str = "") -> str:
    v = data.get(key, default)
    if not isinstance(v, str):
        raise _bad(path, "", key, v, "a string", "字符串")
    return v.strip()


def _whole(path, where: str, key: str, v: Any, lo: int, hi: int) -> int:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        raise _bad(path, where, key, v, f"a whole number from {lo:,} to {hi:,}", f"{lo:,} 到 {hi:,} 之间的整数")
    return v


def _param_values(path: Path, data: dict, where: str = "") -> dict[str, Any]:
    """Flat parameter values from the sections of a type file (as a scenario file has them)."""
    values: dict[str, Any] = {}
    for section, table in data.items():
        if section in _TYPE_TOP:
            continue
        if not isinstance(table, dict) or section not in SECTIONS:
            raise _err(path, "district.err.key", where=where, field=section,
                       allowed=", ".join(sorted(_TYPE_TOP | set(SECTIONS))))
        for name, v in table.items():
            f = PARAM_INFO.get(name)
            if f is None or f.metadata["section"] != section:
                msg = (f"[{section}] {name}: unknown parameter{suggest(name)}" if f is None
                       else f"[{section}] {name}: belongs in [{f.metadata['section']}]")
                raise DistrictError(f"{path}: {msg}", f"{path}：{msg}")
            if name in RESERVED:
                raise _err(path, "district.err.reserved", where=f"[{section}] ", field=name)
            try:
                values[name] = coerce(f, v)
            except ParamError as e:
                raise DistrictError(f"{path}: [{section}] {e}", f"{path}：[{section}] {e}") from None
    return values


@dataclass(frozen=True)
class CommunityType:
    """A community type: its parameter overrides and the layout that turns a size into buildings."""

    name: str
    overrides: dict[str, Any]
    households: tuple[int, int]
    households_per_building: float
    property_manager: str = ""
    owners_committee: float = 0.0  # share of its communities with an owners' committee
    name_zh: str = ""
    description: str = ""
    description_zh: str = ""
    path: Path | None = None
    housing: str = ""  # one of HOUSING, or "" if the file does not say

    def label(self, lang: str = "en") -> str:
        return self.name_zh if lang == "zh" and self.name_zh else self.name


def load_type(path: str | Path) -> CommunityType:
    """Read one community-type file (one line naming the file and key for any mistake)."""
    path = Path(path)
    data = read_toml(path, DistrictError, "community-type file")
    _check_keys(path, {k: v for k, v in data.items() if k not in SECTIONS}, _TYPE_TOP)
    t = data.get("type")
    if not isinstance(t, dict):
        raise _err(path, "district.err.type_file", detail="missing the [type] table (households, "
                   "households_per_building, property_manager, owners_committee)")
    _check_keys(path, t, _TYPE_KEYS, "[type] ")
    hh = t.get("households")
    if (not isinstance(hh, list) or len(hh) != 2
            or not all(isinstance(x, int) and not isinstance(x, bool) for x in hh)
            or not MIN_HOUSEHOLDS <= hh[0] <= hh[1] <= MAX_HOUSEHOLDS):
        raise _bad(path, "[type] ", "households", hh, f"[low, high] whole numbers, {MIN_HOUSEHOLDS} <= low <= "
                   f"high <= {MAX_HOUSEHOLDS:,}", f"[下限, 上限] 整数，{MIN_HOUSEHOLDS} ≤ 下限 ≤ 上限 ≤ {MAX_HOUSEHOLDS:,}")
    hpb = t.get("households_per_building")
    if isinstance(hpb, bool) or not isinstance(hpb, (int, float)) or not 1 <= hpb <= 10_000:
        raise _bad(path, "[type] ", "households_per_building", hpb, "a number from 1 to 10,000", "1 到 10,000 之间的数")
    pm = t.get("property_manager", "")
    oc = t.get("owners_committee", False)
    if not isinstance(pm, str):
        raise _bad(path, "[type] ", "property_manager", pm, "a string", "字符串")
    if isinstance(oc, bool):
        oc = float(oc)
    elif not isinstance(oc, (int, float)) or not 0 <= oc <= 1:
        raise _bad(path, "[type] ", "owners_committee", oc, "true, false or a share from 0 to 1",
                   "true、false 或 0 到 1 之间的比例")
    housing = t.get("housing", "")
    if housing != "" and housing not in HOUSING:
        raise _bad(path, "[type] ", "housing", housing, "one of " + ", ".join(HOUSING), "取值之一：" + "、".join(HOUSING))
    values = _param_values(path, data)
    try:
        check_sums(values)
        Params(**values)
    except ParamError as e:
        raise DistrictError(f"{path}: {e}", f"{path}：{e}") from None
    name = _text(path, data, "name", path.stem) or path.stem
    return CommunityType(name, values, (hh[0], hh[1]), float(hpb), pm, float(oc), _text(path, data, "name_zh"),
                         _text(path, data, "description"), _text(path, data, "description_zh"), path.resolve(),
                         housing)


def load_types(folder: str | Path | None = None) -> dict[str, CommunityType]:
    """Every ``*.toml`` type in ``folder`` (default: the shipped ``districts/types``), by name."""
    folder = Path(folder) if folder is not None else DISTRICT_DIR / "types"
    files = sorted(folder.glob("*.toml")) if folder.is_dir() else []
    if not files:
        raise _err(None, "district.err.no_types", folder=folder)
    out: dict[str, CommunityType] = {}
    for f in files:
        t = load_type(f)
        if t.name in out:
            raise _err(f, "district.err.duplicate", name=t.name)
        out[t.name] = t
    return out


@dataclass(frozen=True)
class Community:
    """One community of a district: its name, type, size and own overrides."""

    name: str
    type: str
    households: int
    n_buildings: int
    overrides: dict[str, Any] = field(default_factory=dict)
    index: int = 0  # position in the district (its seed's spawn key)
    owners_committee: bool = False  # drawn from its type's share (owners_committee_draw)

    def values(self, types: dict[str, CommunityType]) -> dict[str, Any]:
        """Flat parameter overrides of this community (type, size, owners' committee, own), as ``simulate``
        takes them."""
        return {**types[self.type].overrides, "owners_committee": self.owners_committee,
                "n_residents": self.households, "n_buildings": self.n_buildings, **self.overrides}


def owners_committee_draw(seed: int, index: int, share: float) -> bool:
    """Whether community ``index`` has an owners' committee: a draw with chance ``share`` (its type's) from
    ``SeedSequence(seed, spawn_key=(index, 2**41))``, a stream no run uses (so the run's own draws are
    unchanged); shares 0 and 1 need no draw."""
    if share <= 0 or share >= 1:
        return share >= 1
    rng = np.random.default_rng(np.random.SeedSequence(int(seed), spawn_key=(int(index), 2**41)))
    return bool(rng.random() < share)


@dataclass(frozen=True)
class StreetOffice:
    """The street office's yearly step in a district run (ODD §7.10): it funds levers (the packages and
    allocations a run is given), assesses its communities by last year's 12345 complaints per household
    and, under 接诉即办, sets next year's ``street_pressure`` on each committee from that rank."""

    pressure: bool = True


@dataclass(frozen=True)
class Station:
    """A social-work station (社工站) per street: ``staff`` full-time social workers of ``hours`` a week,
    their hours split across the street's communities by ``split`` (ODD §7.10)."""

    staff: float
    hours: float = 40.0
    split: str = "households"
    streets: int = 1


@dataclass(frozen=True)
class District:
    """A district (or a street): its communities, the types they use, the seed and the yearly budget."""

    name: str
    communities: tuple[Community, ...]
    types: dict[str, CommunityType]
    seed: int = 0
    budget: float = 0.0
    steps: int = 104
    name_zh: str = ""
    description: str = ""
    description_zh: str = ""
    path: Path | None = None
    street_office: StreetOffice | None = None
    station: Station | None = None

    @property
    def yearly(self) -> bool:
        """Whether the street office acts between years (12345 pressure, or a station splitting by need)."""
        return bool((self.street_office and self.street_office.pressure)
                    or (self.station and self.station.split == "need"))

    @property
    def households(self) -> int:
        return sum(c.households for c in self.communities)

    def label(self, lang: str = "en") -> str:
        return self.name_zh if lang == "zh" and self.name_zh else self.name


def community_seed(master: int, index: int) -> int:
    """The seed of community ``index``: ``SeedSequence(master, spawn_key=(index,))`` as a 63-bit integer
    (the same derivation as the sweeps' independent runs, consultsim.sweeps.samplers.run_seed)."""
    ss = np.random.SeedSequence(int(master), spawn_key=(int(index),))
    return int(ss.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def _buildings(households: int, per_building: float) -> int:
    return int(min(households, max(1, round(households / per_building))))


def _unknown_type(path, name: str, t: Any, types: dict) -> DistrictError:
    from consultsim.i18n import tr

    close = difflib.get_close_matches(str(t), list(types), n=1)
    known = ", ".join(types)
    pre = f"{path}: " if path else ""
    return DistrictError(
        pre + tr("district.err.unknown_type", "en", name=name, type=t, known=known,
                 hint=f" (did you mean {close[0]!r}?)" if close else ""),
        (f"{path}：" if path else "") + tr("district.err.unknown_type", "zh", name=name, type=t, known=known,
                                          hint=f"（是否想写 {close[0]!r}？）" if close else ""))


def _overrides(path, name: str, ov: Any) -> dict[str, Any]:
    if ov is None:
        return {}
    if not isinstance(ov, dict):
        raise _bad(path, f"community {name!r}: ", "overrides", ov, "a table of parameter = value",
                   "参数 = 值 的表")
    out = {}
    for k, v in ov.items():
        if k in RESERVED:
            raise _err(path, "district.err.reserved", where=f"community {name!r}: overrides.", field=k)
        f = PARAM_INFO.get(k)
        if f is None:
            raise _err(path, "district.err.override", name=name, error=f"unknown parameter {k!r}{suggest(k)}")
        try:
            out[k] = coerce(f, v)
        except ParamError as e:
            raise _err(path, "district.err.override", name=name, error=str(e)) from None
    return out


def _generate(path, gen: Any, types: dict[str, CommunityType], seed: int, start: int) -> list[Community]:
    """Communities drawn from the seed: types by ``mix`` (largest remainder, then shuffled), sizes
    uniform in each type's range, scaled to ``total_households`` when it is given."""
    if not isinstance(gen, dict):
        raise _bad(path, "", "generate", gen, "a table", "表")
    _check_keys(path, gen, _GENERATE_KEYS, "[generate] ")
    count = _whole(path, "[generate] ", "count", gen.get("count"), 1, MAX_COMMUNITIES)
    mix = gen.get("mix")
    if not isinstance(mix, dict) or not mix:
        raise _err(path, "district.err.mix", detail="give a table of type = share, e.g. { danwei = 0.5, hutong = 0.5 }")
    for t, w in mix.items():
        if t not in types:
            raise _unknown_type(path, "[generate]", t, types)
        if isinstance(w, bool) or not isinstance(w, (int, float)) or not (w >= 0 and math.isfinite(w)):
            raise _err(path, "district.err.mix", detail=f"{t} = {w!r}: a share must be a non-negative number")
    total_w = float(sum(mix.values()))
    if total_w <= 0:
        raise _err(path, "district.err.mix", detail="the shares add up to 0")
    prefix = gen.get("prefix", "")
    if not isinstance(prefix, str):
        raise _bad(path, "[generate] ", "prefix", prefix, "a string", "字符串")
    names = list(mix)
    exact = np.array([mix[t] / total_w * count for t in names])
    n = np.floor(exact).astype(int)
    for i in np.argsort(-(exact - n), kind="stable")[: count - n.sum()]:
        n[i] += 1
    rng = np.random.default_rng(np.random.SeedSequence(int(seed), spawn_key=(2**40,)))  # no community's key
    kinds = rng.permutation(np.repeat(np.arange(len(names)), n))
    sizes = np.array([rng.uniform(*types[names[k]].households) for k in kinds])
    total = gen.get("total_households")
    if total is not None:
        total = _whole(path, "[generate] ", "total_households", total, MIN_HOUSEHOLDS * count,
                       MAX_DISTRICT_HOUSEHOLDS)
        sizes = sizes * total / sizes.sum()
    out = []
    for j, (k, s) in enumerate(zip(kinds, sizes)):
        t = types[names[k]]
        hh = int(round(s))
        name = f"{prefix}{t.name}-{j + 1:03d}"
        if not MIN_HOUSEHOLDS <= hh <= MAX_HOUSEHOLDS:
            raise _err(path, "district.err.size", name=name, value=hh, lo=MIN_HOUSEHOLDS, hi=MAX_HOUSEHOLDS)
        out.append(Community(name, t.name, hh, _buildings(hh, t.households_per_building), {}, start + j,
                             owners_committee_draw(seed, start + j, t.owners_committee)))
    return out


def load_district(path: str | Path, types: dict[str, CommunityType] | None = None) -> District:
    """Read a district file: every community checked (type, size, names, overrides) and the budget."""
    path = Path(path)
    data = read_toml(path, DistrictError, "district file")
    _check_keys(path, data, _DISTRICT_TOP)
    if types is None:
        tdir = data.get("types")
        if tdir is not None and not isinstance(tdir, str):
            raise _bad(path, "", "types", tdir, "a folder name", "文件夹名")
        types = load_types(path.parent / tdir if tdir else None)
    seed = data.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
        raise _bad(path, "", "seed", seed, "a non-negative whole number", "非负整数")
    steps = _whole(path, "", "steps", data.get("steps", 104), 1, 5200)
    rows = data.get("community", [])
    if not isinstance(rows, list):
        raise _bad(path, "", "community", rows, "[[community]] entries", "[[community]] 条目")
    communities: list[Community] = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise _bad(path, "", f"community[{i}]", row, "a table", "表")
        _check_keys(path, row, _COMMUNITY_KEYS, f"community[{i}]: ")
        name = row.get("name")
        if not isinstance(name, str) or not name.strip():
            raise _bad(path, f"community[{i}]: ", "name", name, "a non-empty string", "非空字符串")
        name = name.strip()
        t = row.get("type")
        if t not in types:
            raise _unknown_type(path, name, t, types)
        hh = row.get("households")
        if isinstance(hh, float) and hh.is_integer():
            hh = int(hh)
        if isinstance(hh, bool) or not isinstance(hh, int) or not MIN_HOUSEHOLDS <= hh <= MAX_HOUSEHOLDS:
            raise _err(path, "district.err.size", name=name, value=hh, lo=MIN_HOUSEHOLDS, hi=MAX_HOUSEHOLDS)
        ov = _overrides(path, name, row.get("overrides"))
        communities.append(Community(name, t, hh, _buildings(hh, types[t].households_per_building), ov, i,
                                     owners_committee_draw(seed, i, types[t].owners_committee)))
    if "generate" in data:
        communities += _generate(path, data["generate"], types, seed, len(communities))
    if not communities:
        raise _err(path, "district.err.no_communities")
    if len(communities) > MAX_COMMUNITIES:
        raise _err(path, "district.err.too_many", n=len(communities), hi=MAX_COMMUNITIES)
    seen: set[str] = set()
    for c in communities:
        if c.name in seen:
            raise _err(path, "district.err.duplicate", name=c.name)
        seen.add(c.name)
    total = sum(c.households for c in communities)
    if total > MAX_DISTRICT_HOUSEHOLDS:
        raise _err(path, "district.err.too_large", n=total, hi=MAX_DISTRICT_HOUSEHOLDS)
    checked: set = set()
    for c in communities:  # every community's parameters valid together (shares summing past 1, ...)
        key = (c.type, tuple(sorted(c.overrides.items())))
        if key in checked:  # the size alone differs, and it was checked above (Params takes ~10 ms)
            continue
        checked.add(key)
        try:
            Params(**c.values(types))
        except ParamError as e:
            raise _err(path, "district.err.override", name=c.name, error=str(e)) from None
    budget = check_budget(data.get("budget", 0.0), len(communities), path)
    office = _street_office(path, data.get("street_office"))
    station = _station(path, data.get("station"), len(communities))
    return District(_text(path, data, "name", path.stem) or path.stem, tuple(communities), types, seed, budget,
                    steps, _text(path, data, "name_zh"), _text(path, data, "description"),
                    _text(path, data, "description_zh"), path.resolve(), office, station)


def _street_office(path, table: Any) -> StreetOffice | None:
    if table is None:
        return None
    if not isinstance(table, dict):
        raise _bad(path, "", "street_office", table, "a table [street_office]", "表 [street_office]")
    _check_keys(path, table, _OFFICE_KEYS, "[street_office] ")
    pressure = table.get("pressure", True)
    if not isinstance(pressure, bool):
        raise _bad(path, "[street_office] ", "pressure", pressure, "true or false", "true 或 false")
    return StreetOffice(pressure)


def _station(path, table: Any, n_communities: int) -> Station | None:
    if table is None:
        return None
    if not isinstance(table, dict):
        raise _bad(path, "", "station", table, "a table [station]", "表 [station]")
    _check_keys(path, table, _STATION_KEYS, "[station] ")
    staff = table.get("staff")
    if isinstance(staff, bool) or not isinstance(staff, (int, float)) or not 0 <= staff <= 1000:
        raise _bad(path, "[station] ", "staff", staff, "full-time social workers per station, 0 to 1,000",
                   "每个社工站的全职社工人数，0 到 1,000")
    hours = table.get("hours", 40.0)
    if isinstance(hours, bool) or not isinstance(hours, (int, float)) or not 0 < hours <= 60:
        raise _bad(path, "[station] ", "hours", hours, "weekly hours of one social worker, above 0 and at most 60",
                   "每名社工每周工作小时数，大于 0、不超过 60")
    split = table.get("split", "households")
    if split not in SPLITS:
        raise _bad(path, "[station] ", "split", split, " or ".join(SPLITS), "、".join(SPLITS) + " 之一")
    streets = _whole(path, "[station] ", "streets", table.get("streets", 1), 1, max(1, n_communities))
    return Station(float(staff), float(hours), split, streets)


def check_budget(budget: Any, n_communities: int, path: Path | str | None = None) -> float:
    """A yearly budget in yuan: a non-negative number, and (when positive) not one that looks like 万元."""
    if isinstance(budget, bool) or not isinstance(budget, (int, float)) or not math.isfinite(budget) or budget < 0:
        raise _err(path, "district.err.budget", value=budget)
    budget = float(budget)
    if 0 < budget < MIN_BUDGET_PER_COMMUNITY * n_communities:
        raise _err(path, "district.err.budget_wan", budget=budget, per=budget / n_communities, n=n_communities,
                   yuan=budget * 10_000)
    return budget


def resolve_district(name: str | Path) -> District:
    """A district file path, or the name of a shipped district (``street``, ``district``)."""
    p = Path(name)
    if not p.exists() and not p.suffix and (DISTRICT_DIR / f"{p.name}.toml").is_file():
        p = DISTRICT_DIR / f"{p.name}.toml"
    return load_district(p)
