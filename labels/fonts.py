"""Find a font with Chinese glyphs for PDF and PNG labels.

``FARMTRACE_LABEL_FONT`` names one explicitly; otherwise the usual font folders are searched for
well-known CJK fonts (Debian's ``fonts-wqy-zenhei`` first, which the test setup installs).
"""

import os
from functools import lru_cache
from pathlib import Path

from schemas.settings import get_settings

FONT_DIRS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
    Path.home() / ".fonts",
    Path("/System/Library/Fonts"),
    Path("/Library/Fonts"),
    Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts",
)
# TrueType-outline CJK fonts in order of preference (fpdf2 embeds TrueType outlines best).
CJK_FONT_FILES = (
    "wqy-zenhei.ttc",
    "wqy-microhei.ttc",
    "NotoSansCJK-Regular.ttc",
    "NotoSansSC-Regular.ttf",
    "DroidSansFallbackFull.ttf",
    "simsun.ttc",
    "msyh.ttc",
    "PingFang.ttc",
)


class FontNotFound(RuntimeError):
    """No CJK font is installed and none is configured."""


def find_cjk_font(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The CJK font to embed: ``explicit``, else ``FARMTRACE_LABEL_FONT``, else a system one."""
    configured = explicit or get_settings().label_font
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise FontNotFound(f"label font {path} does not exist")
        return path
    found = _system_cjk_font()
    if found is None:
        raise FontNotFound(
            "no CJK font found; install fonts-wqy-zenhei or set FARMTRACE_LABEL_FONT to a .ttf/.ttc"
        )
    return found


@lru_cache(maxsize=1)
def _system_cjk_font() -> Path | None:
    for name in CJK_FONT_FILES:
        for folder in FONT_DIRS:
            if folder.is_dir():
                found = next(folder.rglob(name), None)
                if found is not None:
                    return found
    return None
