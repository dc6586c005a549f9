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

METRIC_ZH: dict[str, str] = {
    "attendance_rate": "本周参会居民占比",
    "participation_rate": "近 12 周参与过协商的居民占比",
    "participation_year": "近一年（52 周）参与过协商的居民占比",
    "participation_gini": "参与不均程度（基尼系数）",
    "elderly_share_attendees": "近期参与者中老年人（60 岁以上）占比",
    "young_share_attendees": "近期参与者中青年（18–39 岁）占比",
    "representation_gap": "参与者与全体居民的年龄结构差异",
    "topics_proposed": "提出的议题",
    "resident_proposed_share": "由居民自己提出的议题占比",
    "topics_on_agenda": "列入议程的议题",
    "meetings_held": "召开的协商会",
    "resolutions": "达成的决议",
    "failed": "未通过的议题（不足法定人数、僵持、否决、表决无效）",
    "implemented": "已落实的决议",
    "stalled": "超期停滞的决议",
    "procedure_completion": "按期议决的议程议题占比",
    "implementation_rate": "已落实的决议占比",
    "implemented_of_settled": "已了结决议中得到落实（未停滞）的占比",
    "weeks_to_completion": "已落实决议从议决到完成的周数",
    "committee_meeting_hours": "居委会在议程周期和协商会上花费的工时",
    "followup_coverage": "居委会工时能覆盖的自办事项跟进占比",
    "mean_consensus": "协商会上的共识程度",
    "voice_concentration": "前 10% 参会者所占的发言份额",
    "mean_trust_committee": "居民对居委会的信任",
    "mean_trust_property": "居民对物业的信任",
    "mean_efficacy": "居民觉得参与有用的程度（效能感）",
    "mean_capacity": "居民的协商能力",
    "mean_civic": "居民的公共参与意愿",
    "incentive_spent": "已发放的积分（积分制）",
    "complaints": "12345 热线投诉",
}
register({f"metric.{k}": {"en": v, **({"zh": METRIC_ZH[k]} if k in METRIC_ZH else {})} for k, v in LABELS.items()})
