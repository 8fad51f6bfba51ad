"""Writes of the best-practice library."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts import access
from bestpractices.models import Synonym

# ---------------------------------------------------------------- search, task matrix, public pages


def _require_synonym_maintainer(user) -> None:
    if not access.can(user, "bestpractices.review"):
        raise ValidationError(_("Alleen coördinatoren beheren de synoniemen."))


@transaction.atomic
def synonym_save(
    *, user, term: str, synonyms: list[str], synonym: Synonym | None = None
) -> Synonym:
    """Adds a word with its synonyms to the list the search applies, or changes one (term and
    synonyms normalised by SynonymForm: lowercase words)."""
    _require_synonym_maintainer(user)
    synonym = synonym or Synonym()
    synonym.term, synonym.synonyms = term, synonyms
    try:
        with transaction.atomic():
            synonym.save()
    except IntegrityError:
        raise ValidationError(
            {"term": _("Voor dit woord bestaat al een regel; wijzig die.")}
        ) from None
    return synonym


@transaction.atomic
def synonym_delete(*, user, synonym: Synonym) -> None:
    _require_synonym_maintainer(user)
    synonym.delete()
