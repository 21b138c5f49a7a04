"""What the parsers report: one observation per error seen in the input."""


class Observation:
    """An error as found in the input, before it is matched to the knowledge base.

    ``kind`` is ``response`` for an error body the service sent, ``echo`` for a client's
    re-statement of an error (``ERROR:`` lines, PowerShell error records, Packer/Terraform lines):
    an echo of the error just answered by the same request is folded into it without counting.
    """

    __slots__ = ("line", "code", "message", "target", "details", "kind", "source", "request",
                 "resource_request", "serial", "status", "hints", "facts", "known_id", "command", "tool", "kinds")

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
        self.hints = {}  # names of the resource hit, stated by the client (Terraform, Packer)
        self.facts = {}  # other placeholder values the client stated (Packer's location, regions ...)
        self.known_id = None  # the entry a client already named (sig-doctor's own check findings)
        self.command = None  # the logged command line the error answered (arguments.LoggedCommand)
        self.tool = {}  # where a tool's output places the error in its own files (toolchain.tool_location)
        self.kinds = set()  # kinds of resource the client said the failing operation was about (surroundings)

    def __repr__(self):
        return "Observation(line={}, code={!r}, message={!r})".format(self.line, self.code, self.message[:60])
