"""Secrets planted in random mixes of every input form never reach a finding, and nothing crashes.

The mixes glue pieces together with and without separators, the way cut, wrapped and
concatenated logs arrive; the seeds are fixed so a failure can be replayed.
"""

import json
import random

import pytest

from azext_sig_doctor import knowledge
from azext_sig_doctor.explain import explain_text

URL = ("DEBUG: cli.azure.cli.core.sdk.policies: Request URL: 'https://management.azure.com/subscriptions/a/"
       "resourceGroups/b/providers/Microsoft.Compute/galleries/g/images/i/versions/1.0.0?api-version=1&sig=SIGSECRET1'")
SECRETS = {
    "password=hunter2hunter2": "hunter2hunter2",
    URL: "SIGSECRET1",
    '{"location": "eastus", "properties": {"osProfile": {"adminPassword": "PWSECRET2", "customData": "CDSECRET3"}}}':
        ("PWSECRET2", "CDSECRET3"),
    "https://acct.blob.core.windows.net/c/os.vhd?sv=2020&sig=SIGSECRET4": "SIGSECRET4",
    "Authorization: Bearer eyJabcdefgh.defghijk.ghijklmn": "eyJabcdefgh",
    "-----BEGIN RSA PRIVATE KEY-----\nMIIKEYSECRET5\n-----END RSA PRIVATE KEY-----": "KEYSECRET5",
    "--admin-password PWSECRET6": "PWSECRET6",
    "client_secret=CSSECRET7": "CSSECRET7",
}
FRAGMENTS = ['{"error": {"code": "X", "message": ', '"}}', "Response status: 400", "Response content:",
             "ERROR: (", ")", "Status Code: 400", "ErrorCode: ", "ErrorMessage: ", "{", "}", '"', "'",
             'Code="', '" Message="', "Original Error: ", "\u2502", "\x00", "Request body:", "Body:",
             '"status": "Failed"', "============================ HTTP RESPONSE ============================"]


def _planted():
    values = []
    for secret in SECRETS.values():
        values.extend(secret if isinstance(secret, tuple) else (secret,))
    return values


@pytest.mark.parametrize("seed,separators", [(12, (" ", "\n", "\r\n")), (22, ("", " ", "\n", "\r\n"))])
def test_planted_secrets_never_reach_a_finding(seed, separators):
    rng = random.Random(seed)
    messages = [sample["text"] for entry in knowledge.load() for sample in entry.data.get("samples") or []]
    pieces = messages + FRAGMENTS + list(SECRETS)
    planted = _planted()
    for _ in range(500):
        text = "".join(rng.choice(pieces) + rng.choice(separators) for _ in range(rng.randint(1, 30)))
        shown = json.dumps(explain_text(text).findings, ensure_ascii=False)
        leaked = [secret for secret in planted if secret in shown]
        assert leaked == [], text
