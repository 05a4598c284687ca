"""Demo data shaped like the pilot community, 东华园社区 in Fushun: a resettlement community of about
12,000 residents in an east and a west zone. Loaded through the public gRPC api, as an operator would
raise calls, and idempotent (fixed request ids), so loading twice changes nothing."""
import grpc

from linli.eldercare.v1 import eldercare_pb2 as pb
from linli.eldercare.v1 import eldercare_pb2_grpc as pb_grpc
from linli.kit.identity import Caller

COMMUNITY = "donghuayuan"
OPERATOR = Caller("demo-operator", frozenset({"operator"}), frozenset({COMMUNITY}))

CALLS = [
    # (request id, elder, kind, channel, building, unit, floor, what the caller said)
    ("demo-001", "elder-dq-0312", pb.CARE_KIND_MEAL, pb.CHANNEL_DEVICE, "东区 3号楼", "2单元", 4, "午饭送餐，四菜一汤"),
    ("demo-002", "elder-xq-1127", pb.CARE_KIND_MEDICAL, pb.CHANNEL_PHONE, "西区 11号楼", "1单元", 2, "血压偏高，想请医生看看"),
    ("demo-003", "elder-dq-0508", pb.CARE_KIND_CLEANING, pb.CHANNEL_APP, "东区 5号楼", "3单元", 6, "厨房清洁"),
    ("demo-004", "elder-xq-0902", pb.CARE_KIND_MOBILITY, pb.CHANNEL_PHONE, "西区 9号楼", "2单元", 1, "陪同去医疗卫生服务站"),
    ("demo-005", "elder-dq-0715", pb.CARE_KIND_SHOPPING, pb.CHANNEL_DEVICE, "东区 7号楼", "1单元", 3, "代买米和油"),
]


def load(env: dict[str, str]) -> int:
    with grpc.insecure_channel(env["ELDERCARE_API_ADDR"]) as channel:
        api = pb_grpc.EldercareServiceStub(channel)
        for request_id, elder, kind, channel_kind, building, unit, floor, said in CALLS:
            api.RaiseCareRequest(
                pb.RaiseCareRequestRequest(
                    community_id=COMMUNITY, elder_id=elder, kind=kind, channel=channel_kind,
                    location=pb.Location(building=building, unit=unit, floor=floor), description=said,
                    request_id=request_id,
                ),
                metadata=OPERATOR.to_metadata(), timeout=10,
            )
        reply = api.ListOpenCareRequests(pb.ListOpenCareRequestsRequest(community_id=COMMUNITY, page_size=200),
                                         metadata=OPERATOR.to_metadata(), timeout=10)
        return len(reply.care_requests)
