"""A TCP fault proxy, in the manner of toxiproxy: put it between a client and a server on loopback, then
add latency, swallow traffic (blackhole) or reset connections, from the test process, while traffic flows.

    proxy = FaultProxy(("127.0.0.1", 5672)).start()     # clients dial 127.0.0.1:proxy.port
    proxy.latency(0.2)        # every chunk, each way, arrives 200 ms late
    proxy.blackhole()         # a partition: connections stay open, nothing gets through either way
    proxy.reset()             # every connection is reset (RST), and new ones are, until heal()
    proxy.heal()              # back to a plain pipe: what a partition held back is delivered
    proxy.stop()

A blackhole holds data back rather than discarding it: over a real network TCP retransmits what a
partition dropped, so a connection that outlives the partition delivers every byte, late. (Discarding
bytes from a live stream, as toxiproxy's timeout toxic does, is something no real TCP connection does;
it leaves any AMQP client waiting forever for a reply the broker never saw.) Whoever gives up first on
a silent connection (a heartbeat, a deadline) sees it as a failure, as it would in a real partition.

It runs its own asyncio loop in a daemon thread; the methods above are safe to call from any thread.
Loopback only: it listens on 127.0.0.1.

Given several upstreams (a cluster's nodes), it is also their load balancer, as a Kubernetes Service is in
front of a RabbitMQ cluster: each new connection goes to the next node in turn, and to the one after it if
that node refuses (is down).
"""
import asyncio
import logging
import socket
import struct
import threading

log = logging.getLogger(__name__)

NORMAL, BLACKHOLE, RESET = "normal", "blackhole", "reset"


class FaultProxy:
    def __init__(self, upstream: tuple[str, int] | list[tuple[str, int]], port: int = 0, name: str = ""):
        self.upstreams = list(upstream) if isinstance(upstream, list) else [upstream]
        self.upstream = self.upstreams[0]
        self.name = name or f"proxy->{self.upstream[0]}:{self.upstream[1]}"
        self.port = port
        self.mode = NORMAL
        self.delay = 0.0
        self.connections_total = 0
        self._writers: set[asyncio.StreamWriter] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.base_events.Server | None = None
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None
        self._flowing: asyncio.Event | None = None  # cleared during a blackhole

    # -- control (any thread) -----------------------------------------------------------------------

    def latency(self, seconds: float) -> "FaultProxy":
        self.delay = seconds
        return self

    def blackhole(self) -> "FaultProxy":
        self.mode = BLACKHOLE
        self._call(self._flowing.clear)
        return self

    def reset(self) -> "FaultProxy":
        """Reset every open connection now, and every new one until heal()."""
        self.mode = RESET
        self._call(self._reset_all)
        return self

    def reset_once(self) -> "FaultProxy":
        """Reset every open connection now; new ones go through."""
        self._call(self._reset_all)
        return self

    def heal(self) -> "FaultProxy":
        self.mode, self.delay = NORMAL, 0.0
        self._call(self._flowing.set)
        return self

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def open_connections(self) -> int:
        return len(self._writers) // 2

    def start(self) -> "FaultProxy":
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError(f"{self.name} did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._loop.is_running():
            self._call(self._shutdown)
        if self._thread is not None:
            self._thread.join(5)

    # -- inside the proxy's loop ----------------------------------------------------------------------

    def _call(self, fn) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(fn)

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._loop.run_until_complete(self._listen())
        self._ready.set()
        self._loop.run_forever()
        self._loop.close()

    async def _listen(self) -> None:
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port, reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]

    def _shutdown(self) -> None:
        self._reset_all()
        if self._server is not None:
            self._server.close()
        self._loop.call_later(0.1, self._loop.stop)

    def _reset_all(self) -> None:
        for writer in list(self._writers):
            _abort(writer)
        self._writers.clear()

    async def _accept(self, client_reader, client_writer) -> None:
        self.connections_total += 1
        if self.mode == RESET:
            _abort(client_writer)
            return
        first = self.connections_total % len(self.upstreams)
        for upstream in self.upstreams[first:] + self.upstreams[:first]:
            try:
                upstream_reader, upstream_writer = await asyncio.open_connection(*upstream)
                break
            except OSError:
                continue
        else:
            _abort(client_writer)  # the server is down: the client sees its connection reset
            return
        pair = (client_writer, upstream_writer)
        self._writers.update(pair)
        try:
            await asyncio.gather(self._pump(client_reader, upstream_writer), self._pump(upstream_reader, client_writer))
        finally:
            for writer in pair:
                self._writers.discard(writer)
                if not writer.is_closing():
                    writer.close()

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                await self._flowing.wait()  # a partition: stop reading, so senders' buffers fill up
                chunk = await reader.read(65536)
                if not chunk:
                    break
                if self.delay:
                    await asyncio.sleep(self.delay)
                await self._flowing.wait()  # read just as the partition began: held until it ends
                if self.mode == RESET or writer.is_closing():
                    break
                writer.write(chunk)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            if not writer.is_closing():
                try:
                    writer.write_eof()
                except (OSError, RuntimeError):
                    writer.close()


def _abort(writer: asyncio.StreamWriter) -> None:
    """Close with RST rather than FIN: what a crashed peer or a middlebox dropping state looks like."""
    sock = writer.get_extra_info("socket")
    try:
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    writer.transport.abort()
