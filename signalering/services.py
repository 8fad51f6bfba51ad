"""Writes of the signaleringsoverleg."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Location, Organisation
from cases import figures as case_figures
from cases.models import LegalArea
from piket import figures as piket_figures
from signalering import selectors
from signalering.models import (
    Decision,
    Meeting,
    Recommendation,
    RecommendationChange,
    RecommendationConsent,
    RecommendationMilestone,
    Signal,
)

# ---------------------------------------------------------------- signals and recommendations
#
# Signals: `signal_raise` (anyone, about a pattern, never a client), `signal_resolve` and
# `signal_judge` (a coordinator of its location: resolved with what was done; feedback marked
# justified or not, so the loop closes). `signals_generate_for_month` makes the automatic
# signals of a month from cases.figures and piket.figures; the unique constraint on (source,
# location, month, source code) makes it idempotent.
#
# Recommendations: every status change goes through `recommendation_transition`, against
# RECOMMENDATION_TRANSITIONS, and every change of any kind leaves a RecommendationChange row.
# A local recommendation rises to the national level only once the three lines of its location
# each agreed in the consent round (`recommendation_consent`).

RStatus = Recommendation.Status
RLevel = Recommendation.Level

# From -> the statuses a recommendation may move to by hand. MERGED is reached and left only
# by merging and splitting; CONSENT only locally (the consent round of a location's lines).
RECOMMENDATION_TRANSITIONS: dict[str, frozenset[str]] = {
    RStatus.DRAFT: frozenset({RStatus.CONSENT, RStatus.SUBMITTED, RStatus.DECLINED}),
    RStatus.CONSENT: frozenset({RStatus.DRAFT, RStatus.SUBMITTED}),
    RStatus.SUBMITTED: frozenset({RStatus.IN_PROGRESS, RStatus.ANSWERED, RStatus.DECLINED}),
    RStatus.IN_PROGRESS: frozenset({RStatus.ANSWERED, RStatus.IMPLEMENTED, RStatus.DECLINED}),
    RStatus.ANSWERED: frozenset({RStatus.IN_PROGRESS, RStatus.IMPLEMENTED, RStatus.DECLINED}),
    RStatus.IMPLEMENTED: frozenset(),
    RStatus.DECLINED: frozenset({RStatus.DRAFT}),
    RStatus.MERGED: frozenset(),
}
MANUAL_KINDS = (
    Signal.Kind.GOES_WELL,
    Signal.Kind.CAN_IMPROVE,
    Signal.Kind.BOTTLENECK,
    Signal.Kind.WITTE_VLEK,
    Signal.Kind.IDEA,
    Signal.Kind.ZELFREDZAAMHEID,
)


@dataclass(frozen=True)
class SignalData:
    kind: str
    theme: str
    description: str
    location: Location | None = None  # None: national, not bound to a location
    legal_area: LegalArea | None = None
    counterparty: str = ""
    process_step: str = ""
    organisations: tuple[Organisation, ...] = ()
    case_count: int | None = None
    refused_count: int | None = None


def _signal_problems(data: SignalData) -> dict[str, str]:
    problems = {}
    if data.kind not in MANUAL_KINDS:
        problems["kind"] = _("Kies wat voor signaal het is.")
    if data.theme == Signal.Theme.LEGAL_AREA and data.legal_area is None:
        problems["legal_area"] = _("Kies het rechtsgebied waar het signaal over gaat.")
    if data.theme == Signal.Theme.COUNTERPARTY and not data.counterparty.strip():
        problems["counterparty"] = _("Vul de wederpartij in, bijvoorbeeld UWV of IND.")
    if data.theme == Signal.Theme.PROCESS_STEP and not data.process_step:
        problems["process_step"] = _("Kies de processtap waar het signaal over gaat.")
    if data.kind == Signal.Kind.ZELFREDZAAMHEID and not data.refused_count:
        problems["refused_count"] = _(
            "Vul in hoeveel mensen ten onrechte als zelfredzaam zijn afgewezen (minstens 1)."
        )
    if data.kind != Signal.Kind.ZELFREDZAAMHEID and data.refused_count:
        problems["refused_count"] = _(
            "Het aantal afgewezen mensen hoort alleen bij een signaal over het "
            "zelfredzaamheidscriterium."
        )
    return problems


@transaction.atomic
def signal_raise(*, user, data: SignalData) -> Signal:
    """A signal about a pattern in practice: at one of the user's locations (or national, for
    whoever holds signalering.national). Never which cases: at most how many."""
    if not access.can(user, "signalering.raise"):
        raise PermissionDenied
    if data.location is None:
        if not access.can(user, "signalering.national"):
            raise ValidationError({"location": _("Kies de locatie waar het signaal speelt.")})
    elif not any(m.organisation.location_id == data.location.pk for m in access.memberships(user)):
        raise ValidationError(
            {"location": _("U kunt alleen signalen van uw eigen locatie inbrengen.")}
        )
    if problems := _signal_problems(data):
        raise ValidationError(problems)
    signal = Signal(
        raised_by=user,
        location=data.location,
        kind=data.kind,
        theme=data.theme,
        legal_area=data.legal_area if data.theme == Signal.Theme.LEGAL_AREA else None,
        counterparty=data.counterparty.strip() if data.theme == Signal.Theme.COUNTERPARTY else "",
        process_step=data.process_step if data.theme == Signal.Theme.PROCESS_STEP else "",
        description=data.description.strip(),
        case_count=data.case_count,
        refused_count=data.refused_count if data.kind == Signal.Kind.ZELFREDZAAMHEID else None,
        source=Signal.Source.MANUAL,
    )
    signal.full_clean()
    signal.save()
    signal.organisations.set(data.organisations)
    return signal


@transaction.atomic
def signal_resolve(*, user, signal: Signal, resolution: str) -> Signal:
    """Close the loop: what was done about it. A resolved signal stays resolved."""
    if not selectors.can_handle_signal(user, signal):
        raise PermissionDenied
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    if signal.status == Signal.Status.RESOLVED:
        raise ValidationError(_("Dit signaal is al afgehandeld."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Beschrijf hoe het signaal is afgehandeld.")})
    signal.resolution = resolution.strip()
    signal.status = Signal.Status.RESOLVED
    signal.resolved_at = timezone.now()
    signal.full_clean()
    signal.save(update_fields=["resolution", "status", "resolved_at"])
    return signal


@transaction.atomic
def signal_judge(*, user, signal: Signal, justified: bool) -> Signal:
    """For the second line's feedback and the piket's not-reached counts: was it justified?"""
    if not selectors.can_handle_signal(user, signal):
        raise PermissionDenied
    if signal.source not in selectors.FEEDBACK_SOURCES:
        raise ValidationError(
            _("Alleen bij terugkoppeling en niet-bereikt-signalen geeft u aan of het terecht was.")
        )
    signal.justified = justified
    signal.save(update_fields=["justified"])
    return signal


def _month_name(month: date) -> str:
    return date_format(month, "F Y")


@transaction.atomic
def signals_generate_for_month(*, month: date) -> int:
    """The automatic signals of one month (its first day): per location, one per feedback
    code of the second line on intakes, and one for the piket's consults whose advocaat was
    not reached (per location, never per advocaat). Running it again changes nothing but
    the counts, if late records changed them. Returns how many signals were new."""
    start = month.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1)
    wanted: list[tuple[str, int, str, int, str, str]] = []
    for row in case_figures.second_line_feedback_by_location(start=start, end=end):
        text = _(
            "Terugkoppeling van de tweede lijn op intakes in %(month)s: “%(label)s” bij "
            "%(count)s advies(en)."
        ) % {"month": _month_name(start), "label": row.label, "count": row.advice}
        wanted.append(
            (
                Signal.Source.INTAKE_FEEDBACK,
                row.location_id,
                row.code,
                row.advice,
                text,
                Signal.ProcessStep.TERUGKOPPELING,
            )
        )
    for row in piket_figures.not_reached_by_location(start=start, end=end):
        text = _(
            "Piket in %(month)s: bij %(count)s van de %(booked)s geboekte consulten was de "
            "advocaat niet bereikbaar."
        ) % {"month": _month_name(start), "count": row.not_reached, "booked": row.booked}
        wanted.append(
            (
                Signal.Source.PIKET_NOT_REACHED,
                row.location_id,
                "niet_bereikt",
                row.not_reached,
                text,
                Signal.ProcessStep.PIKET,
            )
        )
    kind = {
        Signal.Source.INTAKE_FEEDBACK: Signal.Kind.INTAKE_FEEDBACK,
        Signal.Source.PIKET_NOT_REACHED: Signal.Kind.NOT_REACHED,
    }
    created = 0
    for source, location_id, code, count, text, step in wanted:
        signal, new = Signal.objects.get_or_create(
            source=source,
            location_id=location_id,
            month=start,
            source_code=code,
            defaults={
                "kind": kind[source],
                "theme": Signal.Theme.PROCESS_STEP,
                "process_step": step,
                "description": text,
                "case_count": count,
            },
        )
        created += new
        if not new and signal.case_count != count:
            signal.case_count, signal.description = count, text
            signal.save(update_fields=["case_count", "description"])
    return created


# ---------------------------------------------------------------- recommendations


@dataclass(frozen=True)
class RecommendationData:
    title: str
    text: str
    addressee_kind: str
    addressee_name: str = ""
    level: str = RLevel.LOCAL
    location: Location | None = None


def _record(recommendation: Recommendation, user, what: str, note: str = "") -> None:
    RecommendationChange.objects.create(
        recommendation=recommendation, changed_by=user, what=what, note=note
    )


def _check_level(user, data: RecommendationData) -> None:
    if data.level == RLevel.LOCAL:
        if data.location is None:
            raise ValidationError({"location": _("Kies de locatie van de aanbeveling.")})
        if not access.can(user, "signalering.take_part", data.location):
            raise ValidationError(
                {"location": _("U kunt alleen aanbevelingen van uw eigen locatie maken.")}
            )
    elif not access.can(user, "signalering.take_part"):
        raise PermissionDenied


@transaction.atomic
def recommendation_create(
    *,
    user,
    data: RecommendationData,
    signals: Iterable[Signal] = (),
    decisions: Iterable[Decision] = (),
    meetings: Iterable[Meeting] = (),
) -> Recommendation:
    """A recommendation in the register, directly or from a meeting's decision (then linked to
    the decision, its meeting and its agenda item's signal)."""
    _check_level(user, data)
    recommendation = Recommendation(
        title=data.title.strip(),
        text=data.text.strip(),
        level=data.level,
        location=data.location if data.level == RLevel.LOCAL else None,
        addressee_kind=data.addressee_kind,
        addressee_name=data.addressee_name.strip(),
        created_by=user,
    )
    recommendation.full_clean()
    recommendation.save()
    recommendation.signals.set(signals)
    recommendation.decisions.set(decisions)
    recommendation.meetings.set(meetings)
    _record(recommendation, user, "created", _("Aangemaakt."))
    return recommendation


