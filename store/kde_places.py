"""Places as FSMA 204 describes them, and where a batch was before and after a moment.

A *location description* (21 CFR 1.1310) is a business name, phone number and physical
address. A room of the centre is described by the centre's name as the business, and by the
centre's phone; the address is the place's township in Jinkouhe district, where all of the
centre's places are.
A transporter is never a previous source or subsequent recipient (1.1340(a)(4),
1.1345(a)(4)), so the custody walk skips trucks.
"""

from dataclasses import dataclass
from datetime import datetime

import psycopg

from store.db import rows

DISTRICT_ADDRESS = "中国四川省乐山市金口河区 / Jinkouhe District, Leshan, Sichuan, China"
NO_PHONE = "电话未登记 / phone not recorded"
TRANSPORTER = "truck"


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    name_en: str | None
    kind: str
    gln: str | None
    township: str | None
    parent: str | None
    phone: str | None


@dataclass(frozen=True)
class Stay:
    """One custody interval of a batch; ``until`` is None while it is still there."""

    location: str
    since: datetime
    until: datetime | None


class Places:
    def __init__(self, conn: psycopg.Connection) -> None:
        self._places = {
            row["code"]: Place(**row)
            for row in rows(
                conn,
                "SELECT code, name, name_en, kind, gln, township, parent, phone"
                " FROM locations",
            )
        }

    def get(self, code: str | None) -> Place | None:
        return self._places.get(code) if code else None

    def is_transporter(self, code: str) -> bool:
        place = self._places.get(code)
        return place is not None and place.kind == TRANSPORTER

    def identifier(self, code: str | None) -> str | None:
        place = self.get(code)
        return (place.gln or place.code) if place else None

    def describe(self, code: str | None) -> str | None:
        """Business name, phone and address, with the GLN where there is one."""
        place = self.get(code)
        if place is None:
            return None
        site = self.get(place.parent) or place
        name = place.name + (f" ({place.name_en})" if place.name_en else "")
        if site is not place:
            name += f" — {site.name}"
        township = place.township or site.township
        address = f"{township}，{DISTRICT_ADDRESS}" if township else DISTRICT_ADDRESS
        phone = place.phone or site.phone
        parts = [name, f"tel. {phone}" if phone else NO_PHONE, address]
        gln = place.gln or site.gln
        if gln:
            parts.append(f"GLN {gln}")
        return "; ".join(parts)


def custody_by_batch(conn: psycopg.Connection, batch_ids: list[int]) -> dict[int, list[Stay]]:
    found: dict[int, list[Stay]] = {}
    for row in rows(
        conn,
        "SELECT batch_id, location, lower(during) AS since, upper(during) AS until"
        " FROM custody WHERE batch_id = ANY(%s) ORDER BY batch_id, lower(during)",
        (batch_ids,),
    ):
        found.setdefault(row["batch_id"], []).append(
            Stay(row["location"], row["since"], row["until"])
        )
    return found


def previous_holder(stays: list[Stay], places: Places, moment: datetime) -> str | None:
    """The last place other than a transporter that held the batch before ``moment``."""
    before = [s for s in stays if s.since < moment and not places.is_transporter(s.location)]
    return before[-1].location if before else None


def next_holder(stays: list[Stay], places: Places, moment: datetime) -> str | None:
    """The first place other than a transporter that held the batch after ``moment``."""
    after = [s for s in stays if s.since > moment and not places.is_transporter(s.location)]
    return after[0].location if after else None
