"""Translations: the English catalogue of our (Dutch) strings, and the hand-kept Dutch one for
third-party msgids whose Dutch the installed packages miss.

No gettext tools are needed: the .po files are parsed here and the committed .mo files are read
with the standard library.
"""

from __future__ import annotations

import ast
import gettext
import importlib.util
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import translation

from accounts.models import User

LOCALE = Path(settings.BASE_DIR) / "locale"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
NL_PO = LOCALE / "nl" / "LC_MESSAGES" / "django.po"
CATALOGUES = [EN_PO, NL_PO]


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # index -> text; 0 for singular
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"

    def __str__(self) -> str:
        return repr(self.msgid)


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader: msgctxt, msgid(_plural), msgstr[n], flags and references.

    Returns every entry, the header (msgid "") included; obsolete (#~) entries are skipped.
    """
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None

    def finish():
        nonlocal entry, target
        if entry is not None and target is not None:
            entries.append(entry)
        entry, target = None, None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if entry is None:
            entry = Entry()
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#:"):
            entry.references.extend(line[2:].split())
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert target is not None, f"{path}: continuation line without a keyword: {raw!r}"
            _append(entry, target, ast.literal_eval(line))
        else:
            match = re.fullmatch(
                r'(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")', line
            )
            assert match, f"{path}: can't read line {raw!r}"
            keyword, index, text = match.groups()
            target = (keyword, int(index or 0))
            if keyword == "msgstr":
                entry.msgstr[target[1]] = ""
            elif keyword != "msgid":
                setattr(entry, keyword, "")
            _append(entry, target, ast.literal_eval(text))
    finish()
    return entries


def _append(entry: Entry, target: tuple[str, int], text: str) -> None:
    keyword, index = target
    if keyword == "msgstr":
        entry.msgstr[index] += text
    else:
        setattr(entry, keyword, getattr(entry, keyword) + text)


def messages(path: Path) -> list[Entry]:
    return [e for e in parse_po(path) if e.msgid]


def placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]", text))


# ------------------------------------------------------------------ the .po files themselves


def test_parser_reads_both_catalogues():
    en, nl = messages(EN_PO), messages(NL_PO)
    assert len(en) > 100
    assert any(e.msgid == "Inloggen" and e.msgstr == {0: "Sign in"} for e in en)
    assert any(e.msgid_plural and len(e.msgstr) == 2 for e in nl)


def test_every_english_entry_is_translated_and_none_is_fuzzy():
    entries = parse_po(EN_PO)
    fuzzy = [str(e) for e in entries if "fuzzy" in e.flags]  # the header counts too
    empty = [str(e) for e in entries if e.msgid and not all(e.msgstr.values())]
    assert not fuzzy, f"fuzzy entries in {EN_PO}: {fuzzy}"
    assert not empty, f"untranslated entries in {EN_PO}: {empty}"


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_placeholders_are_kept(po):
    wrong = []
    for e in messages(po):
        sources = [e.msgid] if e.msgid_plural is None else [e.msgid, e.msgid_plural]
        for index, text in e.msgstr.items():
            source = sources[min(index, len(sources) - 1)]
            if placeholders(text) != placeholders(source) and not (
                # a singular form may spell out "1" instead of %d
                e.msgid_plural
                and index == 0
                and set(placeholders(text)) <= set(placeholders(source))
            ):
                wrong.append((e.msgid, text))
    assert not wrong


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_compiled_catalogue_matches_the_po(po):
    """The committed .mo holds exactly the .po's translations (run `make messages` if not)."""
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run `make messages`"
    with mo.open("rb") as fp:
        compiled = gettext.GNUTranslations(fp)
    expected = {}
    for e in messages(po):
        if e.msgid_plural is None:
            expected[e.key] = e.msgstr[0]
        else:
            for index, text in e.msgstr.items():
                expected[(e.key, index)] = text
    actual = {key: text for key, text in compiled._catalog.items() if key != ""}
    assert actual == expected, f"{mo} is out of date with {po}: run `make messages`"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_msgfmt_accepts_the_po(po, tmp_path):
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


# ------------------------------------------------------------------ the hand-kept Dutch catalogue


def _package_nl_catalogues() -> list[dict]:
    site_packages = Path(importlib.util.find_spec("django").origin).parent.parent
    catalogues = []
    for package in ("django", "allauth"):
        for mo in (site_packages / package).rglob("locale/nl/LC_MESSAGES/django.mo"):
            with mo.open("rb") as fp:
                catalogues.append(gettext.GNUTranslations(fp)._catalog)
    return catalogues


# Addressing the user informally; the product says "u" everywhere.
JE_FORM = re.compile(r"\b(je|jij|jou|jouw|jezelf)\b", re.IGNORECASE)


def _occurs_in(msgid: str, source: str) -> bool:
    """The msgid as written in the source: in Python as it is, in a template's blocktranslate
    with `{{ name }}` where the msgid has `%(name)s`."""
    pattern = "".join(
        rf"(?:%\({re.escape(name)}\)s|\{{\{{\s*{re.escape(name)}\s*\}}\}})"
        if name
        else re.escape(text)
        for text, name in _split_placeholders(msgid)
    )
    return re.search(pattern, source) is not None


def _split_placeholders(msgid: str) -> list[tuple[str, str]]:
    parts = re.split(r"%\((\w+)\)s", msgid)
    return [(part, "") if i % 2 == 0 else ("", part) for i, part in enumerate(parts)]


def test_dutch_catalogue_holds_only_third_party_msgids_that_still_need_it():
    """An entry either translates what the packages leave English, or says "u" where the
    package's own Dutch says "je"; either kind is dropped once the package no longer needs it."""
    ours = {e.msgid for e in messages(EN_PO)}
    site_packages = Path(importlib.util.find_spec("django").origin).parent.parent
    package_catalogues = _package_nl_catalogues()
    assert len(package_catalogues) > 5
    for e in messages(NL_PO):
        assert e.msgid not in ours, f"{e} is one of our own (Dutch) msgids"
        key = e.key if e.msgid_plural is None else (e.key, 0)
        theirs = [catalogue[key] for catalogue in package_catalogues if key in catalogue]
        assert not theirs or any(JE_FORM.search(text) for text in theirs), (
            f"{e}: the package's own nl catalogue translates it now; drop it from {NL_PO}"
        )
        assert not any(JE_FORM.search(text) for text in e.msgstr.values()), (
            f'{e}: our Dutch says "u", never "je"'
        )
        assert e.references, f"{e}: say where the msgid comes from (#: package/path.py)"
        for reference in e.references:
            source = (site_packages / reference.split(":")[0]).read_text(encoding="utf-8")
            assert _occurs_in(e.msgid, source), (
                f"{e} no longer occurs in {reference}: drop or update it"
            )


def test_the_placeholder_match_reads_templates_and_python():
    assert _occurs_in("Signed in as %(name)s.", "{% blocktrans %}Signed in as {{name}}.{% end")
    assert _occurs_in("Signed in as %(name)s.", "_('Signed in as %(name)s.')")
    assert not _occurs_in("Signed in as %(name)s.", "Signed in as {{ user }}.")


def test_our_dutch_msgids_are_not_translated_by_other_catalogues():
    """A Dutch msgid that equals an English one in a package's nl catalogue would be replaced."""
    with translation.override("nl"):
        changed = [
            e.msgid
            for e in messages(EN_PO)
            if e.msgid_plural is None and translation.gettext(e.msgid) != e.msgid
        ]
    assert not changed


def test_our_english_catalogue_leaves_third_party_english_alone():
    """A Dutch msgid that is also an English one (e.g. "Code") must stay itself in English."""
    third_party = set().union(*_package_nl_catalogues())
    changed = [
        (e.msgid, e.msgstr[0])
        for e in messages(EN_PO)
        if e.msgid_plural is None and e.key in third_party and e.msgstr[0] != e.msgid
    ]
    assert not changed


# ------------------------------------------------------------------ what users see


def _allauth_pages() -> list[str]:
    """Every allauth page without arguments, from the URL resolver."""
    pages = set()
    for name in get_resolver().reverse_dict:
        if isinstance(name, str) and name.startswith(("account_", "mfa_")):
            try:
                pages.add(reverse(name))
            except NoReverseMatch:
                continue
    return sorted(pages)


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", " ", html)


def test_allauth_pages_say_u_not_je(client, anna):
    pages = _allauth_pages()
    assert "/accounts/logout/" in pages and "/accounts/password/reset/" in pages
    informal = {}
    for signed_in in (False, True):
        if signed_in:
            client.force_login(anna)
        for url in pages:
            response = client.get(url)
            if response.status_code == 200 and "text/html" in response["Content-Type"]:
                found = JE_FORM.findall(_visible_text(response.content.decode()))
                if found:
                    informal[(url, signed_in)] = found
    assert informal == {}


def test_allauth_messages_and_mails_say_u(anna):
    from allauth.account.adapter import DefaultAccountAdapter

    with translation.override("nl"):
        texts = [
            render_to_string("account/messages/logged_in.txt", {"user": anna, "name": "Anna"}),
            render_to_string("account/messages/logged_out.txt"),
            render_to_string(
                "account/email/password_reset_key_message.txt",
                {"user": anna, "password_reset_url": "https://x/", "current_site": "pilot"},
            ),
            str(DefaultAccountAdapter.error_messages["email_password_mismatch"]),
            str(DefaultAccountAdapter.error_messages["too_many_login_attempts"]),
        ]
    assert "U bent ingelogd als" in texts[0]
    assert not [text for text in texts if JE_FORM.search(text)]


def test_login_page_is_dutch_by_default(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert '<html lang="nl">' in response.text
    assert "Inloggen" in response.text
    assert "Sign in" not in response.text


def test_login_page_is_english_with_the_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.text
    assert "Sign in" in response.text
    assert "Sign in with your email address and password." in response.text
    assert "Inloggen" not in response.text


def test_password_validation_speaks_dutch():
    with translation.override("nl"), pytest.raises(ValidationError) as raised:
        password_validation.validate_password("kort")
    assert any("te kort" in message for message in raised.value.messages), raised.value.messages
    assert not any("too short" in message for message in raised.value.messages)


def test_minimum_length_message_has_singular_and_plural():
    with translation.override("nl"):
        assert (
            password_validation.MinimumLengthValidator(1).get_error_message().endswith("1 teken.")
        )
        assert (
            password_validation.MinimumLengthValidator(12)
            .get_error_message()
            .endswith("12 tekens.")
        )


def _validator_texts() -> list[str]:
    user = User(email="anna@example.org", full_name="Anna de Wit")
    texts = list(password_validation.password_validators_help_texts())
    for password in ["kort", "password", "123456789012345", "anna@example.org"]:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            texts.extend(exc.messages)
    form = SetPasswordForm(user, {"new_password1": "een-lang-wachtwoord-1", "new_password2": "x"})
    form.is_valid()
    texts.extend(form.errors["new_password2"])
    texts.extend(str(f.label) for f in form.fields.values())
    texts.extend(str(f.help_text) for f in form.fields.values() if f.help_text)
    return texts


def test_every_password_validator_and_set_password_message_is_dutch():
    with translation.override("en"):
        english = _validator_texts()
    with translation.override("nl"):
        dutch = _validator_texts()
    assert len(english) == len(dutch) >= 12
    untranslated = [text for text, source in zip(dutch, english, strict=True) if text == source]
    assert not untranslated


def test_allauth_error_messages_are_dutch():
    """Wrong password, too many attempts, incorrect or reused code, and the rest."""
    from allauth.account.adapter import DefaultAccountAdapter
    from allauth.mfa.adapter import DefaultMFAAdapter

    untranslated = []
    for adapter in (DefaultAccountAdapter, DefaultMFAAdapter):
        for name, message in adapter.error_messages.items():
            with translation.override("en"):
                english = str(message)
            with translation.override("nl"):
                dutch = str(message)
            if dutch == english:
                untranslated.append(f"{adapter.__name__}.error_messages[{name!r}]: {english}")
    assert "email_password_mismatch" in DefaultAccountAdapter.error_messages
    assert not untranslated
