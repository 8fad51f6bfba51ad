"""The dashboards' tables: the pilot's questions answered from cases.figures and piket.figures,
suppressed by research.suppression.

Who sees what (`scope_for`): a researcher and a member of the stuurgroep see every location,
suppressed; a coordinator sees the raw figures of the locations where they coordinate. A user
who is both gets the suppressed view of every location. Per-advocaat or per-worker figures
never appear: the lower figures modules do not have them.

Every table is computed over everything the user may see, with the location or the legal area
as its rows, and suppressed as a whole; the filters then pick rows (see research.suppression,
"Across filter combinations"). A table whose rows are neither says so when a filter asks for
it. The whole dashboard costs a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import access
from accounts.models import Location, Role
from cases import figures as case_figures
from piket import figures as piket_figures
from research.suppression import THRESHOLD, Cell, suppress_table

CAPABILITY = "research.dashboards"

LOCATION, LEGAL_AREA = "location", "legal_area"


@dataclass(frozen=True)
class Scope:
    """The locations whose figures the user sees (None: all) and the suppression threshold
    (None: the owning team's own figures, unsuppressed)."""

    locations: tuple[Location, ...] | None
    threshold: int | None


def scope_for(user) -> Scope:
    if access.has_role(user, Role.RESEARCHER) or access.has_role(user, Role.STUURGROEP):
        return Scope(locations=None, threshold=THRESHOLD)
    return Scope(locations=tuple(access.locations_where(user, CAPABILITY)), threshold=None)


@dataclass(frozen=True)
class Filters:
    year: int
    location_id: int | None = None
    legal_area_id: int | None = None


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]
    total: Cell | None = None
    extra: str = ""  # a figure derived from shown cells only (a median, a share)
    key: int | None = None  # the location or legal area of the row


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    fraction: float | None  # of the longest bar; None: suppressed


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    text: str  # what the table answers, in one or two sentences
    row_heading: str
    columns: tuple[str, ...]
    total_heading: str | None
    extra_heading: str | None
    rows: tuple[Row, ...]
    totals: Row | None
    notes: tuple[str, ...] = ()
    chart_by_columns: bool = False  # the chart's bars are the columns (months), not the rows

    @cached_property
    def header(self) -> list[str]:
        return [
            self.row_heading,
            *self.columns,
            *([self.total_heading] if self.total_heading else []),
            *([self.extra_heading] if self.extra_heading else []),
        ]

    @cached_property
    def lines(self) -> list[list[str]]:
        """The table as text, the totals last: what the page shows and the CSV holds."""
        return [
            [
                row.label,
                *(cell.text for cell in row.cells),
                *([row.total.text if row.total else ""] if self.total_heading else []),
                *([row.extra] if self.extra_heading else []),
            ]
            for row in (*self.rows, *([self.totals] if self.totals else []))
        ]

    @property
    def chart_height(self) -> int:
        return 22 * len(self.bars) + 4

    @cached_property
    def bars(self) -> list[Bar]:
        if self.chart_by_columns:
            source = self.rows[0] if len(self.rows) == 1 else self.totals
            cells = list(zip(self.columns, source.cells, strict=True)) if source else []
        else:
            cells = [(row.label, row.total or row.cells[0]) for row in self.rows]
        longest = max((cell.value for _label, cell in cells if not cell.suppressed), default=0)
        return [
            Bar(
                label,
                cell.text,
                None if cell.suppressed else (cell.value / longest if longest else 0.0),
            )
            for label, cell in cells
        ]


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    tables: tuple[Table, ...]


@dataclass(frozen=True)
class Dashboard:
    filters: Filters
    scope: Scope
    locations: tuple[Location, ...]
    legal_areas: tuple[case_figures.LegalAreaName, ...]
    computed_at: datetime | None = None  # when the counts were made (they are cached)
    sections: tuple[Section, ...] = field(default=())
    pending: Pending | None = None  # not in the cache: being counted, no sections yet

    def tables(self) -> list[Table]:
        return [table for section in self.sections for table in section.tables]

    def table(self, slug: str) -> Table | None:
        return next((table for table in self.tables() if table.slug == slug), None)


# ---------------------------------------------------------------- the counts, cached

