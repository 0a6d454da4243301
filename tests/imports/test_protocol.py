"""The protocol parser: the real protocol of 2024-05-03 into exactly its record, and protocols in the other layouts
of the same family (tests/imports/protocol_samples.py), read from .txt, .docx and .pdf."""

import io
import unicodedata
import zipfile
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from app.imports.parsed import ParsedItem, ParsedProtocol
from app.imports.protocol.attendance import parse_attendance
from app.imports.protocol.decisions import find_decisions
from app.imports.protocol.items import presenters
from app.imports.protocol.parse import ProtocolFormatError, parse_protocol, protocol_text
from tests.fixtures import protocol_2024_05_03 as P
from tests.imports import protocol_samples as S

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "samples" / "seeds" / "protokoll-2024-05-03.txt"


def docx(text: str) -> bytes:
    """A minimal .docx with one paragraph a line."""
    paragraphs = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{escape(ln)}</w:t></w:r></w:p>' for ln in text.split("\n")
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{paragraphs}</w:body></w:document>"
    )
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'wordprocessingml.document.main+xml"/></Types>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("word/document.xml", document)
    return out.getvalue()


def pdf(pages: list[str]) -> bytes:
    """A minimal PDF, Helvetica in WinAnsiEncoding (å/ä/ö), one text line a line."""

    def line(text: str) -> bytes:
        raw = text.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        return b"(" + raw + b") Tj T*\n"

    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for page in pages:
        stream = b"BT /F1 9 Tf 11 TL 40 810 Td\n" + b"".join(line(t) for t in page.split("\n")) + b"ET"
        objects.append(b"<< /Length %d >>\nstream\n%b\nendstream" % (len(stream), stream))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % len(objects)
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%b] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = io.BytesIO(b"%PDF-1.4\n")
    out.seek(0, io.SEEK_END)
    offsets = []
    for n, obj in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%b\nendobj\n" % (n, obj))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def by_number(protocol: ParsedProtocol) -> dict[str, ParsedItem]:
    return {i.number: i for i in protocol.items}


def decisions(item: ParsedItem) -> list[tuple[str, list[str], str | None, str | None, str | None]]:
    return [(d.kind, d.clauses, d.body, d.assignee, d.target) for d in item.decisions]


# --- The real protocol of 2024-05-03 ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> ParsedProtocol:
    return parse_protocol(protocol_text(SAMPLE.read_bytes(), SAMPLE.name))


def test_the_sample_header(sample: ParsedProtocol) -> None:
    assert sample.body == P.COUNCIL
    assert sample.other_bodies == [P.LSG]
    assert sample.kind == P.MEETING["kind"]
    assert sample.diary_number == P.MEETING["diary_number"]
    assert sample.starts_at == datetime.fromisoformat(P.MEETING["starts_at"])
    assert sample.ends_at == datetime.fromisoformat(P.MEETING["ends_at"])
    assert sample.starts_at.tzinfo is None
    assert sample.place == P.MEETING["place"]
    assert sample.item_range == ("15", "25")
    assert sample.warnings == []


def test_the_sample_items(sample: ParsedProtocol) -> None:
    assert [(i.number, i.title, i.kind, i.format, i.section) for i in sample.items] == [
        (number, title, kind, fmt, section) for number, title, kind, fmt, section, *_ in P.ITEMS
    ]
    for item, (number, *_, people, minutes, expected) in zip(sample.items, P.ITEMS, strict=True):
        assert [(p.name, p.organisation) for p in item.presenters] == people, number
        if minutes is None:
            assert item.minutes_text is None, number
        else:
            assert item.minutes_text is not None and item.minutes_text.startswith(minutes), number
        assert [
            (d.kind, d.text, d.clauses, {k: v for k in ("assignee", "target", "body") if (v := getattr(d, k))})
            for d in item.decisions
        ] == expected, number
        assert item.attachments == []


def test_the_sample_minutes_leave_out_kind_presenters_and_decision(sample: ParsedProtocol) -> None:
    items = by_number(sample)
    assert items["23"].minutes_text == P.ITEMS[8][6]
    for number in ("17", "18", "19", "24"):
        text = items[number].minutes_text or ""
        assert "Informationsärende" not in text and "Föredragande" not in text
        assert "godkände informationen" not in text and "beslutade att" not in text
    assert "Systemledning tillsammans med" not in (items["23"].minutes_text or "")


