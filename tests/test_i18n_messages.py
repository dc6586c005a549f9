"""Chinese for what the registry and the package's refusals say (issue 19, "What to build" 2).

The cases are derived from the source: every registered mechanism, every message a user-error raise site
builds, so a new mechanism or a new message without its Chinese fails here."""

from __future__ import annotations

import pytest

from tests.test_i18n_complete import english_words

_CITATION = r"[A-Z][\w-]+(?:(?:, | & | and )[A-Z][\w-]+)*(?: et al\.?)? \d{4}(?:, \d{4})*"


def test_every_registered_mechanism_has_a_chinese_description():
    from consultsim.core.mechanisms import MECHANISMS
    from consultsim.i18n.messages import MECHANISM_ZH

    assert not sorted(set(MECHANISMS) - set(MECHANISM_ZH)), "add a Chinese description to MECHANISM_ZH"
    assert not sorted(set(MECHANISM_ZH) - set(MECHANISMS)), "stale entries in MECHANISM_ZH"


@pytest.mark.parametrize("name", sorted(__import__("consultsim.core.mechanisms", fromlist=["M"]).MECHANISMS))
def test_each_mechanism_description_reads_chinese(name):
    import re

    from consultsim.core.mechanisms import MECHANISMS
    from consultsim.i18n.messages import mechanism_description

    m = MECHANISMS[name]
    zh = mechanism_description(m, "zh")
    assert zh != m.description and re.search(r"[\u4e00-\u9fff]", zh)
    # authors' names stay as published; parameter identifiers as written
    left = english_words(re.sub(_CITATION, " ", zh))
    assert not left, (name, zh, left)
    assert mechanism_description(m, "en") == m.description


def test_every_calibration_statistic_verdict_and_role_has_chinese():
    import re

    from consultsim.analysis import calibration as cal
    from consultsim.i18n import tr

    for name, (_, text) in cal.STATISTICS.items():
        assert tr(f"cal.stat.{name}", "en") == text, name  # the catalogue's English is the registry's
        zh = cal.statistic_text(name, "zh")
        assert re.search(r"[\u4e00-\u9fff]", zh) and not english_words(zh), (name, zh)
    # every verdict the code can give (derived by calling it across its branches) and both roles
    verdicts = {cal.verdict(r, n) for r in (0.1, 0.5, 0.99, 2.0) for n in (0.0, cal.MIN_ESS - 1, cal.MIN_ESS, 1e3)}
    assert len(verdicts) == 3
    for v in [*verdicts, "target", "held out"]:
        key = f"cal.verdict.{v}" if v in verdicts else f"cal.role.{v}"
        zh = tr(key, "zh")
        assert tr(key, "en") == v and not english_words(zh), (v, zh)
