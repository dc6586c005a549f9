"""Text in both languages: every catalog entry has Chinese text, event sentences render in both."""

from __future__ import annotations

import pytest

from consultsim.core.events import TEMPLATES
from consultsim.core.model import ConsultationModel
from consultsim.i18n import _CATALOG, _load, tr
from consultsim.i18n.events import event_text


def test_glossary_uses_beijing_terms():
    assert tr("committee", "zh") == "居委会" and tr("property_manager", "zh") == "物业"
    assert tr("social_worker", "zh") == "社工" and tr("building_leader", "zh") == "楼门长"
    assert tr("committee", "en") == "neighbourhood committee"


def test_every_event_kind_and_topic_has_chinese_text():
    _load()
    for kind in TEMPLATES:
        assert f"event.{kind}" in _CATALOG["zh"], kind
    for key in _CATALOG["en"]:
        if key.startswith("topic."):
            assert _CATALOG["zh"][key] != _CATALOG["en"][key], key


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="language"):
        tr("committee", "fr")


def test_events_render_in_both_languages():
    m = ConsultationModel(rng=3, n_residents=300, n_buildings=3)
    for _ in range(60):
        m.step()
    kinds = {e.kind for e in m.events}
    assert {"approved", "proposed_committee"} <= kinds
    for e in m.events:
        zh = event_text(e, "zh")
        assert zh.startswith(f"第 {e.week} 周：") and "{" not in zh
        en = event_text(e, "en")
        # the model's sentence, except that a label naming several things takes no article (issue 20)
        assert en == e.text.replace(" a parking spaces", " parking spaces").replace(" a pet rules", " pet rules")
        assert " a parking spaces" not in en and " a pet rules" not in en


def test_every_lever_has_a_chinese_label_in_the_app():
    from consultsim.core.params import levers

    _load()
    for names in levers().values():
        for name in names:
            assert f"app.lever.{name}" in _CATALOG["zh"], name
