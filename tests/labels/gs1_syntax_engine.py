"""GS1's Barcode Syntax Engine (the C library ``gs1encoders``) through ctypes: GS1's own
reading of a Digital Link URI into an AI element string, and its building of a URI from one.

The library is not a Python package: it is built from GS1's source and installed as a shared
library. Where it is missing, or older than 1.4 (``gs1_encoder_init_ex``), the tests that use
it are skipped and say so.
"""

import ctypes
import ctypes.util
from types import TracebackType
from typing import Self

import pytest

LIBRARY = ctypes.util.find_library("gs1encoders")
_SKIP_REASON = (
    "GS1's Barcode Syntax Engine (shared library gs1encoders, 1.4 or later) is not installed:"
    " build it from GS1's gs1-syntax-engine source (src/c-lib) and install the library"
)


def _declare(library: ctypes.CDLL) -> None:
    """Signatures as gs1encoders.h declares them (a context is an opaque pointer)."""
    context, text = ctypes.c_void_p, ctypes.c_char_p
    library.gs1_encoder_getVersion.argtypes, library.gs1_encoder_getVersion.restype = [], text
    library.gs1_encoder_init_ex.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    library.gs1_encoder_init_ex.restype = context
    for setter in ("gs1_encoder_setDataStr", "gs1_encoder_setAIdataStr"):
        getattr(library, setter).argtypes = [context, text]
        getattr(library, setter).restype = ctypes.c_bool
    for getter in ("gs1_encoder_getErrMsg", "gs1_encoder_getAIdataStr"):
        getattr(library, getter).argtypes = [context]
        getattr(library, getter).restype = text
    library.gs1_encoder_getDLuri.argtypes, library.gs1_encoder_getDLuri.restype = (
        [context, text],
        text,
    )
    library.gs1_encoder_free.argtypes, library.gs1_encoder_free.restype = [context], None


def _load() -> ctypes.CDLL | None:
    if LIBRARY is None:
        return None
    library = ctypes.CDLL(LIBRARY)
    if not hasattr(library, "gs1_encoder_init_ex"):
        return None
    _declare(library)
    return library


_ENGINE = _load()
needs_syntax_engine = pytest.mark.skipif(_ENGINE is None, reason=_SKIP_REASON)


class EngineRefused(ValueError):
    """The engine refused the input; the message is the engine's own."""


class SyntaxEngine:
    """One engine context (the library is thread-safe per context), on its embedded AI table."""

    def __init__(self) -> None:
        if _ENGINE is None:
            raise RuntimeError(_SKIP_REASON)
        self._library = _ENGINE
        # NULL options: the AI table compiled into the library, no dictionary file read.
        self._context = _ENGINE.gs1_encoder_init_ex(None, None)
        if not self._context:
            raise RuntimeError("gs1_encoder_init_ex gave no context")

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._library.gs1_encoder_free(self._context)

    @property
    def version(self) -> str:
        """What ``gs1_encoder_getVersion`` reports: the library's build date."""
        return self._library.gs1_encoder_getVersion().decode()

    def _refused(self) -> EngineRefused:
        message = self._library.gs1_encoder_getErrMsg(self._context).decode()
        return EngineRefused(f"{message} (gs1encoders built {self.version})")

    def read_digital_link(self, uri: str) -> str:
        """The AI element string a Digital Link URI carries, e.g. ``(01)…(10)…``."""
        if not self._library.gs1_encoder_setDataStr(self._context, uri.encode()):
            raise self._refused()
        elements = self._library.gs1_encoder_getAIdataStr(self._context)
        if elements is None:
            raise EngineRefused(f"{uri!r} was read as plain data, not as a Digital Link")
        return elements.decode()

    def digital_link(self, element_string: str, stem: str) -> str:
        """The Digital Link URI under ``stem`` for a bracketed AI element string."""
        if not self._library.gs1_encoder_setAIdataStr(self._context, element_string.encode()):
            raise self._refused()
        uri = self._library.gs1_encoder_getDLuri(self._context, stem.encode())
        if uri is None:
            raise self._refused()
        return uri.decode()
