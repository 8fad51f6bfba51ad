"""The signaleringsoverleg's models: meeting series with their meetings, agenda, minutes and
actions (`meetings`), signals (`signals`) and the recommendations register (`recommendations`)."""

from signalering.models.meetings import (
    ActionItem,
    AgendaItem,
    AgendaTemplateItem,
    Attendance,
    Decision,
    Meeting,
    MinutesVersion,
    Section,
    Series,
    SeriesMember,
)
from signalering.models.recommendations import (
    Recommendation,
    RecommendationChange,
    RecommendationConsent,
    RecommendationMilestone,
)
from signalering.models.signals import Signal

__all__ = [
    "ActionItem",
    "AgendaItem",
    "AgendaTemplateItem",
    "Attendance",
    "Decision",
    "Meeting",
    "MinutesVersion",
    "Recommendation",
    "RecommendationChange",
    "RecommendationConsent",
    "RecommendationMilestone",
    "Section",
    "Series",
    "SeriesMember",
    "Signal",
]