@transaction.atomic
def recommendation_from_decision(
    *, user, decision: Decision, data: RecommendationData
) -> Recommendation:
    item = decision.agenda_item
    return recommendation_create(
        user=user,
        data=data,
        decisions=[decision],
        meetings=[item.meeting],
        signals=[item.signal] if item.signal_id else [],
    )


def _locked(recommendation: Recommendation) -> Recommendation:
    return Recommendation.objects.select_for_update().get(pk=recommendation.pk)


@transaction.atomic
def recommendation_transition(
    *, user, recommendation: Recommendation, status: str, note: str = ""
) -> Recommendation:
    """The one place where a recommendation's status changes by hand: against
    RECOMMENDATION_TRANSITIONS, with a history row."""
    if not selectors.can_change_recommendation(user, recommendation):
        raise PermissionDenied
    recommendation = _locked(recommendation)
    before = recommendation.status
    if status not in RECOMMENDATION_TRANSITIONS.get(before, frozenset()):
        raise ValidationError(
            {
                "status": _("Een aanbeveling met status “%(before)s” kan niet naar “%(after)s”.")
                % {"before": RStatus(before).label, "after": _status_label(status)}
            }
        )
    if status == RStatus.CONSENT and recommendation.level != RLevel.LOCAL:
        raise ValidationError(
            {"status": _("Alleen een lokale aanbeveling gaat langs de drie lijnen van de locatie.")}
        )
    recommendation.status = status
    recommendation.save(update_fields=["status", "updated_at"])
    if before == RStatus.CONSENT:  # a new round starts afresh
        recommendation.consents.all().delete()
    line = f"{RStatus(before).label} → {RStatus(status).label}"
    _record(recommendation, user, "status", f"{line}. {note.strip()}" if note.strip() else line)
    return recommendation


