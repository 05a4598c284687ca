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
from linli.kit import grpc_client
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

# Visits the command centre has booked for later, on the board's upcoming list: (request id, which elder,
# kind, days ahead, hour, what was arranged). Booked once; on a later run they may have become live calls.
BOOKED_VISITS = [
    ("demo-visit-001", 120, pb.CARE_KIND_MEDICAL, 2, 9, "出院随访：测血压、核对用药（市中心医院转回）"),
    ("demo-visit-002", 133, pb.CARE_KIND_BATHING, 3, 15, "下午助浴，家属在家"),
    ("demo-visit-003", 150, pb.CARE_KIND_MOBILITY, 5, 8, "陪同去区医院复查"),
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


def book_visits(api, people) -> None:
    """The booked visits (a visit's request id makes booking it again a no-op)."""
    from datetime import datetime, time, timedelta, timezone
    from zoneinfo import ZoneInfo

    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    for request_id, index, kind, in_days, hour, arranged in BOOKED_VISITS:
        elder = people[index]
        home = elder.details.address
        command = pb.RaiseCareRequestRequest(
            community_id=COMMUNITY, elder_id=elder.id, kind=kind, channel=pb.CHANNEL_PHONE,
            location=pb.Location(building=home.building, unit=home.unit, floor=home.floor, detail=home.room),
            description=arranged, request_id=request_id)
        wanted = datetime.combine(today + timedelta(days=in_days), time(hour), ZoneInfo("Asia/Shanghai"))
        command.scheduled_for.FromDatetime(wanted.astimezone(timezone.utc))
        api.RaiseCareRequest(command, metadata=OPERATOR.to_metadata(), timeout=10)


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
    load_volunteers(env)
    load_clinic(env)
    load_employment(env)
    with grpc_client.insecure_channel(env["ELDERCARE_API_ADDR"]) as channel:
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
        if env.get("NOTIFY_API_ADDR"):
            subscribe_family(env, by_id[CALLS[0][1]])
        for request_id, elder_id, kind, said in CALLS:
            home = by_id[elder_id].details.address
            api.RaiseCareRequest(pb.RaiseCareRequestRequest(
                community_id=COMMUNITY, elder_id=elder_id, kind=kind, channel=pb.CHANNEL_PHONE,
                location=pb.Location(building=home.building, unit=home.unit, floor=home.floor, detail=home.room),
                description=said, request_id=request_id), metadata=md, timeout=10)
        book_visits(api, people)
        if env.get("ELDERCARE_MQTT_ADDR"):
            terminals_report(residents, env["ELDERCARE_MQTT_ADDR"], people[:MQTT_TERMINALS])
        reply = api.ListOpenCareRequests(pb.ListOpenCareRequestsRequest(community_id=COMMUNITY, page_size=200),
                                         metadata=md, timeout=10)
        return len(reply.care_requests)


# The first elders' devices are terminals speaking MQTT (docs/devices.md), as devices in the field do: each
# gets a fresh secret (an installer's provisioning; the demo keeps none between runs) and reports its battery.
MQTT_TERMINALS = 20


def terminals_report(residents, mqtt_addr: str, people) -> None:
    from linli_dev.mqtt_device import Terminal

    rng = random.Random(2021)
    for person in people:
        device = device_id(person.id)
        secret = residents.RotateDeviceSecret(residents_pb2.RotateDeviceSecretRequest(device_id=device),
                                              metadata=OPERATOR.to_metadata(), timeout=10).secret
        terminal = Terminal(mqtt_addr, device, secret, persistent=False).connect(subscribe=False)
        try:
            terminal.heartbeat(rng.choice([95, 88, 76, 64, 52, 41, 18])).wait_for_publish(10)
        finally:
            terminal.close()


# -- notifications ------------------------------------------------------------------------------------------

DEMO_PUSH_URL = "http://127.0.0.1:9/push/demo-family"


def subscribe_family(env: dict[str, str], elder) -> None:
    """The family of the first caller gets a Web Push subscription, as their browser would make it (a P-256
    key pair and an auth secret), so their elder's calls land in their inbox (GET /v1/me/notifications with
    a family token for them). Its push URL is this machine's discard port: no push service answers there,
    so the inbox shows the retries and the dead letter; a real browser's subscription is delivered."""
    import base64
    import hashlib

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    from linli.notify.v1 import notify_pb2, notify_pb2_grpc

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).decode().rstrip("=")

    contact = elder.details.contacts[0]
    key = ec.derive_private_key(int.from_bytes(hashlib.sha256(contact.user_id.encode()).digest(), "big") % (2**255),
                                ec.SECP256R1())
    public = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    family = Caller(contact.user_id, frozenset({"family"}), frozenset({COMMUNITY})).to_metadata()
    with grpc_client.insecure_channel(env["NOTIFY_API_ADDR"]) as channel:
        notify_pb2_grpc.NotifyServiceStub(channel).RegisterEndpoint(notify_pb2.RegisterEndpointRequest(
            endpoint=notify_pb2.Endpoint(kind=notify_pb2.ENDPOINT_KIND_WEB_PUSH, push_url=DEMO_PUSH_URL,
                                         p256dh=b64(public), auth=b64(hashlib.sha256(public).digest()[:16]),
                                         label="家属手机浏览器"),
            elders=[notify_pb2.ElderLink(elder_id=elder.id, community_id=COMMUNITY, phone=contact.phone,
                                         elder_name=elder.details.name)]), metadata=family, timeout=10)


