"""A real Celery worker against Redis mails the confirmation of a booked piket consult."""

from __future__ import annotations

import pytest

from tests.cases.factories import register
from tests.integration.support import wait_for
from tests.piket.factories import book, make_shift

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_worker_mails_the_confirmation_with_an_ics(celery, anna, bart, orgs_utrecht, utrecht):
    start, tmp = celery
    start("worker", "--pool=solo", "--without-gossip", "--without-mingle")
    shift = make_shift(utrecht, [bart])
    case = register(anna, orgs_utrecht["loket"])
    consult = book(anna, case, shift.starts_at)
    mail_dir = tmp / "mail"

    def two_mails():
        return (
            mail_dir.exists()
            and len(list(mail_dir.iterdir())) >= 1
            and text().count("Subject:") >= 2
        )

    def text():
        return "".join(p.read_text() for p in mail_dir.iterdir())

    assert wait_for(two_mails), (tmp / "worker.log").read_text()
    body = text()
    assert anna.email in body and bart.email in body
    assert "BEGIN:VCALENDAR" in body or "text/calendar" in body
    assert f"/piket/consult/{consult.pk}/" in body
    assert case.number not in body
