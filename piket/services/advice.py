"""The advice of a piket consult: after the call, the advocaat answers the pilot's questions
per sub-problem the consult was about. Each consult keeps its own answers (linked by
ConsultAdvice), so a second consult with the same advocaat never overwrites the first's, and
"would a LAT or toevoeging otherwise have been requested?" is counted per consult."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from cases.models import SecondLineAdvice, SubProblem
from cases.services.secondline import advice_record
from piket import selectors
from piket.models import Consult, ConsultAdvice


@transaction.atomic
def consult_advice_record(
    *, user: User, consult: Consult, advice: list[tuple[SubProblem, dict]]
) -> list[ConsultAdvice]:
    """Record (or correct) the consult's advice on its sub-problems: all saved, or none.

    `advice` pairs each sub-problem of `selectors.consult_subproblems` with the fields of
    SecondLineAdvice. Only the consult's advocaat, once the consult was held."""
    consult = (
        Consult.objects.select_for_update(of=("self",)).select_related("case").get(pk=consult.pk)
    )
    if not selectors.can_record_consult_advice(user, consult):
        raise PermissionDenied
    if consult.status != Consult.Status.HELD:
        raise ValidationError(
            _("Leg het advies vast nadat u het consult als gehouden heeft gemarkeerd.")
        )
    expected = {sub.pk: sub for sub in selectors.consult_subproblems(consult)}
    saved = []
    for subproblem, data in advice:
        if subproblem.pk not in expected:
            raise PermissionDenied
        subproblem.case = consult.case  # one case object: no query per sub-problem
        existing = expected[subproblem.pk].consult_advice
        try:
            record = advice_record(
                user=user,
                subproblem=subproblem,
                data=data,
                occasion=SecondLineAdvice.Occasion.PIKET,
                advice=existing,
            )
        except ValidationError as exc:
            raise ValidationError(
                _("Deelprobleem %(position)s: %(errors)s"),
                params={"position": subproblem.position, "errors": " ".join(exc.messages)},
            ) from exc
        if existing is None:
            saved.append(
                ConsultAdvice.objects.create(consult=consult, subproblem=subproblem, advice=record)
            )
        else:
            saved.append(record.consult_link)
    return saved
