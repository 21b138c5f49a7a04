"""The small response type every handler returns."""

from dataclasses import dataclass, field


@dataclass
class Response:
    status: int = 200
    body: object = None          # JSON-serialisable, or None for an empty body
    headers: dict = field(default_factory=dict)


def json_response(body, status=200, headers=None):
    return Response(status, body, dict(headers or {}))
