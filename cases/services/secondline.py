"""Working with the second line: consulting an advocaat, recording the advice, warm handover."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from accounts.models import Organisation, Role, User
from accounts.services import organisation_team
from cases import selectors
from cases.models import (
    AuditEntry,
    Case,
    CaseStatusChange,
    CaseUserPermission,
    Handover,
    Note,
    SecondLineAdvice,
    SocialMapEntry,
    SubProblem,
)
from cases.selectors import advice_social_map, consult_advocaten_for, handover_receivers_for
from cases.services.audit import audit_log
from cases.services.cases import identity_reveal
from cases.services.status import case_status_change
from cases.vault import Identity

ADVICE_FIELDS = (
    "analysis",
    "analysis_match",
    "referral_useful",
    "takes_case",
    "continuation",
    "certificate_otherwise",
    "feedback",
    "feedback_note",
)


# ---------------------------------------------------------------- consulting an advocaat


def case_grant_consult(
    *, case: Case, advocaat: User, national_piket: bool = False
) -> CaseUserPermission:
    """Give an advocaat access to a case to advise on it, never to the client's identity.

    Idempotent. The caller (the consult page, a piket booking) checks who may ask and logs it.
    A consult in a shift of the national piket may go to any sociaal advocaat: every advocaat
    may serve the national piket, whatever their location (`national_piket`).
    """
    advocaten = selectors.piket_advocaten() if national_piket else consult_advocaten_for(case)
    if not advocaten.filter(pk=advocaat.pk).exists():
        raise ValidationError(
            {
                "advocaat": _(
                    "Kies een advocaat van de sociale advocatuur van deze locatie of van het "
                    "landelijke piket."
                )
            }
        )
    return assign_perm(f"cases.{selectors.ADVISE}", advocaat, case)


@transaction.atomic
def consult_request(*, user: User, case: Case, advocaat: User, question: str) -> CaseUserPermission:
    """The registering team asks an advocaat outside the piket to advise on the case."""
    if not selectors.can_edit_case(user, case):
        raise PermissionDenied
    if case.is_closed:
        raise ValidationError(_("Deze casus is gesloten; heropen hem eerst."))
    note = Note(case=case, author=user, line=Note.Line.FIRST, text=question.strip())
    try:
        note.full_clean()
    except ValidationError as exc:
        raise ValidationError({"question": exc.messages}) from exc
    grant = case_grant_consult(case=case, advocaat=advocaat)
    note.save()
    if case.status == Case.Status.OPEN:
        case_status_change(
            case=case,
            to=Case.Status.WAITING,
            actor=user,
            reason=CaseStatusChange.Reason.CONSULT_REQUESTED,
        )
    audit_log(
        actor=user,
        action=AuditEntry.Action.UPDATE,
        case=case,
        obj=grant,
        detail={"fields": ["grants", "notes"], "consult": advocaat.pk, "note": note.pk},
    )
    return grant


# ---------------------------------------------------------------- the advice


def _check_fitting_organisations(case: Case, entries: Iterable[SocialMapEntry]) -> list:
    entries = list(entries)
    allowed = set(
        advice_social_map(case).filter(pk__in=[e.pk for e in entries]).values_list("pk", flat=True)
    )
    if any(e.pk not in allowed for e in entries):
        raise ValidationError(
            {
                "fitting_organisations": _(
                    "Kies alleen actieve organisaties van de sociale kaart van deze locatie."
                )
            }
        )
    return entries


@transaction.atomic
def advice_record(
    *,
    user: User,
    subproblem: SubProblem,
    data: dict,
    occasion: str = SecondLineAdvice.Occasion.CONSULTATION,
    advice: SecondLineAdvice | None = None,
) -> SecondLineAdvice:
    """Create or update the advocaat's advice on one sub-problem.

    `data` holds the fields of SecondLineAdvice; `fitting_organisations` a list of entries of
    the sociale kaart at the case's location (or national). Consulted through the case
    (occasion CONSULTATION), the advocaat keeps one advice per sub-problem and each save updates
    it. After a piket consult (occasion PIKET) the piket passes the consult's own `advice` to
    update, or None for a new one, and links it to its consult.
    """
    case = subproblem.case
    if not selectors.can_advise(user, case):
        raise PermissionDenied
    fitting = _check_fitting_organisations(case, data.get("fitting_organisations", []))
    if occasion == SecondLineAdvice.Occasion.CONSULTATION:
        advice = selectors.own_advice(user, subproblem)
    elif advice is not None and (
        advice.subproblem_id != subproblem.pk
        or advice.advocaat_id != user.pk
        or advice.occasion != occasion
    ):
        raise PermissionDenied
    created = advice is None
    if created:
        advice = SecondLineAdvice(subproblem=subproblem, advocaat=user, occasion=occasion)
    for name in ADVICE_FIELDS:
        if name in data:
            setattr(advice, name, data[name])
    advice.analysis = (advice.analysis or "").strip()
    advice.full_clean(exclude=["subproblem", "advocaat"], validate_constraints=False)
    try:
        with transaction.atomic():
            advice.save()
    except IntegrityError as exc:  # the same advocaat saved twice at once
        raise ValidationError(_("Dit advies is net al vastgelegd. Probeer het opnieuw.")) from exc
    advice.fitting_organisations.set(fitting)
    audit_log(
        actor=user,
        action=AuditEntry.Action.ADVICE,
        case=case,
        obj=advice,
        detail={"subproblem": subproblem.position, "created": created, "occasion": occasion},
    )
    return advice


@transaction.atomic
def advice_record_all(
    *, user: User, case: Case, advice: list[tuple[SubProblem, dict]]
) -> list[SecondLineAdvice]:
    """The advice on several sub-problems at once (after a call): all saved, or none."""
    if not selectors.can_advise(user, case):
        raise PermissionDenied
    saved = []
    for subproblem, data in advice:
        if subproblem.case_id != case.pk:
            raise PermissionDenied
        subproblem.case = case  # one case object: no query per sub-problem
        try:
            saved.append(advice_record(user=user, subproblem=subproblem, data=data))
        except ValidationError as exc:
            raise ValidationError(
                _("Deelprobleem %(position)s: %(errors)s"),
                params={"position": subproblem.position, "errors": " ".join(exc.messages)},
            ) from exc
    return saved


# ---------------------------------------------------------------- warm handover


@transaction.atomic
def handover_create(
    *,
    user: User,
    case: Case,
    to_organisation: Organisation,
    to_advocaat: User | None = None,
    context: str,
    client_consent: bool,
    identity_consent: bool,
) -> Handover:
    """Pass the case on to another organisation (or one advocaat there), with its context; the
    receivers hear of it by mail once it is committed."""
    if not selectors.is_registering_team(user, case) or case.anonymised_at:
        raise PermissionDenied
    if case.is_closed:
        raise ValidationError(_("Een gesloten casus kan niet worden overgedragen."))
    if not client_consent:
        raise ValidationError(
            {
                "client_consent": _(
                    "Zonder toestemming van de rechtzoekende kan de zaak niet worden overgedragen."
                )
            }
        )
    if not handover_receivers_for(case).filter(pk=to_organisation.pk).exists():
        raise ValidationError(
            {
                "to_organisation": _(
                    "Kies een andere actieve organisatie van de eerste lijn of de sociale "
                    "advocatuur."
                )
            }
        )
    if to_advocaat is not None and not (
        to_organisation.kind == Organisation.Kind.SOCIALE_ADVOCATUUR
        and to_advocaat.is_active
        and to_advocaat.memberships.active()
        .filter(organisation=to_organisation, role=Role.ADVOCAAT)
        .exists()
    ):
        raise ValidationError(
            {"to_advocaat": _("Deze advocaat werkt niet bij de gekozen organisatie.")}
        )
    handover = Handover(
        case=case,
        from_organisation=case.organisation,
        to_organisation=to_organisation,
        to_advocaat=to_advocaat,
        context=context.strip(),
        client_consent=True,
        identity_consent=identity_consent,
        created_by=user,
    )
    handover.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            handover.save()
    except IntegrityError as exc:
        if "handover_one_pending_per_receiver" not in str(exc):
            raise
        raise ValidationError(
            {
                "to_organisation": _(
                    "Er staat al een overdracht van deze casus naar deze organisatie open."
                )
            }
        ) from exc
    if case.status != Case.Status.REFERRED:
        case_status_change(
            case=case,
            to=Case.Status.REFERRED,
            actor=user,
            reason=CaseStatusChange.Reason.HANDOVER,
        )
    audit_log(
        actor=user,
        action=AuditEntry.Action.HANDOVER,
        case=case,
        obj=handover,
        detail={
            "status": handover.status,
            "to_organisation": to_organisation.pk,
            "to_advocaat": to_advocaat.pk if to_advocaat else None,
            "identity_consent": identity_consent,
        },
    )
    from cases import tasks

    transaction.on_commit(lambda: tasks.send_handover_new.delay(handover.pk))
    return handover


def _require_receiver(user: User, handover: Handover) -> None:
    if not selectors.is_handover_receiver(user, handover):
        raise PermissionDenied
    if handover.status != Handover.Status.PENDING:
        raise ValidationError(_("Op deze overdracht is al geantwoord."))


def _lock(handover: Handover) -> Handover:
    """Re-read the row under a lock, so two colleagues cannot both decide."""
    return Handover.objects.select_for_update().select_related("case").get(pk=handover.pk)


@transaction.atomic
def handover_accept(*, user: User, handover: Handover) -> Handover:
    """The receiver takes the case: their team (or the advocaat) gets access to it, and to the
    client's identity only when the client consented to sharing it."""
    handover = _lock(handover)
    _require_receiver(user, handover)
    if handover.to_advocaat_id is not None:
        receiver = handover.to_advocaat
    else:
        receiver = organisation_team(handover.to_organisation)
    permissions = [selectors.HANDLE] + ([selectors.REVEAL] if handover.identity_consent else [])
    for codename in permissions:
        assign_perm(f"cases.{codename}", receiver, handover.case)
    handover.status = Handover.Status.ACCEPTED
    handover.decided_by, handover.decided_at = user, timezone.now()
    handover.save(update_fields=["status", "decided_by", "decided_at"])
    audit_log(
        actor=user,
        action=AuditEntry.Action.HANDOVER,
        case=handover.case,
        obj=handover,
        detail={"status": handover.status, "permissions": permissions},
    )
    return handover


