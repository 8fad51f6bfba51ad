"""What the apps above cases show on the case page.

cases knows no app above it (tests/pilot/test_layers.py), yet the case page should show, for
example, the piket consults booked for the case. An app above contributes a `CaseSection` from
its `AppConfig.ready()`: a fragment for the page and a selector of its own that returns the
fragment's context (in a fixed number of queries), with the entries it adds to the timeline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from accounts.models import User
from cases.models import Case


@dataclass(frozen=True)
class CaseSection:
    name: str
    # rendered in the case page's main column as `{% include template with section=context %}`
    template: str
    # `context(user, case)`: the fragment's context; under "timeline", (moment, item) pairs that
    # `timeline_template` renders in the case's timeline (as `entry`)
    context: Callable[[User, Case], dict[str, Any]]
    timeline_template: str = ""
    position: int = 100


_SECTIONS: dict[str, CaseSection] = {}


def register(section: CaseSection) -> None:
    """Called from an app's `AppConfig.ready()`; registering a name again replaces it."""
    _SECTIONS[section.name] = section


def sections_for(user: User, case: Case) -> list[dict[str, Any]]:
    """Every contributed section with its context, in page order."""
    sections = sorted(_SECTIONS.values(), key=lambda s: (s.position, s.name))
    return [
        {"name": s.name, "template": s.template, "context": s.context(user, case), "section": s}
        for s in sections
    ]


def timeline_entries(sections: list[dict[str, Any]]) -> list[tuple[str, datetime, dict]]:
    """The sections' timeline entries as the case timeline holds them: ("section", moment,
    {"template": …, "entry": …})."""
    return [
        ("section", at, {"template": item["section"].timeline_template, "entry": entry})
        for item in sections
        for at, entry in item["context"].get("timeline", ())
    ]
