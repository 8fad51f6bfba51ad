"""The administrators' pages (/beheer/, Django's admin) are pages of this product too: the
index, every app page, and the list, the add form and a change form of every registered model
pass the axe scan (WCAG 2.1 AA, and no empty table header), for an administrator.

The admin's own markup is mended in templates/admin/base_site.html, static/css/admin.css and
static/js/admin.js."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from playwright.sync_api import expect

from tests.bestpractices.factories import EntryFactory, SynonymFactory
from tests.browser.support import assert_accessible
from tests.cases.factories import CounterpartyFactory, KindOfCaseFactory
from tests.piket.factories import (
    AdvocaatProfileFactory,
    AssignmentFactory,
    RosterFactory,
    ShiftFactory,
)
from tests.research.factories import StudyFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# beyond WCAG's tags: a header cell that names nothing (axe's best-practice rule)
EXTRA_RULES = {"runOnly": {"type": "rule", "values": ["empty-table-header"]}}
_axe = Axe()
PROJECT_APPS_IN_ADMIN = ("accounts", "cases", "piket", "research", "bestpractices")


def registered_for(user) -> list[tuple]:
    """The registered models whose pages the user sees in the admin, and whether they may add."""
    request = RequestFactory().get("/beheer/")
    request.user = user
    return [
        (model, model_admin.has_add_permission(request))
        for model, model_admin in admin.site._registry.items()
        if model_admin.has_module_permission(request) and model_admin.has_view_permission(request)
    ]


def admin_pages(user) -> list[str]:
    """The index, each app's page, and each registered model's list and add form."""
    pages = [reverse("admin:index")]
    for model, may_add in registered_for(user):
        meta = model._meta
        app_page = reverse("admin:app_list", args=[meta.app_label])
        if app_page not in pages:
            pages.append(app_page)
        pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        if may_add:
            pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    return pages


@pytest.fixture
def some_of_everything(bart, utrecht):
    """A row in every list, so that the lists' tables and links are scanned too."""
    roster = RosterFactory(location=utrecht)
    AssignmentFactory(shift=ShiftFactory(roster=roster), advocaat=bart)
    AdvocaatProfileFactory(advocaat=bart)
    CounterpartyFactory()
    KindOfCaseFactory()
    StudyFactory()
    EntryFactory()
    SynonymFactory()


def change_pages(user) -> list[str]:
    """A change form of each of those models that has a row."""
    pages = []
    for model, _may_add in registered_for(user):
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            meta = model._meta
            pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))
    return pages


def test_the_scan_covers_every_model_of_the_project(bea):
    models = [model for model, _may_add in registered_for(bea)]
    assert {m._meta.app_label for m in models} == set(PROJECT_APPS_IN_ADMIN)
    assert len(models) == len(
        [m for m in admin.site._registry if m._meta.app_label in PROJECT_APPS_IN_ADMIN]
    )
    pages = admin_pages(bea)
    for path in ("/beheer/accounts/", "/beheer/piket/roster/add/", "/beheer/accounts/user/add/"):
        assert path in pages


def test_every_admin_page_is_accessible(bea, some_of_everything, signed_in):
    page = signed_in(bea)
    failures = []
    for path in admin_pages(bea) + change_pages(bea):
        assert page.goto(path).ok, path
        expect(page.locator("#content")).to_be_visible()
        try:
            assert_accessible(page)
        except AssertionError as failure:  # every page's findings at once, not only the first
            failures.append(str(failure))
        extra = _axe.run(page, options=EXTRA_RULES)
        if extra.violations_count:
            failures.append(f"{page.url}\n{extra.generate_report()}")
    assert not failures, "\n\n".join(failures)


def test_an_inline_row_added_in_the_browser_is_named_too(bea, signed_in):
    page = signed_in(bea)
    page.goto(reverse("admin:accounts_user_add"))
    page.locator("#memberships-group .add-row a").click()
    role = page.locator("#id_memberships-0-role")
    expect(role).to_have_attribute("aria-label", "Rol")
    assert_accessible(page)
