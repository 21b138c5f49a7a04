"""`{"value": [...], "nextLink": ...}` pages with a scenario-sized page."""

from urllib.parse import urlencode


def page(items, query, base_url, path, page_size):
    skip = int(query.get("$skiptoken", 0) or 0)
    size = max(1, int(page_size))
    body = {"value": items[skip:skip + size]}
    if skip + size < len(items):
        params = {k: v for k, v in query.items() if k != "$skiptoken"}
        params["$skiptoken"] = str(skip + size)
        body["nextLink"] = f"{base_url}{path}?{urlencode(params, safe='$')}"
    return body
