"""The volunteer gRPC api as any grpcio client sees it: a shift from sign-up to verified hours, the
anti-fraud refusals with their status codes, bulk verification, corrections as reversals, certificates
(their PDF read back, their public verification), the leaderboard and the CSV export."""
import io
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import grpc
import pytest
from google.protobuf import field_mask_pb2
from google.rpc import error_details_pb2, status_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from pypdf import PdfReader
from pypdf.generic import ContentStream

from linli.kit.identity import Caller
from linli.volunteer.v1 import volunteer_pb2 as pb
from linli.volunteer.v1 import volunteer_pb2_grpc as pb_grpc
from services.volunteer import certificate_pdf
from tests.contract.volunteer_stack import MORNING, served, volunteer_channel, volunteer_clock, volunteer_stack  # noqa: F401

COMMUNITY = "donghuayuan"
SERVICES = ["linli.volunteer.v1.VolunteerService", "linli.volunteer.v1.ActivityService",
            "linli.volunteer.v1.HoursService"]
CENTRE = pb.GeoPoint(latitude=41.8810, longitude=123.9570)  # 党群活动中心
NEAR = pb.GeoPoint(latitude=41.8812, longitude=123.9571)
FAR = pb.GeoPoint(latitude=41.8900, longitude=123.9570)
ALL_WEEK = [pb.AvailabilitySlot(weekday=day, start="07:00", end="21:00") for day in range(1, 8)]


def md(subject: str, *roles: str, community: str = COMMUNITY) -> list:
    return Caller(subject, frozenset(roles), frozenset({community} if community else ())).to_metadata()


COORDINATOR = md("co-zhao", "coordinator")


def code_of(call) -> grpc.StatusCode:
    with pytest.raises(grpc.RpcError) as error:
        call()
    return error.value.code()


@pytest.fixture
def clock(volunteer_clock):
    volunteer_clock.now = MORNING
    return volunteer_clock


def register(api, name="王秀兰", **fields) -> tuple[str, list]:
    volunteer_id = f"vol-{uuid.uuid4().hex[:8]}"
    api.volunteers.RegisterVolunteer(pb.RegisterVolunteerRequest(volunteer=pb.Volunteer(
        id=volunteer_id, community_id=COMMUNITY, name=name, skills=["visiting", "shopping"], availability=ALL_WEEK,
        **fields)), metadata=COORDINATOR)
    return volunteer_id, md(volunteer_id, "volunteer")


def shift(api, clock, capacity=5, hours=3, title="邻居节") -> pb.Shift:
    activity = api.activities.CreateActivity(pb.CreateActivityRequest(
        community_id=COMMUNITY, title=title, place=pb.Place(name="党群活动中心", position=CENTRE, radius_m=150)),
        metadata=COORDINATOR).activity
    request = pb.AddShiftRequest(activity_id=activity.id, title="上午场", capacity=capacity)
    request.starts_at.FromDatetime(clock.now + timedelta(hours=1))
    request.ends_at.FromDatetime(clock.now + timedelta(hours=1 + hours))
    return api.activities.AddShift(request, metadata=COORDINATOR).shift


def served_shift(api, clock, me, the_shift, minutes=120) -> pb.Attendance:
    """Signed up, confirmed, checked in at the start, checked out minutes later."""
    attendance = api.activities.SignUp(pb.SignUpRequest(shift_id=the_shift.id), metadata=me).attendance
    api.activities.ConfirmAttendance(pb.ConfirmAttendanceRequest(id=attendance.id), metadata=COORDINATOR)
    clock.now = the_shift.starts_at.ToDatetime().replace(tzinfo=MORNING.tzinfo)
    api.activities.CheckIn(pb.CheckInRequest(id=attendance.id, position=NEAR), metadata=me)
    clock.now += timedelta(minutes=minutes)
    return api.activities.CheckOut(pb.CheckOutRequest(id=attendance.id), metadata=me).attendance


def burst(*calls) -> list:
    """Every call at once, from its own thread: each one's response, or its status code when refused."""
    def outcome(call):
        try:
            return call()
        except grpc.RpcError as error:
            return error.code()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(outcome, calls))


