"""Turn an Azure CLI test recording (a VCR cassette) into contract fixture entries.

    .venv/bin/python -m tests.contract.derive CASSETTE.yaml --prefix e2e > entries.yaml

Keeps the interactions whose URL the emulator serves (Compute resources, their operations,
resource groups), with the request as sent and the answer's contract: status, which
long-running-operation headers were there, and the body's shape and contract values (see
shapes.py). Polls of an earlier answer's Azure-AsyncOperation (or Location) URL become
`poll: <id>` so the replay polls the emulator's own URL. `at` is seconds since the first kept
interaction, from the Date headers. The entries then go under `interactions:` of a fixture file,
whose `source:` names the cassette's repository, path and commit.
"""

import argparse
import json
import sys
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, urlsplit

import yaml

from tests.contract.shapes import derive
from tests.emulator.routing import normalise_path, route

LRO_HEADERS = ("Azure-AsyncOperation", "Location", "Retry-After")
SERVED = {"resource", "collection", "instance_view", "operation", "resource_group",
          "resource_groups", "subscription_list"}


def _header(headers, name):
    for key, value in (headers or {}).items():
        if key.lower() == name.lower():
            return value[0] if isinstance(value, list) else value
    return None


def _json(text):
    if text in (None, ""):
        return None
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    text = text.strip()
    if text.startswith(("b'", 'b"')):      # old cassettes kept the bytes' repr
        text = text[2:-1]
    return json.loads(text)


def _date(headers):
    value = _header(headers, "date")
    return parsedate_to_datetime(value) if value else None


def _op_key(url):
    """An operation URL without its query, but for the Location form's `monitor=true`."""
    if not url:
        return None
    split = urlsplit(url)
    monitor = "monitor=true" in split.query.lower()
    return normalise_path(split.path).lower() + ("?monitor" if monitor else "")


def served(uri):
    split = urlsplit(uri)
    return route(normalise_path(split.path)).kind in SERVED


def entries(cassette, prefix):
    kept, operations, start = [], {}, None
    for interaction in cassette.get("interactions") or []:
        request, response = interaction["request"], interaction["response"]
        if not served(request["uri"]):
            continue
        split = urlsplit(request["uri"])
        headers = response.get("headers") or {}
        when = _date(headers) or datetime.now().astimezone()
        start = start or when
        entry = {"id": f"{prefix}-{len(kept) + 1:02d}",
                 "command": _header(request.get("headers"), "CommandName") or "",
                 "at": round((when - start).total_seconds())}
        key = _op_key(request["uri"])
        if request["method"] == "GET" and key in operations:
            origin, via = operations[key]
            entry["request"] = {"poll": origin} if via == "Azure-AsyncOperation" else \
                {"poll": origin, "via": via}
        else:
            entry["request"] = {"method": request["method"], "path": split.path,
                                "query": dict(parse_qsl(split.query, keep_blank_values=True))}
            body = _json(request.get("body"))
            if body is not None:
                entry["request"]["body"] = body
        answer = {"status": response["status"]["code"],
                  "headers": {name: _header(headers, name) is not None for name in LRO_HEADERS}}
        async_url = _header(headers, "Azure-AsyncOperation")
        if async_url:
            parts = urlsplit(async_url).path.split("/")
            answer["operation"] = {"kind": parts[-2], "location": parts[-3]}
            operations[_op_key(async_url)] = (entry["id"], "Azure-AsyncOperation")
        if _header(headers, "Location") and async_url:
            operations[_op_key(_header(headers, "Location"))] = (entry["id"], "Location")
        answer["body"] = derive(_json((response.get("body") or {}).get("string")))
        entry["response"] = answer
        kept.append(entry)
    return kept


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cassette")
    parser.add_argument("--prefix", default="rec")
    args = parser.parse_args(argv)
    with open(args.cassette, encoding="utf-8") as handle:
        cassette = yaml.safe_load(handle)
    yaml.safe_dump({"interactions": entries(cassette, args.prefix)}, sys.stdout,
                   sort_keys=False, width=100)


if __name__ == "__main__":
    main()