def test_the_sample_attendance(sample: ParsedProtocol) -> None:
    council = [a for a in sample.attendance if a.body == P.COUNCIL and a.role != "co_opted"]
    assert [(a.name, a.party, a.organisation, a.status, a.role, a.substitute_for, a.note) for a in council] == [
        tuple(row) for row in P.COUNCIL_ATTENDANCE
    ]
    lsg = [a for a in sample.attendance if a.body == P.LSG]
    assert [(a.name, a.organisation, a.status, a.role, a.substitute_for, a.note) for a in lsg] == [
        tuple(row) for row in P.LSG_ATTENDANCE
    ]
    assert all(a.party is None for a in lsg)
    co_opted = [a for a in sample.attendance if a.role == "co_opted"]
    assert [(a.name, a.organisation) for a in co_opted] == P.CO_OPTED
    assert all(a.body is None and a.status == "present" for a in co_opted)
    assert len(sample.attendance) == len(P.COUNCIL_ATTENDANCE) + len(P.LSG_ATTENDANCE) + len(P.CO_OPTED)


def test_the_sample_next_meetings(sample: ParsedProtocol) -> None:
    assert [(n.title, n.on.isoformat(), n.place, n.kind) for n in sample.next_meetings] == P.NEXT_MEETINGS
    assert [n.body for n in sample.next_meetings] == [None, P.COUNCIL]


def test_the_sample_reads_the_same_from_docx_in_decomposed_unicode() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    from_docx = parse_protocol(protocol_text(docx(unicodedata.normalize("NFD", text)), "protokoll.docx"))
    assert from_docx == parse_protocol(protocol_text(SAMPLE.read_bytes(), SAMPLE.name))
    assert from_docx.items[4].presenters[2].name == "Sofia Ögren"


# --- 2021: the former name, another header order, attendance at the top, lettered items -------------------------------


@pytest.fixture(scope="module")
def council_2021() -> ParsedProtocol:
    return parse_protocol(S.COUNCIL_2021)


def test_header_lines_in_another_order_with_diarienummer_and_separate_date_and_time(
    council_2021: ParsedProtocol,
) -> None:
    p = council_2021
    assert p.body == "Samråd vård och omsorg"
    assert p.diary_number == "HSN 418-2-2021"
    assert (p.starts_at, p.ends_at) == (datetime(2021, 3, 19, 13, 0), datetime(2021, 3, 19, 16, 0))
    assert p.place == "Lycksele, Hotell Lappland"
    assert p.item_range == ("1", "9")
    assert p.other_bodies == [] and p.kind == "ordinary"


def test_lettered_items_kinds_formats_and_attachments(council_2021: ParsedProtocol) -> None:
    p = council_2021
    assert [i.number for i in p.items] == ["1", "2", "3", "4", "5", "6", "7a", "7b", "8", "9"]
    assert [i.kind for i in p.items] == ["standing"] * 4 + ["information", "decision", "information"] * 1 + [
        "information",
        "standing",
        "standing",
    ]
    items = by_number(p)
    assert (items["5"].format, items["7a"].format, items["6"].format) == ("oral", "written", None)
    assert items["6"].attachments == ["Bilaga 3", "Bilaga 4.1", "Bilaga 4.2", "Bilaga 4.3"]
    assert items["7a"].attachments == ["Bilaga 5"]
    assert items["6"].minutes_text == "Ett förslag till gemensam framtidsbild har tagits fram i samverkan, se bilaga 3."
    assert [(x.name, x.organisation) for x in items["7b"].presenters] == [
        ("Carolina Forsell", None),
        ("Anna Berg", "Hjälpmedelsrådet"),
    ]


