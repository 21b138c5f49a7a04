"""Which version ``latest`` resolves to in a region, and why each newer version is not picked.

The rules, from the service's documentation (sources in README.md, "Which version latest is"):
  1. versions are ordered by version number, highest MajorVersion, then MinorVersion, then Patch;
  2. a version whose ``publishingProfile.excludeFromLatest`` is true is never picked;
  3. in a region, only versions with a replica there count: the region must be a target region,
     not marked ``excludeFromLatest`` for that region;
  4. (inferred) the replica must have finished: a region still replicating, or failed, cannot
     serve it; and a version whose provisioning state is Failed, Creating or Deleting is not
     picked (the documentation says only "replicated to the region"; the states are our reading).
A version's end-of-life date does not take it out of ``latest`` (end-of-life dates are
informational). Versions published after the pick but numbered below it are reported too: users
expect the newest by date, the service orders by number.

Pure functions over ``model.Version`` objects: no I/O.
"""

from azext_sig_doctor.domain import regions
from azext_sig_doctor.estate.model import COMPLETED, FAILED, SUCCEEDED
from azext_sig_doctor.i18n.catalog import msg, render

# Why a version is not picked: messages of the catalog (``estate.latest``); they read as English
# ("excluded from latest") and are written in the language of the command.
_REASONS = "estate.latest"
EXCLUDED = "excluded from latest"
EXCLUDED_IN_REGION = "excluded from latest in this region"
NOT_REPLICATED = "not replicated to this region"
# Provisioning states that keep a version out of latest everywhere.
UNPICKABLE_STATES = ("Failed", "Creating", "Deleting")


class Skip:
    """A version not picked, and why (words for users)."""

    __slots__ = ("version", "reason")

    def __init__(self, version, reason):
        self.version = version
        self.reason = reason

    def to_dict(self):
        return {"version": self.version.name, "reason": render(self.reason)}

    def __repr__(self):
        return "Skip({}, {!r})".format(self.version.name, self.reason)


class Resolution:
    """``latest`` in one region: the ``version`` picked (or None), the versions ``skipped`` above it
    (newest first, then those published later but numbered lower), and ``unverified``: versions whose
    state there could not be read, any of which might have been picked instead."""

    __slots__ = ("region", "version", "skipped", "unverified")

    def __init__(self, region, version, skipped, unverified):
        self.region = region
        self.version = version
        self.skipped = skipped
        self.unverified = unverified

    @property
    def certain(self):
        return not self.unverified

    def to_dict(self):
        return {"region": self.region, "version": self.version.name if self.version else None,
                "skipped": [skip.to_dict() for skip in self.skipped],
                "unverified": [skip.to_dict() for skip in self.unverified]}

    def __repr__(self):
        return "Resolution({}, {})".format(self.region, self.version.name if self.version else None)


def why_not(version, region):
    """(reason it is not picked in ``region``, or None; reason its state there is unknown, or None)."""
    if version.excluded:
        return msg(_REASONS, "excluded"), None
    if version.key is None:
        return msg(_REASONS, "not-a-number"), None
    replica = version.target(region)
    if replica is None:
        return msg(_REASONS, "not-replicated"), None
    if replica.excluded:
        return msg(_REASONS, "excluded-in-region"), None
    if version.provisioning_state in UNPICKABLE_STATES:
        return msg(_REASONS, "provisioning-state", state=version.provisioning_state), None
    state = version.region_state(region)
    if state is None:
        because = version.replication_error or msg(_REASONS, "not-read")
        return None, msg(_REASONS, "state-unknown", because=because, state=version.provisioning_state)
    if state.state == COMPLETED:
        return None, None
    if state.state == FAILED:
        if state.details:
            return msg(_REASONS, "failed-with-details", details=state.details), None
        return msg(_REASONS, "failed"), None
    if state.progress:
        return msg(_REASONS, "in-progress", progress=state.progress), None
    return msg(_REASONS, "not-started"), None


def resolve(versions, region):
    """The ``Resolution`` of ``latest`` among ``versions`` (of one definition) in ``region``."""
    region = regions.key(region)
    ordered = sorted((v for v in versions if v.key is not None), key=lambda v: v.key, reverse=True)
    ordered += [v for v in versions if v.key is None]
    skipped, unverified, picked = [], [], None
    for version in ordered:
        reason, unknown = why_not(version, region)
        if unknown:
            unverified.append(Skip(version, unknown))
        elif reason:
            skipped.append(Skip(version, reason))
        else:
            picked = version
            break
    if picked is not None and picked.published is not None:
        for version in ordered:
            if version.key is None or version.key >= picked.key:
                continue
            if version.published is not None and version.published > picked.published \
                    and why_not(version, region) == (None, None):
                skipped.append(Skip(version, msg(_REASONS, "numbered-below", picked=picked.name)))
    return Resolution(region, picked, skipped, unverified)


def regions_of(versions):
    """Every target region of any of ``versions`` (region keys, sorted)."""
    return sorted({replica.region for version in versions for replica in version.targets if replica.region})


def needs_replication_state(version):
    """True when the region states of ``version`` cannot be inferred from its provisioning state."""
    return version.provisioning_state != SUCCEEDED
