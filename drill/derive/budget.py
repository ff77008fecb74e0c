"""Run a computation under a wall-clock budget: in a forked child that is killed when
time is up, so a simplification that runs away (or a C-level big-number operation a
signal could not interrupt) costs at most `seconds` and its memory goes with the child.
Where fork does not exist the call runs inline, without a budget."""

from __future__ import annotations

import json
import os
import select
import signal
import time
from typing import Any, Callable

MEMORY_LIMIT = 1 << 30  # extra address space the child may take


def run_with_budget(fn: Callable[[], Any], seconds: float) -> tuple[str, Any]:
    """("ok", fn()) — fn's result must be JSON — or ("timeout", None), ("memory", None)
    when it ran out of memory, or ("error", text)."""
    if not hasattr(os, "fork"):
        return "ok", fn()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, write, leave without cleanup handlers
        code = 0
        try:
            os.close(read_end)
            _limit_memory()
            try:
                payload = json.dumps(["ok", fn()])
            except MemoryError:
                payload = json.dumps(["memory", None])
            except Exception as err:  # noqa: BLE001 - reported to the parent as text
                payload = json.dumps(["error", f"{type(err).__name__}: {str(err)[:200]}"])
            data = payload.encode()
            while data:
                data = data[os.write(write_end, data):]
        except BaseException:  # noqa: BLE001
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    deadline = time.monotonic() + seconds
    chunks: list[bytes] = []
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return "timeout", None
            ready, _, _ = select.select([read_end], [], [], left)
            if not ready:
                return "timeout", None
            chunk = os.read(read_end, 65536)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
    try:
        status, value = json.loads(b"".join(chunks).decode())
    except ValueError:
        return "error", "the computation ended without an answer"
    return status, value


def _limit_memory() -> None:
    try:
        import resource

        with open("/proc/self/statm") as f:
            current = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = current + MEMORY_LIMIT
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (OSError, ValueError, ImportError):
        pass
