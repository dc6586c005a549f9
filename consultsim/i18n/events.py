"""The model's event sentences in Chinese and English (the templates' English lives with the model: core/events.py).

The words the model puts into an event's fields (a verdict such as "no consensus", why a topic failed such as
"deadlock") are translated here too, so a Chinese sentence carries no English word. English sentences are
rendered from the model's templates with the article a topic's label needs ("proposed parking spaces", not
"proposed a parking spaces").
"""

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

#: Words the model writes into events' fields (verdicts, why a topic failed) and topics' outcomes.
WORDS = {
    "no consensus": "未达成共识",
    "too little support": "支持不足",
    "too few owners voted": "参与表决的业主不足",
    "rejected": "被否决",
    "deadlock": "僵持不下",
    "no quorum": "人数不足",
    "approved": "通过",
    "unfunded": "资金未筹足",
    "implemented": "已落实",
    "stalled": "停滞",
}
register({f"word.{k}": {"en": k, "zh": v} for k, v in WORDS.items()})


def _plural(label: str) -> bool:
    """An English label naming several things ("parking spaces", "pet rules") takes no article."""
    last = label.split()[-1] if label else ""
    return last.endswith("s") and not last.endswith("ss")


def _word(value, lang: str):
    return tr(f"word.{value}", lang) if isinstance(value, str) and value in WORDS else value


def event_text(e: Event, lang: str = "en") -> str:
    """The event as a sentence in ``lang`` ("Week 12: …" / "第 12 周：…")."""
    if lang == "en":
        f = dict(e.fields)
        label = CATALOG[f["topic"]].label if f.get("topic") in CATALOG else ""
        if label and _plural(label):
            f["a_topic"] = label
        try:
            return Event(e.week, e.kind, f).text
        except (KeyError, IndexError):  # a kind without a template here: the model's own sentence
            return e.text
    f = {k: _word(v, lang) for k, v in e.fields.items()}
    b = f.get("building")
    f.setdefault("where", f"{b + 1} 号楼" if b is not None else "全社区")
    if "topic" in f and f["topic"] in CATALOG:
        f.setdefault("topic_label", tr(f"topic.{f['topic']}", lang))
    return f"第 {e.week} 周：" + tr(f"event.{e.kind}", lang, **f) + "。"
