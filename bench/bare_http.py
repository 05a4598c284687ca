"""The bare HTTP transport the gateway rides on: FastAPI on uvicorn (the gateway's server settings, no
middleware, no auth, no telemetry) passing calls through grpc.aio to bench.bare_grpc, and a bare
Server-Sent Events stream fed by a pika consumer thread (the board's shape, without its logic).

    python -m bench.bare_http        (BARE_HTTP_PORT, BARE_GRPC_ADDR, AMQP_URI from the environment)

  GET  /bare/care-requests/{id}?reply=N&body=M   bare Read over gRPC (reply N bytes), answers M bytes of JSON
  POST /bare/devices/{id}/press?reply=N&body=M   bare Press over gRPC, answers M bytes of JSON
  GET  /bare/stream                              every message of exchange bench.bare as an SSE frame
"""
import asyncio
import logging
import os
import threading
from contextlib import asynccontextmanager

import grpc
import pika
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import Response, StreamingResponse

EXCHANGE = "bench.bare"


def _json_of_size(size: int) -> bytes:
    return b'{"x":"' + b"x" * max(0, size - 8) + b'"}'


class Fanout:
    """One pika consumer thread; each message goes to every open stream through the asyncio loop."""

    def __init__(self, amqp_uri: str):
        self.amqp_uri = amqp_uri
        self.queues: set[asyncio.Queue] = set()
        self.ready = threading.Event()
        self.loop: asyncio.AbstractEventLoop | None = None

    def start(self, loop) -> None:
        self.loop = loop
        threading.Thread(target=self._consume, daemon=True).start()

    def _consume(self) -> None:
        connection = pika.BlockingConnection(pika.URLParameters(self.amqp_uri))
        channel = connection.channel()
        channel.exchange_declare(EXCHANGE, exchange_type="topic", durable=True)
        queue = channel.queue_declare("", exclusive=True, auto_delete=True).method.queue
        channel.queue_bind(queue, EXCHANGE, routing_key="#")
        channel.basic_consume(queue, self._on_message, auto_ack=True)
        self.ready.set()
        channel.start_consuming()

    def _on_message(self, channel, method, properties, body: bytes) -> None:
        self.loop.call_soon_threadsafe(self._fan_out, body.decode())

    def _fan_out(self, text: str) -> None:
        for queue in list(self.queues):
            queue.put_nowait(text)


def create_app() -> FastAPI:
    fanout = Fanout(os.environ["AMQP_URI"])

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        channel = grpc.aio.insecure_channel(os.environ["BARE_GRPC_ADDR"])
        app.state.read = channel.unary_unary("/bench.Bare/Read")
        app.state.press = channel.unary_unary("/bench.Bare/Press")
        fanout.start(asyncio.get_running_loop())
        yield
        await channel.close()

    app = FastAPI(lifespan=lifespan)

    @app.get("/bare/ready")
    async def ready() -> dict:
        return {"ready": fanout.ready.is_set()}

    @app.get("/bare/care-requests/{care_id}")
    async def read(care_id: str, request: Request, reply: int = 1000, body: int = 1000) -> Response:
        await request.app.state.read(f"{reply}:{care_id}".encode(), timeout=5)
        return Response(_json_of_size(body), media_type="application/json")

    @app.post("/bare/devices/{device_id}/press")
    async def press(device_id: str, request: Request, reply: int = 1000, body: int = 1000) -> Response:
        await request.app.state.press(f"{reply}:{device_id}".encode(), timeout=5)
        return Response(_json_of_size(body), media_type="application/json", status_code=201)

    @app.get("/bare/stream")
    async def stream() -> StreamingResponse:
        queue: asyncio.Queue = asyncio.Queue()
        fanout.queues.add(queue)

        async def frames():
            try:
                yield ": open\n\n"
                while True:
                    yield f"data: {await queue.get()}\n\n"
            finally:
                fanout.queues.discard(queue)

        return StreamingResponse(frames(), media_type="text/event-stream")

    return app


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    # uvicorn's defaults, as the gateway runs it; its access lines fall below the WARNING level here, so
    # the bare server writes no log per request (the gateway's cost of doing so shows in the table).
    uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=int(os.environ["BARE_HTTP_PORT"]),
                                  log_config=None)).run()


if __name__ == "__main__":
    main()
