"""The client identity vault: Fernet encryption with key rotation and the keyed identity hash."""

from __future__ import annotations

import base64
import datetime
import json

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from cases.vault import (
    Identity,
    VaultError,
    decrypt_identity,
    encrypt_identity,
    identity_hash,
    name_hash,
    normalise_name,
    reencrypt,
)

BIRTH = datetime.date(1980, 5, 17)
RECORD = {
    "full_name": "Piet Jánsen",
    "birth_date": "1980-05-17",
    "phone": "06-12345678",
    "email": "piet.jansen@example.nl",
    "street_address": "Oudegracht 123",
    "postcode": "3511 AB",
    "city": "Utrecht",
}
PLAINTEXT_FRAGMENTS = ["Piet", "Jánsen", "Jansen", "12345678", "piet.jansen", "Oudegracht", "3511"]


def key() -> str:
    return Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def vault_settings(settings):
    settings.IDENTITY_ENCRYPTION_KEYS = [key()]
    settings.IDENTITY_HASH_KEY = "test-identity-hash-key-" + key()
    return settings


def assert_no_plaintext(text: str) -> None:
    for fragment in PLAINTEXT_FRAGMENTS:
        assert fragment.casefold() not in text.casefold()


def flip_byte(token: str, index: int) -> str:
    raw = bytearray(base64.urlsafe_b64decode(token))
    raw[index] ^= 0x01
    return base64.urlsafe_b64encode(bytes(raw)).decode()


# ---------------------------------------------------------------- encryption


def test_round_trip():
    token = encrypt_identity(RECORD)
    assert isinstance(token, str)
    assert decrypt_identity(token) == RECORD


def test_round_trip_through_identity():
    identity = Identity.from_dict(RECORD)
    assert identity.birth_date == BIRTH
    assert Identity.from_dict(decrypt_identity(encrypt_identity(identity.to_dict()))) == identity


def test_token_contains_no_plaintext():
    token = encrypt_identity(RECORD)
    assert_no_plaintext(token)
    assert_no_plaintext(base64.urlsafe_b64decode(token).decode("latin-1"))


def test_two_encryptions_differ():
    assert encrypt_identity(RECORD) != encrypt_identity(RECORD)


def test_plaintext_is_json_with_sorted_keys(settings):
    token = encrypt_identity({"b": "2", "a": "1"})
    plaintext = Fernet(settings.IDENTITY_ENCRYPTION_KEYS[0]).decrypt(token.encode()).decode()
    assert list(json.loads(plaintext)) == ["a", "b"]


def test_encrypt_rejects_non_strings_without_naming_the_value():
    with pytest.raises(TypeError) as excinfo:
        encrypt_identity({"full_name": "Piet Jansen", "birth_date": BIRTH})  # type: ignore[dict-item]
    assert "1980" not in str(excinfo.value)
    assert_no_plaintext(str(excinfo.value))


def test_key_rotation(settings):
    key_a, key_b = key(), key()
    settings.IDENTITY_ENCRYPTION_KEYS = [key_a]
    old_token = encrypt_identity(RECORD)

    settings.IDENTITY_ENCRYPTION_KEYS = [key_b, key_a]
    assert decrypt_identity(old_token) == RECORD
    new_token = reencrypt(old_token)
    assert new_token != old_token
    # New writes use the newest key.
    fresh_token = encrypt_identity(RECORD)

    settings.IDENTITY_ENCRYPTION_KEYS = [key_b]
    assert decrypt_identity(new_token) == RECORD
    assert decrypt_identity(fresh_token) == RECORD
    with pytest.raises(VaultError):
        decrypt_identity(old_token)
    with pytest.raises(VaultError):
        reencrypt(old_token)


def test_keys_as_comma_separated_string(settings):
    key_a, key_b = key(), key()
    settings.IDENTITY_ENCRYPTION_KEYS = [key_a]
    token = encrypt_identity(RECORD)
    settings.IDENTITY_ENCRYPTION_KEYS = f"{key_b}, {key_a}"
    assert decrypt_identity(token) == RECORD