def test_decisions_noted_recommendation_assignment_and_referral(council_2021: ParsedProtocol) -> None:
    items = by_number(council_2021)
    assert decisions(items["5"]) == [("noted", [], None, None, None)]
    assert decisions(items["6"]) == [
        (
            "recommendation",
            ["fastställa Framtidsbild Nära vård 2030", "rekommendera respektive huvudman att anta förslaget"],
            None,
            None,
            None,
        )
    ]
    assert decisions(items["7a"]) == [
        (
            "assignment",
            ["godkänna fördelningen", "uppdra Länssamverkansgruppen att följa upp insatserna"],
            None,
            "Länssamverkansgruppen",
            None,
        )
    ]
    assert items["7a"].decisions[0].text.endswith("att följa upp insatserna.")
    assert decisions(items["7b"]) == [("referral", [], None, None, "Länssamverkansgruppen")]
    assert items["7b"].minutes_text == "Strategin presenterades."
    assert decisions(items["4"]) == [] and decisions(items["8"]) == []


def test_attendance_at_the_top(council_2021: ParsedProtocol) -> None:
    people = {a.name: a for a in council_2021.attendance}
    assert list(people) == [
        "Peter Olofsson",
        "Anna Svensson",
        "Lars Berg",
        "Karin Ek",
        "Nils Holm",
        "Anna Andersson",
        "Eva Lund",
        "Katarina Lindahl",
        "Per Nilsson",
    ]
    assert people["Peter Olofsson"].role == "chair"
    assert (people["Anna Svensson"].role, people["Anna Svensson"].substitute_for) == ("substitute", "Anna Andersson")
    assert people["Lars Berg"].role == "adjuster"  # from "Justerare: Lars Berg" under the last item
    assert (people["Karin Ek"].from_item, people["Karin Ek"].to_item) == ("5", None)
    nils = people["Nils Holm"]  # absent for that one item, present before and after it
    assert (nils.from_item, nils.to_item, nils.absent_items, nils.note) == (
        None,
        None,
        ["7a"],
        "frånvarande på punkt 7a",
    )
    assert people["Eva Lund"].status == "absent"
    assert (people["Katarina Lindahl"].role, people["Katarina Lindahl"].organisation) == ("official", None)
    assert (people["Per Nilsson"].role, people["Per Nilsson"].organisation) == ("co_opted", "SKR")
    assert {a.body for a in council_2021.attendance if a.role != "co_opted"} == {"Samråd vård och omsorg"}
    assert council_2021.warnings == ["attendance: could not read the line '- se bifogad lista'"]
    assert "Justerare" not in (by_number(council_2021)["9"].minutes_text or "")


def test_next_meetings_with_time_and_place(council_2021: ParsedProtocol) -> None:
    assert [(n.on, n.body, n.title, n.place, n.kind) for n in council_2021.next_meetings] == [
        (date(2021, 6, 11), "Samråd vård och omsorg", None, "Teams", "ordinary"),
        (date(2021, 9, 24), "Samråd vård och omsorg", None, "Umeå", "ordinary"),
    ]


def test_decomposed_unicode_reads_the_same() -> None:
    assert parse_protocol(unicodedata.normalize("NFD", S.COUNCIL_2021)) == parse_protocol(S.COUNCIL_2021)


# --- 2023: a joint part, over pages with running headers and footers, through each file format ------------------------

JOINT_FILES = {
    "protokoll.txt": lambda: S.paged(S.JOINT_2023_PAGES).encode("utf-8"),
    "protokoll-cp1252.txt": lambda: S.paged(S.JOINT_2023_PAGES).encode("cp1252"),
    "protokoll-formfeed.txt": lambda: S.paged(S.JOINT_2023_PAGES, separator="\f").encode("utf-8"),
    "protokoll.docx": lambda: docx(unicodedata.normalize("NFD", S.paged(S.JOINT_2023_PAGES))),
    "protokoll.pdf": lambda: pdf(S.paged(S.JOINT_2023_PAGES, separator="\f").split("\f")),
}


@pytest.mark.parametrize("filename", list(JOINT_FILES))
def test_page_furniture_goes_and_broken_words_join(filename: str) -> None:
    text = protocol_text(JOINT_FILES[filename](), filename)
    assert text == unicodedata.normalize("NFC", text)
    assert S.RUNNING_HEADER not in text.split("\n", 1)[-1]  # kept at most once, on top
    assert "Sida" not in text
    assert "inom sjukvården och" in text
    assert "kring primärvården behöver" in text  # broken at a page end
    assert "hälso-\noch sjukvård" in text  # a Swedish suspended hyphen stays


