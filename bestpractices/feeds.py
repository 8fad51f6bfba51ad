"""The Atom feed of the library's public entries (readable without an account)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from bestpractices import selectors

FEED_LIMIT = 50


class PublicEntriesFeed(Feed):
    feed_type = Atom1Feed
    title = _("Samenwerken in de eerstelijn: openbare werkwijzen")
    subtitle = _("Vastgestelde werkwijzen en afspraken uit de pilot, nieuwste eerst.")
    author_name = _("Pilot Samenwerken in de eerstelijn")

    def link(self) -> str:
        return reverse("praktijk:index")

    def items(self):
        return selectors.public_entries()[:FEED_LIMIT]

    def item_title(self, entry) -> str:
        return entry.adopted_revision.title

    def item_description(self, entry) -> str:
        return entry.adopted_revision.summary

    def item_link(self, entry) -> str:
        return reverse("praktijk:entry", args=[entry.slug])

    def item_pubdate(self, entry):
        return entry.adopted_at

    def item_updateddate(self, entry):
        return entry.adopted_at or entry.updated_at

    def item_categories(self, entry) -> list[str]:
        return [str(entry.get_kind_display())]
