"""Elders registered for the chaos tier's load: a call for help is only for an elder registered in its
community (services/eldercare/domain/residents.py, check_registered)."""
import grpc

from linli.eldercare.v1 import residents_pb2, residents_pb2_grpc
from linli.kit.identity import Caller


def register_over_grpc(address: str, community: str, elder_ids) -> None:
    """Through the eldercare api itself, as an operator of the community; one already registered is fine."""
    operator = Caller("op-registrar", frozenset({"operator"}), frozenset({community})).to_metadata()
    with grpc.insecure_channel(address) as channel:
        residents = residents_pb2_grpc.ResidentServiceStub(channel)
        for elder_id in elder_ids:
            try:
                residents.RegisterElder(residents_pb2.RegisterElderRequest(
                    id=elder_id, community_id=community, details=residents_pb2.ElderDetails(name="刘桂兰")),
                    metadata=operator, timeout=30, wait_for_ready=True)
            except grpc.RpcError as error:
                if error.code() != grpc.StatusCode.ALREADY_EXISTS:
                    raise


def register_over_http(http, gateway_url: str, headers: dict, community: str, elder_id: str) -> bool:
    """Through the gateway; True once the elder is registered (now or before)."""
    response = http.post(f"{gateway_url}/v1/elders", headers=headers,
                         json={"id": elder_id, "community_id": community, "name": "刘桂兰"})
    return response.status_code in (201, 409)
