"""Security headers on every response, the strictest each kind of page allows.

Public provenance pages (what a consumer's phone opens from a QR code) run no script at all,
so their policy forbids every script; the consoles may load scripts from this origin only.
No page may be framed (clickjacking a console's buttons), no response is sniffed into another
type, and no URL, which for a public page holds a lot code, is sent to another site.
"""

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Paths a QR code leads to: GS1 Digital Link, the short lot link, the pages the resolver
# redirects to (a batch's, a product's) and the front page.
PUBLIC_PAGE_PREFIXES = ("/01/", "/l/", "/batch/", "/product/")

# Both inline their small stylesheet or use /static; images are inline SVG or data: URIs.
_COMMON_POLICY = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
PUBLIC_PAGE_POLICY = f"{_COMMON_POLICY}; script-src 'none'"
CONSOLE_POLICY = f"{_COMMON_POLICY}; script-src 'self'; connect-src 'self'; manifest-src 'self'"
# The village console runs its own scripts (offline queue, service worker) from this origin
# only, and previews the certificate photos it keeps in IndexedDB as blob: URLs.
VILLAGE_PAGES = ("/village", "/village-sw.js")
VILLAGE_POLICY = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'; script-src 'self'; "
    "worker-src 'self'; connect-src 'self'; manifest-src 'self'"
)
# A year, the preload list's minimum; no includeSubDomains: the district's other hosts are
# not ours to commit to https.
HSTS = "max-age=31536000"


def is_public_page(path: str) -> bool:
    return path == "/" or path.startswith(PUBLIC_PAGE_PREFIXES)


def _policy_for(path: str) -> str:
    if is_public_page(path):
        return PUBLIC_PAGE_POLICY
    if path in VILLAGE_PAGES or path.startswith("/village/"):
        return VILLAGE_POLICY
    return CONSOLE_POLICY


class SecurityHeaders:
    """ASGI middleware adding the headers a response does not already set itself."""

    def __init__(self, app: ASGIApp, https: bool = False) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = _policy_for(scope["path"])
        https = self.https or scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", policy)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                # For browsers older than CSP's frame-ancestors.
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Referrer-Policy", "same-origin")
                if https:
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self.app(scope, receive, send_with_headers)
