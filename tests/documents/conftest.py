"""The `record` fixture: a body with one meeting, agenda item, case and decision to file documents with."""

import pytest
from fastapi.testclient import TestClient

from tests.documents.api import Headers, Record, make_record


@pytest.fixture
def record(client: TestClient, admin: Headers) -> Record:
    return make_record(client, admin)