# -- volunteers ---------------------------------------------------------------------------------------------
# Party-member and resident volunteers in the community's branches and teams; the activities the report
# names (the neighbours' festival, the residents' hiking day) and regular visiting of elders living alone.

VOLUNTEERS = 40
BRANCHES = ["第一党支部", "第二党支部", "第三党支部", "夕阳红志愿服务队", "总书记考察故事宣讲团"]
VOLUNTEER_SKILLS = [("shopping", "visiting"), ("meal", "cleaning"), ("mobility", "visiting"), ("recreation", "publicity"),
                    ("repair", "organizing"), ("haircut", "visiting"), ("first_aid", "mobility")]
ACTIVITIES = [
    ("邻居节", "共叙邻里亲情，共建和谐家园：游园、义剪、义诊、便民维修", "中心广场", 1, 3, 40),
    ("居民登山行", "春季居民登山，志愿者负责沿途引导和安全保障", "高山公园东门", 2, 4, 15),
    ("巡楼探访", "每周探访独居和空巢老人，了解需求，陪伴聊天", "党群活动中心", 3, 2, 10),
]
COORDINATOR = Caller("demo-coordinator", frozenset({"coordinator"}), frozenset({COMMUNITY}))


def volunteers() -> list:
    from linli.volunteer.v1 import volunteer_pb2

    rng = random.Random(2020)
    plan = buildings()
    people = []
    for index in range(VOLUNTEERS):
        home = plan[(index * 5) % len(plan)]
        days = sorted(rng.sample(range(1, 8), rng.choice([2, 3, 5])))
        start = rng.choice(["08:00", "09:00", "13:30"])
        end = {"08:00": "11:30", "09:00": "17:00", "13:30": "17:30"}[start]
        people.append(volunteer_pb2.Volunteer(
            id=f"vol-{index:03d}", community_id=COMMUNITY, name=rng.choice(SURNAMES) + rng.choice(GIVEN),
            phone=f"138{rng.randrange(10**8):08d}", party_member=index % 3 != 2, branch=BRANCHES[index % len(BRANCHES)],
            skills=list(VOLUNTEER_SKILLS[index % len(VOLUNTEER_SKILLS)]),
            availability=[volunteer_pb2.AvailabilitySlot(weekday=day, start=start, end=end) for day in days],
            home=volunteer_pb2.GeoPoint(latitude=home.latitude, longitude=home.longitude)))
    return people


