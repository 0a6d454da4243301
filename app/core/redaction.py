"""No secret reaches the logs: tokens and secrets in query strings (a calendar's `?token=`), and anything shaped
like one of our tokens, are masked in every log record, whoever logs it (uvicorn's access log included)."""

import logging
import re
from typing import Any

MASK = "***"
# Query parameters whose values are secrets, wherever a URL is logged.
SECRET_PARAMETERS = ("token", "access_token", "refresh_token", "id_token", "client_secret", "password", "api_key")
_SECRET_PARAMETER = re.compile(r"(?i)(?<=[?&;])((?:" + "|".join(SECRET_PARAMETERS) + r")=)[^&;#\s\"']*")
# A JWT (ours are, with or without the `svk_` prefix of API tokens), wherever it appears in a message.
_JWT = re.compile(r"\b(?:svk_)?eyJ[\w-]*\.[\w-]+\.[\w-]+")


def redact(text: str) -> str:
    return _JWT.sub(MASK, _SECRET_PARAMETER.sub(r"\1" + MASK, text))


def _redact_arg(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


_installed = False


def install_log_redaction() -> None:
    """Wrap the log record factory, so every record is cleaned when it is made, before any handler or formatter
    (ours, uvicorn's, or a deployment's own) sees it. Idempotent: the app may be created more than once."""
    global _installed
    if _installed:
        return
    make_record = logging.getLogRecordFactory()

    def clean_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redact_arg(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _redact_arg(v) for k, v in record.args.items()}
        return record

    logging.setLogRecordFactory(clean_record)
    _installed = True
