"""FSMA 204's harvesting and cooling KDEs (21 CFR 1.1325) from the village point's records.

A harvest lot recorded as a delivery names the variety and the plot (the field or growing
area); the farmer is the harvester, with their business name and phone. Cooling is the
batch's first interval in a cold store. Lots typed at the centre leave what they lack empty.
"""

from datetime import date
from typing import Any

from schemas.district_time import DISTRICT_TIME

HARVEST_KDE_COLUMNS = (
    "Commodity Variety",
    "Field or Growing Area",
    "Harvester Business Name",
    "Harvester Phone",
    "Cooling Location Description",
    "Cooling Date",
)

# Columns and joins the harvest query of store.kde adds for them (h: harvest_lots,
# pr: producers, b: batches).
HARVEST_KDE_SELECT = """,
       h.code AS harvest_lot_code, d.variety, plot.name AS plot_name, plot.code AS plot_code,
       pr.phone AS producer_phone,
       cooling.name AS cooling_location, cooling.since AS cooled_at"""
HARVEST_KDE_JOINS = """
LEFT JOIN farm_deliveries d ON d.harvest_lot_id = h.id
LEFT JOIN producer_plots plot ON plot.producer = d.farmer AND plot.code = d.plot
LEFT JOIN LATERAL (
    SELECT l.name, lower(c.during) AS since FROM custody c JOIN locations l ON l.code = c.location
    WHERE c.batch_id = b.id AND l.kind = 'cold_store' ORDER BY lower(c.during) LIMIT 1
) cooling ON true"""


def harvest_kdes(harvest: dict[str, Any]) -> dict[str, Any]:
    cooled_on: date | None = (
        harvest["cooled_at"].astimezone(DISTRICT_TIME).date() if harvest["cooled_at"] else None
    )
    plot = f"{harvest['plot_name']} ({harvest['plot_code']})" if harvest["plot_name"] else None
    receipt = (
        {
            "Reference Document Type": "village delivery receipt",
            "Reference Document Number": harvest["harvest_lot_code"],
        }
        if harvest["harvest_lot_code"]
        else {}
    )
    return {
        **receipt,
        "Commodity Variety": harvest["variety"],
        "Field or Growing Area": plot,
        "Harvester Business Name": harvest["producer_name"],
        "Harvester Phone": harvest["producer_phone"],
        "Cooling Location Description": harvest["cooling_location"],
        "Cooling Date": cooled_on,
    }