@pytest.mark.parametrize("filename", list(JOINT_FILES))
def test_a_joint_part_with_another_body(filename: str) -> None:
    p = parse_protocol(protocol_text(JOINT_FILES[filename](), filename))
    assert p.body == "Samråd hälsa, vård och omsorg"
    assert p.diary_number == "HSN 12:1-2023"
    assert (p.starts_at, p.ends_at) == (datetime(2023, 2, 10, 9, 0), datetime(2023, 2, 10, 12, 0))
    assert p.other_bodies == ["Länssamverkansgruppen"] and p.kind == "joint"
    joint = "Systemledning tillsammans med Länssamverkansgruppen"
    assert [(i.number, i.kind, i.section) for i in p.items] == [
        ("1", "standing", None),
        ("2", "standing", None),
        ("3", "information", None),
        ("4", "standing", None),
        ("5", "information", joint),
        ("6", "standing", joint),
    ]
    items = by_number(p)
    assert items["3"].title == "Uppföljning av Hälsa, Lärande, Trygghet"
    assert "sjukvården" in (items["3"].minutes_text or "")
    assert decisions(items["3"]) == [("noted", [], None, None, None)]
    assert decisions(items["5"]) == [
        (
            "assignment",
            ["ge Länssamverkansgruppen i uppdrag att ta fram en handlingsplan"],
            "Systemledning för Nära vård",
            "Länssamverkansgruppen",
            None,
        )
    ]
    people = {a.name: a for a in p.attendance}
    assert people["Roger Ek"].substitute_for == "Ulf Berg"
    assert (people["John Olsson"].body, people["John Olsson"].to_item) == ("Länssamverkansgruppen", "5")
    assert [(n.on, n.body) for n in p.next_meetings] == [(date(2023, 4, 14), "Samråd hälsa, vård och omsorg")]
    assert p.warnings == []


def test_a_running_header_that_alone_names_the_body_and_date_is_kept_once() -> None:
    pages = [
        "1. Godkännande av dagordning\n\n2. Information om Nära vård\nInformationsärende",
        "Information gavs.\nSamrådet godkände informationen.",
        "3. Övriga frågor\nInga övriga frågor.",
    ]
    text = "\n".join(
        f"Protokoll Samråd vård och omsorg 2021-03-19\n{page}\nSida {n} av 3" for n, page in enumerate(pages, 1)
    )
    p = parse_protocol(protocol_text(text.encode(), "protokoll.txt"))
    assert (p.body, p.starts_at) == ("Samråd vård och omsorg", datetime(2021, 3, 19))
    assert [i.number for i in p.items] == ["1", "2", "3"]
    assert by_number(p)["2"].minutes_text == "Information gavs."
    assert "the protocol gives no time" in p.warnings


# --- The officials' group: dates in words, lists inside items, a bulleted decision ------------------------------------


@pytest.fixture(scope="module")
def lsg_2022() -> ParsedProtocol:
    return parse_protocol(S.LSG_2022)


def test_date_in_words_and_a_bare_hour_range(lsg_2022: ParsedProtocol) -> None:
    assert lsg_2022.body == "Länssamverkansgruppen"
    assert (lsg_2022.starts_at, lsg_2022.ends_at) == (datetime(2022, 11, 18, 13, 0), datetime(2022, 11, 18, 15, 0))
    assert lsg_2022.place == "Umeå, Regionens hus"
    assert lsg_2022.diary_number is None and lsg_2022.item_range is None


def test_a_numbered_list_inside_an_item_is_not_an_item(lsg_2022: ParsedProtocol) -> None:
    assert [i.number for i in lsg_2022.items] == ["1", "2", "3", "4", "5"]
    item = by_number(lsg_2022)["2"]
    assert item.title == "Prioriteringar för länsgemensamma medel, 2023 års fördelning"
    assert item.kind == "decision"
    assert "3. Barn och unga med psykisk ohälsa" in (item.minutes_text or "")
    assert [(x.name, x.organisation) for x in item.presenters] == [
        ("Ida Lestander", "Region Västerbotten"),
        ("Eva Strand", "projektledare"),
    ]


def test_a_bulleted_decision_with_an_assignment_to_the_working_committee(lsg_2022: ParsedProtocol) -> None:
    assert decisions(by_number(lsg_2022)["2"]) == [
        (
            "assignment",
            ["godkänna prioriteringarna", "uppdra AU att ta fram en tidplan"],
            None,
            "Länssamverkansgruppen – arbetsutskott",
            None,
        )
    ]


