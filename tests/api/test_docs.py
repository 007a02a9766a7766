"""docs/api.md stays complete: every route of the OpenAPI document is described there."""

import re
from pathlib import Path

from fastapi import FastAPI

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def test_every_api_route_is_documented(app: FastAPI) -> None:
    text = DOCS.read_text(encoding="utf-8")
    documented = set(re.findall(r"`(?:GET|POST|PUT|PATCH|DELETE) ([^`\[ ]+)", text))
    routes = {
        f"{path}" for path in app.openapi()["paths"] if path.startswith(("/api/", "/healthz"))
    }
    missing = sorted(route for route in routes if route not in documented)
    assert missing == [], f"add these routes to docs/api.md: {missing}"
