"""A damaged PDF is refused in words, whatever pypdf makes of it (loops, sizes, garbage)."""

import io
import random

from pypdf import PdfReader, PdfWriter

from store.media import MediaRefused, prepare_document

DAMAGED = 1500


def _report() -> bytes:
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(100, 100)
    writer.add_metadata({"/Author": "Zhang Jianguo"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_every_damaged_pdf_is_either_rewritten_to_its_pages_or_refused_in_words() -> None:
    good = _report()
    chance = random.Random(1)  # this seed reaches pypdf's self-referencing object loops
    refused = 0
    for i in range(DAMAGED):
        damaged = bytearray(good)
        if i % 3 == 0:
            damaged = damaged[: chance.randrange(5, len(damaged))]
        else:
            for _ in range(chance.randint(1, 8)):
                damaged[chance.randrange(5, len(damaged))] = chance.randrange(256)
        try:
            prepared = prepare_document(bytes(damaged))
        except MediaRefused as error:
            assert "PDF" in str(error)
            refused += 1
            continue
        assert b"Zhang Jianguo" not in prepared.data
        assert len(PdfReader(io.BytesIO(prepared.data)).pages) >= 1
    assert refused > 0
