"""No secret reaches the logs: a real uvicorn server's access log (and our own loggers) mask tokens in URLs."""

import logging
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.test_e2e import CLI, ROOT, _port, env  # noqa: F401 - `env` is a fixture

SECRET = "S3cretTokenValue"


def test_the_access_log_of_a_real_server_masks_tokens(env: dict[str, str], tmp_path: Path) -> None:  # noqa: F811
    port = _port()
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*CLI, "serve", "--port", str(port)],
            env={**env, "PYTHONUNBUFFERED": "1"},
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(600):  # up to a minute on a loaded machine
                try:
                    if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert proc.poll() is None, log.read_text()
                time.sleep(0.1)
            feed = httpx.get(f"{base}/api/v1/meetings.ics", params={"body_id": "x", "token": f"svk_{SECRET}"})
            assert feed.status_code in (401, 422)
            jwt_like = f"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.{SECRET}"
            httpx.get(f"{base}/api/v1/meetings.ics", params={"token": jwt_like})
            httpx.get(f"{base}/api/v1/organisations", params={"client_secret": SECRET, "access_token": SECRET})
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    text = log.read_text()
    assert "GET /api/v1/meetings.ics?body_id=x&token=*** HTTP/1.1" in text, text
    assert "/api/v1/organisations?client_secret=***&access_token=*** HTTP/1.1" in text, text
    assert SECRET not in text


@pytest.mark.usefixtures("app")
def test_our_own_loggers_mask_secrets_too(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        logging.getLogger("samverkan.errors").warning("unhandled error on GET %s", f"/x?token={SECRET}")
        logging.getLogger("samverkan.auth").info(f"Authorization: Bearer svk_eyJa.eyJb.{SECRET}")
    assert len(caplog.records) == 2
    assert SECRET not in caplog.text
    assert "/x?token=***" in caplog.text