def load_volunteers(env: dict[str, str]) -> None:
    """Register the volunteers (existing ones kept) and, once, the activities with next week's shifts."""
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from linli.volunteer.v1 import volunteer_pb2, volunteer_pb2_grpc

    md = COORDINATOR.to_metadata()
    with grpc_client.insecure_channel(env["VOLUNTEER_API_ADDR"]) as channel:
        people = volunteer_pb2_grpc.VolunteerServiceStub(channel)
        for person in volunteers():
            _ignore_existing(lambda: people.RegisterVolunteer(volunteer_pb2.RegisterVolunteerRequest(volunteer=person),
                                                              metadata=md, timeout=10))
        activities = volunteer_pb2_grpc.ActivityServiceStub(channel)
        existing = activities.ListActivities(volunteer_pb2.ListActivitiesRequest(community_id=COMMUNITY, page_size=200),
                                             metadata=md, timeout=10).activities
        if existing:
            return
        today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
        for title, description, place, in_days, hours, capacity in ACTIVITIES:
            activity = activities.CreateActivity(volunteer_pb2.CreateActivityRequest(
                community_id=COMMUNITY, title=title, description=description, place=volunteer_pb2.Place(
                    name=place, position=volunteer_pb2.GeoPoint(latitude=CENTRE[0], longitude=CENTRE[1]), radius_m=300)),
                metadata=md, timeout=10).activity
            starts = datetime.combine(today + timedelta(days=in_days), time(9, 0), ZoneInfo("Asia/Shanghai"))
            shift = volunteer_pb2.AddShiftRequest(activity_id=activity.id, title="上午场", capacity=capacity)
            shift.starts_at.FromDatetime(starts)
            shift.ends_at.FromDatetime(starts + timedelta(hours=hours))
            added = activities.AddShift(shift, metadata=md, timeout=10).shift
            for person in volunteers()[:min(capacity, 8)]:
                activities.SignUp(volunteer_pb2.SignUpRequest(shift_id=added.id, volunteer_id=person.id), metadata=md,
                                  timeout=10)


# -- the health station (clinic) ------------------------------------------------------------------------
# 东华园's health station (西区39号楼) keeps records of the elders with chronic conditions; most consent
# to share with the medical alliance (抚顺市中心医院, 顺城区人民医院). A few ECGs, two referrals up to the
# city hospital waiting for it (`linli partner-sim` plays the hospital), and a teleconsultation tomorrow.

CLINICIAN = Caller("demo-nurse", frozenset({"clinician"}), frozenset({COMMUNITY}))
PATIENTS = 120
REFERRALS = [("demo-referral-1", "胸闷气短两周，活动后加重，心电图ST段压低", "urgent"),
             ("demo-referral-2", "血糖控制差，空腹血糖11.2 mmol/L，建议内分泌科调整方案", "routine")]


