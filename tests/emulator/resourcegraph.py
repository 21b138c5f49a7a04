"""Azure Resource Graph: ``POST /providers/Microsoft.ResourceGraph/resources`` over the emulator's
resources, with the subset of KQL in ``kql``.

Documented behaviour emulated (learn.microsoft.com/azure/governance/resource-graph/: the REST
reference of Resources, "Guidance for pagination", "Guidance for throttled requests",
"Troubleshoot"):
  * request ``{subscriptions?, managementGroups?, query, options: {$top, $skip, $skipToken,
    resultFormat}}``; without a scope the query runs over every subscription of the caller's
    tenant; at most 1,000 subscriptions per request; a tenant or management-group scope is cut to
    the first 10,000 subscriptions with ``x-ms-tenant-subscription-limit-hit: true``;
  * response ``{totalRecords, count, resultTruncated ("true"/"false"), data, facets, $skipToken?}``,
    ``data`` an array of objects (``objectArray``, the default) or ``{columns, rows}`` (``table``);
    at most 1,000 records per page ($top); no ``$skipToken`` (paging impossible, ``resultTruncated``
    "true" when rows were left out) when the query uses ``limit``/``take`` or every output column
    is dynamic or null; a page request repeats the first one with ``options.$skipToken`` added;
  * every answer carries ``x-ms-user-quota-remaining`` and ``x-ms-user-quota-resets-after``
    (hh:mm:ss); beyond the quota the answer is 429 (the documented example: 15 queries per
    5-second window, per user);
  * rows in the shape of the ``resources`` table: ``type`` and ``location`` in lower case,
    ``resourceGroup`` in lower case, ``subscriptionId``, ``tenantId``, ``properties`` as a GET
    without ``$expand`` shows them.

Guessed (no public source): the error codes and texts of refused requests (marked below), that
subscriptions the caller cannot see are left out silently, that a page snapshot outlives later
changes (the real service documents duplicates or gaps when data changes between pages instead).

Scenario settings (``resource_graph:``): ``quota`` (queries per window, default 15),
``window_seconds`` (default 5), ``page_size`` (a test knob: fewer records per page than $top, to
page through small worlds), ``management_groups`` ({name: [subscription ids]}).
"""

import base64
import itertools
import json
import math
import threading
import time
import weakref
from collections import OrderedDict

from . import kql
from .errors import ArmError
from .http import json_response
from .replication import provisioning_state

API_VERSIONS = ("2021-03-01", "2022-10-01", "2024-04-01")
MAX_TOP = 1000
MAX_SUBSCRIPTIONS = 1000
SCOPE_SUBSCRIPTION_LIMIT = 10000
DEFAULT_QUOTA = 15
DEFAULT_WINDOW_SECONDS = 5
SETTINGS = {"quota", "window_seconds", "page_size", "management_groups"}

RESOURCES_COLUMNS = ("id", "name", "type", "tenantId", "kind", "location", "resourceGroup", "subscriptionId",
                     "managedBy", "sku", "plan", "properties", "tags", "identity", "zones", "extendedLocation")

_SNAPSHOTS_KEPT = 16


class _Runtime:
    """Per loaded world: the callers' quota windows and the results being paged through."""

    def __init__(self):
        self.lock = threading.Lock()
        self.windows = {}
        self.snapshots = OrderedDict()
        self.ids = itertools.count(1)

    def take_quota(self, caller, quota, window):
        """(remaining, seconds until reset) after counting one query; ArmError 429 beyond it."""
        with self.lock:
            now = time.monotonic()
            start, used = self.windows.get(caller, (now, 0))
            if now - start >= window:
                start, used = now, 0
            resets = window - (now - start)
            if used >= quota:
                raise ArmError(429, "RateLimiting",  # guessed code and text
                               "Client application has been throttled and should not attempt to repeat the "
                               "request until an amount of time has elapsed. Please see "
                               "https://aka.ms/resourcegraph-throttling for help.",
                               headers=_quota_headers(0, resets))
            self.windows[caller] = (start, used + 1)
            return quota - used - 1, resets

    def keep(self, snapshot):
        with self.lock:
            key = next(self.ids)
            self.snapshots[key] = snapshot
            while len(self.snapshots) > _SNAPSHOTS_KEPT:
                self.snapshots.popitem(last=False)
            return key

    def snapshot(self, key):
        with self.lock:
            return self.snapshots.get(key)


_RUNTIMES = weakref.WeakKeyDictionary()
_RUNTIMES_LOCK = threading.Lock()


def _runtime(state):
    with _RUNTIMES_LOCK:
        runtime = _RUNTIMES.get(state)
        if runtime is None:
            runtime = _RUNTIMES[state] = _Runtime()
        return runtime


