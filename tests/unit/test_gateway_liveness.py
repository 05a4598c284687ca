"""The gateway's liveness (GET /livez, the Kubernetes liveness probe): it answers while the event loop runs,
asks no api, needs no token, and is never rate limited or shed, so neither a slow api nor a busy gateway
gets the gateway restarted. Readiness (/healthz) is the check that asks the api. The apis are fakes; the
lifespan never runs."""
import asyncio

import grpc
import httpx
from fastapi.testclient import TestClient

from gateway import dev_issuer
from gateway.app import create_app
from gateway.auth import Authenticator
from gateway.board import Board
from gateway.ratelimit import TokenBuckets
from linli.eldercare.v1 import eldercare_pb2


class SlowHealth:
    """Stands in for the eldercare api's gRPC health service when it is too slow to answer: every check
    runs into its deadline, as it would over a real channel."""

    def __init__(self):
        self.checks = 0

    async def Check(self, request, timeout):
        self.checks += 1
        await asyncio.sleep(timeout)
        raise grpc.aio.AioRpcError(grpc.StatusCode.DEADLINE_EXCEEDED, grpc.aio.Metadata(), grpc.aio.Metadata())


class HeldEldercare:
    """Stands in for the eldercare stubs: a read is answered only once released, so requests pile up."""

    def __init__(self):
        self.release = asyncio.Event()
        self.inside = 0

    async def GetCareRequest(self, request, metadata, timeout):
        self.inside += 1
        await self.release.wait()
        return eldercare_pb2.GetCareRequestResponse(
            care_request=eldercare_pb2.CareRequest(id=request.id, community_id="pilot", elder_id="e-1",
                                                   kind=eldercare_pb2.CARE_KIND_MEAL, version=1))


def gateway(tmp_path, monkeypatch, per_second: float = 100, burst: float = 100):
    monkeypatch.setenv("LINLI_DEV_ISSUER_DIR", str(tmp_path))
    return create_app(authenticator=Authenticator.from_settings(), board=Board("amqp://127.0.0.1:1/"),
                      rate_limit=TokenBuckets(per_second, burst))


def test_the_gateway_is_alive_without_asking_the_api_while_a_slow_api_makes_it_unready(tmp_path, monkeypatch):
    app = gateway(tmp_path, monkeypatch)
    app.state.health = health = SlowHealth()
    app.state.grpc_timeout = 0.2
    client = TestClient(app)

    alive = client.get("/livez")
    assert (alive.status_code, alive.json()) == (200, {"status": "ok"})
    assert health.checks == 0

    ready = client.get("/healthz")
    assert ready.status_code == 503
    assert "the eldercare api is not serving" in ready.json()["detail"]
    assert health.checks == 1


def test_liveness_needs_no_token_and_is_never_rate_limited(tmp_path, monkeypatch):
    client = TestClient(gateway(tmp_path, monkeypatch, per_second=0.001, burst=1))

    assert client.get("/openapi.json").status_code == 200  # the one request the bucket held
    assert client.get("/openapi.json").status_code == 429
    assert [client.get("/livez").status_code for _ in range(5)] == [200] * 5


def test_liveness_is_never_shed_while_routine_requests_are(tmp_path, monkeypatch):
    monkeypatch.setenv("GATEWAY_MAX_IN_FLIGHT", "1")
    monkeypatch.setenv("GATEWAY_QUEUE_SECONDS", "0.05")
    app = gateway(tmp_path, monkeypatch)
    app.state.eldercare = eldercare = HeldEldercare()
    headers = {"Authorization": f"Bearer {dev_issuer.issue_token('op-1', ['operator'], ['pilot'])}"}
    asyncio.run(_liveness_is_never_shed_while_routine_requests_are(app, eldercare, headers))


async def _liveness_is_never_shed_while_routine_requests_are(app, eldercare, headers):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as client:
        busy = asyncio.create_task(client.get("/v1/care-requests/cr-1", headers=headers))
        while eldercare.inside < 1:
            await asyncio.sleep(0.01)
        shed = await client.get("/v1/care-requests/cr-2", headers=headers)
        alive = await client.get("/livez")
        eldercare.release.set()
        assert (shed.status_code, alive.status_code) == (503, 200)
        assert shed.json()["type"].endswith("/overloaded")
        assert (await busy).status_code == 200


def test_liveness_is_published_beside_readiness_as_an_operation_without_security(tmp_path, monkeypatch):
    document = TestClient(gateway(tmp_path, monkeypatch)).get("/openapi.json").json()
    live, ready = document["paths"]["/livez"]["get"], document["paths"]["/healthz"]["get"]

    assert live["tags"] == ready["tags"] == ["operations"]
    assert "security" not in live and "security" not in ready
    assert live["responses"]["200"]["content"] == ready["responses"]["200"]["content"]
