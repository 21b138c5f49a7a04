"""Every Azure client sig-doctor uses, made in one place, with one API version per resource type.

The clients come from the CLI's own factory (``get_mgmt_service_client``: the login, cloud, proxy,
``--subscription`` and ``--debug`` logging of ``az``). What each kind of client talks to, and with
which API version:

- ``gallery``: galleries, image definitions, image versions, community and direct-shared gallery
  images, always with ``GALLERY_API_VERSION``;
- ``compute``: VMs, managed images, snapshots, disks, disk encryption sets, resource SKUs, with
  the version the CLI's profile picks (as the core commands do);
- ``resource``: resource groups and resource providers, the profile's version;
- ``subscription``: subscriptions and their locations (bound to no subscription), the profile's;
- Resource Graph, for the estate scan (REST through ``send_raw_request``): ``resource_graph_url()``
  with ``RESOURCE_GRAPH_API_VERSION``.

Callers add only what is theirs (the pre-checks' bounded retry policy, the estate scan's one
credential for every subscription) as client options. Nothing is imported at module level: the
module is light enough for any code path.
"""

# The newest gallery API of the multi-API azure-mgmt-compute that azure-cli 2.91 ships. The CLI's
# profile gives galleries and image definitions 2021-10-01 and image versions nothing at all, so
# gallery resources are always read and written with this one version.
GALLERY_API_VERSION = "2023-07-03"
# The Resource Graph API the scan's queries (options.$top, $skipToken, resultTruncated) are written for.
RESOURCE_GRAPH_API_VERSION = "2021-03-01"
RESOURCE_GRAPH_PATH = "/providers/Microsoft.ResourceGraph/resources"

GALLERY, COMPUTE, RESOURCE, SUBSCRIPTION = "gallery", "compute", "resource", "subscription"
KINDS = (GALLERY, COMPUTE, RESOURCE, SUBSCRIPTION)


def _resource_type(kind):
    """(the CLI's ResourceType, the API version pinned for it or None for the profile's)."""
    from azure.cli.core.profiles import ResourceType
    return {
        GALLERY: (ResourceType.MGMT_COMPUTE, GALLERY_API_VERSION),
        COMPUTE: (ResourceType.MGMT_COMPUTE, None),
        RESOURCE: (ResourceType.MGMT_RESOURCE_RESOURCES, None),
        SUBSCRIPTION: (ResourceType.MGMT_RESOURCE_SUBSCRIPTIONS, None),
    }[kind]


def client(cli_ctx, kind, subscription_id=None, **options):
    """The management client of ``kind`` (see the table above) for ``subscription_id`` (None: the
    command's subscription; ignored for ``subscription``, which is bound to none). ``options`` go to
    the client as they are (``retry_policy``, ``credential``)."""
    if kind not in KINDS:
        raise ValueError("unknown kind of client: {}".format(kind))
    from azure.cli.core.commands.client_factory import get_mgmt_service_client
    resource_type, api_version = _resource_type(kind)
    if api_version:
        options["api_version"] = api_version
    if kind == SUBSCRIPTION:
        options["subscription_bound"] = False
    elif subscription_id:
        options["subscription_id"] = subscription_id
    return get_mgmt_service_client(cli_ctx, resource_type, **options)


def cf_gallery(cli_ctx, subscription_id=None, **options):
    return client(cli_ctx, GALLERY, subscription_id, **options)


def cf_compute(cli_ctx, subscription_id=None, **options):
    return client(cli_ctx, COMPUTE, subscription_id, **options)


def cf_resource(cli_ctx, subscription_id=None, **options):
    return client(cli_ctx, RESOURCE, subscription_id, **options)


def cf_subscription(cli_ctx, **options):
    return client(cli_ctx, SUBSCRIPTION, **options)


def resource_graph_url():
    """The path (with its api-version) the scan POSTs its queries to."""
    return "{}?api-version={}".format(RESOURCE_GRAPH_PATH, RESOURCE_GRAPH_API_VERSION)


def login_credential(cli_ctx):
    """The login's own credential, usable for any subscription of its tenant (the estate scan reads
    every subscription Resource Graph answered for with it, even one the CLI's profile does not list)."""
    from azure.cli.core._profile import Profile
    return Profile(cli_ctx=cli_ctx).get_login_credentials()[0]


def subscription_id(cli_ctx):
    """The command's subscription id (--subscription, else the login's default)."""
    from azure.cli.core.commands.client_factory import get_subscription_id
    return get_subscription_id(cli_ctx)