def verify(api, *ids, note=""):
    return api.hours.VerifyHours(pb.VerifyHoursRequest(ids=list(ids), note=note), metadata=COORDINATOR).outcomes


# -- the api process

def test_the_api_process_serves_health_and_reflection_for_its_three_services(volunteer_channel):
    health = health_pb2_grpc.HealthStub(volunteer_channel)
    for name in ["", *SERVICES]:
        assert health.Check(health_pb2.HealthCheckRequest(service=name), timeout=5).status == \
            health_pb2.HealthCheckResponse.SERVING
    stub = reflection_pb2_grpc.ServerReflectionStub(volunteer_channel)
    [reply] = stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]), timeout=5)
    assert set(SERVICES) <= {s.name for s in reply.list_services_response.service}


def test_the_api_process_refuses_calls_without_an_identity_and_checks_input_field_by_field(volunteer_channel):
    volunteers = pb_grpc.VolunteerServiceStub(volunteer_channel)
    assert code_of(lambda: volunteers.GetVolunteer(pb.GetVolunteerRequest(id="x"), timeout=5)) == \
        grpc.StatusCode.UNAUTHENTICATED
    with pytest.raises(grpc.RpcError) as error:
        volunteers.RegisterVolunteer(pb.RegisterVolunteerRequest(volunteer=pb.Volunteer(
            id="vol-x", community_id=COMMUNITY, name="", skills=["juggling"])), metadata=COORDINATOR, timeout=5)
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    [details] = [v for k, v in error.value.trailing_metadata() if k == "grpc-status-details-bin"]
    bad = error_details_pb2.BadRequest()
    status_pb2.Status.FromString(details).details[0].Unpack(bad)
    assert {v.field for v in bad.field_violations} == {"name", "skills"}


# -- a shift, from sign-up to verified hours

def test_a_volunteer_serves_a_shift_and_a_coordinator_verifies_the_hours(served, clock):
    volunteer_id, me = register(served, party_member=True, branch="第一党支部")
    the_shift = shift(served, clock)
    closed = served_shift(served, clock, me, the_shift, minutes=150)
    assert closed.status == pb.ATTENDANCE_STATUS_PENDING and closed.credited_minutes == 150
    entry = served.hours.GetHoursEntry(pb.GetHoursEntryRequest(id=closed.hours_entry_id), metadata=me).entry
    assert (entry.minutes, entry.status, entry.source) == (150, pb.ENTRY_STATUS_PENDING, pb.ENTRY_SOURCE_ATTENDANCE)

    [outcome] = verify(served, entry.id)
    assert outcome.verified and outcome.entry.status == pb.ENTRY_STATUS_VERIFIED
    attendance = served.activities.GetAttendance(pb.GetAttendanceRequest(id=closed.id), metadata=me).attendance
    assert attendance.status == pb.ATTENDANCE_STATUS_VERIFIED
    assert [t.status for t in attendance.history][-1] == pb.ATTENDANCE_STATUS_VERIFIED
    # The ledger's outbox carries what happened, for other services.
    types = [r["routing_key"] for r in served.db["outbox"].find({"body.data.entry.id": entry.id})]
    assert types == ["hours_entry.recorded", "hours_entry.verified"]


def test_a_full_shift_refuses_a_sign_up_and_a_withdrawal_frees_the_place(served, clock):
    the_shift = shift(served, clock, capacity=1)
    _, first = register(served)
    _, second = register(served, name="李国强")
    taken = served.activities.SignUp(pb.SignUpRequest(shift_id=the_shift.id), metadata=first).attendance
    assert code_of(lambda: served.activities.SignUp(pb.SignUpRequest(shift_id=the_shift.id), metadata=second)) == \
        grpc.StatusCode.FAILED_PRECONDITION
    served.activities.WithdrawAttendance(pb.WithdrawAttendanceRequest(id=taken.id, reason="临时有事"), metadata=first)
    assert served.activities.SignUp(pb.SignUpRequest(shift_id=the_shift.id), metadata=second).attendance.status == \
        pb.ATTENDANCE_STATUS_SIGNED_UP


