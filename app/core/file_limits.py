"""Limits on what an uploaded file may expand to, checked while it is read, and the budget its parsing runs under.

Every place that opens an upload goes through here: the zip reader counts the bytes it inflates (the sizes a
zip declares are checked first, but never trusted alone), XML is read as a stream with its size and depth
counted, and extracted text is cut at a length with a flag saying so. A file over a limit raises
LimitExceeded, which names the limit: 413 for a size, 422 for structure or the parse budget.

Parsing itself (sniffing, .docx/.pdf/.txt text, a protocol's layout) runs in a child process, see `run_budgeted`.
"""

import io
import multiprocessing
import os
import resource
import struct
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, Any, TypeVar

from app.core.errors import LimitExceeded
from app.core.settings import get_settings

T = TypeVar("T")
CHUNK = 64 * 1024
_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
# The end-of-central-directory record is 22 bytes, followed by a comment of at most 65 535.
_EOCD_SEARCH = 22 + 0xFFFF + 20


@dataclass(frozen=True)
class FileLimits:
    """The limits in force, read from the settings in the request and handed to the parsing child as they are
    (the child is forked from a server started earlier, whose settings may be older)."""

    unzipped_bytes: int
    zip_entries: int
    xml_bytes: int
    xml_depth: int
    pdf_pages: int
    text_chars: int
    parse_seconds: float
    parse_memory_bytes: int

    @classmethod
    def current(cls) -> "FileLimits":
        s = get_settings()
        return cls(
            unzipped_bytes=s.max_unzipped_bytes,
            zip_entries=s.max_zip_entries,
            xml_bytes=s.max_xml_bytes,
            xml_depth=s.max_xml_depth,
            pdf_pages=s.max_pdf_pages,
            text_chars=s.max_extracted_text_chars,
            parse_seconds=s.parse_seconds,
            parse_memory_bytes=s.parse_memory_bytes,
        )


def unzipped_too_large(limit: int) -> LimitExceeded:
    return LimitExceeded(
        "unzipped_too_large",
        f"The zip expands to more than the limit of {limit} bytes (SAMVERKAN_MAX_UNZIPPED_BYTES).",
        setting="SAMVERKAN_MAX_UNZIPPED_BYTES",
    )


def too_many_entries(limit: int) -> LimitExceeded:
    return LimitExceeded(
        "too_many_zip_entries",
        f"The zip holds more than the limit of {limit} entries (SAMVERKAN_MAX_ZIP_ENTRIES).",
        setting="SAMVERKAN_MAX_ZIP_ENTRIES",
        status=422,
    )


def xml_too_large(name: str, limit: int) -> LimitExceeded:
    return LimitExceeded(
        "xml_too_large",
        f"{name} expands to more than the limit of {limit} bytes of XML (SAMVERKAN_MAX_XML_BYTES).",
        setting="SAMVERKAN_MAX_XML_BYTES",
    )


def xml_too_deep(name: str, limit: int) -> LimitExceeded:
    return LimitExceeded(
        "xml_too_deep",
        f"{name} nests elements deeper than the limit of {limit} levels (SAMVERKAN_MAX_XML_DEPTH).",
        setting="SAMVERKAN_MAX_XML_DEPTH",
        status=422,
    )


def too_many_pages(pages: int, limit: int) -> LimitExceeded:
    return LimitExceeded(
        "too_many_pdf_pages",
        f"The PDF has {pages} pages, over the limit of {limit} (SAMVERKAN_MAX_PDF_PAGES).",
        setting="SAMVERKAN_MAX_PDF_PAGES",
        status=422,
    )


def parse_timeout(limit: float) -> LimitExceeded:
    return LimitExceeded(
        "parse_timeout",
        f"Reading the file took longer than the limit of {limit:g} seconds (SAMVERKAN_PARSE_SECONDS).",
        setting="SAMVERKAN_PARSE_SECONDS",
        status=422,
    )


