"""Compressed GS1 Digital Link URIs (``/{base64}``), redirected to their uncompressed form.

A compressed URI answers as its uncompressed form does by a 301 to the canonical URI: one
hop more for the rare scanner that prints compressed links, and the resolver's answers, its
scan log and the pages' caches stay keyed by one spelling. Included after every other router,
as ``/{segment}`` would otherwise shadow their single-segment paths.
"""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.errors import NotFound
from api.routes.resolver import canonical_redirect
from labels.compressed_link import decompress_digital_link
from labels.digital_link import InvalidLink

router = APIRouter(tags=["resolver"])


@router.api_route("/{segment}", methods=["GET", "HEAD"], summary="Compressed GS1 Digital Link")
async def resolve_compressed_link(segment: str, request: Request) -> Response:
    """301 to the uncompressed Digital Link the segment stands for, its other AIs as query."""
    try:
        link, pairs = decompress_digital_link(segment)
    except InvalidLink as error:
        message = f"nothing here: {segment[:40]!r} is not a compressed Digital Link ({error})"
        raise NotFound(message) from error
    return canonical_redirect(request, link, pairs)
