"""The project's own errors. Services raise these; one handler (app.core.problems) turns them into RFC 9457."""

from typing import Any


class AppError(Exception):
    status: int = 400
    code: str = "bad_request"
    title: str = "Bad request"

    def __init__(self, detail: str, *, code: str | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code
        self.extra = extra
        self.headers: dict[str, str] = {}


class BadRequest(AppError):
    pass


class Unauthorized(AppError):
    status, code, title = 401, "unauthorized", "Unauthorized"

    def __init__(self, detail: str = "A valid bearer token is required.", **kw: Any) -> None:
        super().__init__(detail, **kw)
        self.headers = {"WWW-Authenticate": 'Bearer realm="samverkan"'}


class Forbidden(AppError):
    status, code, title = 403, "forbidden", "Forbidden"


class NotFound(AppError):
    status, code, title = 404, "not_found", "Not found"


class Conflict(AppError):
    status, code, title = 409, "conflict", "Conflict"


class PreconditionFailed(AppError):
    status, code, title = 412, "precondition_failed", "Precondition failed"


class PreconditionRequired(AppError):
    status, code, title = 428, "precondition_required", "Precondition required"


class PayloadTooLarge(AppError):
    status, code, title = 413, "payload_too_large", "Payload too large"


class LimitExceeded(AppError):
    """An uploaded file goes past a limit on what it may expand to (app.core.file_limits): 413 for a size,
    422 for its structure or the parse budget. `code` names the limit, `limit` its setting (when it has one)."""

    def __init__(self, code: str, detail: str, *, setting: str | None, status: int = 413) -> None:
        super().__init__(detail, code=code, **({"limit": setting} if setting else {}))
        self.status = status
        self.title = "Payload too large" if status == 413 else "File too complex"

    def __reduce__(self) -> tuple[object, ...]:
        # Raised in the parsing child process and sent back to the request over a pipe.
        return (_limit_exceeded, (self.code, self.detail, self.extra.get("limit"), self.status))


def _limit_exceeded(code: str, detail: str, setting: str | None, status: int) -> "LimitExceeded":
    return LimitExceeded(code, detail, setting=setting, status=status)


class UnsupportedMediaType(AppError):
    status, code, title = 415, "unsupported_media_type", "Unsupported media type"


class RangeNotSatisfiable(AppError):
    status, code, title = 416, "range_not_satisfiable", "Range not satisfiable"

    def __init__(self, size: int) -> None:
        super().__init__(f"The range lies outside the file's {size} bytes.")
        self.headers = {"Content-Range": f"bytes */{size}"}


class TooManyRequests(AppError):
    status, code, title = 429, "too_many_requests", "Too many requests"


class ValidationFailed(AppError):
    """A rule on the input that the schema alone cannot express; names the field like pydantic does."""

    status, code, title = 422, "validation_failed", "Validation failed"

    def __init__(
        self, field: str | tuple[str | int, ...], msg: str, *, type: str = "value_error", code: str | None = None
    ) -> None:
        loc = ("body", field) if isinstance(field, str) else field
        super().__init__(f"{'.'.join(str(p) for p in loc)}: {msg}", code=code)
        self.errors = [{"loc": list(loc), "msg": msg, "type": type}]


def not_found(kind: str, ident: object) -> NotFound:
    return NotFound(f"No {kind} with id {ident}.")
