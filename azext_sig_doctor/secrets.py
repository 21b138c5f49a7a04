"""Masking of secrets in text taken from user input, before anything of it is shown.

``mask(text)`` replaces the values of bearer tokens, ``Authorization`` headers, passwords (in
fields, ARM template parameters ``{"value": ...}``, command lines such as ``az login -p``,
PowerShell's ``ConvertTo-SecureString '...' -AsPlainText``, connection URLs ``scheme://user:pw@``),
SSH and PuTTY private keys, SAS signatures (in URLs, on their own, URL-encoded), client secrets and
Graph's ``secretText``, storage account keys (connection strings, ``AZURE_STORAGE_KEY``, ``az
storage account keys list``, Terraform's ``*_access_key``), custom data and similar fields with
``***``. It never changes the number of lines, so line numbers found in the masked text stay true.
"""

import re

MASK = "***"

# Keys whose values are secrets, in JSON, YAML/HCL, key=value and header forms.
_SECRET_KEY = (
    r"(?:[A-Za-z0-9_.-]*?(?:password|passwd|pwd|secret|secrettext|customdata|custom_data|custom-data|userdata|"
    r"user_data|user-data|accountkey|account_key|storagekey|storage_key|access_key|accesskey|sastoken|sas_token|"
    r"connectionstring|connection_string|privatekey|private_key|client_assertion|access_token|refresh_token|"
    r"id_token|accesstoken|refreshtoken|sharedkey|protectedsettings|protected_settings))"
)

_PRIVATE_KEY_BLOCK = re.compile(
    r"-----BEGIN (?P<kind>[A-Z0-9 ]*)PRIVATE KEY-----(?P<body>.*?)(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|(?=[\"'])|\Z)",
    re.DOTALL,
)
# "key": "value" in JSON (escaped quotes inside the value are kept inside the match).
_JSON_PAIR = re.compile(
    r"(?P<head>[\"']" + _SECRET_KEY + r"\\?[\"']\s*:\s*)(?P<quote>\\?[\"'])"
    r"(?P<value>(?:(?!(?P=quote))(?:\\.|[^\n]))*)(?P=quote)",
    re.IGNORECASE,
)
# Header lines: 'Authorization': 'Bearer x', Authorization : Bearer x, Authorization=...
_AUTH_HEADER = re.compile(
    r"(?P<head>(?:proxy-)?authorization[\"']?\s*[:=]\s*[\"']?)(?P<value>[^\"'\r\n]+)",
    re.IGNORECASE,
)
# No word boundary before "Bearer": a token glued to the text before it is still a token.
_BEARER = re.compile(r"(?P<head>Bearer\s+)(?P<value>[A-Za-z0-9\-._~+/=]{8,})", re.IGNORECASE)
# JWT-shaped tokens wherever they appear (msal logs, pasted curl commands).
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")
# SAS signatures in URLs: sig=...
_SAS_SIG = re.compile(r"(?P<head>[?&;]sig=)(?P<value>[^&\s\"'<>]+)", re.IGNORECASE)
# Storage connection strings: AccountKey=...;
_ACCOUNT_KEY = re.compile(r"(?P<head>\b(?:AccountKey|SharedAccessKey|SharedAccessSignature)=)(?P<value>[^;\s\"']+)",
                          re.IGNORECASE)
# The long options whose value is a secret, each with the shortest prefix az still takes for it (az
# accepts any unambiguous abbreviation of a long option: --admin-pass is --admin-password).
_SECRET_OPTIONS = (("--admin-password", "--admin-p"), ("--password", "--passw"), ("--client-secret", "--client-s"),
                   ("--custom-data", "--custom-d"), ("--user-data", "--user-d"), ("--account-key", "--account-k"),
                   ("--sas-token", "--sas-t"), ("--secret", "--secret"))


def _abbreviable(option, shortest):
    """A regex for ``option`` and each of its abbreviations down to ``shortest``."""
    tail = option[len(shortest):]
    pattern = ""
    for char in reversed(tail):
        pattern = "(?:{}{})?".format(re.escape(char), pattern)
    return re.escape(shortest) + pattern