# A year of all locations is half a million cases at the pilot's scale: counting them takes
# tens of seconds, far too long for a request. The counts (non-personal aggregates) are kept in
# the cache for 45 minutes and refreshed every half hour by research.tasks.refresh_figures, so a
# page reads them in one query; the page says when they were made. A page never counts: for a
# scope that is not in the cache (another year, a coordinator of several locations) it asks
# research.tasks.count_soon for a count in the background and says the figures are being counted.
CACHE_SECONDS = 45 * 60
CACHE_VERSION = 2
# While a scope is being counted its lock keeps other requests from asking again; it is freed
# when the counts are in the cache, or runs out if the worker died counting.
LOCK_SECONDS = 10 * 60


@dataclass(frozen=True)
class Counts:
    start: date
    cases: case_figures.CaseFigures
    piket: piket_figures.PiketFigures
    months: tuple[case_figures.MonthCount, ...]
    consult_months: tuple[piket_figures.ConsultMonth, ...]
    computed_at: datetime


@dataclass(frozen=True)
class Pending:
    """A scope whose counts are not in the cache: the year and the location ids (None: all).
    Only ids, so that it can be a task's arguments."""

    year: int
    location_ids: tuple[int, ...] | None


def _pending(locations: Sequence[Location] | None, year: int) -> Pending:
    ids = None if locations is None else tuple(sorted(loc.pk for loc in locations))
    return Pending(year, ids)


def _cache_key(pending: Pending) -> str:
    ids = "all" if pending.location_ids is None else "-".join(map(str, pending.location_ids))
    return f"research:counts:{pending.year}:{ids}"


def count(locations: Sequence[Location] | None, year: int) -> Counts:
    """Count a calendar year at the locations (None: all) and keep it in the cache."""
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    counts = Counts(
        start=start,
        cases=case_figures.month_figures(locations=locations, start=start, end=end),
        piket=piket_figures.month_figures(locations=locations, start=start, end=end),
        months=case_figures.registrations_by_month(locations=locations, start=start, end=end),
        consult_months=piket_figures.consults_by_month(locations=locations, start=start, end=end),
        computed_at=timezone.now(),
    )
    key = _cache_key(_pending(locations, year))
    cache.set(key, counts, CACHE_SECONDS, version=CACHE_VERSION)
    cache.delete(f"{key}:lock", version=CACHE_VERSION)
    return counts


def count_pending(pending: Pending) -> None:
    """Count a scope that a page asked for (research.tasks.count_figures)."""
    locations = None
    if pending.location_ids is not None:
        locations = list(Location.objects.filter(pk__in=pending.location_ids))
    count(locations, pending.year)


def claim_count(pending: Pending) -> bool:
    """True for the first request that asks for the scope to be counted, until it is counted
    (or the lock runs out): ten reloads of an uncounted page ask once."""
    return cache.add(f"{_cache_key(pending)}:lock", True, LOCK_SECONDS, version=CACHE_VERSION)


def cached_counts(locations: Sequence[Location] | None, year: int) -> Counts | None:
    """The counts from the cache, or None when they are not there (yet)."""
    return cache.get(_cache_key(_pending(locations, year)), version=CACHE_VERSION)


def refresh_counts() -> int:
    """Count this year again for all locations (the researchers' view) and for each active
    location (a coordinator's): what research.tasks.refresh_figures runs every half hour."""
    year = timezone.localdate().year
    count(None, year)
    locations = list(Location.objects.filter(is_active=True))
    for location in locations:
        count([location], year)
    return len(locations) + 1


# ---------------------------------------------------------------- building a table


@dataclass(frozen=True)
class _Raw:
    label: str
    key: int | None
    values: list[int]
    extra: object = None  # passed to the table's `extra` function with the row's total cell


