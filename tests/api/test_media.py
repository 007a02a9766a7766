"""Photos and PDFs: checked by content, stripped of metadata, resized, stored by hash, cached."""

import io
import re

from fastapi.testclient import TestClient
from PIL import Image
from pypdf import PdfReader, PdfWriter

from tests.api.builders import post, receive, seed_master_data
from tests.fix_api import bearer

GPS_IFD = 0x8825
HTML = {"Accept": "text/html"}


def _phone_photo() -> bytes:
    """A camera JPEG with the EXIF a phone writes: where it was taken and by which device."""
    image = Image.new("RGB", (2000, 1500), (90, 140, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2026:05:05 10:12:00"  # DateTime
    exif[GPS_IFD] = {1: "N", 2: (29.0, 14.0, 30.0), 3: "E", 4: (103.0, 5.0, 10.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


XMP_PACKET = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF'
    b' xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:pdf="http://ns.adobe.com/pdf/1.3/"'
    b' pdf:Producer="LabScanner Pro 9"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


def _scanned_report(pages: int = 2) -> bytes:
    """A lab's PDF as scanners write it: its author, its software and an XMP packet."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    writer.add_metadata({"/Author": "Zhang Jianguo", "/Producer": "LabScanner Pro 9"})
    writer.xmp_metadata = XMP_PACKET
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _upload(
    client: TestClient, token: str, data: bytes, kind: str, subject: str, name: str = "a.jpg"
) -> "object":
    return client.post(
        "/api/v1/media",
        headers=bearer(token),
        files={"file": (name, data, "image/jpeg")},
        data={"subject_kind": kind, "subject": subject, "caption": "天麻种植基地"},
    )


def test_a_phone_photo_is_stored_resized_without_its_metadata_and_cached_for_good(
    client: TestClient, staff_token: str
) -> None:
    seed_master_data(client, staff_token)
    original = _phone_photo()
    assert b"PhoneMaker" in original
    answer = _upload(client, staff_token, original, "producer", "P-ABU")
    assert answer.status_code == 201, answer.text  # type: ignore[attr-defined]
    variants = answer.json()["variants"]  # type: ignore[attr-defined]
    assert [v["width"] for v in variants] == [360, 720, 1280]
    assert [v["height"] for v in variants] == [270, 540, 960]
    for variant in variants:
        served = client.get(f"/media/{variant['digest']}")
        assert served.headers["content-type"] == "image/jpeg"
        assert "immutable" in served.headers["cache-control"]
        assert b"PhoneMaker" not in served.content and b"Exif" not in served.content
        with Image.open(io.BytesIO(served.content)) as image:
            assert not image.getexif() and image.size == (variant["width"], variant["height"])
    again = client.get(f"/media/{variants[0]['digest']}",
                       headers={"If-None-Match": f'"{variants[0]["digest"]}"'})  # fmt: skip
    assert again.status_code == 304


def test_a_file_is_judged_by_its_content_not_its_name(client: TestClient, staff_token: str) -> None:
    seed_master_data(client, staff_token)
    fake = _upload(client, staff_token, b"GIF89a not really", "producer", "P-ABU", "x.jpg")
    assert fake.status_code == 422 and "not a readable image" in fake.text  # type: ignore[attr-defined]
    nobody = _upload(client, staff_token, _phone_photo(), "producer", "NOBODY")
    assert nobody.status_code == 422 and "NOBODY" in nobody.text  # type: ignore[attr-defined]
    assert client.get("/media/" + "0" * 64).status_code == 404
    assert client.get("/media/../../etc/passwd").status_code == 404


def test_an_uploaded_pdf_keeps_its_pages_and_loses_its_author_producer_and_xmp(
    client: TestClient, staff_token: str
) -> None:
    seed_master_data(client, staff_token)
    original = _scanned_report(pages=3)
    before = PdfReader(io.BytesIO(original))
    assert before.metadata is not None and before.metadata.author == "Zhang Jianguo"
    assert before.xmp_metadata is not None and b"LabScanner" in original
    answer = _upload(client, staff_token, original, "producer", "P-ABU", "report.pdf")
    assert answer.status_code == 201, answer.text  # type: ignore[attr-defined]
    digest = answer.json()["variants"][0]["digest"]  # type: ignore[attr-defined]
    served = client.get(f"/media/{digest}")
    assert served.headers["content-type"] == "application/pdf"
    assert b"Zhang Jianguo" not in served.content and b"LabScanner" not in served.content
    after = PdfReader(io.BytesIO(served.content))
    assert len(after.pages) == len(before.pages) == 3
    assert not after.metadata and after.xmp_metadata is None
    assert after.pages[0].mediabox.width == 595


def test_a_pdf_that_cannot_be_parsed_is_refused_in_words(
    client: TestClient, staff_token: str
) -> None:
    seed_master_data(client, staff_token)
    broken = _upload(client, staff_token, b"%PDF-1.7\n%%EOF\n", "producer", "P-ABU", "r.pdf")
    assert broken.status_code == 422, broken.text  # type: ignore[attr-defined]
    assert "not a readable PDF" in broken.text  # type: ignore[attr-defined]
    cut = _upload(client, staff_token, _scanned_report()[:300], "producer", "P-ABU", "r.pdf")
    assert cut.status_code == 422 and "not a readable PDF" in cut.text  # type: ignore[attr-defined]


def test_the_page_shows_photos_lazily_with_their_size_and_links_the_test_report(
    client: TestClient, staff_token: str
) -> None:
    seed_master_data(client, staff_token)
    lot = receive(client, staff_token)["lot_code"]
    _upload(client, staff_token, _phone_photo(), "producer", "P-ABU")
    testing = post(client, staff_token, f"/api/v1/batches/{lot}/events", {
        "type": "testing", "time": "2026-05-06T11:00:00+08:00", "data": {
            "passed": True, "lab": "金口河区农检站", "standard": "GB 2763-2021",
            "moisture_percent": 80.5},
    })  # fmt: skip
    report = _upload(client, staff_token, _scanned_report(), "event", testing["event_id"])
    assert report.json()["kind"] == "document"  # type: ignore[attr-defined]
    page = client.get(f"/l/{lot}", headers=HTML).text
    assert 'loading="lazy"' in page and 'width="360" height="270"' in page
    assert " 720w" in page and "实拍照片" in page
    pdf = report.json()["variants"][0]["digest"]  # type: ignore[attr-defined]
    assert f'href="/media/{pdf}"' in page and "检测报告" in page
    assert client.get(f"/media/{pdf}").headers["content-type"] == "application/pdf"


def test_staff_attach_a_camera_photo_from_the_console(
    staff_client: TestClient, staff_token: str
) -> None:
    seed_master_data(staff_client, staff_token)
    lot = receive(staff_client, staff_token)["lot_code"]
    page = staff_client.get(f"/staff/batches/{lot}", headers=HTML).text
    action = f"/staff/media/{lot}"
    form = re.search(rf'<form method="post" action="{action}".*?</form>', page, re.S)
    assert form is not None and 'accept="image/*,application/pdf"' in form.group(0)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.group(0))
    subject = re.search(r'value="(producer:[^"]+)"', form.group(0))
    assert token is not None and subject is not None
    answer = staff_client.post(
        action,
        data={"csrf_token": token.group(1), "subject": subject.group(1), "caption": "合作社"},
        files={"file": ("IMG_0001.JPG", _phone_photo(), "image/jpeg")},
        headers=HTML, follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 303, answer.text
    public = staff_client.get(f"/l/{lot}", headers=HTML).text
    assert "实拍照片" in public and 'loading="lazy"' in public
    refused = staff_client.post(
        action,
        data={"csrf_token": token.group(1), "subject": subject.group(1)},
        files={"file": ("notes.jpg", b"plain text", "image/jpeg")},
        headers=HTML, follow_redirects=False,
    )  # fmt: skip
    assert refused.status_code == 422 and "不是可读取的图片" in refused.text