def load_clinic(env: dict[str, str]) -> None:
    """Register the station's patients, once (kept in var/mongo), with their consents and results."""
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from google.protobuf.timestamp_pb2 import Timestamp

    from linli.clinic.v1 import patients_pb2, patients_pb2_grpc, referrals_pb2, referrals_pb2_grpc
    from linli.clinic.v1 import teleconsultations_pb2, teleconsultations_pb2_grpc

    md = CLINICIAN.to_metadata()
    people = [person for person in elders() if person.details.conditions][:PATIENTS]
    with grpc_client.insecure_channel(env["CLINIC_API_ADDR"]) as channel:
        station = patients_pb2_grpc.PatientServiceStub(channel)
        last = station.ListPatients(patients_pb2.ListPatientsRequest(community_id=COMMUNITY,
                                                                     resident_id=people[-1].id), metadata=md, timeout=10)
        if last.patients:
            return
        rng = random.Random(2021)
        consenting = []
        for person in people:
            d = person.details
            request = patients_pb2.RegisterPatientRequest(
                community_id=COMMUNITY, resident_id=person.id, details=patients_pb2.PatientDetails(
                    name=d.name, birth_date=f"{rng.randint(1935, 1958)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    phone=d.phone, problems=d.conditions, medications=d.medications, allergies=d.allergies))
            try:
                patient = station.RegisterPatient(request, metadata=md, timeout=10).patient
            except grpc.RpcError as error:  # a load interrupted half way: the rest follows
                if error.code() != grpc.StatusCode.ALREADY_EXISTS:
                    raise
                continue
            if rng.random() < 0.85:
                station.GrantConsent(patients_pb2.GrantConsentRequest(
                    patient_id=patient.id, recipient="*", scopes=[
                        patients_pb2.CONSENT_SCOPE_REFERRAL, patients_pb2.CONSENT_SCOPE_TELECONSULTATION,
                        patients_pb2.CONSENT_SCOPE_SUMMARY, patients_pb2.CONSENT_SCOPE_RESULTS]), metadata=md, timeout=10)
                consenting.append(patient)
            if rng.random() < 0.3:
                taken = f"2026-{rng.randint(9, 11):02d}-{rng.randint(1, 28):02d}"
                station.AddResult(patients_pb2.AddResultRequest(
                    patient_id=patient.id, type=1, title="静息十二导联心电图", date=taken,
                    reference=f"ecg://donghuayuan-station/{taken}/{patient.resident_id}", content_type="application/pdf"),
                    metadata=md, timeout=10)
        referrals = referrals_pb2_grpc.ReferralServiceStub(channel)
        for (request_id, reason, priority), patient in zip(REFERRALS, consenting):
            referrals.CreateReferral(referrals_pb2.CreateReferralRequest(
                patient_id=patient.id, performer_id="city-central-hospital", request_id=request_id,
                content=referrals_pb2.ReferralContent(
                    category=referrals_pb2.REFERRAL_CATEGORY_REFERRAL, reason=reason, practitioner="赵医生",
                    priority=referrals_pb2.ReferralPriority.Value(f"REFERRAL_PRIORITY_{priority.upper()}"),
                    clinical_summary="既往：" + "、".join(patient.problems) + "；用药：" + "、".join(patient.medications))),
                metadata=md, timeout=10)
        if len(consenting) > 2:
            sessions = teleconsultations_pb2_grpc.TeleconsultationServiceStub(channel)
            session = sessions.RequestTeleconsultation(teleconsultations_pb2.RequestTeleconsultationRequest(
                patient_id=consenting[2].id, partner_id="district-hospital", department="内分泌科", specialist="李主任",
                reason="糖尿病合并高血压，调整用药方案", request_id="demo-teleconsultation-1"), metadata=md, timeout=10)
            zone = ZoneInfo("Asia/Shanghai")
            tomorrow = datetime.combine(datetime.now(zone).date() + timedelta(days=1), time(9, 30), tzinfo=zone)
            start = Timestamp()
            start.FromDatetime(tomorrow)
            sessions.ScheduleTeleconsultation(teleconsultations_pb2.ScheduleTeleconsultationRequest(
                id=session.teleconsultation.id, start=start, duration_minutes=30), metadata=md, timeout=10)


# -- employment: the pilot's job fair of 26 June 2019 (215 posts from 20 companies; 50 hiring intentions,
# 30 training sign-ups, 100 policy questions answered, 500 leaflets of 10 titles) and the workshop's orders.

COUNSELLOR = Caller("demo-counsellor", frozenset({"counsellor"}), frozenset({COMMUNITY}))
FAIR_ID = "fair-2019-06-26"
# (company, [(post, skills, headcount, schedule, wage fen, per, physical demand, training offered)]).
# Made-up companies of the kinds that came; headcounts add up to the fair's 215 posts.
FAIR_COMPANIES = [
    ("抚顺华丰服装有限公司", [("缝纫工", ["sewing"], 20, "full_time", 300_000, "month", "light", True),
                            ("锁边工", ["sewing"], 10, "full_time", 280_000, "month", "light", True)]),
    ("顺城区绿源蔬菜专业合作社", [("大棚种植工", ["farming.greenhouse", "farming.crops"], 15, "full_time", 12_000,
                                "day", "moderate", False)]),
    ("抚顺金禾食品有限公司", [("食品包装工", ["food_processing"], 15, "full_time", 280_000, "month", "light", True),
                            ("面点师", ["cooking.pastry"], 3, "full_time", 350_000, "month", "light", False)]),
    ("抚顺新城物业服务有限公司", [("保洁员", ["cleaning"], 15, "part_time", 160_000, "month", "light", False),
                                ("绿化工", ["gardening"], 5, "full_time", 260_000, "month", "moderate", False)]),
    ("抚顺东洲家政服务中心", [("家政服务员", ["housekeeping", "cooking"], 12, "flexible", 2_500, "hour", "light", True),
                            ("育婴员", ["caring.children"], 4, "full_time", 400_000, "month", "light", True)]),
    ("顺城区安康养老院", [("养老护理员", ["caring.elderly"], 10, "full_time", 320_000, "month", "moderate", True)]),
    ("抚顺通达物流有限公司", [("分拣员", ["warehouse"], 12, "full_time", 300_000, "month", "moderate", False),
                            ("配送员", ["delivery", "driving"], 5, "full_time", 400_000, "month", "moderate", False)]),
    ("抚顺恒信保安服务有限公司", [("保安员", ["security"], 10, "full_time", 260_000, "month", "light", True)]),
    ("抚顺鑫源建筑工程有限公司", [("砌筑工", ["construction.masonry"], 8, "full_time", 25_000, "day", "heavy", False),
                                ("装修工", ["construction.decoration"], 4, "full_time", 22_000, "day", "heavy",
                                 False)]),
    ("抚顺百佳超市连锁有限公司", [("理货员", ["retail"], 8, "part_time", 1_800, "hour", "light", False),
                                ("收银员", ["retail", "office.computer"], 4, "full_time", 260_000, "month", "light",
                                 True)]),
    ("顺城区农机服务站", [("农机手", ["farming.machinery"], 3, "full_time", 350_000, "month", "moderate", False)]),
    ("抚顺兴农养殖场", [("饲养员", ["farming.livestock"], 5, "full_time", 300_000, "month", "heavy", False)]),
    ("抚顺巧手手工艺品厂", [("编织工（计件）", ["handicraft.knitting"], 10, "piece_work", 150, "piece", "light", True),
                            ("剪纸（计件）", ["handicraft.paper_cutting"], 2, "piece_work", 300, "piece", "light",
                             False)]),
    ("抚顺锦绣刺绣坊", [("刺绣工（计件）", ["handicraft.embroidery"], 6, "piece_work", 200, "piece", "light", True)]),
    ("顺城区社区食堂", [("帮厨", ["cooking"], 4, "part_time", 150_000, "month", "light", False)]),
    ("抚顺顺达汽车配件厂", [("装配工", ["assembly"], 10, "full_time", 320_000, "month", "moderate", True)]),
    ("抚顺惠民家电维修部", [("家电维修工", ["repair.appliances"], 2, "full_time", 350_000, "month", "light", False)]),
    ("抚顺城市环卫服务公司", [("道路保洁员", ["cleaning"], 6, "full_time", 240_000, "month", "moderate", False)]),
    ("抚顺好邻居便利店", [("店员", ["retail"], 3, "part_time", 1_700, "hour", "light", False)]),
    ("顺城区社区服务中心", [("文员", ["office.computer"], 4, "full_time", 280_000, "month", "light", False)]),
]
LEAFLETS = [("就业指南与政策", 80), ("农民就业100问", 80), ("创业担保贷款政策", 50), ("灵活就业人员社保补贴", 50),
            ("职业技能培训目录", 50), ("劳动合同须知", 40), ("就业困难人员认定", 40), ("公益性岗位政策", 40),
            ("返乡创业扶持", 40), ("农民工维权指南", 50)]
POLICY_QUESTIONS = ["灵活就业人员社保补贴怎么申请？", "失地农民有没有养老保险？", "创业担保贷款需要什么条件？",
                    "就业困难人员怎么认定？", "公益性岗位怎么报名？", "培训期间有补贴吗？"]
# (seeker profile kind, skills, schedules, capacity, birth years): mostly former farmers, few young adults,
# many retired people who want piece-work near home.
SEEKER_KINDS = [
    ("farmer", ["farming.crops", "farming.greenhouse", "cooking"], ["full_time", "part_time"], "moderate",
     (1958, 1975)),
    ("farmer", ["farming.crops", "farming.livestock", "construction.masonry"], ["full_time"], "heavy", (1962, 1978)),
    ("farmer", ["farming.crops", "farming.machinery", "driving"], ["full_time"], "moderate", (1965, 1980)),
    ("retired", ["handicraft.knitting", "sewing", "cooking"], ["piece_work", "part_time"], "light", (1950, 1962)),
    ("retired", ["handicraft.embroidery", "handicraft.paper_cutting", "caring.children"], ["piece_work", "flexible"],
     "light", (1952, 1963)),
    ("homemaker", ["cooking", "housekeeping", "caring.elderly", "cleaning"], ["part_time", "flexible"], "light",
     (1968, 1982)),
    ("young", ["office.computer", "retail", "delivery"], ["full_time"], "moderate", (1993, 2001)),
]
SEEKERS = 80
WORKSHOP_ORDERS = [  # (id, product, client, fen per piece, quantity, due, complete it)
    ("wo-2019-06-knots", "中国结挂饰", "抚顺礼品有限公司", 200, 600, "2019-06-20", True),
    ("wo-2019-07-coasters", "手工编织杯垫", "沈阳锦华家居", 150, 2000, "2019-08-31", False),
]


def load_employment(env: dict[str, str], progress=sys.stderr) -> None:
    """The pilot's fair with its posts and outcomes, the seekers who came, and the workshop's orders; once
    (skipped when the fair exists). Through the public gRPC apis, as counsellors would key it in."""
    from linli.employment.v1 import common_pb2 as employment_common
    from linli.employment.v1 import (fairs_pb2, fairs_pb2_grpc, jobs_pb2, jobs_pb2_grpc, seekers_pb2, seekers_pb2_grpc,
                                     training_pb2, training_pb2_grpc, workshop_pb2, workshop_pb2_grpc)

    def enum(enum_type, name: str) -> int:
        return enum_type.Value(enum_type.DESCRIPTOR.values_by_number[0].name.removesuffix("UNSPECIFIED") + name.upper())

    md = COUNSELLOR.to_metadata()
    rng = random.Random(20190626)
    with grpc_client.insecure_channel(env["EMPLOYMENT_API_ADDR"]) as channel:
        jobs, people = jobs_pb2_grpc.JobServiceStub(channel), seekers_pb2_grpc.SeekerServiceStub(channel)
        fairs, training = fairs_pb2_grpc.FairServiceStub(channel), training_pb2_grpc.TrainingServiceStub(channel)
        workshop = workshop_pb2_grpc.WorkshopServiceStub(channel)
        try:
            fairs.GetFair(fairs_pb2.GetFairRequest(id=FAIR_ID), metadata=md, timeout=10)
            return  # loaded before
        except grpc.RpcError as error:
            if error.code() != grpc.StatusCode.NOT_FOUND:
                raise
        print("employment: the job fair of 26 June 2019, its 215 posts and outcomes, the workshop ...",
              file=progress, flush=True)
        fairs.PlanFair(fairs_pb2.PlanFairRequest(id=FAIR_ID, community_id=COMMUNITY, title="顺城区就业服务进社区",
                                                 day="2019-06-26", venue="东华园社区扇形广场"), metadata=md, timeout=10)
        rows = []
        for number, (name, posts) in enumerate(FAIR_COMPANIES, 1):
            employer_id = f"emp-{number:02d}"
            _ignore_existing(lambda: jobs.RegisterEmployer(jobs_pb2.RegisterEmployerRequest(
                id=employer_id, community_id=COMMUNITY, name=name, user_ids=[f"boss-{number:02d}"]), metadata=md,
                timeout=10))
            fairs.AddFairCompany(fairs_pb2.AddFairCompanyRequest(fair_id=FAIR_ID, employer_id=employer_id,
                                                                 booth=f"{number}号展位"), metadata=md, timeout=10)
            place = employment_common.GeoPoint(latitude=CENTRE[0] + rng.uniform(-0.04, 0.04),
                                               longitude=CENTRE[1] + rng.uniform(-0.05, 0.05))
            for title, skills, headcount, schedule, wage, per, demand, trains in posts:
                rows.append(jobs_pb2.ImportedVacancy(employer_id=employer_id, draft=jobs_pb2.VacancyDraft(
                    title=title, skills=skills, headcount=headcount, wage_fen=wage,
                    wage_period=enum(employment_common.WagePeriod, per), hours_per_week=40 if schedule == "full_time"
                    else 20, monthly_pay_fen=wage * 600 if per == "piece" else 0,
                    schedule=enum(employment_common.Schedule, schedule), address=name, position=place,
                    physical_demand=enum(employment_common.PhysicalDemand, demand), training_offered=trains)))
        posts = jobs.ImportVacancies(jobs_pb2.ImportVacanciesRequest(
            community_id=COMMUNITY, vacancies=rows, fair_id=FAIR_ID, import_id=FAIR_ID), metadata=md,
            timeout=60).vacancies

        plan = buildings()
        seekers = []
        for index in range(SEEKERS):
            kind, skills, schedules, capacity, born = SEEKER_KINDS[index % len(SEEKER_KINDS)]
            home = plan[(index * 3) % len(plan)]
            seekers.append(seekers_pb2.RegisterSeekerRequest(
                id=f"res-{home.zone}-{index:04d}", community_id=COMMUNITY, start_searching=True,
                profile=seekers_pb2.SeekerProfile(
                    name=rng.choice(SURNAMES) + rng.choice(GIVEN), birth_year=rng.randint(*born), address=home.name,
                    home=employment_common.GeoPoint(latitude=home.latitude, longitude=home.longitude),
                    phone=f"137{rng.randrange(10**8):08d}",
                    skills=[seekers_pb2.SeekerSkill(code=code, years=rng.randint(2, 30))
                            for code in rng.sample(skills, rng.randint(1, len(skills)))],
                    schedules=[enum(employment_common.Schedule, s) for s in schedules],
                    max_commute_m=rng.choice([3000, 5000, 8000, 10000]),
                    wage_floor_fen=0 if kind == "retired" else rng.choice([150_000, 200_000, 250_000]),
                    physical_capacity=enum(employment_common.PhysicalDemand, capacity))))
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda s: _ignore_existing(lambda: people.RegisterSeeker(s, metadata=md, timeout=10)),
                          seekers))

        # 50 hiring intentions: each of 50 seekers for the first post wanting one of their skills (or training).
        intentions = []
        for request in seekers[:50]:
            have = {skill.code for skill in request.profile.skills}
            post = next((p for p in posts if have & set(p.skills)), None) or \
                next(p for p in posts if p.training_offered)
            intentions.append(people.ExpressIntention(seekers_pb2.ExpressIntentionRequest(
                seeker_id=request.id, vacancy_id=post.id, fair_id=FAIR_ID), metadata=md, timeout=10).application)
        hire_with_follow_ups_due(people, seekers_pb2, intentions[:2], md)
        courses = [("course-mianshi-2019", "中式面点培训", ["cooking.pastry"], "顺城区职业技能培训学校"),
                   ("course-yanglao-2019", "养老护理员培训", ["caring.elderly"], "抚顺市职业技能鉴定中心")]
        for course_id, title, skills, provider in courses:
            training.CreateCourse(training_pb2.CreateCourseRequest(
                id=course_id, community_id=COMMUNITY, title=title, provider=provider, skills=skills,
                starts_on="2019-07-08", hours=80, seats=20), metadata=md, timeout=10)
        for index, request in enumerate(seekers[20:50]):  # 30 training sign-ups
            training.SignUpForCourse(training_pb2.SignUpForCourseRequest(
                course_id=courses[index % 2][0], seeker_id=request.id, fair_id=FAIR_ID), metadata=md, timeout=10)
        topics = [(fairs_pb2.CONSULTATION_TOPIC_POLICY, rng.choice(POLICY_QUESTIONS)) for _ in range(100)]
        topics += [(fairs_pb2.CONSULTATION_TOPIC_JOB, "")] * 24 + [(fairs_pb2.CONSULTATION_TOPIC_TRAINING, "")] * 12
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda t: fairs.RecordConsultation(fairs_pb2.RecordConsultationRequest(
                fair_id=FAIR_ID, topic=t[0], question=t[1]), metadata=md, timeout=10), topics))
        for title, copies in LEAFLETS:
            fairs.RecordLeaflets(fairs_pb2.RecordLeafletsRequest(fair_id=FAIR_ID, title=title, copies=copies),
                                 metadata=md, timeout=10)
        fairs.CloseFair(fairs_pb2.CloseFairRequest(id=FAIR_ID), metadata=md, timeout=10)

        workers = [request for request in seekers if request.profile.birth_year < 1964][:8]
        for order_id, product, client, rate, quantity, due, complete in WORKSHOP_ORDERS:
            workshop.TakeWorkshopOrder(workshop_pb2.TakeWorkshopOrderRequest(
                id=order_id, community_id=COMMUNITY, product=product, client=client, piece_rate_fen=rate,
                quantity=quantity, due_on=due), metadata=md, timeout=10)
            for day in (("2019-06-12", "2019-06-18") if complete else ("2019-07-02", "2019-07-09", "2019-07-16")):
                for worker in workers:
                    made = rng.randint(8, 15) if complete else rng.randint(20, 45)
                    workshop.RecordPieces(workshop_pb2.RecordPiecesRequest(
                        order_id=order_id, worker_id=worker.id, worker_name=worker.profile.name, day=day, made=made,
                        rejected=rng.choice([0, 0, 1, 2])), metadata=md, timeout=10)
            if complete:
                workshop.CompleteWorkshopOrder(workshop_pb2.CompleteWorkshopOrderRequest(id=order_id), metadata=md,
                                               timeout=10)


