from django.conf import settings

from accounts import access
from accounts.navigation import items_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_items": items_for(user),
        "my_memberships": access.memberships(user),
        # the pilot's rule, shown where an advocaat takes a case or a referral is made
        "piket_referral_rule": settings.PIKET_NO_TOEVOEGING_AFTER_CONSULT,
    }
