"""Worker processes for `farmtrace api`, each listening on its own socket (SO_REUSEPORT).

uvicorn's own workers share one listening socket, and whichever is awake first accepts a
burst of connections: measured with wrk's 64 keep-alive connections on two workers, one held
57 and queued its requests (worst 334 ms) while the other idled. With a socket per worker on
the same port the kernel spreads new connections over them by hash. This supervisor starts
the workers, restarts one that dies, and stops them all on SIGTERM or SIGINT.
"""

import logging
import multiprocessing
import signal
import socket
import time
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from types import FrameType

import uvicorn

log = logging.getLogger(__name__)

# Pending connections per worker socket before the kernel refuses more (uvicorn's default).
BACKLOG = 2048
# A worker that died is started again after this long, so a failing start does not spin.
RESTART_DELAY_S = 1.0
# Workers get this long to finish their requests after SIGTERM before they are killed.
STOP_GRACE_S = 20.0


def reuse_port_supported() -> bool:
    return hasattr(socket, "SO_REUSEPORT")


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to host:port that other workers' sockets may share (SO_REUSEPORT)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(BACKLOG)
    return sock


def serve_one(app: str, host: str, port: int, access_log: bool) -> None:
    """One worker: its own socket, one uvicorn server (which handles SIGTERM gracefully)."""
    sock = listening_socket(host, port)
    config = uvicorn.Config(app, factory=True, log_config=None, access_log=access_log)
    uvicorn.Server(config).run(sockets=[sock])


def run_workers(app: str, count: int, host: str, port: int, access_log: bool) -> None:
    """Serve with ``count`` workers until SIGTERM or SIGINT, restarting any that die."""
    listening_socket(host, port).close()  # a port taken by another program fails here, once
    context = multiprocessing.get_context("spawn")
    stopping = False

    def start() -> BaseProcess:
        worker = context.Process(
            target=serve_one, args=(app, host, port, access_log), name="farmtrace-api"
        )
        worker.start()
        return worker

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stop)
    workers = [start() for _ in range(count)]
    log.info("serving", extra={"workers": count, "host": host, "port": port})
    while not stopping:
        wait([worker.sentinel for worker in workers], timeout=0.5)
        for i, worker in enumerate(workers):
            if not worker.is_alive() and not stopping:
                log.warning("worker exited; starting another", extra={"code": worker.exitcode})
                time.sleep(RESTART_DELAY_S)
                workers[i] = start()
    for worker in workers:
        worker.terminate()
    deadline = time.monotonic() + STOP_GRACE_S
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
        if worker.is_alive():
            worker.kill()
