"""Contract tier: the eldercare api as its own process, called with a stock grpcio client over a real
socket. The api's store is a real SecantusDB process; RabbitMQ is the machine's."""
import tempfile
from pathlib import Path

import grpc
import pytest

from linli_dev.devstack import DevStack, free_port
from linli.kit.config import setting


@pytest.fixture(scope="session")
def stack():
    address = f"127.0.0.1:{free_port()}"
    stack = DevStack({"ELDERCARE_API_ADDR": address, "AMQP_URI": setting("AMQP_URI"),
                      "MONGO_DB_PREFIX": "contract_"}, Path(tempfile.mkdtemp(prefix="linli-contract-")))
    try:
        stack.isolate_broker()  # the api's relay publishes here, away from any other Linli on this broker
        stack.start_mongo(":memory:")
        stack.start_api("eldercare")
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def api_address(stack):
    return stack.env["ELDERCARE_API_ADDR"]


@pytest.fixture(scope="session")
def amqp_uri(stack):
    return stack.env["AMQP_URI"]


@pytest.fixture(scope="session")
def channel(api_address):
    with grpc.insecure_channel(api_address) as channel:
        yield channel


def register_elder(channel, community: str, elder_id: str, home: tuple[float, float] | None = None,
                   location_consent: bool = False, contact_user_id: str = "") -> str:
    """An elder registered in the community (a call is only for a registered elder), at 东区 3号楼."""
    from linli.eldercare.v1 import common_pb2, residents_pb2, residents_pb2_grpc
    from linli.kit.identity import Caller

    operator = Caller("op-registrar", frozenset({"operator"}), frozenset({community})).to_metadata()
    residents = residents_pb2_grpc.ResidentServiceStub(channel)
    address = common_pb2.Address(building="东区 3号楼", unit="2单元", floor=4, room="402")
    if home:
        address.position.CopyFrom(common_pb2.GeoPoint(latitude=home[0], longitude=home[1]))
    contacts = [common_pb2.Contact(name="刘梅", relation="女儿", user_id=contact_user_id)] if contact_user_id else []
    residents.RegisterElder(residents_pb2.RegisterElderRequest(
        id=elder_id, community_id=community,
        details=residents_pb2.ElderDetails(name="刘桂兰", address=address, contacts=contacts)),
        metadata=operator, timeout=10)
    if location_consent:
        residents.RecordConsent(residents_pb2.RecordConsentRequest(
            elder_id=elder_id, topic=residents_pb2.CONSENT_TOPIC_LOCATION, granted=True), metadata=operator, timeout=10)
    return elder_id