def _build(
    slug: str,
    title: str,
    text: str,
    *,
    raw: Sequence[_Raw],
    row_heading: str,
    columns: Sequence[str],
    dimension: str | None,
    scope: Scope,
    filters: Filters,
    total_heading: str | None = None,
    totals_label: str | None = None,
    totals_extra: object = None,
    extra_heading: str | None = None,
    extra=None,
    chart_by_columns: bool = False,
) -> Table:
    """Suppress the whole table, then keep the rows the filter asks for."""
    row_totals = total_heading is not None
    protected = suppress_table(
        [r.values for r in raw] or [[0] * len(columns)],
        threshold=scope.threshold,
        row_totals=row_totals,
    )
    rows = []
    for index, r in enumerate(raw):
        cells = protected.cells[index]
        total = protected.row_totals[index] if row_totals else None
        rows.append(
            Row(
                r.label,
                cells,
                total,
                extra(r.extra, cells, total, scope) if extra else "",
                r.key,
            )
        )
    totals = Row(
        totals_label or _("Totaal"),
        protected.column_totals,
        protected.grand_total,
        extra(totals_extra, protected.column_totals, protected.grand_total, scope) if extra else "",
    )
    chosen = {LOCATION: filters.location_id, LEGAL_AREA: filters.legal_area_id}
    notes = []
    if dimension and chosen[dimension] is not None:
        rows = [row for row in rows if row.key == chosen[dimension]]
        label = (
            _("Totaal, alle locaties")
            if dimension == LOCATION
            else _("Totaal, alle rechtsgebieden")
        )
        totals = Row(label, totals.cells, totals.total, totals.extra)
    if filters.location_id is not None and dimension != LOCATION and scope.threshold:
        notes.append(_("Alle locaties samen: deze tabel is niet per locatie te tonen."))
    if filters.legal_area_id is not None and dimension != LEGAL_AREA:
        notes.append(_("Alle rechtsgebieden samen: deze tabel is niet per rechtsgebied."))
    return Table(
        slug=slug,
        title=title,
        text=text,
        row_heading=row_heading,
        columns=tuple(columns),
        total_heading=total_heading,
        extra_heading=extra_heading,
        rows=tuple(rows),
        totals=totals,
        notes=tuple(notes),
        chart_by_columns=chart_by_columns,
    )


def _share(part: Cell, whole: Cell | None) -> str:
    """A percentage of two shown cells; a dash when either is hidden (a share of hidden counts
    would give them away)."""
    if whole is None or part.suppressed or whole.suppressed or not whole.value:
        return "—"
    return f"{round(100 * part.value / whole.value)}%"


def _sum(rows: Iterable, key, fields: Sequence[str]) -> dict:
    """Sum the named fields of figure rows per `key(row)`."""
    totals: dict = defaultdict(lambda: [0] * len(fields))
    for row in rows:
        sums = totals[key(row)]
        for i, name in enumerate(fields):
            sums[i] += getattr(row, name)
    return totals


# ---------------------------------------------------------------- the dashboard


@dataclass(frozen=True)
class Options:
    """What the user may choose from: their scope, its locations and the legal areas."""

    scope: Scope
    locations: tuple[Location, ...]
    legal_areas: tuple[case_figures.LegalAreaName, ...]


def options_for(user) -> Options:
    scope = scope_for(user)
    if scope.locations is None:
        locations = tuple(Location.objects.filter(is_active=True).order_by("is_national", "name"))
    else:
        locations = tuple(sorted(scope.locations, key=lambda loc: (loc.is_national, loc.name)))
    return Options(scope, locations, case_figures.legal_areas())


def dashboard(options: Options, filters: Filters) -> Dashboard:
    """Every table of the research dashboard for the user's options and the filters, from the
    cached counts (one query); without them, a dashboard that is `pending` (no sections)."""
    scope, locations, legal_areas = options.scope, options.locations, options.legal_areas
    # A coordinator's own figures are not suppressed, so a location filter may recompute them;
    # a researcher's are always computed over all locations and only sliced.
    counted = scope.locations
    if scope.threshold is None and filters.location_id is not None:
        counted = tuple(loc for loc in locations if loc.pk == filters.location_id)
    if counted is not None and not counted:
        return Dashboard(filters, scope, locations, legal_areas)
    counts = cached_counts(counted, filters.year)
    if counts is None:
        pending = _pending(counted, filters.year)
        return Dashboard(filters, scope, locations, legal_areas, pending=pending)
    cases, piket, months, start = counts.cases, counts.piket, counts.months, counts.start
    shown = [loc for loc in locations if counted is None or loc in counted]
    context = _Context(scope, filters, shown, legal_areas)
    return Dashboard(
        filters,
        scope,
        locations,
        legal_areas,
        computed_at=counts.computed_at,
        sections=(
            Section("casussen", _("Casussen"), _case_tables(context, cases, months, start)),
            Section("piket", _("Piket"), _piket_tables(context, piket, counts.consult_months)),
            Section("vragen", _("De drie vragen van de pilot"), _question_tables(context, cases)),
            Section(
                "doorlooptijd", _("Doorlooptijd en overdrachten"), _flow_tables(context, cases)
            ),
        ),
    )