SECRET_OPTION = "(?:" + "|".join(_abbreviable(option, shortest) for option, shortest in _SECRET_OPTIONS) + ")"
_SECRET_OPTION_WORDS = [(re.compile("^" + _abbreviable(option, shortest) + "$", re.IGNORECASE), option)
                        for option, shortest in _SECRET_OPTIONS]


def secret_option(word):
    """The full name of the secret option ``word`` is (as typed, abbreviated or not), or None."""
    return next((option for pattern, option in _SECRET_OPTION_WORDS if pattern.match(word or "")), None)


# Command-line arguments as az --debug logs them (['-p', 'secret']) or as typed (--admin-password x).
_CLI_ARG_QUOTED = re.compile(
    r"(?P<head>['\"](?:-p|" + SECRET_OPTION + r")['\"],\s*)(?P<quote>['\"])(?P<value>[^'\"]*)(?P=quote)",
    re.IGNORECASE,
)
_CLI_ARG = re.compile(
    r"(?P<head>(?<!-)(?:" + SECRET_OPTION + r"|-AdminPassword|-Password|-ClientSecret|-CustomData)(?:\s+|=))"
    # The value stops at a following "--": a wrapped line may glue the next argument onto it.
    r"(?P<quote>['\"]?)(?P<value>(?!-)(?:(?!--)[^'\"\s,\]])+)(?P=quote)",
    re.IGNORECASE,
)
# key=value / key: value / key = "value" in form bodies, HCL, YAML, Packer and Terraform output.
_KEY_VALUE = re.compile(
    r"(?P<head>(?<![A-Za-z0-9_-])" + _SECRET_KEY + r"\s*(?:=|:(?!//))\s*)"
    r"(?P<value>\"(?:\\.|[^\"\\\n])*\"|'[^'\n]*'|[^\s&\"',;}\]]+)",
    re.IGNORECASE,
)


# An ARM template parameter or a deployment's parameters file: "adminPassword": {"value": "..."}
# (with "type": "securestring" or other keys beside it, in any order before "value").
_PARAMETER_VALUE = re.compile(
    r"(?P<head>[\"']" + _SECRET_KEY + r"\\?[\"']\s*:\s*\{[^{}]*?[\"']value\\?[\"']\s*:\s*)"
    r"(?P<quote>\\?[\"'])(?P<value>(?:(?!(?P=quote))(?:\\.|[^\n]))*)(?P=quote)",
    re.IGNORECASE,
)
# `az login ... -p <password>` as typed (-p is --publisher elsewhere: only after login).
_LOGIN_P = re.compile(
    r"(?P<head>\blogin\b[^\n]*?\s-p(?:\s+|=))(?P<quote>['\"]?)(?P<value>(?!-)[^'\"\s]+)(?P=quote)",
    re.IGNORECASE,
)
# PowerShell: ConvertTo-SecureString 'x' -AsPlainText -Force, ConvertTo-SecureString -String "x" ...
_SECURE_STRING = re.compile(
    r"(?P<head>ConvertTo-SecureString\b(?:\s+-(?!String\b)[A-Za-z]+)*\s+(?:-String\s+)?)"
    r"(?P<quote>['\"])(?P<value>[^'\"\n]*)(?P=quote)",
    re.IGNORECASE,
)
# `az storage account keys list`: [{"keyName": "key1", "permissions": "FULL", "value": "..."}] (JSON,
# either order of the keys), and the same as a table or tsv row.
_STORAGE_KEY_JSON = re.compile(
    r"(?P<head>[\"']keyName[\"']\s*:\s*[\"'][^\"']*[\"']\s*,(?:\s*[\"'][A-Za-z]+[\"']\s*:\s*[\"'][^\"']*[\"']\s*,)*?"
    r"\s*[\"']value[\"']\s*:\s*)(?P<quote>[\"'])(?P<value>[^\"'\n]*)(?P=quote)",
    re.IGNORECASE,
)
_STORAGE_KEY_JSON_VALUE_FIRST = re.compile(
    r"(?P<head>[\"']value[\"']\s*:\s*)(?P<quote>[\"'])(?P<value>[^\"'\n]*)(?P=quote)"
    r"(?=(?:\s*,\s*[\"'][A-Za-z]+[\"']\s*:\s*[\"'][^\"']*[\"'])*?\s*,\s*[\"']keyName[\"'])",
    re.IGNORECASE,
)
_STORAGE_KEY_ROW = re.compile(r"(?P<head>\b(?:key1|key2|kerb1|kerb2)[ \t]+(?:FULL|READ)[ \t]+)"
                              r"(?P<value>[A-Za-z0-9+/]{20,}={0,2})", re.IGNORECASE)
