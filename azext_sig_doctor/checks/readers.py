"""The live reader: GET and list calls through the az CLI's own SDK clients.

Only read operations are called here. Models are turned into plain dicts with wire names
(``serialize(keep_readonly=True)``) at this boundary so rules never see SDK objects. A failed read
is classified (``fetch.REASONS``): the check then says why a rule could not run and what to do.
Waits are bounded: a throttled read honours Retry-After only up to ``MAX_RETRY_AFTER`` seconds and
every read gives up after ``READ_DEADLINE`` seconds in all, so a check answers (unverified) instead
of hanging.
"""

import re
import threading

from azext_sig_doctor.checks.fetch import FAILED, MISSING, OK, Read
from azext_sig_doctor.domain import ids

MAX_RETRY_AFTER = 5
READ_DEADLINE = 60
RETRIES = 3
# The tenant an "access token is from the wrong issuer" error says the subscription belongs to.
_TENANT_IN_MESSAGE = re.compile(r"associated with this subscription.*?(?:windows\.net|microsoftonline\.com)/"
                                r"(?P<tenant>[0-9a-fA-F-]{36})", re.DOTALL)
_TENANT_CODES = ("invalidauthenticationtokentenant", "linkedauthorizationfailed", "linkedinvalidpropertyid")


def _retry_policy():
    """azure-core's retry policy (429 and 5xx, Retry-After honoured) with bounded waits."""
    from azure.core.pipeline.policies import RetryPolicy

    class BoundedRetryPolicy(RetryPolicy):
        def _sleep_for_retry(self, response, transport):
            retry_after = self.get_retry_after(response)
            if retry_after:
                transport.sleep(min(retry_after, MAX_RETRY_AFTER))
                return True
            return False

    return BoundedRetryPolicy(retry_total=RETRIES, retry_backoff_factor=0.2, retry_backoff_max=MAX_RETRY_AFTER,
                              timeout=READ_DEADLINE)


def _plain(model):
    if model is None:
        return None
    if hasattr(model, "serialize"):
        return model.serialize(keep_readonly=True)
    if hasattr(model, "as_dict"):
        return model.as_dict()
    return model


def _plain_list(pages):
    return {"value": [_plain(item) for item in pages]}


def classify(ex):
    """The Read of a failed call: missing (404) or failed with its reason class."""
    from azure.core.exceptions import (ClientAuthenticationError, HttpResponseError, ServiceRequestError,
                                       ServiceResponseError)
    status = getattr(ex, "status_code", None) or getattr(getattr(ex, "response", None), "status_code", None)
    code = getattr(getattr(ex, "error", None), "code", None)
    text = getattr(ex, "message", None) or str(ex)
    message = "{} {}".format(status or "", code or "").strip() or type(ex).__name__
    lowered = (code or "").lower()
    if isinstance(ex, (ServiceRequestError, ServiceResponseError)) or _is_connection_error(ex):
        return Read(FAILED, message="{}: {}".format(type(ex).__name__, _first_line(text)), reason="network")
    if status == 404 or lowered in ("resourcenotfound", "resourcegroupnotfound", "parentresourcenotfound"):
        if lowered in ("subscriptionnotfound", "invalidsubscriptionid"):
            return Read(FAILED, message=message, code=code, reason="subscription")
        return Read(MISSING, message=message, code=code)
    if lowered in _TENANT_CODES or "wrong issuer" in text:
        found = _TENANT_IN_MESSAGE.search(text)
        return Read(FAILED, message=message, code=code, reason="tenant",
                    tenant=found.group("tenant") if found else None)
    if lowered in ("subscriptionnotfound", "invalidsubscriptionid", "subscriptionnotregistered"):
        return Read(FAILED, message=message, code=code, reason="subscription")
    if isinstance(ex, ClientAuthenticationError) or status in (401, 403):
        return Read(FAILED, message=message, code=code, reason="forbidden")
    if status == 429:
        return Read(FAILED, message=message, code=code, reason="throttled")
    if status is not None and status >= 500:
        return Read(FAILED, message=message, code=code, reason="server")
    if isinstance(ex, HttpResponseError):
        return Read(FAILED, message=message, code=code, reason="error")
    if "timed out" in text.lower() or isinstance(ex, TimeoutError):
        return Read(FAILED, message=_first_line(text), reason="timeout")
    if "subscription" in text.lower() and ("not found" in text.lower() or "doesn't exist" in text.lower()):
        return Read(FAILED, message=_first_line(text), reason="subscription")
    return None


