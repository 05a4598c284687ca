"""The bare gRPC transport the eldercare api rides on: a plain grpcio server (same thread pool size, no
interceptor, no telemetry, no domain, no protobuf) whose methods make the same pymongo calls as Linli's.

    python -m bench.bare_grpc        (BARE_GRPC_ADDR, MONGO_URI, BARE_DB from the environment)

Requests and replies are raw bytes of the sizes the benchmark asks for, so the wire carries what Linli's
does. The database BARE_DB holds copies of Linli's documents (bench/platform.py puts them there) with the
same indexes, so the store does the same work.

  /bench.Bare/Read   b"<reply bytes>:<care request id>"  find_one by _id (GetCareRequest's one query)
  /bench.Bare/Raise  b"<reply bytes>:"                   a transaction: insert the request + its outbox record
  /bench.Bare/Press  b"<reply bytes>:<device id>"        PressDevice's reads, then its transaction
"""
import copy
import os
import signal
import threading
import uuid
from concurrent import futures

import grpc
from pymongo import MongoClient
from pymongo.read_concern import ReadConcern
from pymongo.write_concern import WriteConcern


class BareStore:
    def __init__(self, uri: str, db_name: str):
        self.client = MongoClient(uri, tz_aware=True)
        self.db = self.client[db_name]
        self._templates: dict[str, dict] = {}

    def template(self, name: str) -> dict:
        if name not in self._templates:
            self._templates[name] = self.db.templates.find_one({"_id": name})["doc"]
        return self._templates[name]

    def _transaction(self, work) -> None:
        with self.client.start_session() as session:
            session.with_transaction(work, read_concern=ReadConcern("snapshot"),
                                     write_concern=WriteConcern("majority"))

    def read(self, care_id: str) -> None:
        self.db.care_requests.find_one({"_id": care_id})

    def raise_request(self, elder_id: str | None = None) -> None:
        care, record = copy.deepcopy(self.template("care_request")), copy.deepcopy(self.template("outbox"))
        care["_id"] = record["_id"] = str(uuid.uuid4())
        care.pop("request_id", None)
        if elder_id:
            care["elder_id"] = elder_id

        def work(session) -> None:
            self.db.care_requests.insert_one(care, session=session)
            self.db.outbox.insert_one(record, session=session)

        self._transaction(work)

    def press(self, device_id: str) -> None:
        device = self.db.devices.find_one({"_id": device_id})
        elder = self.db.elders.find_one({"_id": device["elder_id"]})
        list(self.db.care_requests.find({"status": {"$in": ["raised"]}, "elder_id": elder["_id"]})
             .sort([("priority", 1), ("raised_at", 1), ("_id", 1)]).limit(20))
        care, record = copy.deepcopy(self.template("care_request")), copy.deepcopy(self.template("outbox"))
        care["_id"] = record["_id"] = str(uuid.uuid4())
        care.pop("request_id", None)
        care["elder_id"] = elder["_id"]

        def work(session) -> None:
            self.db.devices.update_one({"_id": device_id}, {"$set": {"last_heartbeat_at": device["last_heartbeat_at"]},
                                                            "$inc": {"version": 1}}, session=session)
            self.db.care_requests.insert_one(care, session=session)
            self.db.outbox.insert_one(record, session=session)

        self._transaction(work)


def _split(request: bytes) -> tuple[int, str]:
    size, _, key = request.partition(b":")
    return int(size), key.decode()


def handlers(store: BareStore) -> grpc.GenericRpcHandler:
    def read(request: bytes, context) -> bytes:
        size, key = _split(request)
        store.read(key)
        return b"x" * size

    def raise_request(request: bytes, context) -> bytes:
        size, _ = _split(request)
        store.raise_request()
        return b"x" * size

    def press(request: bytes, context) -> bytes:
        size, key = _split(request)
        store.press(key)
        return b"x" * size

    return grpc.method_handlers_generic_handler("bench.Bare", {
        name: grpc.unary_unary_rpc_method_handler(behaviour)  # no serializers: bytes in, bytes out
        for name, behaviour in (("Read", read), ("Raise", raise_request), ("Press", press))
    })


def main() -> None:
    store = BareStore(os.environ["MONGO_URI"], os.environ.get("BARE_DB", "bench_bare"))
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
    server.add_generic_rpc_handlers((handlers(store),))
    if not server.add_insecure_port(os.environ["BARE_GRPC_ADDR"]):
        raise SystemExit("cannot listen")
    server.start()
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    print("bare grpc serving", flush=True)
    stopping.wait()
    server.stop(1).wait()


if __name__ == "__main__":
    main()
