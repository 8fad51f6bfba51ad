"""cases.pii: free text that identifies a person is refused; legal text is left alone.

No database is needed (the root conftest's autouse fixtures ask for one anyway).
"""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from cases.pii import (
    PII_GUARD,
    Finding,
    NoPersonalDataField,
    find_personal_data,
    is_valid_bsn,
    is_valid_iban,
    redact,
    validate_no_personal_data,
)


def found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start : f.end]) for f in find_personal_data(text)]


# ------------------------------------------------------------------ checksums


@pytest.mark.parametrize("digits", ["123456782", "111222333", "999999990", "012345672"])
def test_valid_bsns_pass_the_elfproef(digits):
    assert is_valid_bsn(digits)


@pytest.mark.parametrize(
    "digits", ["123456789", "111222334", "000000000", "12345678", "1234567820"]
)
def test_invalid_bsns_fail_the_elfproef(digits):
    assert not is_valid_bsn(digits)


@pytest.mark.parametrize(
    "iban", ["NL91ABNA0417164300", "nl91 abna 0417 1643 00", "DE89370400440532013000"]
)
def test_valid_ibans(iban):
    assert is_valid_iban(iban)


@pytest.mark.parametrize("iban", ["NL92ABNA0417164300", "NL91ABNA04171643", "9191ABNA0417164300"])
def test_invalid_ibans(iban):
    assert not is_valid_iban(iban)


# ------------------------------------------------------------------ what is found

TRUE_POSITIVES = [
    # BSN
    ("BSN 123456782 is bekend", "bsn", "123456782"),
    ("bsn: 111222333.", "bsn", "111222333"),
    ("nummer 1234.56.782 op de brief", "bsn", "1234.56.782"),
    ("nummer 123 456 782 op de brief", "bsn", "123 456 782"),
    ("aanslagnummer 1234.56.782.H.01", "bsn", "1234.56.782"),
    # IBAN
    ("rekening NL91ABNA0417164300 van cliënt", "iban", "NL91ABNA0417164300"),
    ("rekening NL91 ABNA 0417 1643 00 van cliënt", "iban", "NL91 ABNA 0417 1643 00"),
    ("rekening nl91abna0417164300", "iban", "nl91abna0417164300"),
    ("Duitse rekening DE89 3704 0044 0532 0130 00.", "iban", "DE89 3704 0044 0532 0130 00"),
    ("Belgische rekening BE68 5390 0754 7034 voor de huur", "iban", "BE68 5390 0754 7034"),
    # e-mail
    ("mail naar jan.jansen@example.nl.", "email", "jan.jansen@example.nl"),
    ("contact: J.de-Vries+huur@mail.example.com", "email", "J.de-Vries+huur@mail.example.com"),
    # phone
    ("bel 06-12345678 na vijven", "phone", "06-12345678"),
    ("bel 06 1234 5678 na vijven", "phone", "06 1234 5678"),
    ("bel 0612345678 na vijven", "phone", "0612345678"),
    ("bel 06 12 34 56 78 na vijven", "phone", "06 12 34 56 78"),
    ("bel (06) 12345678 na vijven", "phone", "(06) 12345678"),
    ("bel +31 6 12345678 na vijven", "phone", "+31 6 12345678"),
    ("bel +31612345678 na vijven", "phone", "+31612345678"),
    ("bel +31 (0)6 12345678 na vijven", "phone", "+31 (0)6 12345678"),
    ("bel 0031 6 12345678 na vijven", "phone", "0031 6 12345678"),
    ("bel 0031612345678 na vijven", "phone", "0031612345678"),
    ("bel 020-1234567 na vijven", "phone", "020-1234567"),
    ("bel 030 123 4567 na vijven", "phone", "030 123 4567"),
    ("bel (020) 1234567 na vijven", "phone", "(020) 1234567"),
    ("bel +31 20 123 45 67 na vijven", "phone", "+31 20 123 45 67"),
    ("bel 0172-123456 na vijven", "phone", "0172-123456"),
    ("tel.06\u201312345678", "phone", "06\u201312345678"),  # en dash from a word processor
    # address: postcode with house number, in either order
    ("woont op 1234 AB 12 sinds 2019", "address", "1234 AB 12"),
    ("woont op 1234AB 12a sinds 2019", "address", "1234AB 12a"),
    ("woont op 1234ab 7 sinds 2019", "address", "1234ab 7"),
    ("woont op Kerkstraat 12, 1234 AB Utrecht", "address", "Kerkstraat 12, 1234 AB"),
    ("woont op nummer 12-2 1234 AB Utrecht", "address", "12-2 1234 AB"),
    # date of birth: a full date near a birth word
    ("cliënt is geboren op 12-03-1985 in Utrecht", "birthdate", "12-03-1985"),
    ("cliënt (geb. 3 maart 1985) woont", "birthdate", "3 maart 1985"),
    ("geboortedatum: 3 mrt. 1985", "birthdate", "3 mrt. 1985"),
    ("geboortedatum 12/3/1985", "birthdate", "12/3/1985"),
    ("geb.datum 01.02.1990", "birthdate", "01.02.1990"),
    ("DOB 1985-03-12", "birthdate", "1985-03-12"),
    ("born 1 january 1990", "birthdate", "1 january 1990"),
    ("Cliënt is op 12-3-1985 geboren.", "birthdate", "12-3-1985"),
    ("geb. d.d. 12-03-1985", "birthdate", "12-03-1985"),
]


