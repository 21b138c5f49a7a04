"""What the parsers report: one observation per error seen in the input."""


class _Settled:
    """An attribute of an ``Observation`` that what the text around the error states adds to: read
    once that reading (``Observation.defer``) has run; kept in the slot of the same name with ``_``."""

    def __set_name__(self, owner, name):
        self.slot = "_" + name

    def __get__(self, observation, owner=None):
        return self if observation is None else getattr(observation._settled(), self.slot)  # pylint: disable=protected-access

    def __set__(self, observation, value):
        setattr(observation, self.slot, value)


class Observation:
    """An error as found in the input, before it is matched to the knowledge base.

    ``kind`` is ``response`` for an error body the service sent, ``echo`` for a client's
    re-statement of an error (``ERROR:`` lines, PowerShell error records, Packer/Terraform lines):
    an echo of the error just answered by the same request is folded into it without counting.

    What the text around the error states (``hints``, ``facts``, ``kinds``) may be read late: a
    parser ``defer``s the reading, and it runs the first time one of them is used. Most errors of a
    log where every request failed are echoes, folded without it.
    """

    __slots__ = ("line", "code", "message", "target", "details", "kind", "source", "request",
                 "resource_request", "serial", "status", "_hints", "_facts", "known_id", "command", "tool", "_kinds",
                 "_pending")

    def __init__(self, line, code, message, kind, source, target=None, details=(), status=None):
        self.line = line
        self.code = code
        self.message = message
        self.target = target
        self.details = list(details)
        self.kind = kind
        self.source = source
        self.status = status
        self.request = None
        self.resource_request = None
        self.serial = 0
        self._pending = None  # reads what the text around the error states, once (see ``defer``)
        self._hints = {}  # names of the resource hit, stated by the client (Terraform, Packer)
        self._facts = {}  # other placeholder values the client stated (Packer's location, regions ...)
        self.known_id = None  # the entry a client already named (sig-doctor's own check findings)
        self.command = None  # the logged command line the error answered (arguments.LoggedCommand)
        self.tool = {}  # where a tool's output places the error in its own files (toolchain.tool_location)
        self._kinds = set()  # kinds of resource the client said the failing operation was about (surroundings)

    def defer(self, reading):
        """Run ``reading(observation)`` (it adds to hints, facts and kinds without overriding
        what is there) when one of them is first used."""
        self._pending = reading

    def release(self):
        """Drop a reading that was never needed (it holds the whole window it would read)."""
        self._pending = None

    def _settled(self):
        if self._pending is not None:
            reading, self._pending = self._pending, None
            try:
                reading(self)
            except Exception:  # pylint: disable=broad-except
                pass  # what the text around an error says is extra: the error is reported without it
        return self

    hints = _Settled()
    facts = _Settled()
    kinds = _Settled()

    def __repr__(self):
        return "Observation(line={}, code={!r}, message={!r})".format(self.line, self.code, self.message[:60])
