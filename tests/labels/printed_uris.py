"""Every Digital Link URI farmtrace prints or answers with, each with the identifiers it was
built to carry: the one list that parsers written outside this project (digital-link.js,
GS1's Barcode Syntax Engine) read back.

Label URIs are taken from what a printer is sent (the QR field of the ZPL label), so they are
the QR text exactly as encoded. The short form ``/l/{lot}`` is no Digital Link and is left out.
"""

import re
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from itertools import islice

import psycopg
from fastapi.testclient import TestClient

from farmtrace.demo.showcase import demo_labels
from labels import LabelData, render_label
from labels.certificates import render_certificate
from schemas.gs1 import company_gtins
from store.batches import lot_codes
from store.certificates import issued_for
from tests.api.builders import post, receive, seed_master_data
from tests.fix_api import bearer

# A path before the Digital Link path, as FARMTRACE_PUBLIC_BASE_URL may have. Not a word the
# host begins with: digital-link.js 1.4.3 removes the first "/{path}" it finds anywhere in the
# URI before validating, so "/trace" under https://trace.… would cut into the host instead.
PATH_PREFIX = "/qr"
COMPANY_PREFIX = "690123456"
PACK_GTIN = "06901234567908"
# An element string's AI values escape "(", which would otherwise open the next AI.
ESCAPED_PARENTHESIS = "\\("
_ZPL_QR_FIELD = re.compile(r"\^BQN,[^\n]*\^FD[LMQH]A,(?P<text>[^\n]*)\^FS")
_LINK_TARGET = re.compile(r"<(?P<target>[^>]+)>")


@dataclass(frozen=True)
class Identifiers:
    """What a Digital Link is meant to name: a GTIN-14 and its key qualifiers."""

    gtin: str
    lot_code: str | None = None
    serial: str | None = None
    variant: str | None = None
    tpx: str | None = None

    def key_qualifiers(self) -> dict[str, str]:
        """AI → value, in the order GS1 Digital Link's URI syntax places them."""
        named = {"22": self.variant, "10": self.lot_code, "21": self.serial, "235": self.tpx}
        return {ai: value for ai, value in named.items() if value is not None}

    def element_string(self) -> str:
        """The bracketed AI element string, e.g. ``(01)06901234567892(10)TM…`` (a ``(`` in a
        value escaped, as GS1's syntax for element strings asks)."""
        pairs = {"01": self.gtin, **self.key_qualifiers()}
        return "".join(f"({ai}){value.replace('(', ESCAPED_PARENTHESIS)}"
                       for ai, value in pairs.items())  # fmt: skip


@dataclass(frozen=True)
class PrintedUri:
    """A URI as farmtrace prints it, where it prints it, and what it was built to name."""

    where: str
    uri: str
    meant: Identifiers


def zpl_qr_text(zpl: bytes) -> str:
    """The text a ZPL label's QR code encodes, its ``^FH`` hex escapes undone."""
    found = _ZPL_QR_FIELD.search(zpl.decode())
    assert found, "the label has a QR field"
    return re.sub(r"_([0-9A-F]{2})", lambda hex_pair: chr(int(hex_pair[1], 16)), found["text"])


def _label(lot_code: str, gtin: str | None, serial: str | None = None) -> LabelData:
    return LabelData(lot_code=lot_code, product_name_zh="金口河乌天麻（鲜）",
                     pack_date=date(2026, 11, 28), net_quantity=Decimal("250"), net_unit="g",
                     gtin=gtin, serial=serial)  # fmt: skip


def label_uris(base_url: str) -> list[PrintedUri]:
    """Labels rendered here, no database: GTIN-13, -14 and -8 as entered, a pack's serial, a
    20-character lot, GTINs numbered from a company prefix; under ``base_url``, under it with
    a path prefix, and under it in upper case (as an operator may type it)."""
    printed = [("TM2611284KQ8ZP1XD6", "6901234567892", None),
               ("TIAN260506L6BANQTM5G", "06901234567892", "PACK0001"),
               ("CY2611289RT3MX0QB1", "96385074", "9")]  # fmt: skip
    numbered = [
        *islice(company_gtins(COMPANY_PREFIX), 2),
        next(company_gtins(COMPANY_PREFIX + "7")),
    ]
    printed += [("WAL2611284KQ8ZP1XD6", gtin, None) for gtin in numbered]
    uris = []
    for base in (base_url, base_url + PATH_PREFIX, base_url.upper()):
        for lot_code, gtin, serial in printed:
            zpl = render_label(_label(lot_code, gtin, serial), "zpl", base)
            meant = Identifiers(gtin.zfill(14), lot_code, serial)
            uris.append(PrintedUri(f"label under {base}", zpl_qr_text(zpl), meant))
    return uris


def _get(client: TestClient, path: str, token: str) -> bytes:
    answer = client.get(path, headers=bearer(token))
    assert answer.status_code == 200, (path, answer.text)
    return answer.content


def _redirect(client: TestClient, path: str, status: int) -> tuple[str, str]:
    """Where a resolver's redirect points, and the linkset its ``Link`` header names."""
    answer = client.get(path, follow_redirects=False)
    assert answer.status_code == status, (path, answer.text)
    linkset = _LINK_TARGET.match(answer.headers["link"])
    assert linkset, answer.headers["link"]
    return answer.headers["location"], linkset["target"]


