"""No personal data in the logs: cases.logging.PersonalDataFilter on the console handler."""

from __future__ import annotations

import io
import logging

import pytest
from django.conf import settings

from cases.logging import REMOVED, PersonalDataFilter, personal_data_keys

BSN = "111222333"  # passes the elfproef


@pytest.fixture
def log():
    """A logger writing through the filter into a string: `logger, output = log`."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(PersonalDataFilter())
    logger = logging.getLogger("tests.cases.privacy")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    yield logger, stream
    logger.removeHandler(handler)
    logger.propagate = True


def test_a_bsn_and_an_email_in_the_message_are_redacted(log):
    logger, output = log
    logger.warning(f"Client met BSN {BSN} mailde vanaf piet.jansen@example.nl")
    text = output.getvalue()
    assert BSN not in text and "piet.jansen" not in text
    assert "[verwijderd: bsn]" in text and "[verwijderd: email]" in text


def test_string_arguments_are_redacted(log):
    logger, output = log
    logger.info("Casus %s: bellen naar %s", "Z-AB23-CD45", "06-12345678")
    assert output.getvalue() == "INFO Casus Z-AB23-CD45: bellen naar [verwijderd: phone]\n"


def test_a_dict_argument_with_a_personal_data_key_is_redacted(log):
    logger, output = log
    logger.info("opgeslagen: %s", {"full_name": "Piet Jansen", "number": "Z-AB23-CD45"})
    text = output.getvalue()
    assert "Piet" not in text
    assert f"'full_name': '{REMOVED}'" in text
    assert "Z-AB23-CD45" in text


def test_a_mapping_as_the_arguments_is_redacted(log):
    logger, output = log
    logger.info("%(question)s in %(number)s", {"question": "Piet wil weg", "number": "Z-AB23-CD45"})
    assert output.getvalue() == f"INFO {REMOVED} in Z-AB23-CD45\n"


def test_nested_values_and_extra_attributes_are_redacted(log):
    logger, output = log
    records = []
    logger.handlers[0].addFilter(lambda record: records.append(record) or True)
    logger.info(
        "klaar",
        extra={
            "email": "piet@example.nl",
            "analysis": "lang verhaal",
            # "remark" is no field name: a field classified sensitive ("note") is removed whole
            "payload": {"identity": {"birth_date": "1980-05-17"}, "remark": f"bsn {BSN}"},
            "number": "Z-AB23-CD45",
        },
    )
    record = records[0]
    assert record.email == REMOVED
    assert record.analysis == REMOVED
    expected = {"identity": {"birth_date": REMOVED}, "remark": "bsn [verwijderd: bsn]"}
    assert record.payload == expected
    assert record.number == "Z-AB23-CD45"


def test_a_traceback_is_redacted(log):
    logger, output = log
    try:
        raise ValueError(f"ongeldig BSN {BSN}")
    except ValueError:
        logger.exception("mislukt")
    text = output.getvalue()
    assert "Traceback" in text and "ValueError" in text
    assert BSN not in text


def test_arguments_that_do_not_fit_the_message_still_log_nothing_personal(log):
    logger, output = log
    logger.info("twee plaatsen %s %s", f"bsn {BSN}")
    assert BSN not in output.getvalue()


def test_the_keys_come_from_the_data_class_declaration():
    keys = personal_data_keys()
    assert {"full_name", "email", "phone", "encrypted", "question", "analysis", "text"} <= keys
    assert {"birth_date", "street_address"} <= keys  # the vault identity's fields
    assert not {"id", "number", "status", "action", "case", "postcode_area"} & keys
    assert personal_data_keys() is keys  # read once


def test_the_console_handler_carries_the_filter():
    console = settings.LOGGING["handlers"]["console"]
    assert "personal_data" in console["filters"]
    assert settings.LOGGING["filters"]["personal_data"]["()"] == "cases.logging.PersonalDataFilter"
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, PersonalDataFilter) for f in handler.filters)
    ]
    assert handlers


def test_the_configured_console_handler_redacts(monkeypatch):
    handler = next(
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, PersonalDataFilter) for f in handler.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        logging.getLogger("cases").warning("mail van %s", "piet@example.nl")
    finally:
        handler.setStream(previous)
    assert "piet@example.nl" not in stream.getvalue()
    assert "mail van [verwijderd: email]" in stream.getvalue()


def test_no_configured_handler_writes_without_the_filter():
    """Django's own default handlers (console when DEBUG, mail_admins) are replaced, too."""
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    unfiltered = [
        (logger.name, handler)
        for logger in loggers
        for handler in logger.handlers
        if not isinstance(handler, logging.NullHandler)
        and not type(handler).__module__.startswith("_pytest")
        and not any(isinstance(f, PersonalDataFilter) for f in handler.filters)
    ]
    assert unfiltered == []
