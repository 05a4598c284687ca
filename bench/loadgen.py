"""Load generation on asyncio: closed loops (N calls in flight, back to back) for throughput, open loops
(calls started at a fixed rate whatever the replies do) for latency at a given load, and a minimal
HTTP/1.1 keep-alive client. The same client code drives Linli and the bare transport, so its own cost
(on the same two cores) weighs on both alike."""
import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Awaitable, Callable


@dataclass
class Result:
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""
    error_kinds: Counter = field(default_factory=Counter)  # gRPC status name, or the exception's type

    def failed(self, error: Exception) -> None:
        self.errors += 1
        self.first_error = self.first_error or repr(error)[:200]
        code = getattr(error, "code", None)
        self.error_kinds[code().name if callable(code) else type(error).__name__] += 1

    @property
    def rate(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0


async def closed_loop(call: Callable[[int], Awaitable[None]], concurrency: int, seconds: float) -> Result:
    """`concurrency` workers each calling back to back until `seconds` pass; call(worker index)."""
    result = Result(seconds)
    deadline = time.perf_counter() + seconds

    async def worker(index: int) -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                await call(index)
            except Exception as error:  # noqa: BLE001 - counted and shown, never hidden
                result.failed(error)
                await asyncio.sleep(0.01)
                continue
            result.latencies_ms.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(concurrency)))
    result.seconds = time.perf_counter() - started
    return result


async def open_loop(call: Callable[[int], Awaitable[None]], rate: float, count: int) -> Result:
    """Start call(i) for i in range(count) at `rate` per second, not waiting for replies; latencies of
    the calls that succeeded. Late starts (the client falling behind) count from their planned time."""
    result = Result(count / rate)
    begin = time.perf_counter()

    async def one(index: int, planned: float) -> None:
        try:
            await call(index)
        except Exception as error:  # noqa: BLE001
            result.failed(error)
            return
        result.latencies_ms.append((time.perf_counter() - planned) * 1000)

    tasks = []
    for index in range(count):
        planned = begin + index / rate
        delay = planned - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(index, planned)))
    await asyncio.gather(*tasks)
    return result


class Http:
    """One keep-alive HTTP/1.1 connection; request() returns (status, body). Not for streams."""

    def __init__(self, url: str):
        rest = url.removeprefix("http://")
        self.host, _, port = rest.partition(":")
        self.port = int(port or 80)
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, headers: dict[str, str] | None = None,
                      body: bytes = b"") -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Content-Length: {len(body)}"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        try:
            status = int((await self.reader.readline()).split()[1])
            length, chunked, close = 0, False, False
            while True:
                line = await self.reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"transfer-encoding":
                    chunked = b"chunked" in value.lower()
                elif name == b"connection":
                    close = b"close" in value.lower()
            if chunked:
                parts = []
                while True:
                    size = int((await self.reader.readline()).split(b";")[0], 16)
                    if size == 0:
                        await self.reader.readline()
                        break
                    parts.append(await self.reader.readexactly(size))
                    await self.reader.readline()
                data = b"".join(parts)
            else:
                data = await self.reader.readexactly(length)
        except (IndexError, ValueError, asyncio.IncompleteReadError, ConnectionError):
            self.close()
            raise
        if close:
            self.close()
        return status, data

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None
