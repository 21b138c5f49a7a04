"""``az sig doctor explain``: read -> find -> parse -> match -> fold, on logs of any size.

``explain_source(path_or_dash)`` and ``explain_text(text)`` return the findings (dicts of the
output contract, see ``match.FIELDS``) in input order. ``reader.InputError`` is raised only when the
input cannot be read at all.
"""

from collections import OrderedDict

from azext_sig_doctor import secrets
from azext_sig_doctor.explain import fixing, fold, forms, match, parse, plain, reader, scanner
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


_RANK = {"high": 3, "medium": 2, "low": 1}


def _quality(observations):
    """How well a parse of a text is understood: known errors, their confidence, how much of their
    messages the values cover (a message cut by a wrapper leaves them short), fewer unknowns."""
    known = [best[0] for best in (match.best_for(observation) for observation in observations) if best]
    return (len(known), sum(_RANK.get(found.confidence, 0) for found in known),
            sum(len(str(value)) for found in known for value in found.values.values()),
            -(len(observations) - len(known)), sum(len(observation.hints) for observation in observations),
            sum(1 for observation in observations if (observation.message or "").strip()))


# How far from an error a wrapper form is looked for, when the error was found without it.
_FORM_REACH = 40


def _around(text, first_line, observations):
    """The lines of ``text`` near the observations, in order (a window of a log is large; the
    wrapper of an error the parser found is next to it)."""
    lines = text.split("\n")
    spans = []
    for observation in observations:  # in line order
        index = observation.line - first_line
        start, end = max(0, index - _FORM_REACH), min(len(lines), index + _FORM_REACH)
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    return [line for start, end in spans for line in lines[start:end]]


def _observations(text, first_line):
    """The observations of a piece of input: as it is, or with the wrapper forms it holds rewritten
    (``forms``) when that reads its errors better (more of them known, surer, with fuller values,
    more of the resource's names, fewer empty messages)."""
    window = parse.read(text, first_line)
    found = window.found
    # The client's own log lines of an az --debug or -Debug log hold its text, or the service's as
    # the client logs it: no other tool wrapped them, and a log where every request failed is nearly
    # all such lines. Any other line near an error may hold a wrapper (another tool's output).
    if found:
        near = _around(text, first_line, found)
        detected = forms.detect("\n".join(window.others(near)), near)
    else:
        detected = forms.detect(text)
    if not detected:
        return found
    rewritten, numbers, sources = forms.rewrite(text, first_line, detected)
    if rewritten == text and not sources:
        return found
    alternative = parse.observations(rewritten, first_line, numbers, sources)
    chosen, other = (alternative, found) if _quality(alternative) > _quality(found) else (found, alternative)
    _release(other)
    return chosen


def _release(observations):
    """Drop the readings of the surroundings no one asked for (each holds its window's text)."""
    for observation in observations:
        observation.release()


def _plain_candidates(text):
    """Plain messages of a short input: its paragraphs as the forms rewrite them, or as written
    when those name no known error; and the known ones among them."""
    rewritten, numbers, _ = forms.rewrite(text)
    candidates = list(plain.observations(rewritten, numbers))
    known = [observation for observation in candidates if match.best_for(observation)]
    if not known and rewritten != text:
        original = list(plain.observations(text))
        known = [observation for observation in original if match.best_for(observation)]
    return candidates, known


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
            observations = _observations(window.text, window.first_line)
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
        _release(observations)
    if partial:
        raise reader.InputError(partial[0].describe(len(folder.findings) + folder.dropped), partial[0].advice())
    if not any(finding.get("id") for finding in folder.findings) and 0 < total <= PLAIN_LIMIT:
        # A short fragment whose errors are all unknown, or without any trigger word (a bare failed
        # response, a pasted line): parse it whole, then try it as plain messages; keep what the
        # windows found unless this knows more.
        text = bytes(head).decode("utf-8", errors="replace")
        whole = fold.Folder()
        try:
            observations = _observations(text, 1)
        except Exception:  # pylint: disable=broad-except
            observations = []  # counted once already, when its window could not be parsed
            skipped = skipped or 1
        for observation in observations:
            whole.add(observation)
        _release(observations)
        if any(finding.get("id") for finding in whole.findings):
            return _result(whole, total, skipped)
        if whole.findings or folder.findings:
            # The parsers read the errors (unknown ones): what they tolerated (a lookup that did not
            # end the command) is not to be found again as a plain message.
            return _result(folder if folder.findings else whole, total, skipped)
        candidates, known = _plain_candidates(text)
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
    # The messages as the input held them: a secret a wrapper's cleaning made unrecognisable (a
    # table's columns closed up) is learnt there and scrubbed from the message shown.
    secrets.mask_value([finding.pop(match.AS_READ, None) for finding in findings], seen)
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
