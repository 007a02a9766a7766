"""Products by GTIN, kept in memory for a short while: the resolver's walk-up and its
linksets name a product on every scan, and products change about once a season.

Only products that exist are kept, so made-up GTINs cannot grow the table.
"""

import threading
import time

from schemas.master_data import ProductPublic


class ProductHeads:
    def __init__(self, ttl_s: float) -> None:
        self._ttl_s = ttl_s
        self._entries: dict[str, tuple[ProductPublic, float]] = {}
        self._lock = threading.Lock()

    def get(self, gtin: str) -> ProductPublic | None:
        found = self._entries.get(gtin)
        if found is None or time.monotonic() > found[1]:
            return None
        return found[0]

    def put(self, product: ProductPublic) -> None:
        if self._ttl_s <= 0 or product.gtin is None:
            return
        with self._lock:
            self._entries[product.gtin] = (product, time.monotonic() + self._ttl_s)
