"""What the browser tests share besides fixtures: the axe scan, the console check, and filling
in the advocaat's advice form."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_axe = Axe()


def assert_accessible(page) -> None:
    """axe-core (WCAG 2.1 A and AA rules) finds no violation on the current page."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def assert_no_console_errors(page) -> None:
    assert page.console_errors == [], page.console_errors


def fill_advice(section, *, analysis: str, match: str, continuation: str) -> None:
    """Fill in one sub-problem's section of the advice form (referral useful: no)."""
    section.get_by_label("Uw juridische analyse").fill(analysis)
    section.get_by_role("group", name="Komt uw analyse overeen").get_by_label(
        match, exact=True
    ).check()
    section.get_by_role("group", name="Is doorverwijzen naar een advocaat zinvol").get_by_label(
        "Nee", exact=True
    ).check()
    section.get_by_role("group", name="Hoe gaat de zaak verder").get_by_label(
        continuation, exact=True
    ).check()
    section.get_by_role("group", name="Zonder dit overleg").get_by_label("Ja", exact=True).check()
