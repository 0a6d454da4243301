import json, io, zipfile
from tests.imports.conftest import PROTOCOL, API, row_counts, docx, blank_pdf

def test_x(upload, admin, orgs, client, make_principal):
    council = orgs["Samråd hälsa, vård och omsorg"]
    other = orgs["Hjälpmedelsrådet"]
    sec = make_principal(f"secretary:{council}")
    osec = make_principal(f"secretary:{other}")
    data = PROTOCOL.read_bytes()
    for h in (osec,):
        r = upload("protocol", data, PROTOCOL.name, h); print("other dry", r.status_code, r.text[:200])
        r = upload("protocol", data, PROTOCOL.name, h, dry_run=False); print("other apply", r.status_code, r.text[:300])
    r = upload("protocol", data, PROTOCOL.name, sec, dry_run=False); print("sec apply", r.status_code, r.text[:300])
    for name, d in [("e.txt", b""), ("b.txt", bytes(range(256))*4), ("b.docx", b"\x89PNG\r\n\x1a\n"+b"\0"*64), ("t.docx", docx(data.decode())[:100]), ("x.pdf", blank_pdf()), ("p.docx", docx(data.decode()))]:
        r = upload("protocol", d, name, admin); print(name, r.status_code, r.text[:300])