def hire_with_follow_ups_due(people, seekers_pb2, applications, md) -> None:
    """Two hires recorded afterwards, so a counsellor can try the follow-ups at once: one who started work
    three months ago (the 3-month follow-up is due today), one six months ago (the 3-month one recorded,
    the 6-month one due today). Follow-ups open only a week before they are due."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from linli.kit.community import COMMUNITY_ZONE
    from services.employment.domain.common import add_months

    today = datetime.now(ZoneInfo(COMMUNITY_ZONE)).date()
    for application, months_ago in zip(applications, (3, 6)):
        for status in ("REFERRED", "OFFER"):
            people.MoveApplication(seekers_pb2.MoveApplicationRequest(
                id=application.id, status=seekers_pb2.ApplicationStatus.Value(f"APPLICATION_STATUS_{status}")),
                metadata=md, timeout=10)
        placement = people.MoveApplication(seekers_pb2.MoveApplicationRequest(
            id=application.id, status=seekers_pb2.APPLICATION_STATUS_HIRED, note="入职后补录",
            started_on=add_months(today, -months_ago).isoformat()), metadata=md, timeout=10).placement
        if months_ago == 6:
            people.RecordFollowUp(seekers_pb2.RecordFollowUpRequest(
                placement_id=placement.id, months=3, still_employed=True, note="电话回访：在岗，工作稳定"),
                metadata=md, timeout=10)
