"""The shared glossary: stakeholders, topic types and metric names in both languages."""

from __future__ import annotations

from consultsim.core.metric_names import LABELS
from consultsim.core.topics import CATALOG
from consultsim.i18n import register

__all__ = ["TOPIC_ZH", "METRIC_ZH"]

register({
    "committee": {"en": "neighbourhood committee", "zh": "居委会"},
    "property_manager": {"en": "property manager", "zh": "物业"},
    "social_worker": {"en": "social worker", "zh": "社工"},
    "building_leader": {"en": "building leader", "zh": "楼门长"},
    "resident": {"en": "resident household", "zh": "居民户"},
    "incentive_points": {"en": "incentive points", "zh": "积分制"},
    "hotline": {"en": "12345 hotline", "zh": "12345 热线"},
    "consultation": {"en": "community consultation", "zh": "社区协商"},
})

TOPIC_ZH = {
    "elevator": "加装电梯",
    "parking": "停车位",
    "property_fee": "物业费调整",
    "garbage": "垃圾分类",
    "pets": "养宠规范",
    "public_space": "公共空间改造",
}
register({f"topic.{k}": {"en": tt.label, "zh": TOPIC_ZH.get(k, tt.label)} for k, tt in CATALOG.items()})

METRIC_ZH: dict[str, str] = {}
register({f"metric.{k}": {"en": v, **({"zh": METRIC_ZH[k]} if k in METRIC_ZH else {})} for k, v in LABELS.items()})
