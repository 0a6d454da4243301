"""What a file is and what its text says: media types read from the content, and clean Swedish text."""

import codecs
import zipfile
from pathlib import Path

import pytest

from app.documents import extract
from tests.documents import bombs, files


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _sniff(tmp_path: Path, data: bytes) -> str | None:
    return extract.sniff(data[:4096], _file(tmp_path, "upload", data))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (files.pdf([["Protokoll"]]), extract.PDF),
        (files.blank_pdf(), extract.PDF),
        (files.PNG, extract.PNG),
        (files.JPEG, extract.JPEG),
        (files.docx(["Protokoll"]), extract.DOCX),
        (files.office_zip("xl/workbook.xml"), extract.XLSX),
        (files.office_zip("ppt/presentation.xml"), extract.PPTX),
        ("Samråd hälsa, vård och omsorg\r\n".encode(), extract.TEXT),
        (codecs.BOM_UTF8 + "Västerbotten".encode(), extract.TEXT),
        ("Västerbotten;Umeå;Skellefteå\n".encode("cp1252"), extract.TEXT),
        ("Namn\tAnslöt\nÅsa Öberg\t09:30\n".encode("utf-16"), extract.TEXT),
        (files.plain_zip(), None),
        (b"PK\x03\x04" + files.binary(500), None),
        (files.binary(), None),
        (b"Mostly text\x00with a NUL", None),
        (b"Text with an escape \x1b[31m and a bell \x07", None),
        (b"\x7fELF\x02\x01\x01\x00" + bytes(100), None),
    ],
    ids=[
        "pdf",
        "blank-pdf",
        "png",
        "jpeg",
        "docx",
        "xlsx",
        "pptx",
        "utf8",
        "utf8-bom",
        "cp1252",
        "utf16-teams",
        "plain-zip",
        "broken-zip",
        "random",
        "nul",
        "control-bytes",
        "elf",
    ],
)
def test_sniff_reads_the_content(tmp_path: Path, data: bytes, expected: str | None) -> None:
    assert _sniff(tmp_path, data) == expected


def test_sniff_accepts_a_character_cut_at_the_end_of_the_sample(tmp_path: Path) -> None:
    data = ("x" * 4095 + "å och mer text").encode()
    assert data[:4096].endswith(b"\xc3")
    assert _sniff(tmp_path, data) == extract.TEXT
    invalid_inside = b"x" * 100 + b"\xc3\x28" + b"y" * 100 + b"\x81"
    assert _sniff(tmp_path, invalid_inside) is None


def test_text_in_utf8_cp1252_and_utf16(tmp_path: Path) -> None:
    sentence = "Beslut om länsgemensamma medel för år 2025 i Västerbotten, Åsele och Örnsköldsvik."
    for name, data in [
        ("utf8.txt", sentence.encode()),
        ("bom.txt", codecs.BOM_UTF8 + sentence.encode()),
        ("cp1252.txt", sentence.encode("cp1252")),
        ("utf16.txt", sentence.encode("utf-16")),
    ]:
        assert extract.extract_text(_file(tmp_path, name, data), extract.TEXT) == sentence, name


def test_text_line_ends_become_newlines(tmp_path: Path) -> None:
    path = _file(tmp_path, "crlf.txt", b"rad ett\r\nrad tv\xc3\xa5\rrad tre")
    assert extract.extract_text(path, extract.TEXT) == "rad ett\nrad två\nrad tre"


def test_docx_paragraphs_tabs_and_line_breaks(tmp_path: Path) -> None:
    data = files.docx(
        [
            "§ 19 Primärvården är navet",
            "Föredragande:\tKatarina Lindahl",
            "Samråd hälsa, vård och omsorg beslutar\natt uppdra Länssamverkansgruppen",
            ["Länssamverkans", "gruppen ", "återkommer"],
            "",
            "Slut & klart <3",
        ]
    )
    text = extract.extract_text(_file(tmp_path, "protokoll.docx", data), extract.DOCX)
    assert text == (
        "§ 19 Primärvården är navet\n"
        "Föredragande:\tKatarina Lindahl\n"
        "Samråd hälsa, vård och omsorg beslutar\natt uppdra Länssamverkansgruppen\n"
        "Länssamverkansgruppen återkommer\n"
        "\n"
        "Slut & klart <3"
    )