def _quota_headers(remaining, resets_seconds):
    seconds = max(0, int(math.ceil(resets_seconds)))
    return {"x-ms-user-quota-remaining": str(remaining),
            "x-ms-user-quota-resets-after": "{:02d}:{:02d}:{:02d}".format(seconds // 3600, seconds // 60 % 60,
                                                                        seconds % 60)}


def settings_of(state):
    settings = getattr(state, "resource_graph", None) or {}
    unknown = set(settings) - SETTINGS
    if unknown:
        raise ArmError(500, "InvalidScenario", "unknown resource_graph setting(s): " + ", ".join(sorted(unknown)))
    return settings


def bad_query(detail):
    # guessed: the envelope is the documented one, the detail codes are what public reports show
    return ArmError(400, "BadRequest", "Please provide below info when asking for support: the query is invalid.",
                    details=[{"code": "InvalidQuery", "message": "Query is invalid. Please refer to the "
                              "documentation for the Azure Resource Graph service and fix the error before "
                              "retrying."}, {"code": "ParserFailure", "message": detail}])


def bad_request(code, message):
    return ArmError(400, code, message)  # guessed codes


# ---- scope ------------------------------------------------------------------------------------

def _scope(state, caller, body, settings):
    """(subscription ids in scope, lower case, in order; limit hit?)"""
    visible = [sub["id"] for sub in state.subscriptions if sub["tenant"] == caller.tenant]
    visible_lower = {sub.lower(): sub for sub in visible}
    subscriptions = body.get("subscriptions")
    groups = body.get("managementGroups")
    if subscriptions is not None:
        if not isinstance(subscriptions, list) or not all(isinstance(s, str) for s in subscriptions):
            raise bad_request("InvalidRequestContent", "'subscriptions' must be a list of subscription ids.")
        if len(subscriptions) > MAX_SUBSCRIPTIONS:
            raise bad_request("InvalidQueryRequest",
                              "The request includes {} subscriptions; at most {} are allowed per request. Batch "
                              "the subscriptions.".format(len(subscriptions), MAX_SUBSCRIPTIONS))
        return [s.lower() for s in subscriptions if s.lower() in visible_lower], False
    if groups is not None:
        known = settings.get("management_groups") or {}
        if not isinstance(groups, list) or not groups:
            raise bad_request("InvalidRequestContent", "'managementGroups' must be a list of names.")
        chosen = []
        for group in groups:
            match = next((members for name, members in known.items() if name.lower() == str(group).lower()), None)
            if match is None:
                raise ArmError(404, "ManagementGroupNotFound",  # guessed
                               "The management group '{}' was not found.".format(group))
            chosen.extend(s.lower() for s in match if s.lower() in visible_lower)
        scope = list(OrderedDict.fromkeys(chosen))
    else:
        scope = [s.lower() for s in visible]
    hit = len(scope) > SCOPE_SUBSCRIPTION_LIMIT
    return scope[:SCOPE_SUBSCRIPTION_LIMIT], hit


# ---- rows -------------------------------------------------------------------------------------

def _row(state, record, now, tenant):
    resource = record.resource
    rid = resource["id"]
    parts = rid.split("/")
    properties = dict(resource.get("properties") or {})
    properties["provisioningState"] = provisioning_state(state, record, now)
    location = resource.get("location") or ""
    return {
        "id": rid, "name": resource.get("name"), "type": resource.get("type", "").lower(), "tenantId": tenant,
        "kind": resource.get("kind", ""), "location": (state.location_name(location) or location).lower(),
        "resourceGroup": parts[4].lower(), "subscriptionId": parts[2], "managedBy": resource.get("managedBy", ""),
        "sku": resource.get("sku"), "plan": resource.get("plan"), "properties": properties,
        "tags": resource.get("tags") or {}, "identity": resource.get("identity"), "zones": resource.get("zones"),
        "extendedLocation": resource.get("extendedLocation"),
    }


def _rows(state, scope, tenant):
    wanted = set(scope)
    now = state.clock.now()
    rows = []
    for record in state.resources.values():
        rid = record.resource["id"]
        if rid.split("/")[2].lower() in wanted:
            rows.append(_row(state, record, now, tenant))
    return rows


# ---- paging -----------------------------------------------------------------------------------

def _int_option(options, name, low, high=None):
    value = options.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
        raise bad_request("InvalidQueryRequestOptions",
                          "options.{} must be a whole number from {}{}.".format(
                              name, low, " to {}".format(high) if high else ""))
    return value


def _token(snapshot_id, offset):
    return base64.urlsafe_b64encode(json.dumps({"s": snapshot_id, "o": offset}).encode()).decode()


def _untoken(text):
    try:
        data = json.loads(base64.urlsafe_b64decode(text.encode()))
        return int(data["s"]), int(data["o"])
    except (ValueError, TypeError, KeyError):
        raise bad_request("InvalidSkipToken", "The $skipToken is invalid.") from None  # guessed