def test_warnings_for_what_cannot_be_read(lsg_2022: ParsedProtocol) -> None:
    assert by_number(lsg_2022)["3"].title == ""
    assert "item 3 has no title" in lsg_2022.warnings
    assert "attendance: cannot tell whom the substitute Camilla Andersson replaces" in lsg_2022.warnings
    camilla = next(a for a in lsg_2022.attendance if a.name == "Camilla Andersson")
    assert camilla.role == "substitute" and camilla.substitute_for is None


def test_a_next_meeting_early_in_the_year_is_in_the_next_year(lsg_2022: ParsedProtocol) -> None:
    assert [(n.on, n.body) for n in lsg_2022.next_meetings] == [(date(2023, 1, 20), "Länssamverkansgruppen")]


# --- Paragraph numbers and referrals ----------------------------------------------------------------------------------


def test_paragraph_numbers_attachment_lists_and_referrals() -> None:
    p = parse_protocol(S.PARAGRAPHS)
    assert p.body == "Beredning barn och unga"
    assert (p.starts_at, p.ends_at) == (datetime(2022, 9, 2, 10, 0), datetime(2022, 9, 2, 12, 0))
    assert [i.number for i in p.items] == ["12", "13", "14"]
    items = by_number(p)
    assert (items["13"].kind, items["13"].format) == ("information", "written")
    assert items["13"].attachments == ["Bilaga 2", "Bilaga 3", "Bilaga 5"]
    assert decisions(items["13"]) == [("referral", [], None, None, "Länssamverkansgruppen")]
    assert [(d.kind, d.text, d.target) for d in items["14"].decisions] == [
        ("referral", "Samordnad individuell plan för barn och unga", "Länssamverkansgruppen"),
        ("referral", "Gemensam rutin för utskrivning från slutenvård", "Länssamverkansgruppen"),
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Dag Norén, Governo", [("Dag Norén", "Governo")]),
        ("Anna Berg och Per Ek", [("Anna Berg", None), ("Per Ek", None)]),
        (
            "Carin Nilsson, ordförande Samråd hälsa, vård och omsorg",
            [("Carin Nilsson", "ordförande Samråd hälsa, vård och omsorg")],
        ),
        ("Eva Lund, chef för hälso- och sjukvård", [("Eva Lund", "chef för hälso- och sjukvård")]),
    ],
)
def test_presenters(line: str, expected: list[tuple[str, str | None]]) -> None:
    assert [(p.name, p.organisation) for p in presenters(line)] == expected


def test_item_numbers_without_a_full_stop_and_other_header_and_item_forms() -> None:
    p = parse_protocol(S.BARE_NUMBERS_2020)
    assert p.body == "Samråd vård och omsorg"
    assert (p.starts_at, p.ends_at) == (datetime(2020, 3, 19, 9, 30), datetime(2020, 3, 19, 12, 0))
    assert p.item_range == ("1", "6")
    assert [(i.number, i.title, i.kind) for i in p.items] == [
        ("1", "Godkännande av dagordning", "standing"),
        ("2", "Information om covid-19", "information"),
        ("3", "Gemensam vårdplanering", "information"),
        ("4", "Övriga frågor", "standing"),
        ("5", "Nästa möte", "standing"),
        ("6", "Mötet avslutas", "standing"),
    ]
    items = by_number(p)
    assert [x.name for x in items["2"].presenters] == ["Anna Berg"]
    assert items["2"].minutes_text == "Lägesbild gavs. 2 kommuner rapporterade brist på skyddsutrustning."
    assert decisions(items["2"]) == [("noted", [], None, None, None)]
    assert [(x.name, x.organisation) for x in items["3"].presenters] == [("Per Ek", "Umeå kommun")]
    assert decisions(items["3"]) == [("resolved", [], None, None, None)]
    assert items["3"].minutes_text == "Förslaget presenterades."
    assert [(n.on, n.body, n.place) for n in p.next_meetings] == [
        (date(2020, 4, 24), "Samråd vård och omsorg", None),
        (date(2020, 6, 12), None, "Umeå"),
    ]
    assert [(a.name, a.status, a.role, a.body) for a in p.attendance] == [
        ("Anna Lund", "present", "chair", "Samråd vård och omsorg"),
        ("Eva Ek", "absent", "member", "Länssamverkansgruppen"),
    ]
    assert p.warnings == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Carin Nilsson (S) Umeå kommun ordförande", ("Carin Nilsson", "s", "Umeå kommun", "chair", None, None, None)),
        (
            "- Kalle Ek (c), Åsele kommun, ersättare för Lisa Berg",
            ("Kalle Ek", "c", "Åsele kommun", "substitute", "Lisa Berg", None, None),
        ),
        (
            "• Per Persson (kd) Region Västerbotten, närvarande från punkt 3",
            ("Per Persson", "kd", "Region Västerbotten", "member", None, "3", None),
        ),
        (
            "Anna Ek, Sorsele kommun, lämnade mötet efter § 4b",
            ("Anna Ek", None, "Sorsele kommun", "member", None, None, "4b"),
        ),
        (
            "Gunilla Larsson Region Västerbotten",
            ("Gunilla Larsson", None, "Region Västerbotten", "member", None, None, None),
        ),
    ],
)
def test_attendance_lines(line: str, expected: tuple[str | None, ...]) -> None:
    people, warnings, _ = parse_attendance(["Närvarande", line], "Samråd vård och omsorg")
    a = people[0]
    assert (a.name, a.party, a.organisation, a.role, a.substitute_for, a.from_item, a.to_item) == expected
    assert warnings == []


