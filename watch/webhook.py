"""The alarm webhook: JSON POSTs signed with HMAC-SHA256 of the exact body sent.

The receiver recomputes ``hmac_sha256(secret, body)`` and compares it, in constant time,
with the ``X-Farmtrace-Signature: sha256=<hex>`` header; each body carries its notification
id and creation time, so a receiver can refuse replays. Nothing is locked while a request
waits on the network: notifications are claimed first, then sent, then settled.
"""

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request

import psycopg

from schemas.settings import Settings
from store.alarm_notifications import claim_notifications, mark_failed, mark_sent

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Farmtrace-Signature"
# A receiver that takes longer than this holds up the watcher's loop.
WEBHOOK_TIMEOUT_S = 5.0


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_secret(settings: Settings) -> str | None:
    secret = settings.alarm_webhook_secret or settings.secret_key
    return secret.get_secret_value() if secret else None


def post_signed(url: str, secret: str, payload: dict) -> int:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    request = urllib.request.Request(  # noqa: S310 (the operator configures an http(s) URL)
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", SIGNATURE_HEADER: signature(secret, body)},
    )
    with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_S) as answer:  # noqa: S310
        return int(answer.status)


def deliver_notifications(conn: psycopg.Connection, settings: Settings) -> int:
    """Send what is owed; returns how many were delivered. Without a URL nothing is sent."""
    url, secret = settings.alarm_webhook_url, webhook_secret(settings)
    if not url:
        return 0
    if secret is None:
        log.warning("alarm webhook configured without a secret; notifications not sent")
        return 0
    delivered = 0
    for notification in claim_notifications(conn):
        try:
            post_signed(url, secret, notification.payload)
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            log.warning(
                "alarm webhook failed; will retry",
                extra={"notification": notification.id, "error": str(error)},
            )
            mark_failed(conn, notification, str(error))
            continue
        mark_sent(conn, notification.id)
        delivered += 1
    return delivered
