"""Demo data shaped like the pilot community, 东华园社区 in Fushun: a resettlement community of about
12,000 residents in an east and a west zone joined by a bridge, with a canteen, a health station and a
command centre for elder care at home. About 2,000 elders with call devices, 30 care staff on shift,
and a few calls already waiting on the board.

Loaded through the public gRPC apis, as the command centre would enrol people, from a fixed random
seed: the same people every time, and loading twice changes nothing (existing records are kept).
"""
import random
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import grpc

from linli.eldercare.v1 import (common_pb2, meals_pb2, meals_pb2_grpc, residents_pb2, residents_pb2_grpc, staff_pb2,
                                staff_pb2_grpc)
from linli.eldercare.v1 import eldercare_pb2 as pb
from linli.eldercare.v1 import eldercare_pb2_grpc as pb_grpc
from linli.kit.identity import Caller

COMMUNITY = "donghuayuan"
# The community's centre (the fan-shaped square between the zones); buildings are laid out around it.
CENTRE = (41.8810, 123.9570)
OPERATOR = Caller("demo-operator", frozenset({"operator"}), frozenset({COMMUNITY}))
ELDERS = 2000
STAFF = 30

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = ["秀英", "桂兰", "淑珍", "玉兰", "凤英", "淑华", "秀兰", "桂芝", "玉珍", "德明", "国强", "建国",
         "振华", "永福", "长顺", "宝山", "玉林", "春生", "文斌", "树林", "淑琴", "凤兰", "广田", "占山"]
CONDITIONS = ["高血压", "糖尿病", "冠心病", "慢性支气管炎", "关节炎", "脑梗后遗症", "白内障", "骨质疏松"]
MEDICATIONS = {"高血压": "硝苯地平", "糖尿病": "二甲双胍", "冠心病": "阿司匹林", "慢性支气管炎": "氨溴索",
               "关节炎": "布洛芬", "脑梗后遗症": "阿托伐他汀", "骨质疏松": "钙尔奇"}
ALLERGIES = ["青霉素", "磺胺", "海鲜"]
RELATIONS = ["儿子", "女儿", "儿媳", "女婿", "侄子", "邻居"]
SKILL_SETS = [
    (pb.CARE_KIND_EMERGENCY, pb.CARE_KIND_MEDICAL, pb.CARE_KIND_MOBILITY),
    (pb.CARE_KIND_BATHING, pb.CARE_KIND_CLEANING, pb.CARE_KIND_MOBILITY),
    (pb.CARE_KIND_MEAL, pb.CARE_KIND_SHOPPING, pb.CARE_KIND_RECREATION),
    (pb.CARE_KIND_EMERGENCY, pb.CARE_KIND_BATHING, pb.CARE_KIND_MEAL, pb.CARE_KIND_CLEANING),
]


@dataclass(frozen=True)
class Building:
    name: str
    zone: str  # "dq" east, "xq" west
    latitude: float
    longitude: float


def buildings() -> list[Building]:
    """East zone 24 buildings, west zone 20, in rows either side of the central square."""
    result = []
    for zone, label, count, side in (("dq", "东区", 24, 1), ("xq", "西区", 20, -1)):
        for number in range(1, count + 1):
            row, column = divmod(number - 1, 4)
            result.append(Building(f"{label} {number}号楼", zone,
                                   CENTRE[0] + 0.0016 - row * 0.0007,
                                   CENTRE[1] + side * (0.0015 + column * 0.0011)))
    return result


def elders() -> list[residents_pb2.RegisterElderRequest]:
    rng = random.Random(2019)
    plan = buildings()
    people = []
    for index in range(ELDERS):
        building = plan[index % len(plan)]
        elder_id = f"elder-{building.zone}-{index:04d}"
        conditions = rng.sample(CONDITIONS, rng.choice([0, 1, 1, 2, 3]))
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        contacts = [common_pb2.Contact(name=rng.choice(SURNAMES) + rng.choice(GIVEN), relation=rng.choice(RELATIONS),
                                       phone=f"139{rng.randrange(10**8):08d}", holds_key=True,
                                       user_id=f"family-{elder_id}")]
        address = common_pb2.Address(
            building=building.name, unit=f"{rng.randint(1, 4)}单元", floor=rng.randint(1, 6),
            room=f"{rng.randint(1, 2):02d}", position=common_pb2.GeoPoint(
                latitude=building.latitude + rng.uniform(-0.00008, 0.00008),
                longitude=building.longitude + rng.uniform(-0.00008, 0.00008)))
        people.append(residents_pb2.RegisterElderRequest(
            id=elder_id, community_id=COMMUNITY,
            details=residents_pb2.ElderDetails(
                name=name, phone=f"024-5{rng.randrange(10**6):06d}",
                mobility=rng.choice([residents_pb2.MOBILITY_INDEPENDENT] * 5 + [residents_pb2.MOBILITY_USES_AID] * 3
                                    + [residents_pb2.MOBILITY_WHEELCHAIR, residents_pb2.MOBILITY_BEDRIDDEN]),
                address=address, contacts=contacts, conditions=conditions,
                medications=[MEDICATIONS[c] for c in conditions if c in MEDICATIONS],
                allergies=rng.sample(ALLERGIES, 1) if rng.random() < 0.1 else [])))
    return people


def staff_members() -> list[staff_pb2.RegisterStaffRequest]:
    rng = random.Random(2016)
    return [staff_pb2.RegisterStaffRequest(
        id=f"cg-{index:02d}", community_id=COMMUNITY, name=rng.choice(SURNAMES) + rng.choice(GIVEN),
        phone=f"138{rng.randrange(10**8):08d}", skills=list(SKILL_SETS[index % len(SKILL_SETS)]))
        for index in range(STAFF)]


