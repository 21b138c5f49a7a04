"""ARM error responses."""


class ArmError(Exception):
    """An error the emulated service answers with: HTTP status + ARM error envelope."""

    def __init__(self, status, code, message, target=None, details=None, headers=None):
        super().__init__(f"({code}) {message}")
        self.status = status
        self.code = code
        self.message = message
        self.target = target
        self.details = details or []
        self.headers = headers or {}

    def body(self):
        error = {"code": self.code, "message": self.message}
        if self.target:
            error["target"] = self.target
        if self.details:
            error["details"] = self.details
        return {"error": error}


def bad_request(code, message, target=None):
    return ArmError(400, code, message, target)


def invalid_parameter(message, target=None):
    return ArmError(400, "InvalidParameter", message, target)


def conflict(code, message, target=None):
    return ArmError(409, code, message, target)