@pytest.mark.parametrize("index", [0, 5, 30, -40, -1])  # version, timestamp, IV/ciphertext, HMAC
def test_tampered_token_raises_vault_error(index):
    token = encrypt_identity(RECORD)
    with pytest.raises(VaultError) as excinfo:
        decrypt_identity(flip_byte(token, index))
    assert_no_plaintext(str(excinfo.value))


@pytest.mark.parametrize("token", ["", "not a token", "gAAAAA", "é" * 20, "x" * 200])
def test_garbage_token_raises_vault_error(token):
    with pytest.raises(VaultError):
        decrypt_identity(token)
    with pytest.raises(VaultError):
        reencrypt(token)


@pytest.mark.parametrize("token", [None, b"gAAAAA", 42])
def test_non_str_token_raises_vault_error(token):
    with pytest.raises(VaultError):
        decrypt_identity(token)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "plaintext",
    [
        b"Piet Jansen 1980-05-17",  # not JSON
        b"\xffPiet Jansen",  # not UTF-8
        json.dumps(["Piet Jansen"]).encode(),  # not a dict
        json.dumps({"full_name": "Piet Jansen", "phone": 612345678}).encode(),  # not all str
    ],
)
def test_token_without_identity_record_leaks_no_plaintext(settings, plaintext):
    token = Fernet(settings.IDENTITY_ENCRYPTION_KEYS[0]).encrypt(plaintext).decode()
    with pytest.raises(VaultError) as excinfo:
        decrypt_identity(token)
    assert_no_plaintext(str(excinfo.value))
    assert excinfo.value.__cause__ is None
    assert excinfo.value.__context__ is None


# ---------------------------------------------------------------- keyed hash


@pytest.mark.parametrize(
    "variant",
    [
        "Jansen, Piet",
        "piet jansen",
        "Piet  Jánsen",
        "  PIET\tJANSEN ",
        "Jansen,Piet",
        "Ｐｉｅｔ Ｊａｎｓｅｎ",  # fullwidth, NFKD
        "Piet Jansen.",
    ],
)
def test_hash_equal_for_normalisation_variants(variant):
    expected = identity_hash(name="Piet Jansen", birth_date=BIRTH)
    assert identity_hash(name=variant, birth_date=BIRTH) == expected


def test_normalise_name():
    assert normalise_name("Jansen, Piet") == "jansen piet"
    assert normalise_name("Piet  Jánsen") == "jansen piet"
    assert normalise_name("Ødegård-Strauß") == "odegard strauss"
    assert normalise_name("D'Souza") == normalise_name("DSouza") == "dsouza"
    assert normalise_name("Zoë Çelik") == "celik zoe"
    assert normalise_name(" 123, -- ") == ""


def test_hash_is_hex_sha256():
    digest = identity_hash(name="Piet Jansen", birth_date=BIRTH)
    assert len(digest) == 64
    int(digest, 16)


def test_hash_differs_for_different_birth_dates():
    name = "Piet Jansen"
    hashes = {
        identity_hash(name=name, birth_date=BIRTH),
        identity_hash(name=name, birth_date=datetime.date(1980, 5, 18)),
        identity_hash(name=name, birth_date=None),
    }
    assert len(hashes) == 3


def test_hash_differs_for_different_names():
    hashes = {
        identity_hash(name=name, birth_date=BIRTH)
        for name in ["Piet Jansen", "Pieter Jansen", "Piet Janssen", "Piet", "Jan Pietsen"]
    }
    assert len(hashes) == 5


def test_hash_differs_when_hash_key_differs(settings):
    first = identity_hash(name="Piet Jansen", birth_date=BIRTH)
    settings.IDENTITY_HASH_KEY = "another-hash-key"
    assert identity_hash(name="Piet Jansen", birth_date=BIRTH) != first


def test_hash_does_not_depend_on_encryption_keys(settings):
    first = identity_hash(name="Piet Jansen", birth_date=BIRTH)
    settings.IDENTITY_ENCRYPTION_KEYS = [key()]
    assert identity_hash(name="Piet Jansen", birth_date=BIRTH) == first


