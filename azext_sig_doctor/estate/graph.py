"""Azure Resource Graph client: one query over many subscriptions, batched, paged and throttled.

Requests go through the Azure CLI's own authenticated REST call (``send_raw_request``, what
``az rest`` uses): the token, cloud endpoint, proxy and ``--debug`` logging of the CLI, and no
extra package. What the service documents and this client does
(learn.microsoft.com/azure/governance/resource-graph/concepts/guidance-for-throttled-requests,
.../paging-results, .../troubleshoot/general):
  * at most 1,000 subscriptions per request: larger scopes are split into batches;
  * at most 1,000 records per page: ``options.$top`` 1000, then the same request again with
    ``options.$skipToken`` until none comes back; ``resultTruncated`` without a token means rows
    were left out (reported, never ignored);
  * every answer says ``x-ms-user-quota-remaining`` and ``x-ms-user-quota-resets-after``
    (hh:mm:ss): when the quota is spent, every query of the scan waits for the reset before its
    next request; a 429 waits ``Retry-After`` (or the reset) and tries again;
  * a management-group scope cut to its first 10,000 subscriptions says so in
    ``x-ms-tenant-subscription-limit-hit``.
The transport is injectable (``post(path, body) -> Response``) so the paging and throttling
logic is tested without a network.
"""

import json
import threading
import time

from azext_sig_doctor._client_factory import resource_graph_url

MAX_SUBSCRIPTIONS = 1000
PAGE_SIZE = 1000
MAX_THROTTLED_ATTEMPTS = 6
MAX_ERROR_ATTEMPTS = 3
MAX_WAIT_SECONDS = 120.0


class GraphError(Exception):
    """A query that could not be answered: ``denied`` (401/403) or not (``status`` None for a
    network failure); ``reason`` is short and safe to show."""

    def __init__(self, reason, status=None, code=None):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.code = code

    @property
    def denied(self):
        return self.status in (401, 403)


class Response:
    __slots__ = ("status", "headers", "body")

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = {str(k).lower(): v for k, v in (headers or {}).items()}
        self.body = body


def batches(subscriptions, size=MAX_SUBSCRIPTIONS):
    """``subscriptions`` in lists of at most ``size``, in order."""
    return [subscriptions[start:start + size] for start in range(0, len(subscriptions), size)]


def parse_duration(text):
    """``hh:mm:ss`` (or plain seconds) -> seconds; None when unreadable."""
    if text is None:
        return None
    text = str(text).strip()
    try:
        if ":" in text:
            hours, minutes, seconds = text.split(":")
            return int(hours) * 3600 + int(minutes) * 60 + float(seconds)
        return float(text)
    except ValueError:
        return None


class Throttle:
    """The user's Resource Graph quota, shared by every query of a scan (they run concurrently)."""

    def __init__(self, clock=time.monotonic, sleep=time.sleep):
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._remaining = None
        self._reset_at = None
        self.waited = 0.0

    def before_request(self):
        """Wait while the quota is spent and not reset yet."""
        with self._lock:
            wait = 0.0
            if self._remaining is not None and self._remaining <= 0 and self._reset_at is not None:
                wait = self._reset_at - self._clock()
            if wait > 0:
                # Others may go once this wait is over; the service tells again after the next answer.
                self._remaining = None
        if wait > 0:
            self._pause(wait)

    def after_response(self, headers):
        remaining = headers.get("x-ms-user-quota-remaining")
        resets = parse_duration(headers.get("x-ms-user-quota-resets-after"))
        with self._lock:
            if remaining is not None:
                try:
                    self._remaining = int(remaining)
                except ValueError:
                    self._remaining = None
            if resets is not None:
                self._reset_at = self._clock() + resets

    def throttled(self, headers, attempt):
        """After a 429: wait as told (Retry-After, else the quota reset, else 1, 2, 4 ... s)."""
        self.after_response(headers)
        wait = parse_duration(headers.get("retry-after"))
        if wait is None:
            wait = parse_duration(headers.get("x-ms-user-quota-resets-after"))
        if wait is None:
            wait = float(2 ** attempt)
        self._pause(max(wait, 0.1))

    def backoff(self, attempt):
        self._pause(float(2 ** attempt) * 0.5)

    def _pause(self, seconds):
        seconds = min(seconds, MAX_WAIT_SECONDS)
        self.waited += seconds
        self._sleep(seconds)


