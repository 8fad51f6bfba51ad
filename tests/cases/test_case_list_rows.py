# ruff: noqa: E501 - the template lines as they were
"""The case list's rows, built by the `case_row` tag: the markup the template's loop made."""

from __future__ import annotations

import pytest
from django.template import engines
from django.utils.translation import override

from cases import selectors
from tests.cases.factories import SubProblemFactory, register

# the loop of templates/cases/case_list.html before the rows were built in Python
TEMPLATE_ROWS = """{% load case_tags %}{% for case in cases %}
    <tr>
      <td><a href="{% url 'cases:detail' case.number %}" class="font-monospace">{{ case.number }}</a></td>
      <td>{{ case.registered_at|date:"j F Y" }}</td>
      <td>{{ case.legal_area_names|distinct_names }}</td>
      <td>{{ case.get_status_display }}</td>
      <td>{{ case.registered_by.full_name }}<br><span class="small">{{ case.organisation.name }}</span></td>
    </tr>
  {% endfor %}"""
TAG_ROWS = """{% load case_tags %}{% for case in cases %}
    {% case_row case %}
  {% endfor %}"""


@pytest.mark.parametrize("language", ["nl", "en"])
def test_rows_are_what_the_template_made(anna, orgs_utrecht, language):
    loket = orgs_utrecht["loket"]
    first = register(anna, loket, areas=("huurrecht", "arbeidsrecht"))
    SubProblemFactory(case=first, legal_area=first.subproblems.first().legal_area, position=3)
    register(anna, loket, areas=("huurrecht",))
    anna.full_name = "Anna <de> 'Vries' & co"
    anna.save(update_fields=["full_name"])
    cases = list(selectors.case_list(anna))
    assert len(cases) == 2
    engine = engines["django"]
    with override(language):
        expected = engine.from_string(TEMPLATE_ROWS).render({"cases": cases})
        assert engine.from_string(TAG_ROWS).render({"cases": cases}) == expected
    assert "&lt;de&gt;" in expected
