"""The cold-chain part of a provenance summary, from the inspectors' history and findings."""

import psycopg

from schemas.provenance import ColdChain


def cold_chain_of(conn: psycopg.Connection, lot_code: str) -> ColdChain | None:
    """None until the temperature history and findings modules are merged in."""
    return None
