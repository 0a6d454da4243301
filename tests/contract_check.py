"""Every error response a test provokes is held against the contract: its status is documented for that
operation, and its `code` is in the enum the contract lists for that status."""

import re
from typing import Any

import httpx

from app.core.problems import PROBLEM_MEDIA_TYPE


def documented_codes(spec: dict[str, Any], path: str, method: str, status: int) -> list[str] | None:
    """The `code`s the contract lists for this response; None when the status is not documented."""
    response = spec["paths"][path][method]["responses"].get(str(status))
    if response is None:
        return None
    schema = response["content"][PROBLEM_MEDIA_TYPE]["schema"]
    return [c for part in schema["allOf"][1:] for c in part["properties"]["code"]["enum"]]


def _operation_path(spec: dict[str, Any], method: str, path: str) -> str | None:
    """The contract's path template for a concrete path; literal segments beat parameters (`/meetings.ics`)."""
    candidates = [
        template
        for template, item in spec["paths"].items()
        if method in item and re.fullmatch(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)), path)
    ]
    return max(candidates, key=lambda t: len(re.sub(r"\{[^}]+\}", "", t)), default=None)


def response_checker(app: Any) -> Any:
    """An httpx response hook that fails the test when an error answer is not what the contract says."""

    def check(response: httpx.Response) -> None:
        if response.status_code < 400 or response.status_code == 500:
            return  # a 500 is a bug the test itself reports, not a contract question
        method = response.request.method.lower()
        path = _operation_path(app.openapi(), method, response.request.url.path)
        if path is None:
            return  # no operation (404 for an unknown route, 405): not part of any operation's contract
        response.read()
        codes = documented_codes(app.openapi(), path, method, response.status_code)
        assert codes is not None, f"{method.upper()} {path} answered {response.status_code}, not in the contract"
        if response.headers.get("content-type", "").startswith(PROBLEM_MEDIA_TYPE):
            code = response.json().get("code")
            assert code in codes, f"{method.upper()} {path} answered {response.status_code} {code!r}; contract: {codes}"

    return check
