"""Follow the HTTP requests of a window (az ``--debug`` and Az PowerShell ``-Debug``), so every
line knows the request it belongs to, the resource request behind a long-running-operation poll,
and the response status."""

import re

from azext_sig_doctor.explain import arguments, context, powershell
from azext_sig_doctor.explain import lines as lines_module


# What a line that changes the tracked state starts with (after its prefix): the lines worth
# looking at are found by these, the others belong to the request before them. The lines of Az
# PowerShell's -Debug requests are looked for only in a window that shows one (its separator line).
_MARKERS = ("Request URL:", "Request method:", "Request body:", "Response status:", "Response content:",
            "Command arguments:", "HTTP/", "HTTP REQUEST", "HTTP RESPONSE", "HTTP Method:", "Absolute Uri:",
            "Status Code:", "Body:")
_R_MARKERS = ("Request ", "Response ")  # found with lines.R_WORDS
_C_MARKERS = ("Command arguments:",)  # found with lines.C_WORDS
_POWERSHELL_NEEDLES = ("Absolute Uri:", "Status Code:", "Body:")
# A transcript's prompt line for a gallery cmdlet (powershell.is_prompt decides; these only find it).
_PROMPT = re.compile(r"PS(?:\s[^>\n]*)?>")
_PROMPT_START = re.compile(r"PS(?:\s[^>\n]*)?>\s*(?:new|update)-azgallery", re.IGNORECASE)


def _is_marker(raw, column):
    return raw.startswith(_MARKERS, column) or (raw.startswith("PS", column) and
                                                 _PROMPT_START.match(raw, column) is not None)


def split_lines(text):
    """The window's logical lines (``lines.Lines``), built as they are looked at."""
    return lines_module.Lines(text)


def _status_code(text):
    found = re.search(r"\d{3}", text)
    if found:
        return int(found.group(0))
    words = {"badrequest": 400, "unauthorized": 401, "forbidden": 403, "notfound": 404,
             "conflict": 409, "preconditionfailed": 412, "toomanyrequests": 429,
             "internalservererror": 500, "serviceunavailable": 503}
    return words.get(re.sub(r"\W", "", text).lower())


# urllib3 logs each response with its request line; az's "Response status:" lines that follow do
# not say which request they answer, and the doctor's concurrent reads interleave.
_URLLIB3_RESPONSE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>/[^ ?"]*)[^ "]* HTTP/[\d.]+" (?P<status>\d{3})')
_RECENT_REQUESTS = 64


def _answered(requests, method, path):
    """The latest open request with this method and path (case-insensitive), or None."""
    path = path.lower()
    for request in reversed(requests):
        if (request.method or "").upper() == method and (request.path or "").lower() == path:
            return request
    return None