@dataclass(frozen=True)
class _Context:
    scope: Scope
    filters: Filters
    locations: Sequence[Location]
    legal_areas: Sequence[case_figures.LegalAreaName]

    def per_location(self, sums: dict, width: int, extras: dict | None = None) -> list[_Raw]:
        """One row per location the user may see, also those without figures (zeros)."""
        return [
            _Raw(loc.name, loc.pk, list(sums.get(loc.pk, [0] * width)), (extras or {}).get(loc.pk))
            for loc in self.locations
        ]

    def per_legal_area(self, sums: dict, width: int) -> list[_Raw]:
        return [
            _Raw(area.name, area.id, list(sums.get(area.id, [0] * width)))
            for area in self.legal_areas
            if area.id in sums or area.in_pilot_scope
        ]

    def build(self, *args, **kwargs) -> Table:
        return _build(*args, scope=self.scope, filters=self.filters, **kwargs)


_l = gettext_lazy
MONTH_NAMES = (
    _l("jan"), _l("feb"), _l("mrt"), _l("apr"), _l("mei"), _l("jun"),
    _l("jul"), _l("aug"), _l("sep"), _l("okt"), _l("nov"), _l("dec"),
)  # fmt: skip


def _case_tables(c: _Context, cases, months, start: date) -> tuple[Table, ...]:
    per_month: dict = defaultdict(lambda: [0] * 12)
    for row in months:
        per_month[row.location_id][row.month.month - 1] += row.cases
    by_organisation = [
        _Raw(f"{row.organisation_name} ({row.location_name})", row.location_id, [row.cases])
        for row in cases.by_organisation
    ]
    subproblems = _sum(
        cases.by_organisation_and_legal_area, lambda row: row.location_id, ["subproblems"]
    )
    per_area = _sum(
        cases.by_organisation_and_legal_area, lambda row: row.legal_area_id, ["subproblems"]
    )
    return (
        c.build(
            "casussen-per-maand",
            _("Geregistreerde casussen per maand"),
            _("Casussen naar de maand van registratie en de locatie van het registrerende team."),
            raw=c.per_location(per_month, 12),
            row_heading=_("Locatie"),
            columns=[str(name) for name in MONTH_NAMES],
            total_heading=_("Jaar"),
            dimension=LOCATION,
            chart_by_columns=True,
        ),
        c.build(
            "casussen-per-organisatie",
            _("Casussen per organisatie"),
            _("Geregistreerde casussen per organisatie van het registrerende team."),
            raw=by_organisation,
            row_heading=_("Organisatie"),
            columns=[_("Casussen")],
            dimension=LOCATION,
        ),
        c.build(
            "deelproblemen-per-locatie",
            _("Deelproblemen per locatie"),
            _("De deelproblemen van de geregistreerde casussen."),
            raw=c.per_location(subproblems, 1),
            row_heading=_("Locatie"),
            columns=[_("Deelproblemen")],
            dimension=LOCATION,
        ),
        c.build(
            "deelproblemen-per-rechtsgebied",
            _("Deelproblemen per rechtsgebied"),
            _("Een casus met deelproblemen in twee rechtsgebieden telt in beide."),
            raw=c.per_legal_area(per_area, 1),
            row_heading=_("Rechtsgebied"),
            columns=[_("Deelproblemen")],
            dimension=LEGAL_AREA,
        ),
    )


CONSULT_FIELDS = ["awaiting_outcome", "held", "no_show", "not_reached", "cancelled"]


def _consult_columns() -> list[str]:
    return [
        _("Nog te houden"),
        _("Gehouden"),
        _("Niet doorgegaan"),
        _("Niet bereikt"),
        _("Geannuleerd"),
    ]