def test_hash_does_not_contain_the_name():
    digest = identity_hash(name="Piet Jansen", birth_date=BIRTH)
    for fragment in ["piet", "jansen", "1980"]:
        assert fragment not in digest.casefold()


@pytest.mark.parametrize("name", ["", "   ", "123", ", - ."])
def test_empty_name_has_no_hash(name):
    assert identity_hash(name=name, birth_date=BIRTH) == ""
    assert identity_hash(name=name, birth_date=None) == ""


# ---------------------------------------------------------------- settings


def test_name_hash_is_of_the_normalised_name_alone():
    assert name_hash("Piet Jánsen") == name_hash("jansen,  PIET") != name_hash("Klaas Jansen")
    assert len(name_hash("Piet Jansen")) == 64
    assert "jansen" not in name_hash("Piet Jansen")


def test_name_hash_never_equals_an_identity_hash():
    """Another domain under the same key: a name hash can't be taken for an identity hash of
    someone registered without a date of birth."""
    assert name_hash("Piet Jansen") != identity_hash(name="Piet Jansen", birth_date=None)


def test_name_hash_depends_on_the_hash_key(settings):
    before = name_hash("Piet Jansen")
    settings.IDENTITY_HASH_KEY = "een-andere-sleutel"
    assert name_hash("Piet Jansen") != before


@pytest.mark.parametrize("name", ["", "  ", "123", "--"])
def test_an_empty_name_has_no_name_hash(name):
    assert name_hash(name) == ""


def test_missing_encryption_keys(settings):
    del settings.IDENTITY_ENCRYPTION_KEYS
    for call in (lambda: encrypt_identity(RECORD), lambda: decrypt_identity("x")):
        with pytest.raises(ImproperlyConfigured, match="IDENTITY_ENCRYPTION_KEYS"):
            call()


@pytest.mark.parametrize("value", [[], "", None, ["  "]])
def test_empty_encryption_keys(settings, value):
    settings.IDENTITY_ENCRYPTION_KEYS = value
    with pytest.raises(ImproperlyConfigured, match="IDENTITY_ENCRYPTION_KEYS"):
        encrypt_identity(RECORD)


def test_malformed_encryption_key_is_named_by_setting_not_value(settings):
    bad = "not-a-fernet-key-but-secret"
    settings.IDENTITY_ENCRYPTION_KEYS = [key(), bad]
    with pytest.raises(ImproperlyConfigured, match="IDENTITY_ENCRYPTION_KEYS") as excinfo:
        encrypt_identity(RECORD)
    assert bad not in str(excinfo.value)
    assert excinfo.value.__cause__ is None


def test_missing_hash_key(settings):
    del settings.IDENTITY_HASH_KEY
    with pytest.raises(ImproperlyConfigured, match="IDENTITY_HASH_KEY"):
        identity_hash(name="Piet Jansen", birth_date=BIRTH)


@pytest.mark.parametrize("value", ["", "   ", None, b"bytes-key"])
def test_empty_hash_key(settings, value):
    settings.IDENTITY_HASH_KEY = value
    with pytest.raises(ImproperlyConfigured, match="IDENTITY_HASH_KEY"):
        identity_hash(name="Piet Jansen", birth_date=BIRTH)


def test_hash_key_must_not_be_an_encryption_key(settings):
    settings.IDENTITY_HASH_KEY = settings.IDENTITY_ENCRYPTION_KEYS[0]
    with pytest.raises(ImproperlyConfigured, match="IDENTITY_HASH_KEY") as excinfo:
        identity_hash(name="Piet Jansen", birth_date=BIRTH)
    assert settings.IDENTITY_HASH_KEY not in str(excinfo.value)


# ---------------------------------------------------------------- Identity


def test_identity_defaults_and_is_empty():
    assert Identity().is_empty()
    assert Identity(full_name="  ", city="").is_empty()
    assert not Identity(city="Utrecht").is_empty()
    assert not Identity(birth_date=BIRTH).is_empty()