def _all_dynamic(rows, columns):
    """True when every output column holds only dynamic values or nulls (then no paging)."""
    for column in columns:
        for row in rows:
            value = row.get(column)
            if value is not None and not isinstance(value, (dict, list)):
                return False
    return bool(rows)


class _Snapshot:
    __slots__ = ("request", "rows", "columns", "pageable", "limit_hit")

    def __init__(self, request, rows, columns, pageable, limit_hit):
        self.request = request
        self.rows = rows
        self.columns = columns
        self.pageable = pageable
        self.limit_hit = limit_hit


def _request_key(body, api_version):
    """What must stay the same from page to page: everything but the skip token."""
    options = dict(body.get("options") or {})
    options.pop("$skipToken", None)
    return json.dumps([api_version, body.get("query"), body.get("subscriptions"), body.get("managementGroups"),
                       options], sort_keys=True)


def handle(ctx, method, query_params, body):
    state, caller = ctx.state, ctx.caller
    if method != "POST":
        raise ArmError(405, "MethodNotAllowed", "The method '{}' is not supported here.".format(method))
    api_version = query_params.get("api-version")
    if not api_version:
        raise bad_request("MissingApiVersionParameter",
                          "The api-version query parameter (?api-version=) is required for all requests.")
    if api_version not in API_VERSIONS:
        raise bad_request("InvalidApiVersionParameter",
                          "The api-version '{}' is invalid. The supported versions are '{}'.".format(
                              api_version, ",".join(API_VERSIONS)))
    settings = settings_of(state)
    runtime = _runtime(state)
    remaining, resets = runtime.take_quota(caller.object_id, int(settings.get("quota", DEFAULT_QUOTA)),
                                           float(settings.get("window_seconds", DEFAULT_WINDOW_SECONDS)))
    headers = _quota_headers(remaining, resets)
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        raise bad_request("InvalidRequestContent", "The request content must be an object with a 'query' string.")
    options = body.get("options") or {}
    if not isinstance(options, dict):
        raise bad_request("InvalidRequestContent", "'options' must be an object.")
    result_format = str(options.get("resultFormat") or "objectArray")
    if result_format.lower() not in ("objectarray", "table"):
        raise bad_request("InvalidQueryRequestOptions", "options.resultFormat must be objectArray or table.")
    top = _int_option(options, "$top", 1, MAX_TOP) or MAX_TOP
    skip = _int_option(options, "$skip", 0) or 0
    page_cap = int(settings.get("page_size") or MAX_TOP)
    request_key = _request_key(body, api_version)

    token = options.get("$skipToken")
    if token:
        snapshot_id, offset = _untoken(str(token))
        snapshot = runtime.snapshot(snapshot_id)
        if snapshot is None or snapshot.request != request_key:
            raise bad_request("InvalidSkipToken",  # guessed
                              "The $skipToken does not belong to this query, or it has expired.")
    else:
        scope, limit_hit = _scope(state, caller, body, settings)
        try:
            parsed = kql.parse(body["query"], {"resources": RESOURCES_COLUMNS})
            result = parsed.evaluate(_rows(state, scope, caller.tenant))
        except kql.KqlError as error:
            raise bad_query(str(error)) from None
        rows = result.rows[skip:]
        pageable = not result.limited and not _all_dynamic(rows, result.columns)
        snapshot = _Snapshot(request_key, rows, result.columns, pageable, limit_hit)
        snapshot_id, offset = None, 0

    size = min(top, page_cap)
    page = snapshot.rows[offset:offset + size]
    more = offset + size < len(snapshot.rows)
    response = {"totalRecords": len(snapshot.rows), "count": len(page), "facets": []}
    if more and snapshot.pageable:
        if snapshot_id is None:
            snapshot_id = runtime.keep(snapshot)
        response["$skipToken"] = _token(snapshot_id, offset + size)
        response["resultTruncated"] = "false"
    else:
        response["resultTruncated"] = "true" if more else "false"
    if result_format.lower() == "table":
        response["data"] = {"columns": [{"name": name, "type": _column_type(page, name)}
                                        for name in snapshot.columns],
                            "rows": [[row.get(name) for name in snapshot.columns] for row in page]}
    else:
        response["data"] = page
    if snapshot.limit_hit:
        headers["x-ms-tenant-subscription-limit-hit"] = "true"
    return json_response(response, 200, headers)


def _column_type(rows, name):
    for row in rows:
        value = row.get(name)
        if isinstance(value, bool):
            return "boolean"
        if isinstance(value, int):
            return "integer"
        if isinstance(value, float):
            return "number"
        if isinstance(value, str):
            return "string"
        if isinstance(value, (dict, list)):
            return "object"
    return "string"