# A SAS token on its own (sig=... first) or URL-encoded inside another URL (%26sig%3D...).
_SAS_SIG_ALONE = re.compile(r"(?P<head>(?<![A-Za-z0-9_%.-])sig=)(?P<value>[^&\s\"'<>]+)", re.IGNORECASE)
_SAS_SIG_ENCODED = re.compile(r"(?P<head>%(?:26|3F)sig%3D)(?P<value>(?:(?!%26)[^&\s\"'<>])+)", re.IGNORECASE)
# PuTTY's .ppk key file: the lines after "Private-Lines: N" and the MAC/hash that follows them, on
# real lines, as \n inside a JSON string, or squashed onto one line.
_PPK_SEPARATOR = r"(?:\r?\n|\\(?:r\\)?n|[ \t]+)"
_PPK_PRIVATE = re.compile(
    r"(?P<head>Private-Lines:[ \t]*\d+[ \t]*)"
    r"(?P<value>(?:" + _PPK_SEPARATOR + r"[ \t]*[A-Za-z0-9+/]+={0,2}(?=\r?\n|\\(?:r\\)?n|[ \t\"']|$))+)")
_PPK_PIECES = re.compile("(" + _PPK_SEPARATOR + ")")
_PPK_MAC = re.compile(r"(?P<head>Private-(?:MAC|Hash):[ \t]*)(?P<value>[0-9A-Fa-f]{16,})")
# A password in a connection URL: scheme://user:password@host
_URL_PASSWORD = re.compile(r"(?P<head>\b[A-Za-z][A-Za-z0-9+.-]*://[^\s:/@\"'<>]+:)(?P<value>[^\s@/\"'<>]+)(?=@)")


def _keep_head(match):
    return match.group("head") + MASK


def _json_pair(match):
    quote = match.group("quote")
    return match.group("head") + quote + MASK + quote


_PLACEHOLDER = re.compile(r"^<[a-z][a-z0-9-]*>$")


def _cli_arg(match):
    if _PLACEHOLDER.match(match.group("value")):
        return match.group(0)  # the doctor's own <placeholder> for a value it does not print
    quote = match.group("quote")
    return match.group("head") + quote + MASK + quote


def _key_value(match):
    value = match.group("value")
    if value == MASK or value.strip("\"'") in (MASK, "*****", ""):
        return match.group(0)
    if value[:1] in "\"'":
        return match.group("head") + value[0] + MASK + value[0]
    return match.group("head") + MASK


def _ppk_lines(match):
    # Each line (or piece) of the private part becomes the mask; the line ends stay where they were.
    pieces = _PPK_PIECES.split(match.group("value"))
    return match.group("head") + "".join(piece if index % 2 else (MASK if piece.strip() else piece)
                                         for index, piece in enumerate(pieces))


def _private_key(match):
    # Keep the line count: a key pasted over many lines still occupies those lines.
    newlines = match.group(0).count("\n")
    return "-----BEGIN {}PRIVATE KEY-----{}{}".format(match.group("kind"), MASK, "\n" * newlines)


_KEY_WORDS = ("pass", "pwd", "secret", "custom", "userdata", "user_data", "user-data", "accountkey", "account_key",
              "storagekey", "storage_key", "access_key", "accesskey", "sastoken", "sas_token", "connectionstring",
              "connection_string", "privatekey", "private_key", "assertion", "token", "sharedkey",
              "protectedsettings", "protected_settings")
