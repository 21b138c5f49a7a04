"""The live reader: GET and list calls through the az CLI's own SDK clients.

Only read operations are called here. Models are turned into plain dicts with wire names
(``serialize(keep_readonly=True)``) at this boundary so rules never see SDK objects. Throttling
(429) is retried by the SDK's retry policy, which honours ``Retry-After``.
"""

import threading

from azext_sig_doctor.checks import ids
from azext_sig_doctor.checks.fetch import DENIED, ERROR, MISSING, OK, Read

GALLERY_API_VERSION = "2023-07-03"
# Keep the SDK's retries (429 with Retry-After, 5xx) but short: a pre-check must answer quickly.
RETRY_SETTINGS = {"retry_total": 3, "retry_backoff_factor": 0.2, "retry_backoff_max": 5}


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


def _error_read(ex):
    from azure.core.exceptions import ClientAuthenticationError, HttpResponseError, ResourceNotFoundError
    status = getattr(ex, "status_code", None) or getattr(getattr(ex, "response", None), "status_code", None)
    code = getattr(getattr(ex, "error", None), "code", None)
    message = "{} {}".format(status or "", code or "").strip() or type(ex).__name__
    if isinstance(ex, ResourceNotFoundError) or status == 404:
        return Read(MISSING, message=message, code=code)
    if isinstance(ex, ClientAuthenticationError) or status in (401, 403):
        return Read(DENIED, message=message, code=code)
    if isinstance(ex, HttpResponseError):
        return Read(ERROR, message=message, code=code)
    raise ex


class SdkReader:
    """Reads resources for the checks with the CLI's management clients, one client per kind."""

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

    def _make_client(self, kind, subscription):
        from azure.cli.core.commands.client_factory import get_mgmt_service_client
        from azure.cli.core.profiles import ResourceType
        if kind == "gallery":
            return get_mgmt_service_client(self._cli_ctx, ResourceType.MGMT_COMPUTE, api_version=GALLERY_API_VERSION,
                                           subscription_id=subscription, **RETRY_SETTINGS)
        if kind == "compute":
            return get_mgmt_service_client(self._cli_ctx, ResourceType.MGMT_COMPUTE,
                                           subscription_id=subscription, **RETRY_SETTINGS)
        if kind == "resource":
            return get_mgmt_service_client(self._cli_ctx, ResourceType.MGMT_RESOURCE_RESOURCES,
                                           subscription_id=subscription, **RETRY_SETTINGS)
        if kind == "subscription":
            return get_mgmt_service_client(self._cli_ctx, ResourceType.MGMT_RESOURCE_SUBSCRIPTIONS,
                                           subscription_bound=False, **RETRY_SETTINGS)
        raise ValueError(kind)

    def read(self, key):
        try:
            return Read(OK, self._read(key))
        except Exception as ex:  # pylint: disable=broad-except
            return _error_read(ex)

    def _read(self, key):  # pylint: disable=too-many-return-statements
        what = key[0]
        if what in ("gallery", "definition", "version", "definitions_in_gallery", "versions_in_definition"):
            parts = ids.parse(key[1])
            sub, rg, names = parts["subscription"], parts["resource_group"], parts["names"]
            client = self._client("gallery", sub)
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
        if what == "resource":
            return self._read_resource(key[1])
        raise ValueError("unknown read {}".format(key))

    def _read_resource(self, resource_id):
        parts = ids.parse(resource_id)
        kind = parts["type"].lower()
        sub, rg, name = parts["subscription"], parts["resource_group"], parts["name"]
        if kind == "versions":
            names = parts["names"]
            return _plain(self._client("gallery", sub).gallery_image_versions.get(rg, names[0], names[1], names[2]))
        client = self._client("compute", sub)
        if kind == "virtualmachines":
            return _plain(client.virtual_machines.get(rg, name, expand="instanceView"))
        operations = {
            "images": client.images,
            "snapshots": client.snapshots,
            "disks": client.disks,
            "diskencryptionsets": client.disk_encryption_sets,
        }.get(kind)
        if operations is None:
            raise ValueError("cannot read resources of type {}".format(parts["type"]))
        return _plain(operations.get(rg, name))
