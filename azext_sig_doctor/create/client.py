"""The gallery calls of the guarded creates, through the CLI's own azure-mgmt-compute.

Bodies are sent as the exact JSON built by ``bodies`` (the SDK accepts raw bytes), so what
``--dry-run`` shows is what goes on the wire. Reads return the service's JSON unchanged.
"""

import io
import json


def gallery_client(cli_ctx):
    """The gallery client of the command's subscription (``_client_factory``: one API version for
    every gallery resource)."""
    from azext_sig_doctor._client_factory import cf_gallery
    return cf_gallery(cli_ctx)


def subscription_id(cli_ctx):
    from azext_sig_doctor._client_factory import subscription_id as current
    return current(cli_ctx)


def resource_group_location(cli_ctx, resource_group):
    """Where the core puts a resource when --location is not given."""
    from azext_sig_doctor._client_factory import cf_resource
    return cf_resource(cli_ctx).resource_groups.get(resource_group).location


def _raw_json(pipeline_response, _deserialized, _headers):
    return pipeline_response.http_response.json()


def _payload(body):
    return io.BytesIO(json.dumps(body).encode("utf-8"))


def begin_create(client, kind, names, body):
    """Send the PUT; returns the SDK poller (errors of the PUT itself are raised here)."""
    payload = _payload(body)
    options = {"content_type": "application/json"}
    if kind == "gallery":
        return client.galleries.begin_create_or_update(names["resource_group"], names["gallery"], payload,
                                                       **options)
    if kind == "definition":
        return client.gallery_images.begin_create_or_update(names["resource_group"], names["gallery"],
                                                            names["image"], payload, **options)
    if kind == "version":
        return client.gallery_image_versions.begin_create_or_update(
            names["resource_group"], names["gallery"], names["image"], names["version"], payload, **options)
    raise ValueError("unknown kind of create: {}".format(kind))


def get_version(client, resource_group, gallery, image, version, retries=True):
    """The version's JSON with its replication status; ``retries=False`` leaves a failed read to
    the caller (the SDK's own retries would obey any Retry-After, however long)."""
    options = {} if retries else {"retry_total": 0}
    return client.gallery_image_versions.get(resource_group, gallery, image, version, expand="ReplicationStatus",
                                             cls=_raw_json, **options)


def list_versions(client, resource_group, gallery, image):
    """The definition's versions (JSON, without replication status: a list does not expand it)."""
    return [item.serialize(keep_readonly=True) for item in
            client.gallery_image_versions.list_by_gallery_image(resource_group, gallery, image)]