def _is_connection_error(ex):
    import requests
    return isinstance(ex, (requests.exceptions.ConnectionError, ConnectionError))


def _first_line(text):
    return (text or "").strip().splitlines()[0][:300] if (text or "").strip() else ""


class SdkReader:
    """Reads resources for the checks with the CLI's management clients (``_client_factory``), one
    client per kind (gallery, compute, resource, subscription) and subscription."""

    def __init__(self, cli_ctx):
        self._cli_ctx = cli_ctx
        self._clients = {}
        self._lock = threading.Lock()

    def _client(self, kind, subscription):
        key = (kind, subscription)
        with self._lock:
            if key not in self._clients:
                self._clients[key] = self._make_client(kind, subscription)
            return self._clients[key]

    def _client_options(self, kind):  # pylint: disable=unused-argument
        """Keyword arguments for every management client (a subclass may add a credential)."""
        return {"retry_policy": _retry_policy()}

    def _make_client(self, kind, subscription):
        from azext_sig_doctor import _client_factory
        return _client_factory.client(self._cli_ctx, kind, subscription, **self._client_options(kind))

    def read(self, key):
        try:
            return Read(OK, self._read(key))
        except Exception as ex:  # pylint: disable=broad-except
            result = classify(ex)
            if result is None:
                raise
            return result

    def _read(self, key):  # pylint: disable=too-many-return-statements
        what = key[0]
        if what in ("gallery", "definition", "version", "definitions_in_gallery", "versions_in_definition"):
            parsed = ids.parse(key[1])
            rg, names = parsed.resource_group, parsed.names
            client = self._client("gallery", parsed.subscription)
            if what == "gallery":
                return _plain(client.galleries.get(rg, names[0]))
            if what == "definition":
                return _plain(client.gallery_images.get(rg, names[0], names[1]))
            if what == "version":
                return _plain(client.gallery_image_versions.get(rg, names[0], names[1], names[2],
                                                                expand="ReplicationStatus"))
            if what == "definitions_in_gallery":
                return _plain_list(client.gallery_images.list_by_gallery(rg, names[0]))
            return _plain_list(client.gallery_image_versions.list_by_gallery_image(rg, names[0], names[1]))
        if what in ("community_image", "community_versions", "shared_image", "shared_versions"):
            return self._read_shared(key)
        if what == "galleries_in_subscription":
            return _plain_list(self._client("gallery", key[1]).galleries.list())
        if what == "compute_provider":
            return _plain(self._client("resource", key[1]).providers.get("Microsoft.Compute"))
        if what == "resource_group":
            return _plain(self._client("resource", key[1]).resource_groups.get(key[2]))
        if what == "locations":
            return _plain_list(self._client("subscription", key[1]).subscriptions.list_locations(key[1]))
        if what == "skus":
            return _plain_list(self._client("compute", key[1]).resource_skus.list())
        if what == "disk_encryption_sets":
            return _plain_list(self._client("compute", key[1]).disk_encryption_sets.list())
        if what == "resource":
            return self._read_resource(key[1])
        raise ValueError("unknown read {}".format(key))

    def _read_shared(self, key):
        """Community and direct-shared gallery images, as the subscription ``key[1]`` sees them in the
        region ``key[2]``: (what, subscription, location, gallery public/unique name, image)."""
        what, subscription, location, gallery, image = key
        client = self._client("gallery", subscription)
        if what == "community_image":
            return _plain(client.community_gallery_images.get(location, gallery, image))
        if what == "community_versions":
            return _plain_list(client.community_gallery_image_versions.list(location, gallery, image))
        if what == "shared_image":
            return _plain(client.shared_gallery_images.get(location, gallery, image))
        return _plain_list(client.shared_gallery_image_versions.list(location, gallery, image))

    def _read_resource(self, resource_id):
        parsed = ids.parse(resource_id)
        kind = parsed.type.lower()
        rg, name = parsed.resource_group, parsed.name
        if kind == "versions":
            names = parsed.names
            return _plain(self._client("gallery", parsed.subscription).gallery_image_versions.get(
                rg, names[0], names[1], names[2]))
        client = self._client("compute", parsed.subscription)
        if kind == "virtualmachines":
            return _plain(client.virtual_machines.get(rg, name, expand="instanceView"))
        operations = {
            "images": client.images,
            "snapshots": client.snapshots,
            "disks": client.disks,
            "diskencryptionsets": client.disk_encryption_sets,
        }.get(kind)
        if operations is None:
            raise ValueError("cannot read resources of type {}".format(parsed.type))
        return _plain(operations.get(rg, name))