def track_requests(lines, first_line):
    """Record in ``lines`` (``lines.Lines``) the request every line belongs to; return the bodies of
    failed responses that carry no ``"error"`` key (bare ``{code, message}``).

    Only the lines that can change what is tracked are looked at (and the lines a marker says
    come next: a body, a value): every other line belongs to the request before it."""
    current = resource_request = None
    serial = 0  # the (absolute) line that started the current request or command
    status = None
    pending = None
    body_lines = []
    bare_bodies = []
    recent = []  # requests seen lately, for urllib3's response lines to point back to
    # (status, request) of responses urllib3 announced and az has not logged yet: concurrent
    # requests interleave both kinds of lines, so a "Response status:" line takes the oldest
    # announced response with its status.
    announced = []
    command = None
    raws = lines.raws
    markers = set(lines.with_any(("HTTP",), _is_marker))
    markers.update(index for pattern, words in ((lines_module.R_WORDS, _R_MARKERS), (lines_module.C_WORDS, _C_MARKERS))
                   for index, column, word in lines.matches(pattern)
                   if word in words and _is_marker(raws[index], column))
    markers.update(index for index, column, _ in lines.matches(_PROMPT) if _is_marker(raws[index], column))
    markers = sorted(markers)
    if any("HTTP REQUEST" in raws[index] or "HTTP RESPONSE" in raws[index] for index in markers):
        # An Az PowerShell -Debug request is in the window: look for the lines of its requests too.
        markers = sorted(set(markers).union(lines.with_any(_POWERSHELL_NEEDLES, _is_marker)))
    next_marker = 0
    index = -1
    while True:
        if pending:
            index += 1
        else:
            while next_marker < len(markers) and markers[next_marker] <= index:
                next_marker += 1
            if next_marker == len(markers):
                break
            index = markers[next_marker]
        if index >= len(lines):
            break
        line = lines[index]
        stripped = line.text.strip()
        if line.logger == "urllib3.connectionpool" and '" ' in stripped:
            found = _URLLIB3_RESPONSE.search(stripped)
            answered = _answered(recent, found.group("method"), found.group("path")) if found else None
            if answered is not None:
                announced.append((int(found.group("status")), answered))
                del announced[:-_RECENT_REQUESTS]
        if pending == "ps_body":
            if stripped and not line.level:
                body_lines.append(line.text)
            else:
                if current is not None and current.body is None:
                    current.body = "\n".join(body_lines)
                pending = None
        elif pending in ("az_body", "az_content"):
            if pending == "az_body" and current is not None:
                current.body = line.text
            elif pending == "az_content" and status and status >= 400 and '"error"' not in line.text:
                bare_bodies.append((index, status))
            pending = None
            lines.set_state(index, (current, resource_request, serial, status, command))
            continue
        elif pending in ("ps_method", "ps_uri", "ps_status"):
            if stripped:
                if pending == "ps_method" and current is not None:
                    current.method = stripped
                elif pending == "ps_uri" and current is not None:
                    current.url = context.clean_url(stripped)
                    if current.is_resource:
                        resource_request = current
                elif pending == "ps_status":
                    status = _status_code(stripped)
                pending = None
        if stripped.startswith("Request URL:"):
            lines.kind = lines.kind or "az-debug"  # the kind of log: its first request says
            serial = first_line + lines.number(index)
            current = context.Request(serial, url=context.clean_url(stripped[len("Request URL:"):]))
            recent.append(current)
            del recent[:-_RECENT_REQUESTS]
            if current.is_resource:
                resource_request = current
        elif stripped.startswith("Request method:") and current is not None:
            current.method = stripped.split(":", 1)[1].strip().strip("'\"")
        elif stripped == "Request body:":
            pending = "az_body"
        elif stripped.startswith("Response status:"):
            status = _status_code(stripped.split(":", 1)[1])
            for position, (announced_status, request) in enumerate(announced):
                if announced_status == status:
                    del announced[position]
                    current, serial = request, request.serial
                    if current.is_resource:
                        resource_request = current
                    break
        elif stripped == "Response content:":
            pending = "az_content"
        elif stripped.startswith("Command arguments:"):
            serial = first_line + lines.number(index)
            current = resource_request = None
            # A new az command: what urllib3 announced for the last one and az never logged (a
            # response retried inside urllib3) must not be taken for this one's answers.
            announced = []
            command = arguments.parse(stripped[len("Command arguments:"):])
        elif stripped.startswith("PS") and powershell.is_prompt(stripped):
            # A transcript's prompt line: the gallery cmdlet that runs next, and its names.
            serial = first_line + lines.number(index)
            current = resource_request = None
            command = powershell.command_values(stripped)
        elif stripped.startswith("=") and stripped.endswith("="):
            if "HTTP REQUEST" in stripped:
                lines.kind = lines.kind or "powershell"
                serial = first_line + lines.number(index)
                current = context.Request(serial)
                status = None
            elif "HTTP RESPONSE" in stripped:
                status = None
        elif stripped == "HTTP Method:":
            pending = "ps_method"
        elif stripped == "Absolute Uri:":
            pending = "ps_uri"
        elif stripped == "Status Code:":
            pending = "ps_status"
        elif stripped == "Body:" and current is not None and current.body is None and status is None:
            pending = "ps_body"
            body_lines = []
        lines.set_state(index, (current, resource_request, serial, status, command))
    return bare_bodies