def _status_label(status: str) -> str:
    try:
        return str(RStatus(status).label)
    except ValueError:
        return status


@transaction.atomic
def recommendation_answer(*, user, recommendation: Recommendation, answer: str) -> Recommendation:
    """The addressee's answer; a submitted or in-progress recommendation becomes answered."""
    if not selectors.can_change_recommendation(user, recommendation):
        raise PermissionDenied
    if not answer.strip():
        raise ValidationError({"answer": _("Vul het antwoord van de geadresseerde in.")})
    recommendation = _locked(recommendation)
    if recommendation.status not in (RStatus.SUBMITTED, RStatus.IN_PROGRESS, RStatus.ANSWERED):
        raise ValidationError(
            {"answer": _("Een antwoord kan pas als de aanbeveling is ingediend.")}
        )
    recommendation.answer = answer.strip()
    recommendation.full_clean()
    recommendation.save(update_fields=["answer", "updated_at"])
    _record(recommendation, user, "answer", recommendation.answer)
    if recommendation.status != RStatus.ANSWERED:
        recommendation = recommendation_transition(
            user=user, recommendation=recommendation, status=RStatus.ANSWERED
        )
    return recommendation


@transaction.atomic
def recommendation_milestone_add(
    *, user, recommendation: Recommendation, description: str, due_date: date | None
) -> RecommendationMilestone:
    if not selectors.can_change_recommendation(user, recommendation):
        raise PermissionDenied
    recommendation = _locked(recommendation)
    if recommendation.status == RStatus.MERGED:
        raise ValidationError(_("Deze aanbeveling is samengevoegd; werk de samengevoegde bij."))
    position = recommendation.milestones.count() + 1
    milestone = RecommendationMilestone(
        recommendation=recommendation,
        description=description.strip(),
        due_date=due_date,
        position=position,
    )
    milestone.full_clean()
    milestone.save()
    _record(recommendation, user, "milestone", milestone.description)
    recommendation.save(update_fields=["updated_at"])
    return milestone


