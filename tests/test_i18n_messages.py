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
