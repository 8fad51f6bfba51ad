"""The best-practice library: entries, their versions, their workflow and who supports them.

An entry ("a jointly supported idea about a way of working or of cooperating that lends itself
to wider use") goes idea -> draft -> consultation -> adopted -> archived; its status changes only
in `bestpractices.services.entry_transition` (the table TRANSITIONS there), each step a
StatusChange row. Every change of its text is a Revision; an adopted entry keeps its adopted
revision visible while a new draft is worked on. In consultation organisations endorse it;
adoption needs one organisation of each line and a reviewer other than the author.

The body is Markdown, rendered to sanitised HTML by `bestpractices.markdown` — never raw HTML.
The search vector is maintained by a PostgreSQL trigger (a later migration).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Location, Organisation
from accounts.privacy import QUASI, SAFE, SENSITIVE
from cases.models import KindOfCase, LegalArea
from cases.pii import PII_GUARD


class Kind(models.TextChoices):
    WAY_OF_WORKING = "way_of_working", _("Werkwijze")
    COOPERATION_AGREEMENT = "cooperation_agreement", _("Samenwerkingsafspraak")
    TASK_DIVISION = "task_division", _("Taakverdeling eerste en tweede lijn")
    QUALITY_REQUIREMENT = "quality_requirement", _("Kwaliteitseis")
    REFERRAL_ROUTE = "referral_route", _("Verwijsroute (sociale kaart)")
    MODEL_TEXT = "model_text", _("Modeltekst of checklist")


class Audience(models.TextChoices):
    FIRST = "first", _("Eerste lijn")
    SECOND = "second", _("Tweede lijn")
    BOTH = "both", _("Eerste en tweede lijn")


class Status(models.TextChoices):
    IDEA = "idea", _("Idee")
    DRAFT = "draft", _("Concept")
    CONSULTATION = "consultation", _("In consultatie")
    ADOPTED = "adopted", _("Vastgesteld")
    ARCHIVED = "archived", _("Gearchiveerd")


class EntryQuerySet(models.QuerySet["Entry"]):
    def adopted(self) -> EntryQuerySet:
        return self.filter(status=Status.ADOPTED)

    def public(self) -> EntryQuerySet:
        return self.filter(status=Status.ADOPTED, is_public=True)

    def past_review(self, today) -> EntryQuerySet:
        return self.filter(status=Status.ADOPTED, review_by__lt=today)


class Entry(models.Model):
    Kind = Kind
    Audience = Audience
    Status = Status

    kind = models.CharField(_("soort"), max_length=32, choices=Kind.choices)
    slug = models.SlugField(
        _("korte naam (in de URL)"),
        max_length=120,
        unique=True,
        validators=[
            RegexValidator(r"^[a-z0-9]+(?:-[a-z0-9]+)*$", _("Kleine letters, cijfers en -."))
        ],
    )
    title = models.CharField(_("titel"), max_length=200, validators=PII_GUARD)
    summary = models.TextField(_("samenvatting"), max_length=600, blank=True, validators=PII_GUARD)
    body = models.TextField(
        _("tekst (Markdown)"), max_length=50_000, blank=True, validators=PII_GUARD
    )
    legal_areas = models.ManyToManyField(
        LegalArea, verbose_name=_("rechtsgebieden"), blank=True, related_name="+"
    )
    kinds_of_case = models.ManyToManyField(
        KindOfCase, verbose_name=_("soorten zaken"), blank=True, related_name="+"
    )
    audience = models.CharField(
        _("voor wie"), max_length=10, choices=Audience.choices, default=Audience.BOTH
    )
    # empty: national
    locations = models.ManyToManyField(
        Location, verbose_name=_("locaties"), blank=True, related_name="+"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("landelijke versie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="variants",
    )
    variant_location = models.ForeignKey(
        Location,
        verbose_name=_("lokale variant voor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    tags = ArrayField(
        models.CharField(max_length=40), verbose_name=_("trefwoorden"), default=list, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.IDEA
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eigenaar (verantwoordelijk voor herbeoordeling)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_by = models.DateField(_("herbeoordelen vóór"), null=True, blank=True)
    # the day the owner was last reminded that review_by has passed (once per period)
    review_reminded_on = models.DateField(_("herinnerd op"), null=True, blank=True)
    current_revision = models.ForeignKey(
        "Revision",
        verbose_name=_("huidige versie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    adopted_revision = models.ForeignKey(
        "Revision",
        verbose_name=_("vastgestelde versie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    adopted_at = models.DateTimeField(_("vastgesteld op"), null=True, blank=True)
    is_public = models.BooleanField(_("openbaar"), default=False)
    reconfirmed_at = models.DateTimeField(_("ongewijzigd herbevestigd op"), null=True, blank=True)
    reconfirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ongewijzigd herbevestigd door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    search_vector = SearchVectorField(null=True, editable=False)
    # where it came from: the signaleringsoverleg's signals, meetings and recommendations
    signals = models.ManyToManyField(
        "signalering.Signal", verbose_name=_("signalen"), blank=True, related_name="practices"
    )
    meetings = models.ManyToManyField(
        "signalering.Meeting", verbose_name=_("overleggen"), blank=True, related_name="practices"
    )
    recommendations = models.ManyToManyField(
        "signalering.Recommendation",
        verbose_name=_("aanbevelingen"),
        blank=True,
        related_name="practices",
    )
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("gewijzigd op"), default=timezone.now)

    objects = EntryQuerySet.as_manager()

    data_classes = {
        "id": SAFE,
        "kind": SAFE,
        "slug": SAFE,
        "title": SAFE,
        "summary": SAFE,
        "body": SAFE,
        "legal_areas": SAFE,
        "kinds_of_case": SAFE,
        "audience": SAFE,
        "locations": SAFE,
        "parent": SAFE,
        "variant_location": SAFE,
        "tags": SAFE,
        "status": SAFE,
        "author": QUASI,
        "owner": QUASI,
        "review_by": SAFE,
        "review_reminded_on": SAFE,
        "current_revision": SAFE,
        "adopted_revision": SAFE,
        "adopted_at": SAFE,
        "is_public": SAFE,
        "reconfirmed_at": QUASI,
        "reconfirmed_by": QUASI,
        "search_vector": SAFE,
        "signals": SAFE,
        "meetings": SAFE,
        "recommendations": SAFE,
        "created_at": QUASI,
        "updated_at": QUASI,
    }

    class Meta:
        verbose_name = _("praktijkvoorbeeld")
        verbose_name_plural = _("praktijkvoorbeelden")
        ordering = ["title", "pk"]
        indexes = [
            GinIndex(fields=["search_vector"], name="bp_entry_search"),
            models.Index(fields=["status", "kind"], name="bp_entry_status_kind"),
            models.Index(fields=["status", "review_by"], name="bp_entry_status_review"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="bp_entry_kind_known"),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="bp_entry_status_known"
            ),
            models.CheckConstraint(
                condition=Q(audience__in=Audience.values), name="bp_entry_audience_known"
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, variant_location__isnull=True)
                | Q(parent__isnull=False, variant_location__isnull=False),
                name="bp_entry_variant_has_location",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("id")),
                name="bp_entry_not_its_own_parent",
            ),
            models.CheckConstraint(
                condition=~Q(status="adopted") | Q(review_by__isnull=False),
                name="bp_entry_adopted_has_review_by",
            ),
            models.CheckConstraint(
                condition=~Q(status="adopted") | Q(adopted_revision__isnull=False),
                name="bp_entry_adopted_has_revision",
            ),
            models.CheckConstraint(
                condition=Q(status="adopted") | Q(is_public=False),
                name="bp_entry_only_adopted_is_public",
            ),
            models.CheckConstraint(
                condition=Q(reconfirmed_at__isnull=True, reconfirmed_by__isnull=True)
                | Q(reconfirmed_at__isnull=False, reconfirmed_by__isnull=False),
                name="bp_entry_reconfirmed_who_and_when",
            ),
            models.UniqueConstraint(
                fields=["parent", "variant_location"],
                condition=Q(parent__isnull=False),
                name="bp_entry_one_variant_per_location",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_national(self) -> bool:
        return self.variant_location_id is None and not self.locations.exists()

    def is_past_review(self, today) -> bool:
        return (
            self.status == Status.ADOPTED and self.review_by is not None and self.review_by < today
        )


class Revision(models.Model):
    """One version of an entry's text. Immutable once written (services only ever create)."""

    entry = models.ForeignKey(
        Entry,
        verbose_name=_("praktijkvoorbeeld"),
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    number = models.PositiveIntegerField(_("versie"))
    title = models.CharField(_("titel"), max_length=200, validators=PII_GUARD)
    summary = models.TextField(_("samenvatting"), max_length=600, blank=True, validators=PII_GUARD)
    body = models.TextField(
        _("tekst (Markdown)"), max_length=50_000, blank=True, validators=PII_GUARD
    )
    note = models.CharField(_("toelichting"), max_length=200, blank=True, validators=PII_GUARD)
    is_major = models.BooleanField(_("grote wijziging"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("door"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("op"), default=timezone.now, editable=False)
    restored_from = models.ForeignKey(
        "self",
        verbose_name=_("teruggezet van"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    data_classes = {
        "id": SAFE,
        "entry": SAFE,
        "number": SAFE,
        "title": SAFE,
        "summary": SAFE,
        "body": SAFE,
        "note": SAFE,
        "is_major": SAFE,
        "author": QUASI,
        "created_at": QUASI,
        "restored_from": SAFE,
    }

    class Meta:
        verbose_name = _("versie")
        verbose_name_plural = _("versies")
        ordering = ["entry", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="bp_revision_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="bp_revision_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} v{self.number}"


class StatusChange(models.Model):
    """One step of an entry's workflow; written only by `entry_transition` (or, with equal
    from and to status, by a review that re-confirms an adopted entry unchanged)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("van"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("naar"), max_length=16, choices=Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("door"), on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("op"), default=timezone.now)
    note = models.CharField(_("toelichting"), max_length=500, blank=True, validators=PII_GUARD)

    data_classes = {
        "id": SAFE,
        "entry": SAFE,
        "from_status": SAFE,
        "to_status": SAFE,
        "changed_by": QUASI,
        "changed_at": QUASI,
        "note": SENSITIVE,
    }

    class Meta:
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statusgeschiedenis")
        ordering = ["changed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_status__in=Status.values), name="bp_change_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.from_status} → {self.to_status}"


class Endorsement(models.Model):
    """An organisation supports the entry; given by one of its members during consultation."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="endorsements")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="+"
    )
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("door"), on_delete=models.PROTECT, related_name="+"
    )
    endorsed_at = models.DateTimeField(_("op"), default=timezone.now)
    note = models.CharField(_("toelichting"), max_length=500, blank=True, validators=PII_GUARD)

    data_classes = {
        "id": SAFE,
        "entry": SAFE,
        "organisation": SAFE,
        "endorsed_by": QUASI,
        "endorsed_at": QUASI,
        "note": SENSITIVE,
    }

    class Meta:
        verbose_name = _("steunbetuiging")
        verbose_name_plural = _("steunbetuigingen")
        ordering = ["endorsed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "organisation"], name="bp_endorsement_once_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.entry_id}"


class Review(models.Model):
    class Outcome(models.TextChoices):
        APPROVE = "approve", _("Goedgekeurd")
        CHANGES_REQUESTED = "changes_requested", _("Wijzigingen gevraagd")
        RECONFIRMED = "reconfirmed", _("Ongewijzigd herbevestigd")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beoordelaar"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(_("uitkomst"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("toelichting"), max_length=2000, blank=True, validators=PII_GUARD)
    at = models.DateTimeField(_("op"), default=timezone.now)

    data_classes = {
        "id": SAFE,
        "entry": SAFE,
        "reviewer": QUASI,
        "outcome": SAFE,
        "note": SENSITIVE,
        "at": QUASI,
    }

    class Meta:
        verbose_name = _("beoordeling")
        verbose_name_plural = _("beoordelingen")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["approve", "changes_requested", "reconfirmed"]),
                name="bp_review_outcome_known",
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.outcome}"


class Comment(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("door"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("reactie"), max_length=4000, validators=PII_GUARD)
    created_at = models.DateTimeField(_("op"), default=timezone.now)

    data_classes = {
        "id": SAFE,
        "entry": SAFE,
        "author": QUASI,
        "text": SENSITIVE,
        "created_at": QUASI,
    }

    class Meta:
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="bp_comment_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.text[:40]}"


class Follow(models.Model):
    """The user is told of new versions and status changes of the entry."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("sinds"), default=timezone.now)

    data_classes = {"id": SAFE, "entry": SAFE, "user": QUASI, "created_at": QUASI}

    class Meta:
        verbose_name = _("volger")
        verbose_name_plural = _("volgers")
        constraints = [
            models.UniqueConstraint(fields=["entry", "user"], name="bp_follow_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.entry_id}"


class LegalAreaFollow(models.Model):
    """The user is told when an entry of this legal area enters consultation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    legal_area = models.ForeignKey(
        LegalArea, verbose_name=_("rechtsgebied"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("sinds"), default=timezone.now)

    data_classes = {"id": SAFE, "user": QUASI, "legal_area": SAFE, "created_at": QUASI}

    class Meta:
        verbose_name = _("gevolgd rechtsgebied")
        verbose_name_plural = _("gevolgde rechtsgebieden")
        constraints = [
            models.UniqueConstraint(fields=["user", "legal_area"], name="bp_area_follow_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.legal_area_id}"


class TaskRow(models.Model):
    """One row of a task-division entry: per legal area (and kind of case) what the first line
    can do and when the second line is needed. The task matrix is assembled from these."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="task_rows")
    legal_area = models.ForeignKey(
        LegalArea, verbose_name=_("rechtsgebied"), on_delete=models.PROTECT, related_name="+"
    )
    kind_of_case = models.ForeignKey(
        KindOfCase,
        verbose_name=_("soort zaak"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    first_line_can = models.TextField(
        _("wat de eerste lijn kan doen"), max_length=4000, validators=PII_GUARD
    )
    second_line_when = models.TextField(
        _("wanneer de tweede lijn nodig is"), max_length=4000, validators=PII_GUARD
    )
    quality_requirements = models.ManyToManyField(
        Entry,
        verbose_name=_("kwaliteitseisen"),
        blank=True,
        related_name="required_by_rows",
        limit_choices_to={"kind": Kind.QUALITY_REQUIREMENT},
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    data_classes = {
        "id": SAFE,
        "entry": SAFE,
        "legal_area": SAFE,
        "kind_of_case": SAFE,
        "first_line_can": SAFE,
        "second_line_when": SAFE,
        "quality_requirements": SAFE,
        "position": SAFE,
    }

    class Meta:
        verbose_name = _("rij van een taakverdeling")
        verbose_name_plural = _("rijen van taakverdelingen")
        ordering = ["entry", "position", "pk"]
        indexes = [models.Index(fields=["legal_area", "kind_of_case"], name="bp_taskrow_area")]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.legal_area_id}"


class Synonym(models.Model):
    """A word users say and the words the texts use (bijstand -> participatiewet); applied to the
    search query. Maintained by coordinators."""

    term = models.CharField(_("term"), max_length=60, unique=True, validators=PII_GUARD)
    synonyms = ArrayField(models.CharField(max_length=60), verbose_name=_("synoniemen"))

    data_classes = {"id": SAFE, "term": SAFE, "synonyms": SAFE}

    class Meta:
        verbose_name = _("synoniem")
        verbose_name_plural = _("synoniemen")
        ordering = ["term"]
        constraints = [
            models.CheckConstraint(condition=Q(term=Lower("term")), name="bp_synonym_lowercase"),
            models.CheckConstraint(condition=~Q(term=""), name="bp_synonym_not_empty"),
        ]

    def __str__(self) -> str:
        return self.term


class Feedback(models.Model):
    """ "Was this helpful?" — one answer per user per entry (anonymous answers are not unique)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    helpful = models.BooleanField(_("nuttig"))
    at = models.DateTimeField(_("op"), default=timezone.now)

    data_classes = {"id": SAFE, "entry": SAFE, "user": QUASI, "helpful": SAFE, "at": QUASI}

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "user"],
                condition=Q(user__isnull=False),
                name="bp_feedback_once_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.helpful}"


class DigestSubscription(models.Model):
    """The user opted in to the monthly digest of newly adopted entries."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bp_digest"
    )
    opted_in_at = models.DateTimeField(_("aangemeld op"), default=timezone.now)
    # the day the last digest went out (idempotent: once per month)
    last_sent_on = models.DateField(_("laatst verstuurd op"), null=True, blank=True)

    data_classes = {"id": SAFE, "user": QUASI, "opted_in_at": QUASI, "last_sent_on": SAFE}

    class Meta:
        verbose_name = _("maandoverzicht")
        verbose_name_plural = _("maandoverzichten")

    def __str__(self) -> str:
        return str(self.user_id)


class Notification(models.Model):
    """One mail about an entry to one person: the row is written with the mail, once per
    event (`key`: the status change, revision or reminder it is about), so a retried task
    never sends twice."""

    class Kind(models.TextChoices):
        CONSULTATION = "consultation", _("In consultatie")
        STATUS = "status", _("Statuswijziging")
        REVISION = "revision", _("Nieuwe versie")
        REVIEW_DUE = "review_due", _("Herbeoordeling nodig")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    key = models.CharField(_("aanleiding"), max_length=60)
    sent_at = models.DateTimeField(_("verstuurd op"), default=timezone.now)

    data_classes = {
        "id": SAFE,
        "entry": SAFE,
        "recipient": QUASI,
        "kind": SAFE,
        "key": SAFE,
        "sent_at": QUASI,
    }

    class Meta:
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "key"], name="bp_notification_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} → {self.recipient_id}"