COUNCIL = "Samråd hälsa, vård och omsorg"


def test_list_headings_for_bodies_and_guests() -> None:
    lines = [
        "Närvarande",
        "- Carin Nilsson (s) Umeå kommun, ordförande",
        "Länssamverkansgruppen, punkt 24–25",
        "John Olsson, Malå kommun",
        "Frånvarande",
        "Gaby Bisping, Dorotea kommun",
        "Inbjudna gäster",
        "Dag Norén, Governo",
        "Frånvarande: inga",
        "Vid protokollet",
        "Katarina Lindahl",
    ]
    people, warnings, bodies = parse_attendance(lines, COUNCIL)
    assert [(a.name, a.status, a.role, a.body, a.organisation) for a in people] == [
        ("Carin Nilsson", "present", "chair", COUNCIL, "Umeå kommun"),
        ("John Olsson", "present", "member", "Länssamverkansgruppen", "Malå kommun"),
        ("Gaby Bisping", "absent", "member", "Länssamverkansgruppen", "Dorotea kommun"),
        ("Dag Norén", "present", "guest", None, "Governo"),
    ]
    assert bodies == ["Länssamverkansgruppen"] and warnings == []


def test_the_body_named_above_the_attendance_at_the_end_starts_the_lists() -> None:
    text = (
        "Protokoll Samråd hälsa, vård och omsorg\nDatum: 2024-02-09\n\n1. Övriga frågor\nInga övriga frågor.\n\n"
        "Samråd hälsa, vård och omsorg\nNärvarande\n- Carin Nilsson (s) Umeå kommun, ordförande\n"
        "- Lars Ek (c) Vindelns kommun\nJusterare: Lars Ek\nFrånvarande\n- Eva Berg (m) Lycksele kommun\n"
    )
    p = parse_protocol(text)
    assert p.items[0].minutes_text == "Inga övriga frågor."
    assert [(a.name, a.body, a.status, a.role) for a in p.attendance] == [
        ("Carin Nilsson", COUNCIL, "present", "chair"),
        ("Lars Ek", COUNCIL, "present", "adjuster"),
        ("Eva Berg", COUNCIL, "absent", "member"),
    ]
    assert p.warnings == ["the protocol gives no time"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Samrådet godkände informationen och beslutade att uppdra LSG att återkomma.",
            [("assignment", ["uppdra LSG att återkomma"], None, "Länssamverkansgruppen", None)],
        ),
        ("Regionfullmäktige beslutade i mars att anta budgeten.", []),
        ("Länssamverkansgruppen har beslutat att frågan ska lösas i länsdelarna.", []),
        ("Informationen noterades.", [("noted", [], None, None, None)]),
        ("Länssamverkansgruppen godkände informationen.", [("noted", [], "Länssamverkansgruppen", None, None)]),
        ("Beslut\natt godkänna förslaget.", [("resolved", ["godkänna förslaget"], None, None, None)]),
        ("Förslag till beslut\natt godkänna förslaget.", []),
        (
            "Samrådet beslutade att:\n\n• godkänna planen\n\n• uppdra AU att återkomma",
            [("assignment", ["godkänna planen", "uppdra AU att återkomma"], None, f"{COUNCIL} – arbetsutskott", None)],
        ),
        (
            "Samråd hälsa, vård och omsorg beslutade att ge beredningen barn och unga i uppdrag att ta fram en plan,\n"
            "samt att överlämna frågan till Länssamverkansgruppen.",
            [
                (
                    "assignment",
                    [
                        "ge beredningen barn och unga i uppdrag att ta fram en plan",
                        "överlämna frågan till Länssamverkansgruppen",
                    ],
                    None,
                    "Beredning barn och unga",
                    "Länssamverkansgruppen",
                )
            ],
        ),
        (
            "Samrådet beslutade att överlämna ärendet till Länssamverkansgruppen.",
            [("referral", ["överlämna ärendet till Länssamverkansgruppen"], None, None, "Länssamverkansgruppen")],
        ),
    ],
)
def test_decision_sentences(text: str, expected: list[tuple[object, ...]]) -> None:
    found, rest = find_decisions(text.split("\n"), COUNCIL)
    assert [(d.kind, d.clauses, d.body, d.assignee, d.target) for d in found] == expected
    assert ("beslutade" in "\n".join(rest)) == (not expected and "beslutade" in text)


