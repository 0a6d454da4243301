"""What the import service, API and CLI tests share: the samples, demo data, uploads and row counts."""

import io
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core import db as core_db
from app.demo import load
from tests.conftest import DatabaseInfo

API = "/api/v1"
SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"
PROTOCOL = SAMPLES / "seeds" / "protokoll-2024-05-03.txt"
TEAMS = SAMPLES / "teams"


def row_counts() -> dict[str, int]:
    """Rows in every table, so a test can say "nothing was written" without naming where."""
    engine = core_db.get_engine()
    tables = [t for t in sa.inspect(engine).get_table_names() if t != "alembic_version"]
    with engine.connect() as conn:
        return {t: conn.execute(sa.select(sa.func.count()).select_from(sa.table(t))).scalar_one() for t in tables}


def docx(text: str) -> bytes:
    """A minimal .docx, one paragraph a line, as Word writes it: decomposed å/ä/ö (A + ring) included."""
    paragraphs = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>'
        for line in unicodedata.normalize("NFD", text).split("\n")
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{paragraphs}</w:body></w:document>"
    )
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'wordprocessingml.document.main+xml"/></Types>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("word/document.xml", document)
    return out.getvalue()


def blank_pdf() -> bytes:
    """A valid one-page PDF with no text: a scanned attachment, or a file that is no protocol."""
    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


Upload = Callable[..., httpx.Response]


@pytest.fixture
def upload(client: TestClient) -> Upload:
    """`upload("protocol", data, name, headers, dry_run=False, …)`: POST /imports/{kind} as multipart."""

    def post(kind: str, data: bytes, filename: str, headers: dict[str, str], **form: Any) -> httpx.Response:
        fields = {k: (str(v).lower() if isinstance(v, bool) else v) for k, v in form.items() if v is not None}
        return client.post(f"{API}/imports/{kind}", files={"file": (filename, data)}, data=fields, headers=headers)

    return post


@pytest.fixture
def demo(session: Session, db: DatabaseInfo) -> Session:
    """The demo data: the 16 principals, the bodies (the council's former name too) and a few people."""
    load(session)
    session.commit()
    return session


@pytest.fixture
def orgs(client: TestClient, admin: dict[str, str], demo: Session) -> dict[str, str]:
    """Organisation ids by name, read over the API."""
    r = client.get(f"{API}/organisations", params={"limit": 500}, headers=admin)
    assert r.status_code == 200, r.text
    return {o["name"]: o["id"] for o in r.json()["data"]}