@pytest.mark.parametrize(
    ("text", "kind", "match"), TRUE_POSITIVES, ids=[t[0] for t in TRUE_POSITIVES]
)
def test_personal_data_is_found(text, kind, match):
    assert found(text) == [(kind, match)]


FALSE_POSITIVES = [
    "het nummer 123456789 komt niet door de elfproef",
    "rekening NL92ABNA0417164300 heeft een verkeerd controlegetal",
    "bel gratis 0800-1234 of 0800-0123",
    "bel 0800 1234567 of 0900-1234567 of 0900-123456 of 0909-1234567",
    "het bedrijf is bereikbaar op 088-1234567 en 088 123 45 67",
    "zie artikel 7:271 BW en art. 3:40 BW en artikel 6:162 lid 2 BW",
    "HR 20 maart 2020, ECLI:NL:HR:2020:1234 en ECLI:NL:GHARL:2020:0612345678",
    "in 2024 en in 1985 en van 2019-2024",
    "een bedrag van € 1.234,56 en EUR 123456782 en €123.456.782",
    "de huurverhoging van 1-7-2025",
    "de brief van 3 maart 2024",
    "afspraak op 01-02-2025 12:30 en 06-12-2025 14:30",
    "zaaknummer 200.123.456/01 en C/13/123456 / HA ZA 21-123",
    "parketnummer 06-123456-22",
    "postcode 1234 AB in Utrecht",
    "postcodegebied 3511 en 1234AB",
    "in 2024 de 12 zaken, NJ 2024, 12 en AB 2020/12",
    "06123456789 is te lang, 12345678201 ook",
    "een kind geboren in 2019",
    "Zij is geboren in Utrecht. De brief van 3 maart 2024 kwam later.",
    "de uitkering van 06 maart 2025 tot 31-12-2025",
    "",
]


@pytest.mark.parametrize("text", FALSE_POSITIVES)
def test_legal_text_is_left_alone(text):
    assert found(text) == []


def test_several_findings_in_order_of_position():
    text = "Cliënt (geb. 3 maart 1985, BSN 123456782) belde vanaf 06-12345678 over 1234 AB 12."
    assert found(text) == [
        ("birthdate", "3 maart 1985"),
        ("bsn", "123456782"),
        ("phone", "06-12345678"),
        ("address", "1234 AB 12"),
    ]
    assert find_personal_data(text)[1] == Finding("bsn", "een BSN", 31, 40)