def test_the_kind_in_the_title() -> None:
    p = parse_protocol(
        "Protokoll Länssamverkansgruppen\nDatum: 2022-01-14\n\n1. Aktuellt i samverkan (muntligt informationsärende)\n"
        "Lägesbild.\n\n2. Ny rutin för vårdhygien – beslutsärende\nGruppen beslutade att anta rutinen.\n"
    )
    assert [(i.title, i.kind, i.format, decisions(i)) for i in p.items] == [
        ("Aktuellt i samverkan", "information", "oral", []),
        ("Ny rutin för vårdhygien", "decision", None, [("resolved", ["anta rutinen"], None, None, None)]),
    ]


def test_a_joint_meeting_named_in_the_header_and_labels_without_colons() -> None:
    p = parse_protocol(
        "Protokoll Samråd hälsa, vård och omsorg och Länssamverkansgruppen\nDatum 2024-06-14\nTid 9.00-12.00\n\n"
        "1. Hjälpmedel\nArbetet fortsätter.\n• Uppföljning tillsammans med kommunerna\n\n2. Övriga frågor\n"
    )
    assert (p.body, p.other_bodies, p.kind) == (COUNCIL, ["Länssamverkansgruppen"], "joint")
    assert (p.starts_at, p.ends_at) == (datetime(2024, 6, 14, 9, 0), datetime(2024, 6, 14, 12, 0))
    assert [i.section for i in p.items] == [None, None]  # a bullet "… tillsammans med kommunerna" is no heading
    assert p.items[0].minutes_text == "Arbetet fortsätter.\n• Uppföljning tillsammans med kommunerna"


# --- Not a protocol ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "  \n\n ", S.NOT_A_PROTOCOL])
def test_not_a_protocol(text: str) -> None:
    with pytest.raises(ProtocolFormatError, match=r"empty|not a meeting protocol"):
        parse_protocol(text)


@pytest.mark.parametrize(
    ("data", "filename"),
    [(b"", "tomt.txt"), (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "bild.docx"), (b"PK\x03\x04trasig", "trasig.docx")],
)
def test_files_that_are_not_protocols(data: bytes, filename: str) -> None:
    with pytest.raises(ValueError, match=filename):
        protocol_text(data, filename)


def test_a_protocol_header_without_items_warns() -> None:
    p = parse_protocol("Protokoll Samråd vård och omsorg\nDatum: 2021-03-19\n\nMötet ställdes in.\n")
    assert p.items == [] and p.body == "Samråd vård och omsorg"
    assert "no numbered agenda items found" in p.warnings
    assert "the protocol gives no time" in p.warnings
    assert issubclass(ProtocolFormatError, ValueError)
