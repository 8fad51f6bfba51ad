"""Refuse free text that identifies a person.

Client identity lives only in the encrypted vault (the block "Identiteit rechtzoekende"); legal
analyses, notes and questions describe the problem. `validate_no_personal_data` is a Django
validator for those free-text fields::

    analysis = models.TextField(validators=PII_GUARD)
    notes = NoPersonalDataField(widget=forms.Textarea)

It detects BSNs (elfproef), IBANs (mod 97), e-mail addresses, Dutch phone numbers (not the
0800/090x service numbers or the 088 company range), a postcode with a house number, and a full
date near a birth word ("geboren", "geb.", "geboortedatum", "DOB", ...). It leaves alone what
legal text is full of: years, amounts, dates without a birth cue, article numbers ("artikel 7:271
BW"), ECLI identifiers and case numbers.

`find_personal_data` returns the findings with their positions; `redact` replaces them, e.g. to
scrub logs.

Names are the most common leak, and the hardest: `find_names` asks `deduce` (the rule-based
de-identification library for Dutch text of UMC Utrecht, with its own name lists). Because the
names of professionals (an advocaat, a UWV employee) may appear legitimately, a name is a warning
the user confirms (`NameCheckMixin` on every form with a guarded field), while the other kinds
stay refusals. deduce is loaded once per process, lazily (about 10 CPU-seconds; the very first
load after installing builds its lookup structures, which `make install` does once).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext, gettext_lazy, gettext_noop
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as stdnum_bsn

__all__ = [
    "PII_GUARD",
    "Finding",
    "NameCheckMixin",
    "NoPersonalDataField",
    "find_names",
    "find_personal_data",
    "is_valid_bsn",
    "is_valid_iban",
    "redact",
    "validate_no_personal_data",
]

# Dutch msgids, kept untranslated in Finding.label and translated when the message is built.
LABELS = {
    "bsn": gettext_noop("een BSN"),
    "iban": gettext_noop("een IBAN-rekeningnummer"),
    "email": gettext_noop("een e-mailadres"),
    "phone": gettext_noop("een telefoonnummer"),
    "address": gettext_noop("een adres (postcode met huisnummer)"),
    "birthdate": gettext_noop("een geboortedatum"),
    "name": gettext_noop("een naam"),
}


@dataclass(frozen=True)
class Finding:
    kind: str  # "bsn", "iban", "email", "phone", "address", "birthdate" or "name"
    label: str  # Dutch, e.g. "een BSN"
    start: int
    end: int


# ---------------------------------------------------------------------------- checksums


def is_valid_bsn(digits: str) -> bool:
    """Nine digits that pass the elfproef (python-stdnum), and not all zeros."""
    if len(digits) != 9 or not digits.isascii() or not digits.isdigit() or set(digits) == {"0"}:
        return False
    return stdnum_bsn.is_valid(digits)


def is_valid_iban(value: str) -> bool:
    """An IBAN with the length of its country and a valid mod-97 check (python-stdnum). The
    bank's own part is not checked: an unknown bank code is still someone's account number."""
    try:
        stdnum_iban.validate(re.sub(r"\s", "", value).upper(), check_country=False)
    except StdnumError:
        return False
    return True


# ---------------------------------------------------------------------------- patterns

# Characters users paste from word processors, mapped one-to-one so positions stay the same.
_NORMALISE = str.maketrans(
    {
        "\u00a0": " ",  # no-break space
        "\u2007": " ",  # figure space
        "\u202f": " ",  # narrow no-break space
        "\u2009": " ",  # thin space
        "\t": " ",
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # en dash
    }
)

# Not glued to a word, nor the tail of a number such as 1.123456782 or 12-0612345678.
_START = r"(?<!\w)(?<![0-9][.,:/-])"
# Not followed by more digits, directly or after one separator (decimals, case number suffixes).
_END = r"(?![0-9])(?![.,:/-][0-9])"

_BSN = re.compile(
    rf"""
    {_START}(?<![0-9][ ])[0-9]{{4}}([ .])[0-9]{{2}}\1[0-9]{{3}}{_END}(?![ ][0-9])  # 1234.56.782
    | {_START}(?<![0-9][ ])[0-9]{{3}}[ ][0-9]{{3}}[ ][0-9]{{3}}{_END}(?![ ][0-9])  # 123 456 782
    | {_START}[0-9]{{9}}{_END}  # 123456782
    """,
    re.VERBOSE,
)

# Groups of four with optional spaces; a trailing word that got caught is trimmed off later.
_IBAN = re.compile(
    r"(?<!\w)[A-Z]{2}[0-9]{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?(?!\w)", re.IGNORECASE
)

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@(?:[\w-]+\.)+[A-Za-z]{2,}(?![\w-])")

# A trunk prefix (0, +31, 0031, +31 (0), (0) and the digits after it, with single separators; the
# national number (nine digits) is cut out of the digit groups in _phones.
_PHONE = re.compile(
    rf"""
    {_START}(?<!\+)
    (?P<prefix>(?:\+|00)31[ ]?-?[ ]?(?:\(0\)[ ]?|0)? | \(0 | 0)
    (?P<body>[0-9](?:[0-9]|[ .)-]{{1,3}}(?=[0-9]))*)
    """,
    re.VERBOSE,
)
_PHONE_TWO_DIGIT_AREAS = frozenset(
    {"10", "13", "15", "20", "23", "24", "26", "30", "33", "35", "36", "38", "40", "43", "45"}
    | {"46", "50", "53", "55", "58", "70", "71", "72", "73", "74", "75", "76", "77", "78", "79"}
    | {"84", "85", "87", "88"}
)
# 0800 and 090x are service numbers, 088 is the company range.
_PHONE_NOT_PERSONAL = ("800", "88", "9")
_NUMERIC_DATE_START = re.compile(r"\(?[0-9]{1,2}([-./])[0-9]{1,2}\1(?:19|20)[0-9]{2}(?![0-9])")

_POSTCODE = r"[1-9][0-9]{3}(?:[ ]?[A-Z]{2}|[a-z]{2})(?!\w)"
_HOUSE_NUMBER = r"[0-9]{1,5}(?:-?[a-zA-Z](?!\w)|-[0-9]{1,4}(?![0-9]))?"
_ADDRESS = re.compile(
    rf"""
    (?<!\w)(?P<pc1>{_POSTCODE})[ ]*,?[ ]*(?:(?:nr|no)\.?[ ]?)?{_HOUSE_NUMBER}{_END}
    | (?:(?<!\w)[A-Z][\w'.-]*[ ]+)?{_START}{_HOUSE_NUMBER}[ ]*,?[ ]*(?P<pc2>{_POSTCODE})
    """,
    re.VERBOSE,
)

_MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "feb": 2, "february": 2,
    "maart": 3, "mrt": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "augustus": 8, "aug": 8, "august": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "okt": 10, "october": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE = re.compile(
    rf"""
    (?<![0-9])(?<![0-9][-./])
    (?:
        (?P<d>[0-9]{{1,2}})(?P<sep>[-/.])(?P<m>[0-9]{{1,2}})(?P=sep)(?P<y>[0-9]{{4}})
      | (?P<iy>[0-9]{{4}})-(?P<im>[0-9]{{1,2}})-(?P<id>[0-9]{{1,2}})
      | (?P<td>[0-9]{{1,2}})(?:e|ste|de)?[ ]+(?P<tm>{_MONTH_NAMES})\.?[ ]+(?P<ty>[0-9]{{4}})
    )
    (?![0-9])(?![-./][0-9])
    """,
    re.VERBOSE | re.IGNORECASE,
)
_BIRTH_CUE = re.compile(
    r"""(?<!\w)(?:
        geboren | geboorte\w* | geb\.?[ ]?datum | geb(?:\.|:|(?!\w))
      | d\.o\.b\.? | dob(?!\w) | born(?!\w) | date[ ]of[ ]birth | birth[ ]?date | birthday
    )""",
    re.VERBOSE | re.IGNORECASE,
)
_BIRTH_CUE_DISTANCE = 30
# A sentence or paragraph ends between cue and date: ! ? ; a blank line, or a full stop that
# does not close an abbreviation of one letter (d.d., o.a.).
_SENTENCE_BREAK = re.compile(r"[!?;]|(?<!\b\w)\.(?=\s|$)|\n[ ]*\n")

# Spans that look like numbers but are not personal data: nothing inside them is flagged.
_PROTECTED = re.compile(
    r"""
    ECLI:[A-Z]{2}:[A-Z0-9]{1,7}:[0-9]{4}:[A-Z0-9.]{1,25}
    | (?<!\w)(?:artikel(?:en)?|artt?\.|art(?!\w))[ ]*[0-9][0-9a-z:.]*
    | (?:€|(?<!\w)(?:eur|euro)(?!\w))[ ]*-?[ ]*[0-9][0-9.,]*
    | (?<!\w)(?:zaak|parket|rol|rekest)(?:nummer|nr\.?)s?[ ]*:?[ ]*[A-Z0-9][\w./-]*
    """,
    re.VERBOSE | re.IGNORECASE,
)


# ---------------------------------------------------------------------------- detectors

Span = tuple[int, int]


def _bsns(text: str) -> Iterator[Span]:
    for match in _BSN.finditer(text):
        if is_valid_bsn(re.sub(r"[ .]", "", match.group())):
            yield match.span()


def _ibans(text: str) -> Iterator[Span]:
    for match in _IBAN.finditer(text):
        candidate = match.group()
        # "BE68 5390 0754 7034 voor": drop trailing groups until the check passes.
        while len(re.sub(r" ", "", candidate)) >= 15:
            if is_valid_iban(candidate):
                yield match.start(), match.start() + len(candidate)
                break
            if " " not in candidate:
                break
            candidate = candidate.rsplit(" ", 1)[0]


def _emails(text: str) -> Iterator[Span]:
    for match in _EMAIL.finditer(text):
        yield match.span()


def _phones(text: str) -> Iterator[Span]:
    for match in _PHONE.finditer(text):
        body_start = match.start("body")
        groups = list(re.finditer(r"[0-9]+", match.group("body")))
        national, end = "", None
        for group in groups:
            national += group.group()
            if len(national) >= 9:
                end = body_start + group.end()
                break
        if end is None or len(national) != 9:
            continue  # too short, or part of a longer digit run
        separator = re.match(r"[^0-9]*", text[end : match.end()]).group()
        if separator and " " not in separator:
            continue  # 06-12345678-9 or 0612345678.5: more digits without a space between
        if national.startswith(("0", *_PHONE_NOT_PERSONAL)):
            continue
        if national[0] == "6":
            area = 1
        elif national[:2] in _PHONE_TWO_DIGIT_AREAS:
            area = 2
        else:
            area = 3
        if len(groups[0].group()) < area:
            continue  # an area code is written in one piece: 01-02-2025 12:30 is no number
        if match.group("prefix").lstrip("(") == "0" and _NUMERIC_DATE_START.match(
            text, match.start()
        ):
            continue  # 06-12-2025 14:30
        yield match.start(), end


def _addresses(text: str) -> Iterator[Span]:
    for match in _ADDRESS.finditer(text):
        postcode = re.sub(r"[0-9 ]", "", match.group("pc1") or match.group("pc2")).upper()
        if postcode not in {"SA", "SD", "SS"}:  # letter pairs no postcode uses
            yield match.span()


def _birthdates(text: str) -> Iterator[Span]:
    cues = [cue.span() for cue in _BIRTH_CUE.finditer(text)]
    if not cues:
        return
    for match in _DATE.finditer(text):
        if _parse_date(match) is None:
            continue
        start, end = match.span()
        for cue_start, cue_end in cues:
            if cue_end <= start:
                gap = text[cue_end:start]
            elif end <= cue_start:
                gap = text[end:cue_start]
            else:
                continue
            if len(gap) <= _BIRTH_CUE_DISTANCE and not _SENTENCE_BREAK.search(gap):
                yield start, end
                break


def _parse_date(match: re.Match[str]) -> date | None:
    if match.group("d"):
        parts = match.group("y", "m", "d")
    elif match.group("iy"):
        parts = match.group("iy", "im", "id")
    else:
        parts = (match.group("ty"), _MONTHS[match.group("tm").lower()], match.group("td"))
    try:
        return date(*(int(part) for part in parts))
    except ValueError:
        return None


# In this order a finding wins over an equally long one of a later kind.
_DETECTORS: dict[str, Callable[[str], Iterator[Span]]] = {
    "iban": _ibans,
    "email": _emails,
    "bsn": _bsns,
    "birthdate": _birthdates,
    "address": _addresses,
    "phone": _phones,
}


# ---------------------------------------------------------------------------- API


def find_personal_data(text: str) -> list[Finding]:
    """Every personal identifier in `text`, in order of position, without overlaps."""
    if not text:
        return []
    text = text.translate(_NORMALISE)
    protected = [match.span() for match in _PROTECTED.finditer(text)]
    candidates = [
        (start, end, priority, kind)
        for priority, (kind, detect) in enumerate(_DETECTORS.items())
        for start, end in detect(text)
        if not any(start < p_end and p_start < end for p_start, p_end in protected)
    ]
    # The longest candidate wins an overlap; ties go to the kind listed first in _DETECTORS.
    chosen: list[Finding] = []
    for start, end, _priority, kind in sorted(candidates, key=lambda c: (c[0] - c[1], c[2])):
        if not any(start < f.end and f.start < end for f in chosen):
            chosen.append(Finding(kind=kind, label=LABELS[kind], start=start, end=end))
    return sorted(chosen, key=lambda f: f.start)


def _hint(text: str) -> str:
    """The first four letters or digits (and what lies between them), to find the match by."""
    seen = 0
    for index, char in enumerate(text):
        seen += char.isalnum()
        if seen == 4:
            return text[: index + 1]
    return text[:1]


def validate_no_personal_data(value: str) -> None:
    """Django validator: raises ValidationError (code="personal_data") naming what was found.

    E.g. 'Deze tekst bevat een BSN ("1234…") en een telefoonnummer ("06-12…"). Zet
    persoonsgegevens van de rechtzoekende alleen in de kluis (het blok "Identiteit
    rechtzoekende"); beschrijf hier alleen het juridische probleem.'
    """
    text = "" if value is None else str(value)
    findings = find_personal_data(text)
    if not findings:
        return
    first_of_kind: dict[str, Finding] = {}
    for finding in findings:
        first_of_kind.setdefault(finding.kind, finding)
    items = [
        gettext('%(label)s ("%(hint)s…")')
        % {"label": gettext(f.label), "hint": _hint(text[f.start : f.end])}
        for f in first_of_kind.values()
    ]
    found = items[0]
    if len(items) > 1:
        found = gettext("%(items)s en %(last)s") % {
            "items": ", ".join(items[:-1]),
            "last": items[-1],
        }
    raise ValidationError(
        gettext(
            "Deze tekst bevat %(found)s. Zet persoonsgegevens van de rechtzoekende alleen in de "
            'kluis (het blok "Identiteit rechtzoekende"); beschrijf hier alleen het juridische '
            "probleem."
        ),
        code="personal_data",
        params={"found": found},
    )


PII_GUARD = [validate_no_personal_data]
"""For model fields: `models.TextField(validators=PII_GUARD)`."""


class NoPersonalDataField(forms.CharField):
    """A form CharField that refuses personal data (e.g. with widget=forms.Textarea)."""

    default_validators = PII_GUARD


def redact(text: str) -> str:
    """`text` with every finding replaced by "[verwijderd: <kind>]" (e.g. to scrub logs)."""
    for finding in reversed(find_personal_data(text)):
        text = f"{text[: finding.start]}[verwijderd: {finding.kind}]{text[finding.end :]}"
    return text


# ---------------------------------------------------------------------------- names

_deduce = None
_deduce_lock = threading.Lock()
# deduce's tags for a person; its other kinds (places, institutions, dates…) are either caught
# above or are no personal data here ("gemeente Utrecht").
_PERSON_TAGS = ("persoon", "patient")


def load_name_finder() -> None:
    """Load deduce now (at a process's start), not in the first request that needs it."""
    _deducer()


def _deducer():
    global _deduce
    if _deduce is None:
        with _deduce_lock:
            if _deduce is None:
                from deduce import Deduce

                _deduce = Deduce()
    return _deduce


def find_names(text: str) -> list[Finding]:
    """Spans of `text` that look like a person's name ("Mevrouw Fatima el Amrani", "Dhr.
    Jansen"), found by deduce."""
    if not text or not any(char.isupper() for char in text):
        return []  # a name is written with a capital: no need to ask deduce
    document = _deducer().deidentify(text.translate(_NORMALISE))
    return [
        Finding(kind="name", label=LABELS["name"], start=a.start_char, end=a.end_char)
        for a in sorted(document.annotations, key=lambda a: a.start_char)
        if a.tag.startswith(_PERSON_TAGS)
    ]


def is_guarded(form: forms.Form, name: str) -> bool:
    """Does this field of the form refuse personal data (on the form or on its model field)?"""
    field = form.fields[name]
    if validate_no_personal_data in field.validators:
        return True
    model = getattr(getattr(form, "_meta", None), "model", None)
    if model is None:
        return False
    try:
        return validate_no_personal_data in model._meta.get_field(name).validators
    except FieldDoesNotExist:  # a form field of its own
        return False


class NameCheckMixin:
    """For every form with free text that refuses personal data: text that looks like it names
    a person is not refused but questioned. The form then shows a check box; once the user
    confirms that the name is not the client's (an advocaat, a civil servant), it is saved."""

    names_confirmed_label = gettext_lazy(
        "Ik heb het gecontroleerd: dit is geen naam van de rechtzoekende"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["names_confirmed"] = forms.BooleanField(
            label=self.names_confirmed_label, required=False, widget=forms.HiddenInput
        )
        self.names_found = False

    def clean(self):
        data = super().clean()
        # the answer steers this check only: services get the form's own fields
        if data.pop("names_confirmed", False):
            return data
        for name in list(self.fields):
            value = data.get(name)
            if not isinstance(value, str) or name in self.errors or not is_guarded(self, name):
                continue
            if names := find_names(value):
                self.names_found = True
                hint = _hint(value[names[0].start : names[0].end])
                self.add_error(
                    name,
                    ValidationError(
                        gettext(
                            'Dit lijkt een naam te bevatten ("%(hint)s…"). Namen van de '
                            'rechtzoekende horen alleen in de kluis (het blok "Identiteit '
                            'rechtzoekende"). Is het de naam van iemand anders, zoals een '
                            "advocaat of een medewerker van een instantie? Vink dat dan "
                            "hieronder aan en sla opnieuw op."
                        ),
                        code="possible_name",
                        params={"hint": hint},
                    ),
                )
        if self.names_found:
            self.fields["names_confirmed"].widget = forms.CheckboxInput()
        return data