def test_signing_up_twice_for_one_shift_is_refused(served, clock):
    the_shift = shift(served, clock)
    _, me = register(served)
    served.activities.SignUp(pb.SignUpRequest(shift_id=the_shift.id), metadata=me)
    assert code_of(lambda: served.activities.SignUp(pb.SignUpRequest(shift_id=the_shift.id), metadata=me)) == \
        grpc.StatusCode.ALREADY_EXISTS
    [listed] = served.activities.ListShifts(pb.ListShiftsRequest(activity_id=the_shift.activity_id),
                                            metadata=me).shifts
    assert listed.taken == 1


def test_check_in_away_from_the_place_or_outside_the_window_is_refused_unless_a_coordinator_overrides(served, clock):
    the_shift = shift(served, clock)
    _, me = register(served)
    attendance = served.activities.SignUp(pb.SignUpRequest(shift_id=the_shift.id), metadata=me).attendance
    served.activities.ConfirmAttendance(pb.ConfirmAttendanceRequest(id=attendance.id), metadata=COORDINATOR)
    check_in = served.activities.CheckIn
    # Two hours early, then at the start but a kilometre away.
    assert code_of(lambda: check_in(pb.CheckInRequest(id=attendance.id, position=NEAR), metadata=me)) == \
        grpc.StatusCode.FAILED_PRECONDITION
    clock.now += timedelta(hours=1)
    assert code_of(lambda: check_in(pb.CheckInRequest(id=attendance.id, position=FAR), metadata=me)) == \
        grpc.StatusCode.FAILED_PRECONDITION
    assert code_of(lambda: check_in(pb.CheckInRequest(id=attendance.id, position=FAR, override_reason="我到了"),
                                    metadata=me)) == grpc.StatusCode.PERMISSION_DENIED
    checked = check_in(pb.CheckInRequest(id=attendance.id, override_reason="定位偏差，现场核实"),
                       metadata=COORDINATOR).attendance
    assert checked.status == pb.ATTENDANCE_STATUS_CHECKED_IN and checked.override_by == "co-zhao"
    assert "checked in by a coordinator's override" in checked.flags


def test_someone_elses_attendance_is_not_found(served, clock):
    the_shift = shift(served, clock)
    _, me = register(served)
    _, other = register(served, name="李国强")
    attendance = served.activities.SignUp(pb.SignUpRequest(shift_id=the_shift.id), metadata=me).attendance
    assert code_of(lambda: served.activities.GetAttendance(pb.GetAttendanceRequest(id=attendance.id),
                                                           metadata=other)) == grpc.StatusCode.NOT_FOUND


def test_overlapping_shifts_cannot_both_be_credited(served, clock):
    _, me = register(served)
    first, second = shift(served, clock, title="巡楼探访"), shift(served, clock, title="邻居节")
    served_shift(served, clock, me, first, minutes=60)
    clock.now = MORNING
    attendance = served.activities.SignUp(pb.SignUpRequest(shift_id=second.id), metadata=me).attendance
    served.activities.ConfirmAttendance(pb.ConfirmAttendanceRequest(id=attendance.id), metadata=COORDINATOR)
    clock.now = MORNING + timedelta(hours=1, minutes=30)
    served.activities.CheckIn(pb.CheckInRequest(id=attendance.id, position=NEAR), metadata=me)
    clock.now += timedelta(minutes=45)
    # The first record runs 09:00-10:00, this one 09:30-10:15: one volunteer, one place at a time.
    assert code_of(lambda: served.activities.CheckOut(pb.CheckOutRequest(id=attendance.id), metadata=me)) == \
        grpc.StatusCode.FAILED_PRECONDITION


# -- rules that depend on other records hold under a burst of concurrent calls

