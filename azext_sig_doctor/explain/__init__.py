"""``az sig doctor explain``: read -> find -> parse -> match -> fold, on logs of any size.

``explain_source(path_or_dash)`` and ``explain_text(text)`` return the findings (dicts of the
output contract, see ``match.FIELDS``) in input order. ``reader.InputError`` is raised only when the
input cannot be read at all.
"""

from collections import OrderedDict

from azext_sig_doctor import secrets
from azext_sig_doctor.explain import fixing, fold, match, parse, plain, reader, scanner
from azext_sig_doctor.explain.reader import InputError  # noqa: F401  (re-exported for callers)

# Below this size an input that shows no log or JSON shape is tried as plain pasted messages.
PLAIN_LIMIT = 1024 * 1024
_SEEN_LIMIT = 4096


class Result:
    """The findings plus what was read (for the report's wording)."""

    def __init__(self, findings, bytes_read, dropped=0, skipped=0):
        self.findings = findings
        self.bytes_read = bytes_read
        self.dropped = dropped
        self.skipped = skipped


def _explain(chunks, message_mode):
    folder = fold.Folder()
    head = bytearray()
    total = 0
    partial = []  # the PartialInputError that ended the input early, if any

    def tap(source):
        nonlocal total
        try:
            for chunk in source:
                total += len(chunk)
                if len(head) <= PLAIN_LIMIT:
                    head.extend(chunk[:PLAIN_LIMIT + 1 - len(head)])
                yield chunk
        except reader.PartialInputError as exc:
            # Explain what could be read, then fail: the missing part may hold the failure.
            partial.append(exc)

    seen = OrderedDict()  # windows may overlap at chunk borders: drop what was already reported
    skipped = 0
    for window in scanner.windows(tap(chunks)):
        try:
            observations = parse.observations(window.text, window.first_line)
        except Exception:  # pylint: disable=broad-except
            # One piece of input no parser can make sense of must not cost the user the rest.
            skipped += 1
            continue
        for observation in observations:
            key = (observation.line, observation.code, observation.message)
            if key in seen:
                continue
            seen[key] = True
            if len(seen) > _SEEN_LIMIT:
                seen.popitem(last=False)
            folder.add(observation)
    if partial:
        raise reader.InputError(partial[0].describe(len(folder.findings) + folder.dropped), partial[0].advice())
    if not folder.findings and 0 < total <= PLAIN_LIMIT:
        # A short fragment without any trigger word (a bare failed response, a pasted line): parse
        # it whole, then try it as plain messages.
        text = bytes(head).decode("utf-8", errors="replace")
        try:
            whole = parse.observations(text, 1)
        except Exception:  # pylint: disable=broad-except
            whole = []  # counted once already, when its window could not be parsed
            skipped = skipped or 1
        for observation in whole:
            folder.add(observation)
        if folder.findings:
            return _result(folder, total, skipped)
        candidates = list(plain.observations(text))
        known = [observation for observation in candidates if match.best_for(observation)]
        for observation in known or (candidates[:1] if message_mode else []):
            folder.add(observation)
    # Secrets are masked in everything a finding shows (message, values, commands ...), once, at the
    # end: masking whole windows of a big log would cost more than finding the errors in it.
    return _result(folder, total, skipped)


def _result(folder, total, skipped=0):
    findings = [match.add_nearest(finding) for finding in folder.findings]
    fixing.add_fixed_commands(findings)
    return Result(masked(findings), total, folder.dropped, skipped)


def masked(findings):
    """Every text of every finding, whatever field it is in (a code or title made from odd input
    too); a secret value recognised anywhere is then scrubbed wherever else it appears."""
    seen = set()
    findings = secrets.mask_value(findings, seen)
    return secrets.scrub(findings, seen)


def explain_source(source):
    """Explain a log file (``-`` = standard input, ``.gz`` allowed)."""
    return _explain(reader.read_chunks(source), message_mode=False)


def explain_text(text):
    """Explain a pasted message (or any fragment of a log)."""
    return _explain(reader.text_chunks(text or ""), message_mode=True)


def explain_error(code, message, details=(), path=None, body=None, method="PUT", command_words=None,
                  existing=False):
    """The finding of one error caught in-process (a guarded create that Azure refused), as explain
    makes it of the same error in a log: the same entry, values and fixed command. ``details`` are
    (code, message) pairs; ``path`` and ``body`` are the request's; ``command_words`` the command line
    that made it (its fixed command is written onto it); ``existing``: the create left its resource
    behind (a replication failed after it). None when the knowledge base does not know it."""
    import json
    from azext_sig_doctor.explain.armjson import ErrorPart
    from azext_sig_doctor.explain.arguments import LoggedCommand
    from azext_sig_doctor.explain.context import Request
    from azext_sig_doctor.explain.model import Observation
    observation = Observation(None, code, message or "", "response", "create",
                              details=[ErrorPart(detail_code, detail_message or "")
                                       for detail_code, detail_message in details])
    if path:
        request = Request(0, method, "https://management.azure.com" + path)
        request.body = json.dumps(body) if body is not None else None
        observation.request = request
    if command_words:
        command = LoggedCommand()
        command.words = tuple(command_words)
        observation.command = command
    finding = match.to_finding(observation)
    if not finding.get("id"):
        return None
    fixing.add_fixed_commands([finding], existing=existing)
    return masked([finding])[0]