def parse_out_of_memory(limit: int) -> LimitExceeded:
    return LimitExceeded(
        "parse_out_of_memory",
        f"Reading the file needs more than the limit of {limit} bytes of memory (SAMVERKAN_PARSE_MEMORY_BYTES).",
        setting="SAMVERKAN_PARSE_MEMORY_BYTES",
    )


# --- Zips ---------------------------------------------------------------------------------------------------------


def declared_entries(f: IO[bytes]) -> int | None:
    """The number of entries the end-of-central-directory record declares (None when it cannot be found).

    Read before zipfile builds an object per entry: a 50 MB zip of empty entries is a million of them."""
    f.seek(0, io.SEEK_END)
    size = f.tell()
    f.seek(max(0, size - _EOCD_SEARCH))
    tail = f.read()
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        return None
    count: int = struct.unpack("<H", tail[at + 10 : at + 12])[0]
    if count == 0xFFFF and at >= 20 and tail[at - 20 : at - 16] == _ZIP64_LOCATOR:
        (offset,) = struct.unpack("<Q", tail[at - 12 : at - 4])
        f.seek(offset)
        record = f.read(56)
        if len(record) == 56 and record[:4] == b"PK\x06\x06":
            (count,) = struct.unpack("<Q", record[32:40])
    return count


def open_zip(path: Path, limits: FileLimits) -> zipfile.ZipFile:
    """A zip whose entries are within the limit, counted before and after zipfile reads its directory."""
    with path.open("rb") as f:
        declared = declared_entries(f)
    if declared is not None and declared > limits.zip_entries:
        raise too_many_entries(limits.zip_entries)
    return _counted(zipfile.ZipFile(path), limits)


def open_zip_bytes(data: bytes, limits: FileLimits) -> zipfile.ZipFile:
    """`open_zip` for a zip held in memory."""
    declared = declared_entries(io.BytesIO(data))
    if declared is not None and declared > limits.zip_entries:
        raise too_many_entries(limits.zip_entries)
    return _counted(zipfile.ZipFile(io.BytesIO(data)), limits)


def _counted(archive: zipfile.ZipFile, limits: FileLimits) -> zipfile.ZipFile:
    # The directory may hold more entries than its end record declares: counted again once read.
    if len(archive.infolist()) > limits.zip_entries:
        archive.close()
        raise too_many_entries(limits.zip_entries)
    return archive


class Unzipped:
    """What one zip has inflated so far, against the limit for the whole archive."""

    def __init__(self, limits: FileLimits) -> None:
        self.limit, self.total = limits.unzipped_bytes, 0

    def add(self, size: int) -> None:
        self.total += size
        if self.total > self.limit:
            raise unzipped_too_large(self.limit)


class CappedMember(io.RawIOBase):
    """A zip member read in chunks, its inflated bytes counted as they come: past `cap` (or the archive's
    total) it raises, whatever the zip declared. `too_large` makes the error naming the member's limit."""

    def __init__(
        self,
        archive: zipfile.ZipFile,
        info: zipfile.ZipInfo,
        cap: int,
        unzipped: Unzipped,
        too_large: Callable[[], LimitExceeded],
    ) -> None:
        super().__init__()
        # Declared sizes are checked first: an honest bomb is refused before a byte is inflated.
        if info.file_size > cap:
            raise too_large()
        if unzipped.total + info.file_size > unzipped.limit:
            raise unzipped_too_large(unzipped.limit)
        self._member = archive.open(info)
        self._cap, self._read, self._unzipped, self._too_large = cap, 0, unzipped, too_large

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        wanted = CHUNK if size is None or size < 0 else min(size, CHUNK)
        data = self._member.read(wanted)
        self._read += len(data)
        if self._read > self._cap:
            raise self._too_large()
        self._unzipped.add(len(data))
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def read_all(self) -> bytes:
        chunks = []
        while chunk := self.read(CHUNK):
            chunks.append(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        if not self.closed:
            self._member.close()
        super().close()


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, unzipped: Unzipped) -> bytes:
    """A whole member, within the archive's limit."""
    with CappedMember(archive, info, unzipped.limit, unzipped, lambda: unzipped_too_large(unzipped.limit)) as m:
        return m.read_all()