def test_identity_is_frozen():
    identity = Identity(full_name="Piet Jansen")
    with pytest.raises(AttributeError):
        identity.full_name = "Klaas"  # type: ignore[misc]


def test_identity_to_dict():
    assert Identity(full_name="Piet Jansen", birth_date=BIRTH).to_dict() == {
        "full_name": "Piet Jansen",
        "birth_date": "1980-05-17",
        "phone": "",
        "email": "",
        "street_address": "",
        "postcode": "",
        "city": "",
    }
    assert Identity().to_dict()["birth_date"] == ""


def test_identity_from_dict():
    assert Identity.from_dict({}) == Identity()
    assert Identity.from_dict({"birth_date": ""}) == Identity()
    assert Identity.from_dict({"full_name": "Piet", "birth_date": "1980-05-17"}) == Identity(
        full_name="Piet", birth_date=BIRTH
    )
    assert Identity.from_dict(Identity.from_dict(RECORD).to_dict()).to_dict() == RECORD


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"birth_date": "17-05-1980"}, ValueError),
        ({"nickname": "Pietje"}, ValueError),
        ({"full_name": None}, TypeError),
    ],
)
def test_identity_from_dict_rejects_bad_data(data, error):
    with pytest.raises(error) as excinfo:
        Identity.from_dict(data)
    assert "1980" not in str(excinfo.value)
    assert "Pietje" not in str(excinfo.value)


def test_rotate_identity_keys_command_reencrypts_the_vault(db, settings, anna, orgs_utrecht):
    from io import StringIO

    from django.core.management import call_command

    from cases.models import ClientIdentity, LegalArea
    from cases.services.cases import SubProblemData, case_register, identity_set
    from cases.vault import Identity, decrypt_identity

    old = Fernet.generate_key().decode()
    settings.IDENTITY_ENCRYPTION_KEYS = [old]
    case = case_register(
        user=anna,
        organisation=orgs_utrecht["loket"],
        data={},
        subproblems=[SubProblemData(legal_area=LegalArea.objects.get(slug="huurrecht"))],
    )
    identity_set(user=anna, case=case, identity=Identity(full_name="Roos Roteer"))
    new = Fernet.generate_key().decode()
    settings.IDENTITY_ENCRYPTION_KEYS = [new, old]
    out = StringIO()
    call_command("rotate_identity_keys", stdout=out)
    assert "1 identiteiten" in out.getvalue()
    settings.IDENTITY_ENCRYPTION_KEYS = [new]  # the old key can go now
    assert (
        decrypt_identity(ClientIdentity.objects.get(case=case).encrypted)["full_name"]
        == "Roos Roteer"
    )


def test_rotate_identity_keys_rehashes_after_a_new_hash_key(db, settings, anna, orgs_utrecht):
    from io import StringIO

    from django.core.management import call_command

    from cases import vault
    from cases.models import ClientIdentity, LegalArea
    from cases.services.cases import SubProblemData, case_register, identity_set
    from cases.vault import Identity

    case = case_register(
        user=anna,
        organisation=orgs_utrecht["loket"],
        data={},
        subproblems=[SubProblemData(legal_area=LegalArea.objects.get(slug="huurrecht"))],
    )
    born = datetime.date(1980, 5, 17)
    identity_set(user=anna, case=case, identity=Identity(full_name="Roos Roteer", birth_date=born))
    settings.IDENTITY_HASH_KEY = "een-nieuwe-sleutel-na-een-lek"
    record = ClientIdentity.objects.get(case=case)
    assert record.identity_hash != vault.identity_hash(name="Roos Roteer", birth_date=born)

    call_command("rotate_identity_keys", "--rehash", stdout=StringIO())

    record.refresh_from_db()
    assert record.identity_hash == vault.identity_hash(name="Roos Roteer", birth_date=born)
    assert record.name_hash == vault.name_hash("Roos Roteer")