def test_one_volunteer_checking_in_to_twelve_shifts_at_once_is_checked_in_to_one(served, clock):
    _, me = register(served)
    shifts = [shift(served, clock, title=f"巡楼探访 {n}") for n in range(12)]
    attendance = [served.activities.SignUp(pb.SignUpRequest(shift_id=s.id), metadata=me).attendance for s in shifts]
    for a in attendance:
        served.activities.ConfirmAttendance(pb.ConfirmAttendanceRequest(id=a.id), metadata=COORDINATOR)
    clock.now = MORNING + timedelta(hours=1)

    outcomes = burst(*[lambda a=a: served.activities.CheckIn(pb.CheckInRequest(id=a.id, position=NEAR), metadata=me)
                       for a in attendance])
    assert sum(isinstance(o, pb.CheckInResponse) for o in outcomes) == 1
    assert outcomes.count(grpc.StatusCode.FAILED_PRECONDITION) == 11
    assert served.db["attendance"].count_documents({"volunteer_id": attendance[0].volunteer_id,
                                                    "status": "checked_in"}) == 1


def test_a_burst_of_sign_ups_fills_a_shift_to_its_capacity_and_no_further(served, clock):
    the_shift = shift(served, clock, capacity=3)
    people = [register(served, name=f"志愿者{n}")[1] for n in range(8)]
    outcomes = burst(*[lambda me=me: served.activities.SignUp(pb.SignUpRequest(shift_id=the_shift.id), metadata=me)
                       for me in people])
    assert sum(isinstance(o, pb.SignUpResponse) for o in outcomes) == 3
    assert outcomes.count(grpc.StatusCode.FAILED_PRECONDITION) == 5
    assert served.db["shifts"].find_one({"_id": the_shift.id})["taken"] == 3


def test_one_volunteer_signing_up_for_one_shift_five_times_at_once_holds_one_place(served, clock):
    the_shift = shift(served, clock, capacity=5)
    _, me = register(served)
    outcomes = burst(*[lambda: served.activities.SignUp(pb.SignUpRequest(shift_id=the_shift.id), metadata=me)] * 5)
    assert sum(isinstance(o, pb.SignUpResponse) for o in outcomes) == 1
    assert outcomes.count(grpc.StatusCode.ALREADY_EXISTS) == 4
    assert served.db["shifts"].find_one({"_id": the_shift.id})["taken"] == 1


def test_bulk_verification_verifies_each_entry_it_may_and_says_why_not_for_the_others(served, clock):
    _, me = register(served)
    entries = []
    for title in ("巡楼探访", "邻居节"):
        clock.now = MORNING + timedelta(days=len(entries))
        entries.append(served_shift(served, clock, me, shift(served, clock, title=title), minutes=60).hours_entry_id)
    verify(served, entries[0])
    outcomes = verify(served, entries[0], entries[1], "no-such-entry")
    assert [(o.id, o.verified) for o in outcomes] == [(entries[0], False), (entries[1], True), ("no-such-entry", False)]
    assert "verified" in outcomes[0].reason and "not found" in outcomes[2].reason
    # A volunteer's own bulk call is refused outright: verifying is a coordinator's work.
    with pytest.raises(grpc.RpcError) as refused:
        served.hours.VerifyHours(pb.VerifyHoursRequest(ids=entries), metadata=me)
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED


def test_a_correction_is_a_reversing_entry_and_the_original_stays_as_it_was(served, clock):
    volunteer_id, me = register(served)
    entry_id = served_shift(served, clock, me, shift(served, clock), minutes=120).hours_entry_id
    verify(served, entry_id)
    reply = served.hours.ReverseHours(pb.ReverseHoursRequest(id=entry_id, reason="签退时间误录", corrected_minutes=90),
                                      metadata=COORDINATOR)
    assert (reply.reversal.minutes, reply.reversal.kind, reply.reversal.reverses_id) == (
        -120, pb.ENTRY_KIND_REVERSAL, entry_id)
    assert reply.corrected.minutes == 90 and reply.corrected.status == pb.ENTRY_STATUS_VERIFIED
    original = served.hours.GetHoursEntry(pb.GetHoursEntryRequest(id=entry_id), metadata=me).entry
    assert (original.minutes, original.status, original.reversed_by_id) == (120, pb.ENTRY_STATUS_VERIFIED,
                                                                             reply.reversal.id)
    assert code_of(lambda: served.hours.ReverseHours(pb.ReverseHoursRequest(id=entry_id, reason="again"),
                                                     metadata=COORDINATOR)) == grpc.StatusCode.FAILED_PRECONDITION
    listed = served.hours.ListHoursEntries(pb.ListHoursEntriesRequest(), metadata=me).entries
    assert sorted(e.minutes for e in listed) == [-120, 90, 120]