class PageResult:
    """What one batch of one query brought back: rows were handed to the sink page by page."""

    __slots__ = ("rows", "pages", "truncated", "limit_hit")

    def __init__(self):
        self.rows = 0
        self.pages = 0
        self.truncated = False
        self.limit_hit = False


class GraphClient:
    """Runs queries through ``transport``; ``requests`` counts what was sent (retries included)."""

    def __init__(self, transport, throttle=None):
        self._transport = transport
        self.throttle = throttle or Throttle()
        self._lock = threading.Lock()
        self.requests = 0

    def run(self, query, sink, subscriptions=None, management_group=None, on_page=None):
        """Every row of ``query`` over one scope, page by page into ``sink(rows)``; ``subscriptions``
        must be one batch (at most 1,000). Returns a ``PageResult``; raises ``GraphError``."""
        if subscriptions is not None and len(subscriptions) > MAX_SUBSCRIPTIONS:
            raise ValueError("a batch holds at most {} subscriptions".format(MAX_SUBSCRIPTIONS))
        body = {"query": query, "options": {"$top": PAGE_SIZE, "resultFormat": "objectArray"}}
        if management_group is not None:
            body["managementGroups"] = [management_group]
        elif subscriptions is not None:
            body["subscriptions"] = list(subscriptions)
        result = PageResult()
        token = None
        while True:
            page_body = body if token is None else dict(body, options=dict(body["options"], **{"$skipToken": token}))
            response = self._send(page_body)
            data = response.body.get("data")
            if isinstance(data, dict):  # the table format, should a proxy ask for it
                columns = [column.get("name") for column in data.get("columns") or []]
                data = [dict(zip(columns, row)) for row in data.get("rows") or []]
            rows = data if isinstance(data, list) else []
            result.pages += 1
            result.rows += len(rows)
            result.limit_hit = result.limit_hit or \
                str(response.headers.get("x-ms-tenant-subscription-limit-hit", "")).lower() == "true"
            sink(rows)
            if on_page:
                on_page(len(rows), response.body.get("totalRecords"))
            token = response.body.get("$skipToken")
            if not token:
                result.truncated = str(response.body.get("resultTruncated", "false")).lower() == "true"
                return result

    def _send(self, body):
        throttled = errors = 0
        while True:
            self.throttle.before_request()
            with self._lock:
                self.requests += 1
            try:
                response = self._transport.post(resource_graph_url(), body)
            except GraphError as error:
                if error.status is not None or errors + 1 >= MAX_ERROR_ATTEMPTS:
                    raise
                errors += 1
                self.throttle.backoff(errors)
                continue
            if response.status == 429:
                throttled += 1
                if throttled >= MAX_THROTTLED_ATTEMPTS:
                    raise GraphError("throttled by Resource Graph {} times in a row".format(throttled), 429,
                                     _code(response.body))
                self.throttle.throttled(response.headers, throttled)
                continue
            self.throttle.after_response(response.headers)
            if response.status >= 500 and errors + 1 < MAX_ERROR_ATTEMPTS:
                errors += 1
                self.throttle.backoff(errors)
                continue
            if response.status >= 400:
                code = _code(response.body)
                raise GraphError("{} {}".format(response.status, code or "error").strip(), response.status, code)
            if not isinstance(response.body, dict):
                raise GraphError("Resource Graph answered without a JSON object", response.status)
            return response


def _code(body):
    error = body.get("error") if isinstance(body, dict) else None
    return error.get("code") if isinstance(error, dict) else None


class CliTransport:
    """POSTs through the CLI's ``send_raw_request`` (the login, cloud and proxy of ``az``)."""

    def __init__(self, cli_ctx):
        self._cli_ctx = cli_ctx

    def post(self, path, body):
        from azure.cli.core.azclierror import HTTPError
        from azure.cli.core.util import send_raw_request
        import requests
        try:
            raw = send_raw_request(self._cli_ctx, "POST", path, body=json.dumps(body))
        except HTTPError as error:
            raw = error.response
        except requests.RequestException as error:
            raise GraphError("network error: {}".format(type(error).__name__)) from None
        try:
            payload = raw.json() if raw.content else {}
        except ValueError:
            payload = None
        return Response(raw.status_code, raw.headers, payload)
