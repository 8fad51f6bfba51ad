from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from accounts import access
from piket import selectors as piket_selectors
from pilot.navigation import nav_items_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_items": nav_items_for(user),
        "personal_nav_items": nav_items_for(user, menu="personal"),
        "my_memberships": access.memberships(user),
        # the pilot's rule, shown where an advocaat takes a case or a referral is made; read
        # once, and only by the pages that show it
        "piket_referral_rule": SimpleLazyObject(piket_selectors.no_toevoeging_after_consult),
    }