def test_docx_text_read_as_a_stream_keeps_document_order_in_tables_and_text_boxes(tmp_path: Path) -> None:
    body = (
        "<w:p><w:r><w:t>Före</w:t></w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Cell 1</w:t><w:tab/><w:t>Umeå</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>Cell 2</w:t></w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Inre tabell</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl>"
        "<w:p><w:r><w:t>Med ruta </w:t><w:pict><w:txbxContent><w:p><w:r><w:t>Ruta</w:t><w:br/><w:t>rad två</w:t>"
        "</w:r></w:p></w:txbxContent></w:pict><w:t> efter</w:t></w:r></w:p>"
        "<w:sectPr/><w:p><w:r><w:t>Sist</w:t></w:r></w:p>"
    )
    document = f'<?xml version="1.0"?><w:document xmlns:w="{files._W_NS}"><w:body>{body}</w:body></w:document>'
    text = extract.extract_text(_file(tmp_path, "tabell.docx", files.docx([], document=document)), extract.DOCX)
    # A paragraph in a text box is part of the paragraph holding it, and a paragraph of its own after it.
    assert text == "Före\nCell 1\tUmeå\nCell 2\nInre tabell\nMed ruta Ruta\nrad två efter\nRuta\nrad två\nSist"


def understated(data: bytes, member: str, size: int) -> bytes:
    """The zip with `member`'s inflated size written as `size` in its local header and in the directory."""
    out, name = bytearray(data), member.encode()
    # (signature, offset of the inflated size, offset of the name length, offset of the name)
    for signature, size_at, length_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        at = out.find(signature)
        while at >= 0:
            length = int.from_bytes(out[at + length_at : at + length_at + 2], "little")
            if out[at + name_at : at + name_at + length] == name:
                out[at + size_at : at + size_at + 4] = size.to_bytes(4, "little")
            at = out.find(signature, at + 4)
    return bytes(out)


def test_a_docx_whose_directory_understates_its_text_is_refused_as_damaged(tmp_path: Path) -> None:
    # The directory says 100 bytes and the member inflates to 4 MB: reading stops at what was declared, and
    # the checksum then shows the file damaged.
    path = _file(tmp_path, "ljuger.docx", understated(bombs.docx_bomb(4 * bombs.MiB), "word/document.xml", 100))
    assert zipfile.ZipFile(path).getinfo("word/document.xml").file_size == 100
    with pytest.raises(extract.UnreadableFile):
        extract.extract_text(path, extract.DOCX)


def test_docx_text_is_nfc(tmp_path: Path) -> None:
    decomposed = "Va\u0308sterbotten och Ska\u030ane"
    data = files.docx([decomposed])
    text = extract.extract_text(_file(tmp_path, "nfd.docx", data), extract.DOCX)
    assert text == "Västerbotten och Skåne"
    assert "\u030a" not in (text or "")
    assert "\u0308" not in (text or "")


def test_normalise_composes_a_ring() -> None:
    assert extract.normalise("a\u030ar och a\u0308ldre") == "år och äldre"
    assert len(extract.normalise("A\u030a")) == 1


@pytest.mark.parametrize(
    "document",
    [
        "<w:document",  # not XML
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><d>&b;</d>',
    ],
    ids=["not-xml", "entity-expansion"],
)
def test_unreadable_docx_is_refused(tmp_path: Path, document: str) -> None:
    path = _file(tmp_path, "trasig.docx", files.docx([], document=document))
    with pytest.raises(extract.UnreadableFile):
        extract.extract_text(path, extract.DOCX)


def test_docx_with_a_damaged_compressed_member_is_refused(tmp_path: Path) -> None:
    data = bytearray(files.docx([f"Stycke {i} om hälso- och sjukvård i länet, år {2000 + i}." for i in range(80)]))
    start = data.index(b"word/document.xml") + len("word/document.xml")
    for offset in range(start + 20, start + 60):
        data[offset] ^= 0x5A
    path = _file(tmp_path, "skadad.docx", bytes(data))
    assert extract.sniff(bytes(data[:4096]), path) == extract.DOCX
    with pytest.raises(extract.UnreadableFile):
        extract.extract_text(path, extract.DOCX)


def test_docx_without_its_document_member_is_not_a_docx(tmp_path: Path) -> None:
    path = _file(tmp_path, "tom.docx", files.office_zip("word/styles.xml"))
    assert extract.sniff(path.read_bytes()[:4096], path) is None
    with zipfile.ZipFile(path) as z:
        assert "word/document.xml" not in z.namelist()


