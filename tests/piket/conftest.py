"""Fixtures the piket tests share: a case of Anna's with a client, and a shift with Bart on duty."""

from __future__ import annotations

from datetime import date

import pytest

from cases.services.cases import identity_set
from cases.vault import Identity
from tests.cases.factories import register
from tests.piket.factories import make_shift


@pytest.fixture
def case(anna, orgs_utrecht):
    """Anna's huurrecht case; its client Piet Jansen is in the vault."""
    case = register(anna, orgs_utrecht["loket"], areas=("huurrecht",))
    identity_set(
        user=anna,
        case=case,
        identity=Identity(full_name="Piet Jansen", birth_date=date(1980, 5, 17)),
    )
    return case


@pytest.fixture
def shift(utrecht, bart):
    """Tomorrow 10:00–12:00 in Utrecht, huurrecht, Bart on duty."""
    return make_shift(utrecht, [bart])
