"""What apps above signalering show on a recommendation's page.

signalering knows no app above it (tests/pilot/test_layers.py), yet a recommendation's page
should show the library's practices that came from it and offer to turn it into a proposal. An
app above contributes a `RecommendationBlock` from its `AppConfig.ready()`; the page renders
each block's template with `block` (what its `context` returned) and `recommendation`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from accounts.models import User
from signalering.models import Recommendation


@dataclass(frozen=True)
class RecommendationBlock:
    name: str
    template: str
    # `context(user, recommendation)`: what the template shows (one query at most); None hides it
    context: Callable[[User, Recommendation], dict[str, Any] | None]


_BLOCKS: dict[str, RecommendationBlock] = {}


def register(block: RecommendationBlock) -> None:
    """Called from an app's `AppConfig.ready()`; registering a name again replaces it."""
    _BLOCKS[block.name] = block


def blocks_for(user: User, recommendation: Recommendation) -> list[tuple[str, dict[str, Any]]]:
    """(template, context) of every registered block that has something to show."""
    found = []
    for block in sorted(_BLOCKS.values(), key=lambda b: b.name):
        context = block.context(user, recommendation)
        if context is not None:
            found.append((block.template, context))
    return found