def test_pdf_text_without_running_header_and_footer(tmp_path: Path) -> None:
    bodies = [
        ["§ 15 Godkännande av föredragningslista", "Beslutet gäller hälso- och sjukvård."],
        [
            "§ 16 Föregående protokoll",
            "Rehabiliteringen i länet ska bli mer sjuk-",
            "vårdsnära i hela Region-",
            "Västerbotten.",
        ],
        ["§ 17 Aktuellt i samverkan", "Informationen noterades."],
    ]
    pages = [
        ["Samråd hälsa, vård och omsorg", "Protokoll 2024-05-03", *body, f"Sida {n} av 3"]
        for n, body in enumerate(bodies, start=1)
    ]
    text = extract.extract_text(_file(tmp_path, "protokoll.pdf", files.pdf(pages)), extract.PDF)
    assert text is not None
    assert [ln.strip() for ln in text.splitlines() if ln.strip()] == [
        "§ 15 Godkännande av föredragningslista",
        "Beslutet gäller hälso- och sjukvård.",
        "§ 16 Föregående protokoll",
        "Rehabiliteringen i länet ska bli mer sjukvårdsnära i hela Region-",
        "Västerbotten.",
        "§ 17 Aktuellt i samverkan",
        "Informationen noterades.",
    ]


def test_blank_pdf_has_empty_text(tmp_path: Path) -> None:
    assert extract.extract_text(_file(tmp_path, "tom.pdf", files.blank_pdf()), extract.PDF) == ""


@pytest.mark.parametrize(
    "data",
    [files.CORRUPT_PDF, "%PDF-1.4\nDetta är ingen riktig PDF.\n".encode(), files.pdf([["Samråd"]] * 3)[:300]],
    ids=["random", "text", "truncated"],
)
def test_corrupt_pdf_is_unreadable(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(extract.UnreadableFile):
        extract.extract_text(_file(tmp_path, "trasig.pdf", data), extract.PDF)


def test_pdf_with_a_garbled_filter_name_is_unreadable(tmp_path: Path) -> None:
    data = files.pdf([["Samråd hälsa, vård och omsorg"]]).replace(b"/Length", b"/Filter /Fl\xe4teDecode /Length", 1)
    with pytest.raises(extract.UnreadableFile):
        extract.extract_text(_file(tmp_path, "filter.pdf", data), extract.PDF)


def test_images_have_no_text(tmp_path: Path) -> None:
    assert extract.extract_text(_file(tmp_path, "bild.png", files.PNG), extract.PNG) is None


def test_strip_running_lines_removes_headers_and_footers_with_page_numbers() -> None:
    pages = [
        f"Region Västerbotten\nSamråd {n}\nFörsta raden på sidan {n}.\nMitten av sidan {n}.\nSida {n} av 4\n2024-05-03"
        for n in range(1, 5)
    ]
    out = extract.strip_running_lines(pages)
    assert len(out) == 4
    for n, page in enumerate(out, start=1):
        kept = [ln for ln in page.splitlines() if ln.strip()]
        assert kept == [f"Första raden på sidan {n}.", f"Mitten av sidan {n}."]


def test_strip_running_lines_keeps_body_lines_that_repeat_on_few_pages() -> None:
    pages = [
        "Sidhuvud\nBeslut\nText ett\nSidfot 1",
        "Sidhuvud\nBeslut\nText två\nSidfot 2",
        "Sidhuvud\nText tre\nSidfot 3",
        "Sidhuvud\nText fyra\nSidfot 4",
        "Sidhuvud\nText fem\nSidfot 5",
    ]
    out = extract.strip_running_lines(pages)
    assert out[0].split("\n") == ["Beslut", "Text ett"]
    assert out[2].split("\n") == ["Text tre"]
    assert out[4].split("\n") == ["Text fem"]


def test_strip_running_lines_leaves_short_documents_alone() -> None:
    pages = ["Rubrik\nText\nSida 1", "Rubrik\nMer text\nSida 2"]
    assert extract.strip_running_lines(pages) == pages


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sjuk-\nvård", "sjukvård"),
        ("Rehabili-\nteringen i länet", "Rehabiliteringen i länet"),
        ("länsgemen-\nsamma medel för sjuk-\nvård", "länsgemensamma medel för sjukvård"),
        ("hälso-\noch sjukvård", "hälso-\noch sjukvård"),
        ("barn-\neller ungdomsvård", "barn-\neller ungdomsvård"),
        ("kommun-\nsamt regionnivå", "kommun-\nsamt regionnivå"),
        ("för- \noch nackdelar", "för- \noch nackdelar"),
        ("Region-\nVästerbotten", "Region-\nVästerbotten"),
        ("perioden 2024-\n2026", "perioden 2024-\n2026"),
        ("Covid-\n19", "Covid-\n19"),
        ("sjuk- vård", "sjuk- vård"),
        ("Umeå-\nåret", "Umeååret"),
    ],
)
def test_join_hyphens(text: str, expected: str) -> None:
    assert extract.join_hyphens(text) == expected
