"""Files built to go past the limits on what an upload may expand to, made in the test (streaming, so a .docx that
expands to 120 MB costs about 120 KB and half a second), and the checks that nothing was left behind."""

import functools
import io
import os
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from app.core.settings import get_settings
from tests.documents import files
from tests.documents.api import stored_content

MiB = 1 << 20
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W_NS}"><w:body>'.encode()
_TAIL = b"</w:body></w:document>"


def office_docx(document: Iterable[bytes], *, extra_entries: int = 0) -> bytes:
    """A .docx whose word/document.xml is written chunk by chunk, never held whole."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", files._CONTENT_TYPES)
        z.writestr("_rels/.rels", files._RELS)
        for i in range(extra_entries):
            z.writestr(f"word/media/bild{i}.xml", "<x/>")
        with z.open("word/document.xml", "w") as member:
            for chunk in document:
                member.write(chunk)
    return buf.getvalue()


@functools.cache
def docx_bomb(expanded: int = 120 * MiB) -> bytes:
    """One paragraph of `expanded` bytes of "A": deflate makes about a thousandth of that."""

    def document() -> Iterator[bytes]:
        yield _HEAD + b"<w:p><w:r><w:t>"
        block = b"A" * MiB
        for _ in range(expanded // MiB):
            yield block
        yield b"</w:t></w:r></w:p>" + _TAIL

    return office_docx(document())


def docx_with_entries(count: int) -> bytes:
    return office_docx([files.document_xml(["Protokoll"]).encode()], extra_entries=count)


def deep_docx(levels: int = 10_000) -> bytes:
    """Elements nested `levels` deep inside the body (a few KB zipped)."""
    return office_docx([_HEAD, b"<w:p>" + b"<w:r>" * levels + b"</w:r>" * levels + b"</w:p>", _TAIL])


def long_docx(chars: int, line: str = "Åtgärder för äldreomsorg och rehabilitering i Västerbotten. ") -> bytes:
    """At least `chars` characters of text, a paragraph per 1 000."""
    paragraph = (line * (1000 // len(line) + 1))[:1000]
    count = chars // 1001 + 1
    body = f"<w:p><w:r><w:t>{paragraph}</w:t></w:r></w:p>".encode()
    return office_docx([_HEAD, *(body for _ in range(count)), _TAIL])


def one_long_run_docx(size: int) -> bytes:
    """One w:t of `size` bytes of text: parsing it needs at least that much memory at once."""
    return office_docx(
        [_HEAD + b"<w:p><w:r><w:t>", *(b"a" * MiB for _ in range(size // MiB)), b"</w:t></w:r></w:p>" + _TAIL]
    )


def many_pages_pdf(pages: int) -> bytes:
    return files.pdf([[f"Sida {n}: Åtgärder för äldreomsorg och rehabilitering."] * 40 for n in range(pages)])


def stored_files() -> set[str]:
    """Everything the document store holds (objects in its bucket too), and this host's temporary uploads."""
    return stored_content()


@contextmanager
def settings(**env: str) -> Iterator[None]:
    """The service's settings with these environment variables (read per request by the file limits)."""
    before = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    get_settings.cache_clear()
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        get_settings.cache_clear()