def test_labels_are_dutch():
    text = "123456782 NL91ABNA0417164300 a@example.nl 0612345678 1234 AB 1 geb. 1-1-1990"
    assert {f.kind: f.label for f in find_personal_data(text)} == {
        "bsn": "een BSN",
        "iban": "een IBAN-rekeningnummer",
        "email": "een e-mailadres",
        "phone": "een telefoonnummer",
        "address": "een adres (postcode met huisnummer)",
        "birthdate": "een geboortedatum",
    }


# ------------------------------------------------------------------ the validator


def test_clean_text_passes():
    validate_no_personal_data("Huurder betwist de huurverhoging van 1-7-2025 (art. 7:253 BW).")
    validate_no_personal_data("")


def test_message_names_what_was_found_without_repeating_it():
    with translation.override("nl"), pytest.raises(ValidationError) as raised:
        validate_no_personal_data("BSN 123456782, bel 06-12345678 of 06-87654321")
    error = raised.value
    assert error.code == "personal_data"
    [message] = error.messages
    assert message.startswith(
        'Deze tekst bevat een BSN ("1234…") en een telefoonnummer ("06-12…").'
    )
    assert "Zet persoonsgegevens van de rechtzoekende alleen in de kluis" in message
    assert '"Identiteit rechtzoekende"' in message
    for identifier in ["123456782", "06-12345678", "06-87654321"]:
        assert identifier not in message


@pytest.mark.parametrize(
    ("text", "label", "identifier"),
    [
        ("rekening NL91ABNA0417164300", "een IBAN-rekeningnummer", "NL91ABNA0417164300"),
        ("mail jan.jansen@example.nl", "een e-mailadres", "jan.jansen@example.nl"),
        ("Kerkstraat 12, 1234 AB", "een adres (postcode met huisnummer)", "1234 AB"),
        ("geboren op 12-03-1985", "een geboortedatum", "12-03-1985"),
    ],
)
def test_message_per_kind(text, label, identifier):
    with translation.override("nl"), pytest.raises(ValidationError) as raised:
        validate_no_personal_data(text)
    [message] = raised.value.messages
    assert f"Deze tekst bevat {label} (" in message
    assert identifier not in message


def test_three_kinds_are_listed_with_commas_and_en():
    with translation.override("nl"), pytest.raises(ValidationError) as raised:
        validate_no_personal_data("a@example.nl, 0612345678 en 123456782")
    [message] = raised.value.messages
    assert 'een e-mailadres ("a@exa…"), een telefoonnummer ("0612…") en een BSN ("1234…")' in (
        message
    )


def test_model_and_form_hooks():
    assert validate_no_personal_data in PII_GUARD
    assert len(PII_GUARD) == 1

    class NoteForm(forms.Form):
        note = NoPersonalDataField(widget=forms.Textarea)

    with translation.override("nl"):
        form = NoteForm({"note": "bel 06-12345678"})
        assert not form.is_valid()
        assert "een telefoonnummer" in form.errors["note"][0]
        assert NoteForm({"note": "huurachterstand sinds 2024"}).is_valid()


# ------------------------------------------------------------------ redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "BSN 123456782, bel 06-12345678, IBAN NL91 ABNA 0417 1643 00.",
            "BSN [verwijderd: bsn], bel [verwijderd: phone], IBAN [verwijderd: iban].",
        ),
        (
            "Mail jan@example.nl; woont Kerkstraat 12, 1234 AB Utrecht; geb. 3 maart 1985.",
            "Mail [verwijderd: email]; woont [verwijderd: address] Utrecht; "
            "geb. [verwijderd: birthdate].",
        ),
        (
            "Brief van 3 maart 2024 over artikel 7:271 BW.",
            "Brief van 3 maart 2024 over artikel 7:271 BW.",
        ),
        ("", ""),
    ],
)
def test_redact(text, expected):
    assert redact(text) == expected
    assert find_personal_data(redact(text)) == []