def _piket_tables(c: _Context, piket, consult_months) -> tuple[Table, ...]:
    held_per_month: dict = defaultdict(lambda: [0] * 12)
    for row in consult_months:
        held_per_month[row.booked_from_location_id][row.month.month - 1] += row.held
    by_location = _sum(piket.consults, lambda row: row.booked_from_location_id, CONSULT_FIELDS)
    by_area = _sum(piket.consults, lambda row: row.legal_area_id, CONSULT_FIELDS)
    lat = _sum(piket.consults, lambda row: row.booked_from_location_id, ["held", "lat_avoided"])
    waitlist = _sum(
        piket.waitlist,
        lambda row: row.location_id,
        ["waiting", "offered", "booked", "expired", "withdrawn"],
    )
    capacity = {
        row.location_id: [row.slots_used, max(row.slots - row.slots_used, 0)]
        for row in piket.capacity
    }
    return (
        c.build(
            "consulten-per-maand",
            _("Gehouden piketconsulten per maand"),
            _("Gehouden consulten naar de maand van het consult en de locatie van de casus."),
            raw=c.per_location(held_per_month, 12),
            row_heading=_("Locatie"),
            columns=[str(name) for name in MONTH_NAMES],
            total_heading=_("Jaar"),
            dimension=LOCATION,
            chart_by_columns=True,
        ),
        c.build(
            "consulten-per-locatie",
            _("Piketconsulten per locatie"),
            _(
                "Geboekte consulten naar wat ervan werd, naar de locatie van de casus (ook "
                "consulten op het landelijke piket)."
            ),
            raw=c.per_location(by_location, 5),
            row_heading=_("Locatie"),
            columns=_consult_columns(),
            total_heading=_("Geboekt"),
            dimension=LOCATION,
        ),
        c.build(
            "consulten-per-rechtsgebied",
            _("Piketconsulten per rechtsgebied"),
            _("Geboekte consulten naar wat ervan werd, per rechtsgebied van het consult."),
            raw=c.per_legal_area(by_area, 5),
            row_heading=_("Rechtsgebied"),
            columns=_consult_columns(),
            total_heading=_("Geboekt"),
            dimension=LEGAL_AREA,
        ),
        c.build(
            "lat-voorkomen",
            _("LAT of toevoeging voorkomen per consult"),
            _(
                "Gehouden consulten, en hoeveel daarvan volgens de advocaat een lichte "
                "adviestoevoeging (LAT) of toevoeging voorkwamen."
            ),
            raw=c.per_location(lat, 2),
            row_heading=_("Locatie"),
            columns=[_("Gehouden"), _("LAT voorkomen")],
            extra_heading=_("Aandeel"),
            extra=lambda _e, cells, _t, _s: _share(cells[1], cells[0]),
            dimension=LOCATION,
        ),
        c.build(
            "wachtlijst",
            _("Wachtlijst"),
            _("Aanmeldingen op de wachtlijst naar hoe het ermee staat."),
            raw=c.per_location(waitlist, 5),
            row_heading=_("Locatie"),
            columns=[
                _("Wachtend"),
                _("Plek aangeboden"),
                _("Geboekt"),
                _("Verlopen"),
                _("Ingetrokken"),
            ],
            total_heading=_("Aangemeld"),
            dimension=LOCATION,
        ),
        c.build(
            "capaciteit",
            _("Capaciteit van het piket"),
            _("Consultplekken in de diensten die doorgingen, en hoeveel werden gebruikt."),
            raw=c.per_location(capacity, 2),
            row_heading=_("Locatie"),
            columns=[_("Gebruikt"), _("Onbenut")],
            total_heading=_("Plekken"),
            extra_heading=_("Bezetting"),
            extra=lambda _e, cells, total, _s: _share(cells[0], total),
            dimension=LOCATION,
        ),
    )


def _answers(rows, fields: Sequence[str], total: str) -> dict:
    """Per legal area: the answers in `fields` and "not answered" (the rest of `total`)."""
    sums = _sum(rows, lambda row: row.legal_area_id, [*fields, total])
    return {key: [*values[:-1], values[-1] - sum(values[:-1])] for key, values in sums.items()}


