"""The metric names of ODD §7.9 (a contract) with plain-language labels.

Kept apart from :mod:`consultsim.core.metrics` (which computes them) so that
plotting, reports and sweeps can name metrics without importing the model.
"""

from __future__ import annotations

__all__ = ["METRICS", "LABELS", "UNITS", "CUMULATIVE", "SHARES", "label"]

# name: (label a policymaker reads, unit)
_SPEC = {
    "attendance_rate": ("Residents attending a meeting this week", "share of households"),
    "participation_rate": ("Residents who took part in the last 12 weeks", "share of households"),
    "participation_year": ("Residents who took part in the last 52 weeks", "share of households"),
    "participation_gini": ("Inequality of participation (Gini)", "0 = equal, 1 = one person"),
    "elderly_share_attendees": ("Elderly (60+) share of recent participants", "share"),
    "young_share_attendees": ("Young (18-39) share of recent participants", "share"),
    "representation_gap": ("Age mismatch between participants and residents", "dissimilarity index"),
    "topics_proposed": ("Topics proposed", "topics, cumulative"),
    "resident_proposed_share": ("Topics proposed by residents themselves", "share of topics"),
    "topics_on_agenda": ("Topics put on the agenda", "topics, cumulative"),
    "meetings_held": ("Consultation meetings held", "meetings, cumulative"),
    "resolutions": ("Resolutions agreed", "topics, cumulative"),
    "failed": ("Topics that failed (no quorum, deadlock, rejected, no valid vote)", "topics, cumulative"),
    "implemented": ("Resolutions implemented", "topics, cumulative"),
    "stalled": ("Resolutions stalled past their deadline", "topics, cumulative"),
    "procedure_completion": ("Agenda topics decided on schedule", "share of agenda topics"),
    "implementation_rate": ("Agreed resolutions implemented", "share of resolutions"),
    "implemented_of_settled": ("Settled resolutions that were implemented (not stalled)", "share of settled resolutions"),
    "weeks_to_completion": ("Weeks from decision to completion of implemented resolutions", "weeks"),
    "committee_meeting_hours": ("Committee staff hours spent on agenda cycles and meetings", "hours, cumulative"),
    "followup_coverage": ("Follow-up of the committee's own works its hours covered", "share of hours needed"),
    "mean_consensus": ("Consensus reached in meetings", "0 = split, 1 = unanimous"),
    "voice_concentration": ("Speaking weight held by the top 10% of attendees", "share of voice"),
    "mean_trust_committee": ("Trust in the residents' committee", "0-1 scale"),
    "mean_trust_property": ("Trust in the property manager", "0-1 scale"),
    "mean_efficacy": ("Residents' sense that taking part matters", "0-1 scale"),
    "mean_capacity": ("Residents' deliberative capacity", "0-1 scale"),
    "mean_civic": ("Residents' civic motivation", "0-1 scale"),
    "incentive_spent": ("Incentive points paid out", "yuan, cumulative"),
    "complaints": ("Complaints to the 12345 hotline", "calls, cumulative"),
}
METRICS: tuple[str, ...] = tuple(_SPEC)
LABELS = {k: v[0] for k, v in _SPEC.items()}
UNITS = {k: v[1] for k, v in _SPEC.items()}
CUMULATIVE = frozenset(k for k, v in _SPEC.items() if "cumulative" in v[1])
SHARES = frozenset(k for k in METRICS if k not in CUMULATIVE)


def label(name: str, unit: bool = False) -> str:
    """Plain-language label of a metric (with its unit in brackets if ``unit``)."""
    text = LABELS.get(name, name.replace("_", " "))
    return f"{text} ({UNITS[name]})" if unit and name in UNITS else text
