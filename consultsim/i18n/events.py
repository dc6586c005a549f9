"""The model's event sentences in Chinese (English lives with the model: core/events.py)."""

from __future__ import annotations

from consultsim.core.events import TEMPLATES, Event
from consultsim.core.topics import CATALOG
from consultsim.i18n import register, tr

__all__ = ["event_text"]

ZH = {
    "proposed_resident": "{where}居民提出了{topic_label}议题",
    "proposed_committee": "居委会提出了{topic_label}议题",
    "no_quorum": "{where}关于{topic_label}的协商会只来了 {attended} 人（需要 {needed} 人），延期",
    "approved": "{where}以 {support:.0%} 的支持通过了{topic_label}",
    "no_agreement": "{where}关于{topic_label}尚未达成一致（{verdict}），将再次开会",
    "failed": "{where}的{topic_label}议题未能通过（{why}）",
    "pm_declined": "物业不承诺落实{where}的{topic_label}：它不赞成",
    "unfunded": "{where}的{topic_label}业主认缴的出资只占应筹费用的 {collected:.0%}，无法开工",
    "completed": "{where}的{topic_label}已完成",
    "stalled": "{where}第 {decided} 周议定的{topic_label}已停滞",
    "election": "居民选举产生新一届居委会，离任成员带走了 {lost:.0%} 的工作经验",
}
register({f"event.{k}": {"en": v, "zh": ZH[k]} for k, v in TEMPLATES.items()})


def event_text(e: Event, lang: str = "en") -> str:
    """The event as a sentence in ``lang`` ("Week 12: …" / "第 12 周：…")."""
    if lang == "en":
        return e.text
    f = dict(e.fields)
    b = f.get("building")
    f.setdefault("where", f"{b + 1} 号楼" if b is not None else "全社区")
    if "topic" in f and f["topic"] in CATALOG:
        f.setdefault("topic_label", tr(f"topic.{f['topic']}", lang))
    return f"第 {e.week} 周：" + tr(f"event.{e.kind}", lang, **f) + "。"
