"""What a file is (by its content, not its name) and its text: .txt, .docx and .pdf.

Text comes out NFC-normalised, with page headers and footers that repeat on most pages removed and
line-end hyphens joined, except Swedish suspended hyphens ("hälso- och sjukvård"). Everything here reads
within the limits of app.core.file_limits, and is meant to run in its parsing child (`inspect`).
"""

import codecs
import io
import re
import unicodedata
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException, ElementTree
from pypdf import PdfReader  # imported here, not per call: the parsing child's fork server loads it once

from app.core.errors import LimitExceeded
from app.core.file_limits import (
    CappedMember,
    FileLimits,
    Unzipped,
    cap_text,
    open_zip,
    open_zip_bytes,
    too_many_pages,
    xml_too_deep,
    xml_too_large,
)

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
_DOCX_TEXT = "word/document.xml"
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


class Extracted(NamedTuple):
    text: str
    truncated: bool  # cut at SAMVERKAN_MAX_EXTRACTED_TEXT_CHARS


@dataclass(frozen=True)
class Inspection:
    media_type: str | None
    text: str | None = None
    truncated: bool = False


def inspect(path: Path, suffix: str, limits: FileLimits) -> Inspection:
    """What an upload is and, when it is allowed and its name (`suffix`) agrees, its text: what the parsing
    child does for a document (see app.core.file_limits.run_budgeted)."""
    with path.open("rb") as f:
        head = f.read(4096)
    media = sniff(head, path, limits)
    if media is None or media not in ALLOWED or suffix not in EXTENSIONS[media]:
        return Inspection(media)
    found = read_text(path, media, limits)
    return Inspection(media, found.text, found.truncated) if found else Inspection(media)


def sniff(head: bytes, path: Path, limits: FileLimits | None = None) -> str | None:
    """The media type from the first bytes (and, for zip-based Office files, the member names)."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        try:
            with open_zip(path, limits or FileLimits.current()) as z:
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


def check_declared(data: bytes, limits: FileLimits) -> None:
    """The limits a .docx's zip directory shows (its entries, the declared size of its text), checked without
    inflating a byte: how a folder's dry run refuses an attachment that storing it would refuse."""
    if not data.startswith(b"PK\x03\x04"):
        return
    try:
        with open_zip_bytes(data, limits) as z:
            info = z.getinfo(_DOCX_TEXT)
    except (*_ZIP_ERRORS, KeyError):
        return  # not a .docx: storing it says what it is
    if info.file_size > limits.xml_bytes:
        raise xml_too_large(_DOCX_TEXT, limits.xml_bytes)


def extract_text(path: Path, media_type: str) -> str | None:
    """The text within the limits in force (cut at the text limit), in this process."""
    found = read_text(path, media_type, FileLimits.current())
    return found.text if found else None


def read_text(path: Path, media_type: str, limits: FileLimits) -> Extracted | None:
    if media_type == TEXT:
        return _plain_text(path, limits)
    if media_type == DOCX:
        return _docx_text(path, limits)
    if media_type == PDF:
        return _pdf_text(path, limits)
    return None


def _capped(text: str, cut: bool, limits: FileLimits) -> Extracted:
    text, capped = cap_text(normalise(text), limits)
    return Extracted(text, cut or capped)


def _plain_text(path: Path, limits: FileLimits) -> Extracted:
    # No character takes more than 4 bytes: what is past that many bytes would be cut anyway.
    wanted = 4 * limits.text_chars + 4
    with path.open("rb") as f:
        raw = f.read(wanted)
        cut = bool(f.read(1))
    if raw.startswith(_UTF16_BOMS):
        return _capped(codecs.getincrementaldecoder("utf-16")("replace").decode(raw, final=not cut), cut, limits)
    try:
        # Incremental: a character cut at the end of what was read is not a reason to read it as cp1252.
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(raw, final=not cut)
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return _capped(text, cut, limits)


def _docx_text(path: Path, limits: FileLimits) -> Extracted:
    name = _DOCX_TEXT
    try:
        with open_zip(path, limits) as z:
            info = z.getinfo(name)
            too_large = lambda: xml_too_large(name, limits.xml_bytes)  # noqa: E731
            with CappedMember(z, info, limits.xml_bytes, Unzipped(limits), too_large) as member:
                paragraphs, cut = _paragraphs(member, name, limits)
    except (*_ZIP_ERRORS, KeyError, ParseError, DefusedXmlException) as exc:
        raise UnreadableFile("the .docx file cannot be read") from exc
    return _capped("\n".join(paragraphs), cut, limits)


def _paragraphs(source: CappedMember, name: str, limits: FileLimits) -> tuple[list[str], bool]:
    """The text of each w:p in document order, read as a stream: an element is dropped once read, so the tree
    held is only the path to the element being read (a paragraph whole: one nested in it, in a text box,
    belongs to its text too)."""
    paragraphs: list[str] = []
    slots: list[int] = []  # where each open paragraph goes: it is placed where it starts, filled where it ends
    length = 0
    path: list[Element] = []
    for event, node in ElementTree.iterparse(source, events=("start", "end")):
        if event == "start":
            path.append(node)
            if len(path) > limits.xml_depth:
                raise xml_too_deep(name, limits.xml_depth)
            if node.tag == f"{_W}p":
                slots.append(len(paragraphs))
                paragraphs.append("")
            continue
        path.pop()
        if node.tag == f"{_W}p":
            text = paragraphs[slots.pop()] = _paragraph_text(node)
            length += len(text) + 1
            if length > limits.text_chars:
                return paragraphs, True  # the rest would be cut anyway
        if not slots and path:
            del path[-1][-1]  # the node just read is its parent's last child
    return paragraphs, False


def _paragraph_text(p: Element) -> str:
    parts = []
    for node in p.iter():
        if node.tag == f"{_W}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return "".join(parts)


def _pdf_text(path: Path, limits: FileLimits) -> Extracted:
    pages: list[str] = []
    length, cut = 0, False
    try:
        reader = PdfReader(io.BytesIO(path.read_bytes()))
        count = len(reader.pages)
        if count > limits.pdf_pages:
            raise too_many_pages(count, limits.pdf_pages)
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            length += len(pages[-1]) + 1
            if length > limits.text_chars:
                cut = True  # the rest would be cut anyway
                break
    except (MemoryError, LimitExceeded):
        raise  # a limit's, not a damaged file
    except Exception as exc:
        # A damaged PDF makes pypdf raise almost anything (its own errors, NotImplementedError for a garbled
        # filter name, AttributeError, …): each is the client's bad file, never a 500.
        raise UnreadableFile("the PDF cannot be read") from exc
    return _capped("\n".join(strip_running_lines(pages)), cut, limits)


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
