"""Secrets never reach an output: `secrets.mask` on its own, and `explain` with secrets planted in
every input kind (in the message, in the request that failed, in the lines around it)."""

import json

import pytest

from azext_sig_doctor import secrets
from azext_sig_doctor.explain import explain_text, render
from tests.test_explain_matrix import KINDS

JWT = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJ0aWQiOiJwbGFudGVkIn0.UGxhbnRlZFNpZ25hdHVyZQ"
PLANTED = {
    "sas": "PlantedSasSig%2Bxyz%3D",
    "password": "Pl4nted!Passw0rd",
    "secret": "PlantedClientSecret~123",
    "custom": "I2Nsb3VkLWNvbmZpZwpwbGFudGVk",
    "key_body": "MIIEowIBAAKCAQEAplanted",
    "jwt": JWT,
    "account_key": "PlantedAccountKey0123456789==",
}


@pytest.mark.parametrize("text,secret", [
    ("Authorization: Bearer abcdefghijklmnop", "abcdefghijklmnop"),
    ("'Authorization': 'Bearer abcdefghijklmnop'", "abcdefghijklmnop"),
    ("Authorization : Basic dXNlcjpwYXNz", "dXNlcjpwYXNz"),
    ("token " + JWT + " end", JWT),
    ('{"adminPassword": "Pl4nted!Passw0rd", "x": 1}', "Pl4nted!Passw0rd"),
    ('{"osProfile": {"adminPassword": "with \\"quote\\" inside"}}', "quote"),
    ('"{\\"password\\": \\"Pl4nted\\"}"', "Pl4nted"),
    ("password=Pl4nted&user=x", "Pl4nted"),
    ("admin_password = \"Pl4nted!\"", "Pl4nted!"),
    ("client_secret=PlantedClientSecret~123&grant_type=client_credentials", "PlantedClientSecret~123"),
    ('"clientSecret": "PlantedClientSecret~123"', "PlantedClientSecret~123"),
    ("https://a.blob.core.windows.net/c/os.vhd?sv=2022-11-02&sig=PlantedSasSig%2Bxyz%3D&se=2030", "PlantedSasSig"),
    ('"customData": "I2Nsb3VkLWNvbmZpZwpwbGFudGVk"', "I2Nsb3VkLWNvbmZpZwpwbGFudGVk"),
    ("DefaultEndpointsProtocol=https;AccountName=a;AccountKey=PlantedAccountKey0123456789==;", "PlantedAccountKey"),
    ("Command arguments: ['login', '--service-principal', '-u', 'app', '-p', 'Pl4nted!', '--tenant', 't']",
     "Pl4nted!"),
    ("az vm create -n vm1 --admin-password Pl4nted! -g rg", "Pl4nted!"),
    ("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAplanted\nlinetwo\n-----END RSA PRIVATE KEY-----", "planted"),
    ('"key": "-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEplanted\\n-----END OPENSSH PRIVATE KEY-----"',
     "planted"),
])
def test_mask_hides_the_secret(text, secret):
    masked = secrets.mask(text)
    assert secret not in masked
    assert secrets.MASK in masked


def test_mask_keeps_line_count_and_ordinary_text():
    text = "-----BEGIN PRIVATE KEY-----\na\nb\nc\n-----END PRIVATE KEY-----\nnext line"
    assert secrets.mask(text).count("\n") == text.count("\n")
    ordinary = ("The supplied password must be between 6-72 characters long. "
                "ERROR: the following arguments are required: --os-type, --publisher/-p, --offer/-f")
    assert secrets.mask(ordinary) == ordinary
    assert secrets.mask("") == "" and secrets.mask(None) is None


def test_mask_value_walks_structures():
    value = {"a": ["password=Pl4nted", {"b": "Bearer abcdefghijklmnop"}], "n": 3}
    masked = secrets.mask_value(value)
    assert "Pl4nted" not in json.dumps(masked) and "abcdefghijklmnop" not in json.dumps(masked)
    assert masked["n"] == 3


def _secret_message():
    return ("The blob https://acct.blob.core.windows.net/vhds/os.vhd?sv=2022-11-02&sr=b&sig={sas}&se=2030 could not "
            "be read with password={password} client_secret={secret} AccountKey={account_key}; "
            "token {jwt}".format(**PLANTED))


def _secret_context(text):
    """Secrets where a debug log has them: the request body, headers and command arguments."""
    return text.replace(
        '"location": "eastus",',
        '"location": "eastus", "osProfile": {{"adminPassword": "{password}", "customData": "{custom}"}}, '
        '"key": "-----BEGIN RSA PRIVATE KEY-----\\n{key_body}\\n-----END RSA PRIVATE KEY-----",'.format(**PLANTED)
    ).replace("'Authorization': '*****'", "'Authorization': 'Bearer {}'".format(JWT)).replace(
        "'--debug']", "'--admin-password', '{}', '--debug']".format(PLANTED["password"]))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_no_planted_secret_in_any_output(kind):
    text = _secret_context(KINDS[kind]("InvalidParameter", _secret_message()))
    result = explain_text(text)
    assert result.findings, kind
    shown = json.dumps(result.findings) + render.report(result.findings)
    leaked = [name for name, value in PLANTED.items() if value in shown]
    assert not leaked, (kind, leaked)
    assert secrets.MASK in result.findings[0]["message"]


def test_a_secret_recognised_once_is_scrubbed_where_no_pattern_would_see_it():
    from azext_sig_doctor.explain import explain_text
    text = ("ERROR: (InvalidParameter) Duplicate regions are not allowed in target publishing regions.\n"
            "cmd: az vm create --admin-password Sup3rSecretPw1 ...\n"
            "retrying with Sup3rSecretPw1 as the password")
    found = set()
    secrets.mask_value(["--admin-password Sup3rSecretPw1"], found)
    assert found == {"Sup3rSecretPw1"}
    assert secrets.scrub({"a": ["x Sup3rSecretPw1 y"]}, found) == {"a": ["x *** y"]}
    for finding in explain_text(text).findings:
        assert "Sup3rSecretPw1" not in str(finding)


def test_placeholders_and_short_values_are_not_scrubbed_everywhere():
    found = set()
    secrets.mask('password=null customData=true password=abc', found)
    assert found == set()
