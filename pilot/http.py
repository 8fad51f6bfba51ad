"""Headers every answer of the product gets: nothing of it in a shared or browser cache unless the
page is proven public, and no powerful browser features.

The rule is a default, not a per-view duty: a page added tomorrow by any app is private without
anyone remembering `never_cache`. Only a view marked `@public_page` (the same for every anonymous
visitor, e.g. a public page of the library) may be cached, and only when the visitor is not
signed in (the layout then shows their name and menu) and the answer sets no cookie.

Static files never reach this middleware: WhiteNoise, outside it, serves them with long caching.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.utils.cache import add_never_cache_headers, patch_cache_control

PUBLIC_MAX_AGE = "pilot_public_max_age"


def public_page(view=None, *, max_age: int = 300):
    """Marks a view whose page holds nothing personal: anonymous visitors' copies may be cached
    (`Cache-Control: public, max-age=...`). `@public_page` or `@public_page(max_age=60)`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            setattr(response, PUBLIC_MAX_AGE, max_age)
            return response

        return wrapped

    return decorator(view) if view is not None else decorator


def permissions_policy(features: dict[str, list[str]]) -> str:
    """`{"camera": [], "fullscreen": ["self"]}` -> 'camera=(), fullscreen=(self)'."""
    return ", ".join(f"{name}=({' '.join(allowed)})" for name, allowed in features.items())


class HeadersMiddleware:
    """`Cache-Control: no-store, private` (Django's never_cache) on every answer but a public page
    to an anonymous visitor; and the Permissions-Policy header."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        max_age = getattr(response, PUBLIC_MAX_AGE, None)
        user = getattr(request, "user", None)
        if (
            max_age is not None
            and user is not None
            and not user.is_authenticated
            and not response.cookies
        ):
            patch_cache_control(response, public=True, max_age=max_age)
        else:
            # Expires, max-age=0, no-cache, no-store, must-revalidate, private: whatever the
            # view said (a view can't opt out but by @public_page).
            response.headers.pop("Cache-Control", None)
            add_never_cache_headers(response)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response
