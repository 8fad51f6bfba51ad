"""The wording of the registration form and the pages around it: disclosure markers, only truly
required fields starred, "rechtzoekende" (not "cliënt"), Dutch dates, distinct legal areas in the
case list, and a character counter's texts for long fields."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import Role
from cases.models import Case, LegalArea, SubProblem
from tests.accounts.factories import MembershipFactory
from tests.cases.factories import CaseFactory, SubProblemFactory

ROOT = Path(settings.BASE_DIR)
REGISTER = "/casussen/nieuw/"
DUTCH_MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def test_the_collapsible_blocks_show_a_disclosure_marker(login, anna):
    html = login(anna).get(REGISTER).content.decode()
    summaries = re.findall(r"<summary[^>]*>[^<]*</summary>", html)
    for title in ("Over de rechtzoekende", "Identiteit rechtzoekende"):
        (summary,) = [s for s in summaries if title in s]
        assert 'class="h5 disclosure"' in summary
        assert "d-inline" not in summary  # display: inline hides the marker
    css = (ROOT / "static" / "css" / "pilot.css").read_text(encoding="utf-8")
    assert re.search(r"summary\.disclosure\s*\{[^}]*display:\s*list-item", css)


def test_only_the_legal_area_is_starred_as_the_guide_says(login, anna):
    html = login(anna).get(REGISTER).content.decode()
    assert html.count('class="asteriskField"') == 1
    star = html.index('class="asteriskField"')
    assert html.rindex("Rechtsgebied of soort zaak", 0, star) > html.rindex("<label", 0, star)
    assert "Dat is het enige verplichte veld (gemarkeerd met *)." in html


def test_a_worker_of_two_organisations_is_told_to_choose_one_too(login, anna, orgs_utrecht):
    MembershipFactory(user=anna, organisation=orgs_utrecht["raadslieden"], role=Role.FIRST_LINE)
    html = login(anna).get(REGISTER).content.decode()
    assert html.count('class="asteriskField"') == 2
    assert "Kies ook de organisatie. Alleen die velden zijn verplicht" in html


def test_the_prefilled_fields_may_be_left_empty(login, anna):
    response = login(anna).post(
        REGISTER,
        {
            "deel-TOTAL_FORMS": "1",
            "deel-INITIAL_FORMS": "0",
            "deel-MIN_NUM_FORMS": "1",
            "deel-MAX_NUM_FORMS": "10",
            "deel-0-subject": "Huurrecht",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.first_contact_on == timezone.localdate()
    assert case.subproblems.get().referral_useful == "weet_niet"


def test_editing_a_case_still_needs_the_date_of_first_contact(login, anna, orgs_utrecht):
    case = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    response = login(anna).post(f"/casussen/{case.number}/wijzigen/", {"casus-channel": "balie"})
    assert response.status_code == 200
    assert "Dit veld is verplicht." in response.content.decode()


def _our_sources() -> list[Path]:
    apps = ["accounts", "cases", "piket", "pilot"]
    files = [p for app in apps for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]
    files += [p for p in (ROOT / "templates").rglob("*") if p.suffix in (".html", ".txt")]
    return files


def test_our_texts_say_rechtzoekende_not_client():
    assert len(_our_sources()) > 50
    found = [
        str(path.relative_to(ROOT))
        for path in _our_sources()
        if re.search(r"cliënt", path.read_text(encoding="utf-8"), re.IGNORECASE)
    ]
    assert found == []


def test_dates_in_our_templates_are_written_out_in_dutch():
    """No abbreviated month or weekday ("29 Nov 2026", "di"): "29 november 2026" everywhere."""
    short = []
    for path in _our_sources():
        if path.suffix == ".py":
            continue
        for fmt in re.findall(r"""\|date:["']([^"']*)["']""", path.read_text(encoding="utf-8")):
            if re.search(r"(?<!\\)[MNbDE]", fmt):
                short.append((str(path.relative_to(ROOT)), fmt))
    assert short == []


@pytest.fixture
def case_with_two_benefit_problems(anna, orgs_utrecht) -> Case:
    case = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    benefits = LegalArea.objects.get(slug="sociale-voorzieningen")
    SubProblemFactory(case=case, legal_area=benefits)
    SubProblemFactory(case=case, legal_area=LegalArea.objects.get(slug="huurrecht"))
    SubProblemFactory(case=case, legal_area=benefits)
    return case


def test_the_case_list_names_each_legal_area_once_with_a_dutch_date(
    login, anna, case_with_two_benefit_problems
):
    html = login(anna).get("/casussen/").content.decode()
    row = html[html.index(case_with_two_benefit_problems.number) :]
    row = row[: row.index("</tr>")]
    assert "Sociale voorzieningen, Huurrecht" in row
    assert row.count("Sociale voorzieningen") == 1
    day = timezone.localdate(case_with_two_benefit_problems.registered_at)
    assert f"{day.day} {DUTCH_MONTHS[day.month - 1]} {day.year}" in row
    assert SubProblem.objects.filter(case=case_with_two_benefit_problems).count() == 3


def test_every_page_carries_the_character_counter_texts(login, anna):
    html = login(anna).get(REGISTER).content.decode()
    assert 'id="teller-teksten"' in html
    assert 'data-over="%(count)s tekens te veel (maximaal %(limit)s)' in html
    assert 'maxlength="4000"' in html  # the limit the counter reads
    script = (ROOT / "static" / "js" / "pilot.js").read_text(encoding="utf-8")
    assert 'removeAttribute("maxlength")' in script  # no silent cut of a long paste
    assert '"aria-live", "polite"' in script


def test_the_booking_question_has_its_limit_for_the_counter(login, anna, orgs_utrecht):
    case = CaseFactory(organisation=orgs_utrecht["loket"], registered_by=anna)
    SubProblemFactory(case=case)
    html = login(anna).get(f"/piket/boeken/{case.number}/").content.decode()
    assert re.search(r'<textarea[^>]*name="question"[^>]*maxlength="4000"', html)


def test_a_too_long_text_is_refused_with_a_clear_message(login, anna):
    response = login(anna).post(
        REGISTER,
        {
            "deel-TOTAL_FORMS": "1",
            "deel-INITIAL_FORMS": "0",
            "deel-MIN_NUM_FORMS": "1",
            "deel-MAX_NUM_FORMS": "10",
            "deel-0-subject": "Huurrecht",
            "deel-0-analysis": "a" * 20_000,
        },
    )
    assert response.status_code == 200
    assert "niet meer dan 4000 tekens bevat (het zijn er nu 20000)" in response.content.decode()
    assert not Case.objects.exists()