def served_uris(client: TestClient, token: str) -> list[PrintedUri]:
    """What the API and the resolver print for a batch packed into serialised packs and for a
    product numbered from the company prefix (``client`` is configured with it)."""
    seed_master_data(client, token)
    post(client, token, "/api/v1/products", {
        "code": "TIANMA-500G", "name_zh": "金口河乌天麻（鲜）500 克装",
        "name_en": "Gastrodia 500 g", "category": "medicinal herb", "gtin": PACK_GTIN,
        "storage_profile": {"temp_max": 5},
        "pack_size": {"quantity": 500, "unit": "g"}})  # fmt: skip
    lot = receive(client, token, product="TIANMA-500G", quantity=1)["lot_code"]
    packing = {"type": "packing", "time": "2026-05-06T14:30:00+08:00", "data": {"packs": 2}}
    post(client, token, f"/api/v1/batches/{lot}/events", packing)
    packs = client.get(f"/api/v1/batches/{lot}/packs", headers=bearer(token)).json()
    serial = packs[0]["serial"]
    of_lot, of_pack = Identifiers(PACK_GTIN, lot), Identifiers(PACK_GTIN, lot, serial)
    found = [PrintedUri("pack list", pack["uri"], replace(of_lot, serial=pack["serial"]))
             for pack in packs]  # fmt: skip
    batch_label = _get(client, f"/api/v1/batches/{lot}/label.zpl", token)
    batch_tspl = _get(client, f"/api/v1/batches/{lot}/label.tspl", token)
    pack_label = _get(client, f"/api/v1/batches/{lot}/packs/{serial}/label.zpl", token)
    found += [PrintedUri("batch label (ZPL)", zpl_qr_text(batch_label), of_lot),
              PrintedUri("batch label (TSPL)", tspl_qr_text(batch_tspl), of_lot),
              PrintedUri("pack label (ZPL)", zpl_qr_text(pack_label), of_pack)]  # fmt: skip
    _, linkset_of_lot = _redirect(client, f"/01/{PACK_GTIN}/10/{lot}", 307)
    found.append(PrintedUri("Link header of a redirect", linkset_of_lot, of_lot))
    linkset = client.get(f"/01/{PACK_GTIN}/10/{lot}/21/{serial}?linkType=linkset").json()
    pack_anchor, product_anchor = (context["anchor"] for context in linkset["linkset"])
    found += [PrintedUri("linkset anchor of a pack", pack_anchor, of_pack),
              PrintedUri("linkset anchor of a product", product_anchor,
                         Identifiers(PACK_GTIN))]  # fmt: skip
    short_gtin = PACK_GTIN[1:]
    for path, meant in (
        (f"/01/{short_gtin}/21/{serial}/10/{lot}", of_pack),
        (f"/01/{PACK_GTIN}/10/{lot}/22/V1", replace(of_lot, variant="V1")),
        (f"/01/{short_gtin}/235/TPX-0001", Identifiers(PACK_GTIN, tpx="TPX-0001")),
    ):
        canonical, _ = _redirect(client, path, 301)
        found.append(PrintedUri(f"canonical redirect from {path}", canonical, meant))
    walnut_lot = receive(client, token, product="WALNUT")["lot_code"]
    walnut_gtin = client.get("/api/v1/products/WALNUT", headers=bearer(token)).json()["gtin"]
    walnut = Identifiers(walnut_gtin, walnut_lot)
    anchor = client.get(f"/l/{walnut_lot}?linkType=linkset").json()["linkset"][0]["anchor"]
    label = zpl_qr_text(_get(client, f"/api/v1/batches/{walnut_lot}/label.zpl", token))
    found += [PrintedUri("linkset anchor of a lot whose GTIN is the company prefix's", anchor,
                         walnut),
              PrintedUri("label of a lot whose GTIN is the company prefix's", label,
                         walnut)]  # fmt: skip
    return found


def tspl_qr_text(tspl: bytes) -> str:
    """The text a TSPL label's QRCODE command encodes."""
    found = re.search(r'^QRCODE [^"]*"(?P<text>.*)"\r?$', tspl.decode(), re.MULTILINE)
    assert found, "the label has a QRCODE command"
    return found["text"].replace('\\["]', '"')


def demo_uris(conn: psycopg.Connection, base_url: str) -> list[PrintedUri]:
    """The demo's case and pack labels and its 承诺达标合格证, as their ZPL encodes them (the
    demo must be seeded)."""
    found = [
        PrintedUri(f"demo label {label.lot_code}",
                   zpl_qr_text(render_label(label, "zpl", base_url)),
                   Identifiers(label.gtin.zfill(14), label.lot_code, label.serial))
        for label in demo_labels(conn) if label.gtin is not None
    ]  # fmt: skip
    for lot in lot_codes(conn):
        certificate = issued_for(conn, lot)
        if certificate is not None and certificate.gtin is not None:
            zpl = render_certificate(certificate, "zpl", base_url)
            meant = Identifiers(certificate.gtin.zfill(14), certificate.lot_code)
            found.append(
                PrintedUri(f"demo certificate {certificate.number}", zpl_qr_text(zpl), meant)
            )
    return found
