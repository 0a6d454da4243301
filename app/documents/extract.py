"""What a file is (by its content, not its name) and its text: .txt, .docx and .pdf.

Text comes out NFC-normalised, with page headers and footers that repeat on most pages removed and
line-end hyphens joined, except Swedish suspended hyphens ("hälso- och sjukvård").
"""

import codecs
import io
import re
import unicodedata
import zipfile
import zlib
from collections import Counter
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException, ElementTree

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
TEXT = "text/plain"
PNG = "image/png"
JPEG = "image/jpeg"
ALLOWED = {PDF, DOCX, XLSX, PPTX, TEXT, PNG, JPEG}
EXTENSIONS = {
    PDF: {".pdf"},
    DOCX: {".docx"},
    XLSX: {".xlsx"},
    PPTX: {".pptx"},
    TEXT: {".txt", ".csv", ".md", ".vtt", ".tsv", ""},
    PNG: {".png"},
    JPEG: {".jpg", ".jpeg"},
}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Words after which a hyphen at a line end is a suspended hyphen and stays ("hälso- och sjukvård").
_SUSPENDED_BEFORE = {"och", "eller", "samt", "respektive", "till"}
_LINE_END_HYPHEN = re.compile(r"(\w)-\n(\w+)")
# Control characters that plain text does not contain (tab, line feed, form feed and carriage return do).
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f]")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# What opening or reading a damaged zip can raise: a bad deflate stream, an unknown method, encryption, …
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError)


class UnreadableFile(ValueError):
    """The content is not what it claims to be, or cannot be read."""


def sniff(head: bytes, path: Path) -> str | None:
    """The media type from the first bytes (and, for zip-based Office files, the member names)."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
        except _ZIP_ERRORS:
            return None
        for marker, media in (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX), ("ppt/presentation.xml", PPTX)):
            if marker in names:
                return media
        return None
    if head.startswith(_UTF16_BOMS):
        return TEXT
    if not _BINARY_BYTES.search(head) and (_decodes(head) or _decodes_cp1252(head)):
        return TEXT
    return None


def _decodes(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is fine.
        return exc.start >= len(data) - 3


def _decodes_cp1252(data: bytes) -> bool:
    """Text saved by older Windows programs (and Excel's "CSV") is cp1252: å is one byte, 0xE5."""
    try:
        data.decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False


def extract_text(path: Path, media_type: str) -> str | None:
    if media_type == TEXT:
        raw = path.read_bytes()
        if raw.startswith(_UTF16_BOMS):
            return normalise(raw.decode("utf-16", errors="replace"))
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        return normalise(text)
    if media_type == DOCX:
        return normalise(_docx_text(path))
    if media_type == PDF:
        return _pdf_text(path)
    return None


def _docx_text(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as z:
            root = ElementTree.fromstring(z.read("word/document.xml"))
    except (*_ZIP_ERRORS, KeyError, ParseError, DefusedXmlException) as exc:
        raise UnreadableFile("the .docx file cannot be read") from exc
    paragraphs = []
    for p in root.iter(f"{_W}p"):
        parts = []
        for node in p.iter():
            if node.tag == f"{_W}t" and node.text:
                parts.append(node.text)
            elif node.tag == f"{_W}tab":
                parts.append("\t")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs)


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(path.read_bytes()))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:
        # A damaged PDF makes pypdf raise almost anything (its own errors, NotImplementedError for a garbled
        # filter name, AttributeError, …): each is the client's bad file, never a 500.
        raise UnreadableFile("the PDF cannot be read") from exc
    return normalise("\n".join(strip_running_lines(pages)))


def strip_running_lines(pages: list[str]) -> list[str]:
    """Drop first/last lines that repeat on most pages (headers, footers), ignoring page numbers in them."""
    if len(pages) < 3:
        return pages

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", line.strip())

    edges: Counter[str] = Counter()
    for page in pages:
        lines = [ln for ln in page.splitlines() if ln.strip()]
        edges.update({key(ln) for ln in lines[:2] + lines[-2:]})
    running = {k for k, n in edges.items() if k and n >= max(3, len(pages) * 0.6)}
    out = []
    for page in pages:
        lines = page.splitlines()
        out.append("\n".join(ln for ln in lines if key(ln) not in running))
    return out


def join_hyphens(text: str) -> str:
    def repl(match: re.Match[str]) -> str:
        following = match.group(2)
        # "Region-\nVästerbotten", "2024-\n2026" and "hälso-\noch sjukvård" keep their hyphen.
        if not following[0].islower() or following.casefold() in _SUSPENDED_BEFORE:
            return match.group(0)
        return match.group(1) + following

    return _LINE_END_HYPHEN.sub(repl, text)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return join_hyphens(text)
