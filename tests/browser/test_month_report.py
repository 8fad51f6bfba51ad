"""The month report fragment in the browser: its tables and charts pass axe and fit 375 and 1280
pixels wide, the tables scrolling inside their own focusable region. (The meeting page that
includes it has its own browser test; this one holds the fragment on its own, with the site's
stylesheets.)"""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from playwright.sync_api import expect

from signalering.report import month_report
from tests.browser.support import assert_accessible
from tests.research.factories import cases_at, held_consults

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DOCUMENT = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Maandrapport</title>
<link rel="stylesheet" href="{base}{bootstrap}"><link rel="stylesheet" href="{base}{pilot}">
</head><body><main class="container py-3">{report}</main></body></html>"""


def test_the_report_is_accessible_and_fits_small_screens(
    page, live_server, utrecht, orgs_utrecht, orgs_amsterdam, bart
):
    cases = cases_at(orgs_utrecht["loket"], 7)
    cases_at(orgs_amsterdam["loket"], 3)
    held_consults(cases[0], bart, 2)
    report = month_report(locations=[utrecht], month=timezone.localdate())
    html = render_to_string("signalering/_month_report.html", {"report": report})
    page.set_content(
        DOCUMENT.format(
            base=live_server.url,
            bootstrap=static("vendor/bootstrap/bootstrap.min.css"),
            pilot=static("css/pilot.css"),
            report=html,
        )
    )
    organisations = page.get_by_role("region", name="Casussen per organisatie")
    expect(organisations.get_by_role("row", name="Totaal")).to_contain_text("7")
    expect(page.get_by_role("img", name="Staafdiagram: Kerncijfers per locatie")).to_be_visible()
    # the site's stylesheet is there: a wide table scrolls inside its region, not the page
    overflow = "getComputedStyle(document.querySelector('.table-responsive')).overflowX"
    assert page.evaluate(overflow) == "auto"
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"the report is {scroll}px wide at {width}px"
        assert_accessible(page)