# --- Extracted text -----------------------------------------------------------------------------------------------


def cap_text(text: str, limits: FileLimits) -> tuple[str, bool]:
    """The text cut at the limit, and whether it was cut."""
    if len(text) <= limits.text_chars:
        return text, False
    return text[: limits.text_chars], True


# --- The parse budget ---------------------------------------------------------------------------------------------
#
# Why a child process and not deadlines checked inside the readers: pypdf (and zlib, expat) run long loops we do
# not control; a crafted PDF can make pypdf spin or allocate without ever returning to code that could look at a
# clock, and Python cannot stop a thread. A child process can be killed when its time is up, and its address
# space limited (RLIMIT_AS) so that an allocation past the budget fails in it, not in the server.
#
# Why the forkserver start method: forking the server itself copies a process with many threads (the request
# thread pool, the database pool), whose locks may be held at that instant; the forkserver is a small
# single-threaded process started once, with the parsing modules already imported, and each parse is a fork of
# it. '__main__' is preloaded too, so the entry point (samverkan, uvicorn, pytest; each guards its main, as
# multiprocessing requires) is imported once in the server, not again in every child.
# Cost, measured on the 2-core development machine: about 18 ms of CPU per parse (the fork, multiprocessing's
# preparation and the exit; 1 ms of it in the request), 50-75 ms of wall time while six other test runs shared
# the machine; the first parse in a server process also starts the fork server, about 1 s.
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["__main__", "app.documents.extract", "app.imports.protocol.parse"])
# At most one parse per core at a time per server process, so the memory budget multiplies by a known number.
_SLOTS = threading.BoundedSemaphore(os.cpu_count() or 2)


def _address_space() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _child(conn: Connection, memory: int, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        # The budget is on top of what the (forked) process already maps.
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = _address_space() + memory
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
        outcome: tuple[str, Any] = ("ok", fn(*args))
    except MemoryError:
        outcome = ("memory", None)
    except Exception as exc:
        outcome = ("error", exc)
    try:
        conn.send(outcome)
    except Exception as exc:  # an exception that cannot be pickled
        conn.send(("error", RuntimeError(f"{type(exc).__name__} in the parsing process: {exc}")))
    finally:
        conn.close()


def run_budgeted(fn: Callable[..., T], *args: Any, limits: FileLimits) -> T:
    """`fn(*args, limits)` in a child process with `limits.parse_seconds` and `limits.parse_memory_bytes`: the
    answer, or the exception it raised, here; past the time or memory, LimitExceeded. `fn` and the arguments
    are pickled: a module-level function, and paths rather than large contents."""
    receiving, sending = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(target=_child, args=(sending, limits.parse_memory_bytes, fn, (*args, limits)), daemon=True)
    answered = False
    with _SLOTS:
        child.start()
        sending.close()
        try:
            if not receiving.poll(limits.parse_seconds):
                raise parse_timeout(limits.parse_seconds)
            try:
                kind, value = receiving.recv()
            except EOFError:
                # Gone without a word: killed by a signal, which an allocation past the budget can cause.
                raise parse_out_of_memory(limits.parse_memory_bytes) from None
            answered = True
        finally:
            receiving.close()
            # Having answered, it is exiting: not waited for (the fork server reaps it), which saves a third
            # of the cost of a parse. Otherwise it is stopped now.
            if not answered:
                child.kill()
                child.join()
    if kind == "memory":
        raise parse_out_of_memory(limits.parse_memory_bytes)
    if kind == "error":
        raise value
    return value