@transaction.atomic
def recommendation_milestone_done(
    *, user, recommendation: Recommendation, milestone_id: int
) -> RecommendationMilestone:
    if not selectors.can_change_recommendation(user, recommendation):
        raise PermissionDenied
    milestone = recommendation.milestones.select_for_update().filter(pk=milestone_id).first()
    if milestone is None:
        raise ValidationError(_("Deze mijlpaal hoort niet bij deze aanbeveling."))
    if milestone.done_at is None:
        milestone.done_at = timezone.localdate()
        milestone.save(update_fields=["done_at"])
        done = _("Bereikt: %(m)s") % {"m": milestone.description}
        _record(recommendation, user, "milestone", done)
    return milestone


@transaction.atomic
def recommendation_consent(*, user, recommendation: Recommendation, agreed: bool) -> Recommendation:
    """One line's answer in the consent round, given by a coordinator of that line at the
    recommendation's location. When all three lines agreed, the recommendation rises to the
    national level (submitted to the stuurgroep's register)."""
    organisation = selectors.consent_line_of(user, recommendation)
    if organisation is None:
        raise PermissionDenied
    recommendation = _locked(recommendation)
    if recommendation.status != RStatus.CONSENT:
        raise ValidationError(_("Voor deze aanbeveling loopt geen instemmingsronde."))
    RecommendationConsent.objects.update_or_create(
        recommendation=recommendation,
        line=organisation.kind,
        defaults={
            "organisation": organisation,
            "user": user,
            "agreed": agreed,
            "decided_at": timezone.now(),
        },
    )
    label = Organisation.Kind(organisation.kind).label
    _record(
        recommendation,
        user,
        "consent",
        (_("%(line)s stemt in.") if agreed else _("%(line)s stemt niet in.")) % {"line": label},
    )
    agreeing = set(recommendation.consents.filter(agreed=True).values_list("line", flat=True))
    if agreeing >= {str(line) for line in selectors.SIGNAL_LINES}:
        recommendation.level = RLevel.NATIONAL
        recommendation.status = RStatus.SUBMITTED
        recommendation.save(update_fields=["level", "status", "updated_at"])
        _record(
            recommendation,
            user,
            "status",
            _("De drie lijnen stemden in: de aanbeveling gaat naar het landelijke niveau."),
        )
    return recommendation