# (pattern, replacement, words of which one must be in the lower-cased text for the pattern to apply):
# most texts hold none of them, and a substring test is far cheaper than running the pattern.
_RULES = (
    (_PRIVATE_KEY_BLOCK, _private_key, ("private key",)),
    (_PPK_PRIVATE, _ppk_lines, ("private-lines",)),
    (_PPK_MAC, _keep_head, ("private-mac", "private-hash")),
    (_PARAMETER_VALUE, _json_pair, _KEY_WORDS),
    (_SECURE_STRING, _cli_arg, ("convertto-securestring",)),
    (_LOGIN_P, _cli_arg, ("login",)),
    (_STORAGE_KEY_JSON, _json_pair, ("keyname",)),
    (_STORAGE_KEY_JSON_VALUE_FIRST, _json_pair, ("keyname",)),
    (_STORAGE_KEY_ROW, _keep_head, ("key1", "key2", "kerb1", "kerb2")),
    (_URL_PASSWORD, _keep_head, ("://",)),
    # Command-line arguments before tokens and signatures: a token glued to an argument (a wrapped
    # line joined) must not swallow the argument's name and leave its value in clear.
    (_CLI_ARG_QUOTED, _cli_arg, ("'-p'", '"-p"', "--")),
    (_CLI_ARG, _cli_arg, ("--", "-adminpassword", "-password", "-clientsecret", "-customdata")),
    (_JSON_PAIR, _json_pair, _KEY_WORDS),
    (_AUTH_HEADER, _keep_head, ("authorization",)),
    (_BEARER, _keep_head, ("bearer",)),
    (_JWT, MASK, ("eyj",)),
    (_SAS_SIG, _keep_head, ("sig=",)),
    (_SAS_SIG_ALONE, _keep_head, ("sig=",)),
    (_SAS_SIG_ENCODED, _keep_head, ("sig%3d",)),
    (_ACCOUNT_KEY, _keep_head, ("accountkey=", "sharedaccess")),
    (_KEY_VALUE, _key_value, _KEY_WORDS),
)


# Values remembered for scrubbing elsewhere: shorter ones, and placeholders a log puts where a
# secret would be, are too likely to be ordinary words (Azure passwords have 12 characters or more).
_SHORTEST_REMEMBERED = 6
_NOT_SECRETS = {"null", "none", "true", "false", "undefined", "redacted", "<redacted>", "******"}


def mask(text, found=None):
    """Return ``text`` with every secret value replaced by ``***``; line count is preserved.

    ``found``, a set, collects the values that were masked, so that other copies of them that no
    pattern recognises (a password repeated without its key) can be scrubbed with ``scrub``.
    """
    if not text:
        return text
    lowered = text.lower()
    for pattern, replacement, words in _RULES:
        if any(word in lowered for word in words):
            if found is not None:
                for match in pattern.finditer(text):
                    value = match.groupdict().get("value") or match.group(0)
                    value = value.strip("'\"\\ ")
                    if len(value) >= _SHORTEST_REMEMBERED and value.lower() not in _NOT_SECRETS \
                            and MASK not in value:
                        found.add(value)
            text = pattern.sub(replacement, text)
            lowered = text.lower()
    return text


def mask_value(value, found=None):
    """Mask strings inside a JSON-like value (dicts, lists, strings) recursively."""
    if isinstance(value, str):
        return mask(value, found)
    if isinstance(value, dict):
        return {key: mask_value(item, found) for key, item in value.items()}
    if isinstance(value, list):
        return [mask_value(item, found) for item in value]
    return value


def scrub(value, literals):
    """Replace every copy of the secret ``literals`` inside a JSON-like value."""
    if not literals:
        return value
    if isinstance(value, str):
        for literal in sorted(literals, key=len, reverse=True):
            value = value.replace(literal, MASK)
        return value
    if isinstance(value, dict):
        return {key: scrub(item, literals) for key, item in value.items()}
    if isinstance(value, list):
        return [scrub(item, literals) for item in value]
    return value


def mask_error(error):
    """Mask, in place, the message and recommendations of an Azure CLI error; returns it."""
    error.error_msg = mask(error.error_msg) if isinstance(error.error_msg, str) else error.error_msg
    error.args = tuple(mask(arg) if isinstance(arg, str) else arg for arg in error.args)
    error.recommendations = [mask(item) if isinstance(item, str) else item for item in error.recommendations]
    return error
