"""Rendering of server-side pages: one Jinja2 environment, the language and the shared context.

Every page template extends ``base.html`` and receives ``lang``, ``html_lang``, ``t`` (the
message table), ``user``, ``csrf_token`` and ``switch_language_url`` besides its own context.
"""

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request

from api.csrf import CSRF_FIELD, csrf_token
from api.i18n import HTML_LANG, LANG_COOKIE, LANGUAGES, add_messages, choose_language, translate
from api.inspect_texts import INSPECT_MESSAGES
from api.staff_texts import STAFF_MESSAGES
from api.village_texts import VILLAGE_MESSAGES
from schemas.time_bounds import in_district_time

TEMPLATES_DIR = Path(__file__).parent / "templates"
# A year: the language switch should survive until the reader changes it again.
LANG_COOKIE_MAX_AGE_S = 365 * 24 * 3600

# The consoles' texts join the shared table; the public page keeps its own (api.public_texts).
for table in (STAFF_MESSAGES, INSPECT_MESSAGES, VILLAGE_MESSAGES):
    add_messages(table)


def localtime(value: datetime | None) -> str:
    """A moment as the district's clock shows it."""
    if value is None:
        return "—"
    return in_district_time(value).strftime("%Y-%m-%d %H:%M")


def duration(seconds: float) -> str:
    minutes = round(seconds / 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


environment = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.filters["localtime"] = localtime
environment.filters["duration"] = duration


def render(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    language = choose_language(request)
    other = "en" if language == "zh" else "zh"
    shared = {
        "request": request,
        "lang": language,
        "html_lang": HTML_LANG[language],
        "t": lambda key: translate(key, language),
        "user": getattr(request.state, "user", None),
        "csrf_field": CSRF_FIELD,
        "csrf_token": csrf_token(request) if "session" in request.scope else "",
        "switch_language_url": str(request.url.include_query_params(lang=other)),
    }
    html = environment.get_template(template).render({**shared, **context})
    response = HTMLResponse(html, status_code=status_code)
    response.headers["Content-Language"] = HTML_LANG[language]
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        response.set_cookie(
            LANG_COOKIE,
            asked,
            max_age=LANG_COOKIE_MAX_AGE_S,
            samesite="lax",
            httponly=True,
            secure=request.app.state.settings.public_base_url.startswith("https://"),
        )
    return response