# -- certificates

def pdf_text(data: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    # pypdf reads fpdf2's two-byte glyph codes (an embedded Identity CMap) one byte at a time: a NUL comes
    # before each character. Viewers read it right; drop NULs and spaces to compare the words.
    return re.sub(r"[\s\x00]+", "", text)


@pytest.mark.skipif(not certificate_pdf.available(), reason="no CJK font: apt-get install fonts-noto-cjk")
def test_a_certificate_states_verified_hours_only_and_anyone_can_check_its_code(served, clock):
    volunteer_id, me = register(served, name="刘桂芝", party_member=True, branch="第一党支部")
    verified = served_shift(served, clock, me, shift(served, clock), minutes=150).hours_entry_id
    verify(served, verified)
    clock.now = MORNING + timedelta(days=1)
    served_shift(served, clock, me, shift(served, clock), minutes=45)  # pending: never certified
    day = MORNING.date().isoformat()
    certificate = served.hours.IssueCertificate(pb.IssueCertificateRequest(
        from_day=day, to_day=(MORNING + timedelta(days=2)).date().isoformat()), metadata=me).certificate
    assert (certificate.verified_minutes, certificate.services, certificate.volunteer_name) == (150, 1, "刘桂芝")

    pdf = served.hours.GetCertificatePdf(pb.GetCertificatePdfRequest(code=certificate.code), metadata=me)
    assert pdf.pdf.startswith(b"%PDF") and pdf.filename.endswith(".pdf")
    text = pdf_text(pdf.pdf)
    for stated in ("志愿服务记录证明", "刘桂芝（中共党员）", "第一党支部", "2.5小时（150分钟）", "服务1次",
                   "东华园社区", certificate.code, f"https://linli.example/v1/certificates/{certificate.code}"):
        assert stated in text, stated
    assert "45分钟" not in text and "3.3小时" not in text
    # Set flush left, as a person reads it: a justified line would show as a TJ array whose spacing numbers
    # (thousandths of an em) push the words of the long first Chinese line hundreds apart.
    page = PdfReader(io.BytesIO(pdf.pdf)).pages[0]
    gaps = [abs(number) for operands, operator in ContentStream(page.get_contents(), page.pdf).operations
            if operator == b"TJ" for number in operands[0] if isinstance(number, (int, float))]
    assert max(gaps, default=0) < 100

    anyone = Caller("public", frozenset(), frozenset()).to_metadata()
    checked = served.hours.VerifyCertificate(pb.VerifyCertificateRequest(code=certificate.code.lower()),
                                             metadata=anyone)
    assert (checked.volunteer_name, checked.verified_minutes, checked.services) == ("刘桂芝", 150, 1)
    assert volunteer_id not in str(checked)  # what the certificate states, no ids
    assert code_of(lambda: served.hours.VerifyCertificate(pb.VerifyCertificateRequest(code="LL-0000-0000-0000-0000"),
                                                          metadata=anyone)) == grpc.StatusCode.NOT_FOUND
    assert code_of(lambda: served.hours.GetCertificatePdf(pb.GetCertificatePdfRequest(code=certificate.code),
                                                          metadata=anyone)) == grpc.StatusCode.NOT_FOUND


def test_no_certificate_without_verified_hours(served, clock):
    _, me = register(served)
    served_shift(served, clock, me, shift(served, clock), minutes=60)
    day = MORNING.date().isoformat()
    assert code_of(lambda: served.hours.IssueCertificate(pb.IssueCertificateRequest(from_day=day, to_day=day),
                                                         metadata=me)) == grpc.StatusCode.FAILED_PRECONDITION


# -- figures

def test_the_leaderboard_and_the_export_count_verified_hours_per_volunteer(served, clock):
    community = f"c-{uuid.uuid4().hex[:6]}"
    coordinator = md("co-zhao", "coordinator", community=community)
    people = []
    for name, branch, minutes in (("王秀兰", "第一党支部", 120), ("李国强", "第一党支部", 60), ("陈振华", "夕阳红服务队", 90)):
        volunteer_id = f"vol-{uuid.uuid4().hex[:8]}"
        served.volunteers.RegisterVolunteer(pb.RegisterVolunteerRequest(volunteer=pb.Volunteer(
            id=volunteer_id, community_id=community, name=name, branch=branch)), metadata=coordinator)
        me = md(volunteer_id, "volunteer", community=community)
        activity = served.activities.CreateActivity(pb.CreateActivityRequest(
            community_id=community, title="居民登山行", place=pb.Place(name="高山公园东门", position=CENTRE)),
            metadata=coordinator).activity
        clock.now = MORNING
        request = pb.AddShiftRequest(activity_id=activity.id, title="全天", capacity=30)
        request.starts_at.FromDatetime(MORNING + timedelta(hours=1))
        request.ends_at.FromDatetime(MORNING + timedelta(hours=5))
        the_shift = served.activities.AddShift(request, metadata=coordinator).shift
        attendance = served.activities.SignUp(pb.SignUpRequest(shift_id=the_shift.id), metadata=me).attendance
        served.activities.ConfirmAttendance(pb.ConfirmAttendanceRequest(id=attendance.id), metadata=coordinator)
        clock.now = MORNING + timedelta(hours=1)
        served.activities.CheckIn(pb.CheckInRequest(id=attendance.id, position=NEAR), metadata=me)
        clock.now += timedelta(minutes=minutes)
        closed = served.activities.CheckOut(pb.CheckOutRequest(id=attendance.id), metadata=me).attendance
        served.hours.VerifyHours(pb.VerifyHoursRequest(ids=[closed.hours_entry_id]), metadata=coordinator)
        people.append(volunteer_id)
    day = MORNING.date().isoformat()
    board = served.hours.GetLeaderboard(pb.GetLeaderboardRequest(community_id=community, from_day=day, to_day=day),
                                        metadata=md(people[0], "volunteer", community=community)).branches
    assert [(b.branch, b.verified_minutes) for b in board] == [("第一党支部", 180), ("夕阳红服务队", 90)]
    assert [(r.rank, r.volunteer_name) for r in board[0].rows] == [(1, "王秀兰"), (2, "李国强")]

    export = served.hours.ExportHours(pb.ExportHoursRequest(community_id=community, from_day=day, to_day=day),
                                      metadata=coordinator)
    lines = export.csv.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("volunteer_id,name,branch") and len(lines) == 4
    assert f"{people[0]},王秀兰,第一党支部,no,2.00,120,1,0" in lines
    assert code_of(lambda: served.hours.ExportHours(pb.ExportHoursRequest(
        community_id=community, from_day=day, to_day=day), metadata=md(people[0], "volunteer",
                                                                        community=community))) == \
        grpc.StatusCode.PERMISSION_DENIED


def test_a_volunteer_updates_their_own_availability_but_not_their_branch(served):
    volunteer_id, me = register(served, branch="第一党支部")
    change = pb.UpdateVolunteerRequest(volunteer=pb.Volunteer(
        id=volunteer_id, availability=[pb.AvailabilitySlot(weekday=6, start="08:00", end="11:30")]),
        update_mask=field_mask_pb2.FieldMask(paths=["availability"]))
    updated = served.volunteers.UpdateVolunteer(change, metadata=me).volunteer
    assert [(s.weekday, s.start) for s in updated.availability] == [(6, "08:00")] and updated.branch == "第一党支部"
    change.update_mask.paths[:] = ["branch"]
    assert code_of(lambda: served.volunteers.UpdateVolunteer(change, metadata=me)) == grpc.StatusCode.PERMISSION_DENIED
