"""A measuring probe for the API's worker processes, loaded as ``sitecustomize`` by
``bench/provenance.py --probe`` (never by the product).

Each worker's event loop runs a heartbeat every ``BEAT_S``; a beat that comes late by more
than ``STALL_S`` is a stall, and its lateness is split into the CPU time the loop's thread
used meanwhile (our Python running: a request, a collection) and the rest (the thread was
not running: another process or thread had the core or the GIL). A watchdog thread notes
what the loop's thread was executing during each stall, and ``gc.callbacks`` time every
collection. Each worker writes its tallies as one JSON line to ``$FARMTRACE_LOOP_PROBE``
when it shuts down.
"""

import asyncio
import gc
import json
import os
import sys
import threading
import time
from collections import Counter
from typing import Any

BEAT_S = 0.002
STALL_S = 0.020
WATCH_EVERY_S = 0.005

_stalls: list[tuple[float, float]] = []  # (lateness, loop thread's CPU meanwhile), seconds
_where: Counter[str] = Counter()
# (generation, wall s, CPU s, objects collected)
_collections: list[tuple[int, float, float, int]] = []
_stopping = [False]
_last_beat = [time.perf_counter()]
_loop_thread: list[int] = []


def _frame_summary(thread_id: int) -> str:
    frame = sys._current_frames().get(thread_id)
    parts = []
    while frame is not None and len(parts) < 3:
        code = frame.f_code
        if "site-packages/uvicorn" not in code.co_filename or not parts:
            parts.append(f"{os.path.basename(code.co_filename)}:{code.co_name}")
        frame = frame.f_back
    return " < ".join(parts)


def _watchdog() -> None:
    while True:
        time.sleep(WATCH_EVERY_S)
        if _stopping[0]:
            return
        if _loop_thread and time.perf_counter() - _last_beat[0] > STALL_S:
            _where[_frame_summary(_loop_thread[0])] += 1


async def _heartbeat() -> None:
    _loop_thread.append(threading.get_ident())
    while True:
        began, cpu = time.perf_counter(), time.thread_time()
        await asyncio.sleep(BEAT_S)
        now = time.perf_counter()
        _last_beat[0] = now
        late = now - began - BEAT_S
        if late > STALL_S and not _stopping[0]:
            _stalls.append((late, time.thread_time() - cpu))


_gc_started = [0.0, 0.0]
_full_sizes: list[int] = []  # objects in the oldest generation as each full collection began


def _on_gc(phase: str, info: dict[str, Any]) -> None:
    if phase == "start":
        if info["generation"] == 2:  # counted before the clock starts
            _full_sizes.append(len(gc.get_objects(2)))
        _gc_started[:] = [time.perf_counter(), time.thread_time()]
    else:
        wall, cpu = time.perf_counter() - _gc_started[0], time.thread_time() - _gc_started[1]
        _collections.append((info["generation"], wall, cpu, info["collected"]))


def _report() -> None:
    target = os.environ.get("FARMTRACE_LOOP_PROBE")
    if not target or not _loop_thread:
        return
    entry = {
        "pid": os.getpid(),
        "stalls": _stalls,
        "where": _where.most_common(12),
        "collections_over_5ms": [c for c in _collections if c[1] > 0.005],
        "collection_cpu_by_generation": {
            g: sum(c[2] for c in _collections if c[0] == g) for g in (0, 1, 2)
        },
        "tracked_objects": len(gc.get_objects()),
        "full_collection_sizes": _full_sizes,
        "collections": len(_collections),
    }
    with open(target, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry) + "\n")


def _install() -> None:
    import uvicorn.server

    # The inner coroutine: the outer one ends by re-raising the SIGTERM it caught, which
    # ends the process before any code after it.
    serve = uvicorn.server.Server._serve

    async def serve_with_heartbeat(self: Any, *args: Any, **kwargs: Any) -> None:
        beat = asyncio.ensure_future(_heartbeat())
        try:
            await serve(self, *args, **kwargs)
        finally:
            beat.cancel()
            _report()

    uvicorn.server.Server._serve = serve_with_heartbeat  # type: ignore[method-assign]
    shutdown = uvicorn.server.Server.shutdown

    async def shutdown_noted(self: Any, *args: Any, **kwargs: Any) -> None:
        _stopping[0] = True  # what follows is shutting down, not serving
        await shutdown(self, *args, **kwargs)

    uvicorn.server.Server.shutdown = shutdown_noted  # type: ignore[method-assign]
    threading.Thread(target=_watchdog, name="loop-probe", daemon=True).start()
    gc.callbacks.append(_on_gc)


if os.environ.get("FARMTRACE_LOOP_PROBE"):
    _install()