def _question_tables(c: _Context, cases) -> tuple[Table, ...]:
    yes_no = [_("Ja"), _("Nee"), _("Weet niet"), _("Niet ingevuld")]
    first_line = _answers(
        cases.by_organisation_and_legal_area,
        ["referral_useful_yes", "referral_useful_no", "referral_useful_unsure"],
        "subproblems",
    )
    second_line = _answers(
        cases.second_line_by_legal_area,
        ["referral_useful_yes", "referral_useful_no", "referral_useful_unsure"],
        "advice",
    )
    analysis = _answers(
        cases.second_line_by_legal_area,
        ["same_analysis", "partly_same_analysis", "different_analysis"],
        "advice",
    )
    naming = _answers(cases.second_line_by_legal_area, ["names_fitting_organisation"], "advice")
    social_map = [
        _Raw(
            f"{row.entry_name} ({row.entry_location_name})",
            None,
            [row.considered_by_first_line, row.named_fitting_by_advocaat],
        )
        for row in cases.sociale_kaart
    ]
    return (
        c.build(
            "vraag1-eerstelijn",
            _("Vraag 1: is verwijzen naar een advocaat zinvol? (eerstelijn)"),
            _("Het antwoord van de eerstelijn per deelprobleem."),
            raw=c.per_legal_area(first_line, 4),
            row_heading=_("Rechtsgebied"),
            columns=yes_no,
            total_heading=_("Deelproblemen"),
            dimension=LEGAL_AREA,
        ),
        c.build(
            "vraag1-tweedelijn",
            _("Vraag 1: is verwijzen naar een advocaat zinvol? (advocaat)"),
            _("Het antwoord van de advocaat in elk advies dat in de periode werd vastgelegd."),
            raw=c.per_legal_area(second_line, 4),
            row_heading=_("Rechtsgebied"),
            columns=yes_no,
            total_heading=_("Adviezen"),
            dimension=LEGAL_AREA,
        ),
        c.build(
            "vraag2-sociale-kaart",
            _("Vraag 2: welke organisaties van de sociale kaart passen?"),
            _(
                "Per organisatie: hoe vaak de eerstelijn haar overwoog bij een deelprobleem, en "
                "hoe vaak een advocaat haar passend noemde."
            ),
            raw=social_map,
            row_heading=_("Organisatie"),
            columns=[_("Overwogen door de eerstelijn"), _("Passend genoemd door de advocaat")],
            dimension=None,
        ),
        c.build(
            "vraag2-advies-noemt-organisatie",
            _("Vraag 2: adviezen die een passende organisatie noemen"),
            _("Adviezen die ten minste één organisatie van de sociale kaart passend noemen."),
            raw=c.per_legal_area(naming, 2),
            row_heading=_("Rechtsgebied"),
            columns=[_("Noemt een organisatie"), _("Noemt er geen")],
            total_heading=_("Adviezen"),
            dimension=LEGAL_AREA,
        ),
        c.build(
            "vraag3-analyse",
            _("Vraag 3: maken eerste- en tweedelijn dezelfde juridische analyse?"),
            _("Het oordeel van de advocaat over de analyse van de eerstelijn, per advies."),
            raw=c.per_legal_area(analysis, 4),
            row_heading=_("Rechtsgebied"),
            columns=[_("Dezelfde"), _("Deels dezelfde"), _("Een andere"), _("Niet ingevuld")],
            total_heading=_("Adviezen"),
            dimension=LEGAL_AREA,
        ),
    )


def _median(durations, _cells, total: Cell | None, scope: Scope) -> str:
    """The median only beside a shown count of at least the threshold: the median of a few
    cases is nearly one of them."""
    if durations is None or durations.median_days is None or total is None or total.suppressed:
        return "—"
    if scope.threshold and total.value < scope.threshold:
        return "—"
    return _("%(days)s dagen") % {"days": round(durations.median_days)}


def _flow_tables(c: _Context, cases) -> tuple[Table, ...]:
    buckets = ["up_to_7_days", "days_8_to_30", "days_31_to_90", "over_90_days"]
    solved = {
        row.location_id: [getattr(row.durations, name) for name in buckets]
        for row in cases.time_to_solution_by_location
    }
    solved_durations = {
        row.location_id: row.durations for row in cases.time_to_solution_by_location
    }
    handovers = {
        row.location_id: [row.accepted, row.declined, row.pending]
        for row in cases.handovers_by_location
    }
    return (
        c.build(
            "tijd-tot-oplossing",
            _("Tijd van registratie tot een passende oplossing"),
            _(
                "Casussen die in de periode voor het eerst werden gesloten met een passende "
                "oplossing, naar het aantal dagen sinds de registratie (uit de statusgeschiedenis)."
            ),
            raw=c.per_location(solved, 4, solved_durations),
            row_heading=_("Locatie"),
            columns=[_("Tot 7 dagen"), _("8–30 dagen"), _("31–90 dagen"), _("Meer dan 90 dagen")],
            total_heading=_("Opgelost"),
            extra_heading=_("Mediaan"),
            extra=_median,
            totals_extra=cases.time_to_solution,
            dimension=LOCATION,
        ),
        c.build(
            "overdrachten",
            _("Warme overdrachten en of ze werden opgepakt"),
            _("Overdrachten gemaakt in de periode, naar hoe het er nu mee staat."),
            raw=c.per_location(handovers, 3),
            row_heading=_("Locatie"),
            columns=[_("Opgepakt"), _("Afgewezen"), _("Wacht op antwoord")],
            total_heading=_("Gemaakt"),
            dimension=LOCATION,
        ),
    )