@transaction.atomic
def recommendation_merge(
    *,
    user,
    recommendations: Sequence[Recommendation],
    data: RecommendationData,
) -> Recommendation:
    """Several recommendations (of several locations) become one regional or national
    recommendation, linked to all their signals, meetings and decisions; each merged one
    points to it (merged_into) and keeps its own links, so a split restores them."""
    ids = [r.pk for r in recommendations]
    if len(set(ids)) < len(ids):
        raise ValidationError(_("Een aanbeveling kan niet met zichzelf worden samengevoegd."))
    if len(ids) < 2:
        raise ValidationError(_("Kies minstens twee aanbevelingen om samen te voegen."))
    if data.level == RLevel.LOCAL:
        raise ValidationError(
            {"level": _("Samengevoegd wordt een aanbeveling regionaal of landelijk.")}
        )
    sources = list(Recommendation.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    for source in sources:
        if not selectors.can_change_recommendation(user, source):
            raise PermissionDenied
        if source.status == RStatus.MERGED or source.merged_into_id:
            raise ValidationError(
                _("“%(title)s” is al samengevoegd; splits die eerst.") % {"title": source.title}
            )
    merged = recommendation_create(
        user=user,
        data=data,
        signals=Signal.objects.filter(recommendations__in=sources).distinct(),
        decisions=Decision.objects.filter(recommendations__in=sources).distinct(),
        meetings=Meeting.objects.filter(recommendations__in=sources).distinct(),
    )
    for source in sources:
        before = source.status
        source.merged_into = merged
        source.status = RStatus.MERGED
        source.save(update_fields=["merged_into", "status", "updated_at"])
        _record(
            source,
            user,
            "merged",
            _("Samengevoegd in “%(title)s” (status was: %(before)s).")
            % {"title": merged.title, "before": RStatus(before).label},
        )
    _record(
        merged,
        user,
        "merged",
        _("Samengevoegd uit: %(titles)s.") % {"titles": "; ".join(s.title for s in sources)},
    )
    return merged


@transaction.atomic
def recommendation_split(*, user, recommendation: Recommendation) -> list[Recommendation]:
    """Undo a merge: the merged recommendations come back as drafts with their own links, and
    the combined one is withdrawn (its history stays on theirs)."""
    if not selectors.can_change_recommendation(user, recommendation):
        raise PermissionDenied
    recommendation = _locked(recommendation)
    sources = list(recommendation.merged_from.select_for_update().order_by("pk"))
    if not sources:
        raise ValidationError(_("Deze aanbeveling is niet uit andere samengevoegd."))
    for source in sources:
        source.merged_into = None
        source.status = RStatus.DRAFT
        source.save(update_fields=["merged_into", "status", "updated_at"])
        _record(
            source,
            user,
            "split",
            _("Weer los van “%(title)s”; terug naar concept.") % {"title": recommendation.title},
        )
    recommendation.delete()
    return sources


def next_statuses(recommendation: Recommendation) -> list[tuple[str, str]]:
    """The statuses the page offers: the transitions allowed from here."""
    allowed = RECOMMENDATION_TRANSITIONS.get(recommendation.status, frozenset())
    return [
        (value, label)
        for value, label in RStatus.choices
        if value in allowed
        and not (value == RStatus.CONSENT and recommendation.level != RLevel.LOCAL)
    ]