def device_id(elder_id: str) -> str:
    return "pager-" + elder_id.removeprefix("elder-")


def caregiver(staff_id: str) -> Caller:
    return Caller(staff_id, frozenset({"caregiver"}), frozenset({COMMUNITY}))


# Calls waiting on the board when the demo starts: (request id, elder, kind, what the caller said).
CALLS = [
    ("demo-001", "elder-dq-0002", pb.CARE_KIND_MEAL, "午饭送餐，四菜一汤"),
    ("demo-002", "elder-xq-0031", pb.CARE_KIND_MEDICAL, "血压偏高，想请医生看看"),
    ("demo-003", "elder-dq-0046", pb.CARE_KIND_CLEANING, "厨房清洁"),
    ("demo-004", "elder-xq-0075", pb.CARE_KIND_MOBILITY, "陪同去医疗卫生服务站"),
    ("demo-005", "elder-dq-0090", pb.CARE_KIND_SHOPPING, "代买米和油"),
]


# The canteen's lunch, as the report describes it: four dishes for 10 yuan.
DISHES = ["茄汁鱼", "酱鸡脖", "油焖尖椒", "熘豆腐"]


def set_canteen_menus(meals) -> None:
    """Today's and tomorrow's lunch menus (setting a menu again replaces it)."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    for day in (today, today + timedelta(days=1)):
        meals.SetMenu(meals_pb2.SetMenuRequest(
            community_id=COMMUNITY, day=day.isoformat(), dishes=[meals_pb2.Dish(name=name) for name in DISHES],
            price_fen=1000, order_cutoff="09:30", dine_in=True, delivery=True, delivery_fee_fen=0),
            metadata=OPERATOR.to_metadata(), timeout=10)


def _ignore_existing(call):
    try:
        call()
        return 1
    except grpc.RpcError as error:
        if error.code() == grpc.StatusCode.ALREADY_EXISTS:
            return 0
        raise


def load(env: dict[str, str], progress=sys.stderr) -> int:
    """Enrol the demo community (skipped when already there) and raise the waiting calls."""
    with grpc.insecure_channel(env["ELDERCARE_API_ADDR"]) as channel:
        residents = residents_pb2_grpc.ResidentServiceStub(channel)
        team = staff_pb2_grpc.StaffServiceStub(channel)
        api = pb_grpc.EldercareServiceStub(channel)
        md = OPERATOR.to_metadata()
        people = elders()

        consent_rng = random.Random(2018)

        def enrol(person) -> int:
            added = _ignore_existing(lambda: residents.RegisterElder(person, metadata=md, timeout=30))
            # Most elders let the command centre see where they are (that is what the device is for);
            # fewer share their health record.
            me = Caller(person.id, frozenset({"resident"}), frozenset({COMMUNITY})).to_metadata()
            for topic, share in ((residents_pb2.CONSENT_TOPIC_LOCATION, 0.95), (residents_pb2.CONSENT_TOPIC_HEALTH, 0.8)):
                if added and consent_rng.random() < share:
                    residents.RecordConsent(residents_pb2.RecordConsentRequest(elder_id=person.id, topic=topic,
                                                                               granted=True), metadata=me, timeout=30)
            _ignore_existing(lambda: residents.RegisterDevice(residents_pb2.RegisterDeviceRequest(
                id=device_id(person.id), elder_id=person.id, kind=residents_pb2.DEVICE_KIND_PAGER),
                metadata=md, timeout=30))
            return added

        try:
            residents.GetElder(residents_pb2.GetElderRequest(id=people[-1].id), metadata=md, timeout=10)
        except grpc.RpcError as error:
            if error.code() != grpc.StatusCode.NOT_FOUND:
                raise
            print(f"enrolling {len(people)} elders with call devices (once; kept in var/mongo) ...",
                  file=progress, flush=True)
            with ThreadPoolExecutor(8) as pool:
                for done, _ in enumerate(pool.map(enrol, people), 1):
                    if done % 200 == 0:
                        print(f"  {done}/{len(people)}", file=progress, flush=True)
        plan = buildings()
        for index, member in enumerate(staff_members()):
            _ignore_existing(lambda: team.RegisterStaff(member, metadata=md, timeout=10))
            me = caregiver(member.id).to_metadata()
            current = team.GetStaffMember(staff_pb2.GetStaffMemberRequest(id=member.id), metadata=me, timeout=10)
            if not current.staff_member.on_shift:
                team.StartShift(staff_pb2.StartShiftRequest(), metadata=me, timeout=10)
            where = plan[(index * 7) % len(plan)]
            team.ReportPosition(staff_pb2.ReportPositionRequest(
                position=common_pb2.GeoPoint(latitude=where.latitude, longitude=where.longitude)), metadata=me,
                timeout=10)
        set_canteen_menus(meals_pb2_grpc.MealServiceStub(channel))
        by_id = {person.id: person for person in people}
        for request_id, elder_id, kind, said in CALLS:
            home = by_id[elder_id].details.address
            api.RaiseCareRequest(pb.RaiseCareRequestRequest(
                community_id=COMMUNITY, elder_id=elder_id, kind=kind, channel=pb.CHANNEL_PHONE,
                location=pb.Location(building=home.building, unit=home.unit, floor=home.floor, detail=home.room),
                description=said, request_id=request_id), metadata=md, timeout=10)
        reply = api.ListOpenCareRequests(pb.ListOpenCareRequestsRequest(community_id=COMMUNITY, page_size=200),
                                         metadata=md, timeout=10)
        return len(reply.care_requests)
