"""Knowledge of apps above cases shown beside a case where the work happens.

cases knows no app above it (tests/pilot/test_layers.py), yet the booking page and the advocaat's
preparation card should show, for example, the library's adopted practices for the case's legal
areas. An app above contributes a `RelatedProvider` from its `AppConfig.ready()`; a page that shows
cases calls `attach(user, cases)` once for all of them, or lets `{% related_to case %}` (case_tags)
read them for its one case: one query per provider, however many cases the page shows. (The case
page itself composes through `cases.case_page` sections.)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from accounts.models import User
from cases.models import Case


@dataclass(frozen=True)
class RelatedProvider:
    name: str
    # rendered by `{% related_to case %}` with `items`, `case` and `heading`
    template: str
    # `for_cases(user, cases)`: per case pk the items to show (absent or empty: nothing shown),
    # in one query for all cases
    for_cases: Callable[[User, Sequence[Case]], Mapping[int, list[Any]]]
    position: int = 100


_PROVIDERS: dict[str, RelatedProvider] = {}

ATTRIBUTE = "related_blocks"


def register(provider: RelatedProvider) -> None:
    """Called from an app's `AppConfig.ready()`; registering a name again replaces it."""
    _PROVIDERS[provider.name] = provider


def unregister(name: str) -> RelatedProvider | None:
    """Removes a provider (tests compare a page with and without it)."""
    return _PROVIDERS.pop(name, None)


def attach(user: User, cases: Sequence[Case]) -> None:
    """Sets on every case the blocks that `{% related_to case %}` renders: (template, items)
    pairs of the providers that have something for it."""
    cases = list(cases)
    for case in cases:
        setattr(case, ATTRIBUTE, [])
    if not cases:
        return
    for provider in sorted(_PROVIDERS.values(), key=lambda p: (p.position, p.name)):
        found = provider.for_cases(user, cases)
        for case in cases:
            if items := found.get(case.pk):
                getattr(case, ATTRIBUTE).append((provider.template, items))


def blocks_for(user: User, case: Case) -> list[tuple[str, list[Any]]]:
    """The case's blocks, read now unless a page attached them already."""
    if not hasattr(case, ATTRIBUTE):
        attach(user, [case])
    return getattr(case, ATTRIBUTE)
