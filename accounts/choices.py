"""`get_FOO_display()` without rebuilding the field's choices on every call.

Django's `Model._get_FIELD_display` flattens the field's choices into a new dict on each call and
hashes every (lazy, so translated) label on the way: 40-70 microseconds a call, a millisecond and
a half for the status column of a 25-row case list (profiled, issue 9). The mixin keeps that dict
per field (the labels stay lazy, so the language of the request still decides) and answers the
same as Django's.
"""

from __future__ import annotations

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_LABELS: dict = {}


class ChoiceLabels:
    """Mixin for models whose choice labels are shown in lists: `get_FOO_display()` as
    Django's, the choices looked up in a dict kept per field."""

    def _get_FIELD_display(self, field):
        labels = _LABELS.get(field)
        if labels is None:
            labels = _LABELS[field] = dict(make_hashable(field.flatchoices))
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)
