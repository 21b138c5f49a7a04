"""What the scan reads: two Resource Graph queries (gallery resources; the VMs and scale sets made
from gallery images), then the per-region replication state of the versions that need it.

Rows are turned into ``model`` objects page by page (the raw rows are not kept), and each read
that failed is remembered with its reason, so the rules that needed it say ``unverified``.
"""

from azext_sig_doctor.estate import graph, latest, model
from azext_sig_doctor.i18n.catalog import msg

_READS = "estate.reads"

# Resource Graph's resources table; the projected columns carry the resources' own property names
# so that one parser (``model``) reads these rows and ARM JSON alike.
GALLERY_QUERY = """resources
| where type in~ ('microsoft.compute/galleries', 'microsoft.compute/galleries/images',
                  'microsoft.compute/galleries/images/versions')
| project id, type, location,
          provisioningState = properties.provisioningState,
          publishingProfile = properties.publishingProfile,
          safetyProfile = properties.safetyProfile,
          hyperVGeneration = properties.hyperVGeneration,
          features = properties.features,
          architecture = properties.architecture,
          osType = properties.osType
| order by id asc"""

USER_QUERY = """resources
| where type in~ ('microsoft.compute/virtualmachines', 'microsoft.compute/virtualmachinescalesets')
| extend vmImage = tostring(properties.storageProfile.imageReference.id),
         scaleSetImage = tostring(properties.virtualMachineProfile.storageProfile.imageReference.id)
| where vmImage has 'galleries' or scaleSetImage has 'galleries'
| project id, type, location, vmImage, scaleSetImage, capacity = toint(sku.capacity)
| order by id asc"""

GALLERIES, USERS = "galleries", "users"
# What each query reads, in words (``estate.reads``).
WHAT = {GALLERIES: "galleries", USERS: "users"}


class Inventory:
    """Galleries, definitions and versions by lower-case id; users; and ``problems``: query name
    -> why its rows are missing or incomplete (a ``GraphError`` reason)."""

    def __init__(self):
        self.galleries = {}
        self.definitions = {}
        self.versions = {}
        self.users = []
        self.problems = {}
        self.denied = set()

    def add_gallery_rows(self, rows):
        for row in rows:
            resource = model.gallery_resource(row)
            if isinstance(resource, model.Version):
                self.versions[resource.id.lower()] = resource
            elif isinstance(resource, model.Definition):
                self.definitions[resource.key] = resource
            elif isinstance(resource, model.Gallery):
                self.galleries[resource.key] = resource

    def add_user_rows(self, rows):
        for row in rows:
            found = model.user(row)
            if found is not None:
                self.users.append(found)

    def link(self):
        """Attach each version to its definition (versions whose definition was not read stay loose)."""
        for definition in self.definitions.values():
            definition.versions = []
        for version in self.versions.values():
            definition = self.definitions.get(version.definition_key)
            if definition is not None:
                definition.versions.append(version)

    def problem(self, what, reason, denied=False):
        self.problems.setdefault(what, reason)
        if denied:
            self.denied.add(what)


def read(client, subscriptions=None, management_group=None, on_page=None, run=None):
    """Run both queries over the scope (subscriptions in batches, concurrently) into an ``Inventory``.

    ``run(function, items, workers)`` runs the jobs (``checks.fetch.run_concurrently`` by default).
    """
    import threading
    inventory = Inventory()
    lock = threading.Lock()
    if management_group is not None:
        scopes = [(None, management_group)]
    else:
        scopes = [(batch, None) for batch in graph.batches(list(subscriptions or []))]
    jobs = [(what, batch, group) for what in (GALLERIES, USERS) for batch, group in scopes]

    def sink_for(what):
        add = inventory.add_gallery_rows if what == GALLERIES else inventory.add_user_rows

        def sink(rows):
            with lock:
                add(rows)
        return sink

    def job(item):
        what, batch, group = item
        query = GALLERY_QUERY if what == GALLERIES else USER_QUERY
        try:
            result = client.run(query, sink_for(what), subscriptions=batch, management_group=group, on_page=on_page)
        except graph.GraphError as error:
            with lock:
                inventory.problem(what, msg(_READS, "query-failed", what=msg(_READS, WHAT[what]), why=error.reason),
                                  error.denied)
            return
        except Exception as error:  # pylint: disable=broad-except
            with lock:
                inventory.problem(what, msg(_READS, "query-failed", what=msg(_READS, WHAT[what]),
                                            why=type(error).__name__))
            return
        with lock:
            if result.truncated:
                inventory.problem(what, msg(_READS, "truncated", what=msg(_READS, WHAT[what])))
            if result.limit_hit:
                inventory.problem(what, msg(_READS, "subscription-limit"))

    if jobs:
        if run is None:
            from azext_sig_doctor.checks.fetch import run_concurrently as run
        run(job, jobs, min(4, len(jobs)))
    inventory.link()
    return inventory


def versions_needing_replication(inventory, now, recent_seconds):
    """Versions whose per-region state must be read: not Succeeded, or published within
    ``recent_seconds`` (Resource Graph may not have caught up with a recent change yet)."""
    needed = []
    for version in inventory.versions.values():
        recent = version.published is not None and (now - version.published).total_seconds() < recent_seconds
        if latest.needs_replication_state(version) or recent:
            needed.append(version)
    return needed


def read_replication(versions, reader, on_done=None, run=None, workers=16):
    """GET each version with ``$expand=ReplicationStatus`` through ``reader`` (``checks.readers``)
    and store its region states; a read that fails leaves ``replication_error``."""
    from azext_sig_doctor.checks.fetch import MISSING, OK, REASONS, Fetcher
    fetcher = Fetcher(reader, max_workers=workers)
    keys = {("version", version.id): version for version in versions}

    def one(key):
        read = fetcher.get(key)
        version = keys[key]
        if read.status == OK:
            try:
                properties = (read.data or {}).get("properties") or {}
                version.set_replication((properties.get("replicationStatus") or {}).get("summary") or [])
                version.provisioning_state = properties.get("provisioningState") or version.provisioning_state
            except (AttributeError, TypeError):
                version.replication = None
                version.replication_error = msg(_READS, "status-unreadable")
        elif read.status == MISSING:
            version.replication_error = msg(_READS, "version-gone")
        elif read.reason == "forbidden":
            version.replication_error = msg(_READS, "version-forbidden", why=read.message)
        else:
            version.replication_error = msg(_READS, "version-failed", why=read.message,
                                            advice=REASONS.get(read.reason, REASONS["error"]))
        if on_done:
            on_done()

    if keys:
        if run is None:
            from azext_sig_doctor.checks.fetch import run_concurrently as run
        run(one, list(keys), min(workers, len(keys)))


def reader_for(cli_ctx):
    """The checks' SDK reader, with one credential for every subscription: the login's.

    Resource Graph answers with the token of the login's tenant, so every version it returns is read
    with that same identity: subscriptions created since ``az login`` (which the CLI's profile does
    not list, and so refuses to make clients for) included. One credential also means one token for
    hundreds of subscriptions instead of one token cache lookup per subscription.
    """
    import threading
    from azext_sig_doctor.checks.readers import SdkReader

    class Reader(SdkReader):
        _credential = None
        _credential_lock = threading.Lock()

        def _client_options(self, kind):
            options = super()._client_options(kind)
            if kind in ("gallery", "compute", "resource"):
                from azext_sig_doctor._client_factory import login_credential
                with self._credential_lock:
                    if self._credential is None:
                        self._credential = login_credential(cli_ctx)
                options["credential"] = self._credential
            return options

    return Reader(cli_ctx)
