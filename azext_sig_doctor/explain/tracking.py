"""Follow the HTTP requests of a window (az ``--debug`` and Az PowerShell ``-Debug``), so every
line knows the request it belongs to, the resource request behind a long-running-operation poll,
and the response status."""

import re

from azext_sig_doctor.explain import arguments, context, powershell, prefix


class Line:
    """One line of a window: its prefix taken apart, and the request it belongs to."""

    __slots__ = ("raw", "level", "logger", "text", "request", "resource_request", "serial", "status", "command")

    def __init__(self, raw):
        raw = prefix.strip_colours(raw)
        self.raw = raw
        self.level, self.logger, self.text = prefix.split(raw)
        self.request = None
        self.resource_request = None
        self.serial = 0
        self.status = None
        # values from the command line the log started with (arguments.py, or a PowerShell prompt)
        self.command = None


def split_lines(text):
    return [Line(raw[:-1] if raw.endswith("\r") else raw) for raw in text.split("\n")]


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
    """Attach to every line the request it belongs to; return the bodies of failed
    responses that carry no ``"error"`` key (bare ``{code, message}``)."""
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
    for index, line in enumerate(lines):
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
            line.request, line.resource_request, line.serial, line.status = current, resource_request, serial, status
            line.command = command
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
            serial = first_line + index
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
            serial = first_line + index
            current = resource_request = None
            command = arguments.parse(stripped[len("Command arguments:"):])
        elif stripped.startswith("PS") and powershell.is_prompt(stripped):
            # A transcript's prompt line: the gallery cmdlet that runs next, and its names.
            serial = first_line + index
            current = resource_request = None
            command = powershell.command_values(stripped)
        elif stripped.startswith("=") and stripped.endswith("="):
            if "HTTP REQUEST" in stripped:
                serial = first_line + index
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
        line.request, line.resource_request, line.serial, line.status = current, resource_request, serial, status
        line.command = command
    return bare_bodies