@transaction.atomic
def handover_decline(*, user: User, handover: Handover, reason: str) -> Handover:
    """The receiver declines, with a reason the sending team reads on the case."""
    handover = _lock(handover)
    _require_receiver(user, handover)
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"decline_reason": _("Geef een reden op waarom u de overdracht afwijst.")}
        )
    handover.status = Handover.Status.DECLINED
    handover.decline_reason = reason
    handover.decided_by, handover.decided_at = user, timezone.now()
    handover.full_clean(validate_constraints=False)
    handover.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
    audit_log(
        actor=user,
        action=AuditEntry.Action.HANDOVER,
        case=handover.case,
        obj=handover,
        detail={"status": handover.status},
    )
    return handover


@transaction.atomic
def handover_pick_up(*, user: User, handover: Handover) -> Handover:
    """After accepting, the receiver confirms they are in touch with the client ("opgepakt"):
    recorded with who and when, once."""
    handover = _lock(handover)
    if not selectors.can_pick_up(user, handover):
        raise PermissionDenied
    if handover.status != Handover.Status.ACCEPTED:
        raise ValidationError(_("Accepteer de overdracht eerst; daarna bevestigt u het contact."))
    if handover.picked_up_at is not None:
        raise ValidationError(_("Het contact met de rechtzoekende is al bevestigd."))
    handover.picked_up_by, handover.picked_up_at = user, timezone.now()
    handover.save(update_fields=["picked_up_by", "picked_up_at"])
    audit_log(
        actor=user,
        action=AuditEntry.Action.HANDOVER,
        case=handover.case,
        obj=handover,
        detail={"status": "opgepakt"},
    )
    return handover


REFERRAL_LETTER_REASON = "Verwijsbrief bij warme overdracht"


@transaction.atomic
def referral_letter_read(*, user: User, handover: Handover) -> Identity | None:
    """Audit the reading of a referral letter (it shows the case's content); return the
    client's identity only when the client consented to sharing it with the receiver and the
    user may see it (audited as a reveal), else None."""
    if not selectors.can_read_referral_letter(user, handover):
        raise PermissionDenied
    audit_log(
        actor=user,
        action=AuditEntry.Action.VIEW,
        case=handover.case,
        obj=handover,
        detail={"verwijsbrief": handover.pk},
    )
    if not (handover.identity_consent and selectors.can_reveal_identity(user, handover.case)):
        return None
    return identity_reveal(user=user, case=handover.case, reason=REFERRAL_LETTER_REASON)
