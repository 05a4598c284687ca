"""The hours ledger: verification one by one, the beneficiary's confirmation, corrections as reversing
entries (never edits), elder-care services, certificates of verified hours only, the leaderboard and the
export; and volunteers: who may change what, and whom dispatch may call on."""
import csv
import io
import re
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from linli.kit.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from linli.kit.events import envelope
from linli.kit.identity import Caller
from linli.eldercare.v1 import eldercare_pb2, events_pb2
from services.volunteer import events
from services.volunteer.domain import certificates as certs
from services.volunteer.domain import hours
from services.volunteer.domain import volunteers as vols
from services.volunteer.domain.volunteers import GeoPoint, Slot, Volunteer

COMMUNITY = "donghuayuan"
COORDINATOR = Caller("co-zhao", frozenset({"coordinator"}), frozenset({COMMUNITY}))
ELSEWHERE = Caller("co-sun", frozenset({"coordinator"}), frozenset({"lianhua"}))
VOLUNTEER = Caller("vol-wang", frozenset({"volunteer"}), frozenset({COMMUNITY}))
ELDER = Caller("elder-dq-0312", frozenset({"resident"}), frozenset({COMMUNITY}))
START = datetime(2026, 5, 16, 1, 0, tzinfo=timezone.utc)
LATER = START + timedelta(days=1)
WANG = Volunteer("vol-wang", COMMUNITY, "王秀兰", party_member=True, branch="第一党支部")


def entry(entry_id="e1", minutes=120, status=hours.PENDING, beneficiary="", day="2026-05-16", kind=hours.CREDIT,
          volunteer="vol-wang", start=START) -> hours.HoursEntry:
    return hours.HoursEntry(
        entry_id, COMMUNITY, volunteer, "王秀兰", kind, minutes, start, start + timedelta(minutes=abs(minutes)), day,
        hours.CARE_REQUEST if beneficiary else hours.ATTENDANCE, f"src-{entry_id}", "邻居节", start, "system",
        status=status, beneficiary_id=beneficiary, beneficiary_confirmation=hours.AWAITED if beneficiary else "")


# -- verification

def test_a_coordinator_verifies_a_pending_entry_once():
    verified = hours.verify(COORDINATOR, entry(), "", LATER)
    assert (verified.status, verified.decided_by, verified.minutes) == (hours.VERIFIED, "co-zhao", 120)
    with pytest.raises(FailedPrecondition, match="verified"):
        hours.verify(COORDINATOR, verified, "", LATER)


def test_a_volunteer_cannot_verify_their_own_hours():
    with pytest.raises(PermissionDenied):
        hours.verify(VOLUNTEER, entry(), "", LATER)


def test_only_coordinators_may_ask_to_verify_hours_at_all():
    hours.check_may_verify(COORDINATOR)
    hours.check_may_verify(ELSEWHERE)  # whose entries they may verify is decided entry by entry
    for caller in (VOLUNTEER, ELDER):
        with pytest.raises(PermissionDenied):
            hours.check_may_verify(caller)


def test_a_coordinator_of_another_community_cannot_verify_and_is_told_whose_it_is():
    with pytest.raises(PermissionDenied, match="community donghuayuan.*you coordinate lianhua"):
        hours.verify(ELSEWHERE, entry(), "", LATER)


@pytest.mark.parametrize("communities", [{"lianhua"}, {COMMUNITY}])
def test_a_volunteer_who_also_coordinates_never_decides_their_own_hours(communities):
    both = Caller("vol-wang", frozenset({"volunteer", "coordinator"}), frozenset(communities))
    for decide in (lambda: hours.verify(both, entry(), "电话回访确认", LATER),
                   lambda: hours.reject(both, entry(), "记错了", LATER),
                   lambda: hours.reverse(both, hours.verify(COORDINATOR, entry(), "", LATER), "更正", "r", LATER)):
        with pytest.raises(PermissionDenied, match="your own hours: another coordinator serving community donghuayuan"):
            decide()


def test_rejecting_needs_a_reason_and_is_final():
    with pytest.raises(InvalidArgument):
        hours.reject(COORDINATOR, entry(), " ", LATER)
    rejected = hours.reject(COORDINATOR, entry(), "当天未到场", LATER)
    assert rejected.status == hours.REJECTED and not rejected.live
    with pytest.raises(FailedPrecondition):
        hours.verify(COORDINATOR, rejected, "", LATER)


def test_a_service_to_a_resident_awaits_their_confirmation_or_a_note_before_verification():
    served = entry(beneficiary="elder-dq-0312")
    with pytest.raises(FailedPrecondition, match="not confirmed"):
        hours.verify(COORDINATOR, served, "", LATER)
    assert hours.verify(COORDINATOR, served, "电话回访确认", LATER).decision_note == "电话回访确认"
    confirmed = hours.confirm_service(ELDER, served, True, "小王很耐心", LATER)
    assert confirmed.beneficiary_confirmation == hours.CONFIRMED
    assert hours.verify(COORDINATOR, confirmed, "", LATER).status == hours.VERIFIED


def test_only_the_resident_served_confirms_and_only_once():
    served = entry(beneficiary="elder-dq-0312")
    with pytest.raises(PermissionDenied):
        hours.confirm_service(VOLUNTEER, served, True, "", LATER)
    disputed = hours.confirm_service(ELDER, served, False, "没有来", LATER)
    assert disputed.beneficiary_confirmation == hours.DISPUTED
    with pytest.raises(FailedPrecondition):
        hours.confirm_service(ELDER, disputed, True, "", LATER)
    with pytest.raises(FailedPrecondition, match="disputes"):
        hours.verify(COORDINATOR, disputed, "", LATER)


def test_an_entry_is_visible_to_its_volunteer_coordinators_and_the_resident_served_only():
    served = entry(beneficiary="elder-dq-0312")
    for caller in (VOLUNTEER, COORDINATOR, ELDER):
        assert hours.check_visible(caller, served, served.id) is served
    for caller in (ELSEWHERE, Caller("vol-li", frozenset({"volunteer"}), frozenset({COMMUNITY}))):
        with pytest.raises(NotFound):
            hours.check_visible(caller, served, served.id)


# -- corrections are reversals

def test_a_correction_reverses_a_verified_entry_and_never_edits_it():
    verified = hours.verify(COORDINATOR, entry(minutes=180), "", LATER)
    original, reversal, corrected = hours.reverse(COORDINATOR, verified, "签退时间录错", "rev-1", LATER,
                                                  corrected_minutes=150, corrected_id="cor-1", used_today=180)
    assert (original.minutes, original.status, original.reversed_by_id) == (180, hours.VERIFIED, "rev-1")
    assert (reversal.kind, reversal.minutes, reversal.reverses_id, reversal.status) == (
        hours.REVERSAL, -180, verified.id, hours.VERIFIED)
    assert (corrected.kind, corrected.minutes, corrected.source, corrected.source_id) == (
        hours.CREDIT, 150, hours.CORRECTION, verified.id)
    assert certs.totals([original, reversal, corrected]).verified_minutes == 150
    assert not original.live and corrected.live


def test_an_entry_is_reversed_at_most_once():
    verified = hours.verify(COORDINATOR, entry(), "", LATER)
    original, _, _ = hours.reverse(COORDINATOR, verified, "重复登记", "rev-1", LATER)
    with pytest.raises(FailedPrecondition, match="already reversed"):
        hours.reverse(COORDINATOR, original, "again", "rev-2", LATER)


def test_a_pending_entry_is_rejected_not_reversed():
    with pytest.raises(FailedPrecondition, match="reject"):
        hours.reverse(COORDINATOR, entry(), "错了", "rev-1", LATER)


def test_a_corrected_time_cannot_exceed_the_original_span_nor_the_daily_maximum():
    verified = hours.verify(COORDINATOR, entry(minutes=120), "", LATER)
    with pytest.raises(InvalidArgument):
        hours.reverse(COORDINATOR, verified, "多记", "rev-1", LATER, corrected_minutes=121)
    # Credited 60 of 120 minutes served, the day's other records holding 420: 120 would make 540.
    capped = replace(verified, minutes=60)
    with pytest.raises(FailedPrecondition, match="daily maximum"):
        hours.reverse(COORDINATOR, capped, "少记", "rev-1", LATER, corrected_minutes=120, used_today=480)


def test_a_volunteer_cannot_correct_hours():
    with pytest.raises(PermissionDenied):
        hours.reverse(VOLUNTEER, hours.verify(COORDINATOR, entry(), "", LATER), "改", "rev-1", LATER)


def test_the_daily_maximum_applies_across_records_and_credited_time_is_whole_minutes():
    minutes, flags = hours.credit_minutes(START, START + timedelta(minutes=90, seconds=59), 240, used_today=400)
    assert (minutes, flags) == (80, (hours.FLAG_CAPPED_DAILY,))
    assert hours.credit_minutes(START, START + timedelta(hours=3), 240, used_today=480)[0] == 0


# -- elder-care services

def completed_event(kind=eldercare_pb2.ASSIGNEE_KIND_VOLUNTEER, override="") -> dict:
    request = eldercare_pb2.CareRequest(
        id="cr-1", community_id=COMMUNITY, elder_id="elder-dq-0312", kind=eldercare_pb2.CARE_KIND_SHOPPING,
        status=eldercare_pb2.CARE_REQUEST_STATUS_COMPLETED,
        assignment=eldercare_pb2.Assignment(assignee_id="vol-wang", assignee_kind=kind),
        visit=eldercare_pb2.Visit(visitor_id="vol-wang", override_reason=override))
    request.visit.checked_in_at.FromDatetime(START)
    request.visit.checked_out_at.FromDatetime(START + timedelta(minutes=45))
    return envelope("eldercare", "care_request.completed", COMMUNITY, events_pb2.CareRequestCompleted(
        care_request=request), START + timedelta(minutes=45))


def test_a_completed_care_request_a_volunteer_served_becomes_a_pending_entry_awaiting_the_elder():
    service = events.care_service_in(completed_event())
    assert (service.volunteer_id, service.elder_id, service.kind) == ("vol-wang", "elder-dq-0312", "shopping")
    logged = hours.record_care_service(service, "王秀兰", [], "e-1", LATER, "Asia/Shanghai", "助购", 240)
    assert (logged.minutes, logged.status, logged.source, logged.source_id) == (45, hours.PENDING, hours.CARE_REQUEST,
                                                                                "cr-1")
    assert logged.beneficiary_id == "elder-dq-0312" and logged.beneficiary_confirmation == hours.AWAITED
    assert "助购" in logged.description


def test_a_care_request_staff_served_logs_nothing():
    assert events.care_service_in(completed_event(kind=eldercare_pb2.ASSIGNEE_KIND_STAFF)) is None


def test_a_care_service_overlapping_another_record_is_refused_and_an_override_check_in_is_flagged():
    service = events.care_service_in(completed_event(override="电话确认"))
    with pytest.raises(FailedPrecondition, match="overlaps"):
        hours.record_care_service(service, "王秀兰", [entry(start=START - timedelta(minutes=30))], "e-1", LATER,
                                  "Asia/Shanghai", "助购", 240)
    assert "override" in hours.record_care_service(service, "王秀兰", [], "e-1", LATER, "Asia/Shanghai", "助购",
                                                   240).flags[0]


# -- certificates, leaderboard, export

def test_a_certificate_states_verified_hours_only():
    ledger = [hours.verify(COORDINATOR, entry("a", 120), "", LATER), entry("b", 90),  # b is pending
              hours.verify(COORDINATOR, entry("c", 30, day="2026-06-01"), "", LATER)]
    certificate = certs.issue(VOLUNTEER, WANG, ledger, "2026-05-01", "2026-05-31", "LL-AAAA-BBBB-CCCC-DDDD",
                              "抚顺市顺城区东华园社区", LATER)
    assert (certificate.verified_minutes, certificate.services, certificate.hours_text) == (120, 1, "2")
    text = "\n".join(certs.statement(certificate))
    assert "王秀兰（中共党员）" in text and "2 小时（120 分钟）" in text and "服务 1 次" in text
    assert "第一党支部" in text and "1.5" not in text and "3.5" not in text


@pytest.mark.parametrize("minutes, services, zh, en", [
    (1, 1, "共计 1 分钟，服务 1 次", "This certifies 1 minute of verified volunteer service,\n1 service, from"),
    (59, 2, "共计 59 分钟，服务 2 次", "This certifies 59 minutes of verified volunteer service,\n2 services, from"),
    (60, 1, "共计 1 小时（60 分钟）", "This certifies 60 minutes (1 hour) of"),
    (61, 3, "共计 1.02 小时（61 分钟）", "This certifies 61 minutes (1.02 hours) of"),
    (150, 1, "共计 2.5 小时（150 分钟）", "This certifies 150 minutes (2.5 hours) of"),
])
def test_a_certificate_states_its_time_as_people_say_it_in_both_languages(minutes, services, zh, en):
    ledger = [hours.verify(COORDINATOR, entry(f"e{n}", minutes if n == 0 else 0), "", LATER) for n in range(services)]
    certificate = certs.issue(VOLUNTEER, WANG, ledger, "2026-05-01", "2026-05-31", "LL-AAAA-BBBB-CCCC-DDDD",
                              "抚顺市顺城区东华园社区", LATER)
    text = "\n".join(certs.statement(certificate))
    assert zh in text and en in text
    assert not re.search(r"(?<![\d.])0\.0 |(?<!\d)1 (minutes|hours|services)\b", text)


def test_no_certificate_without_verified_hours_nor_for_someone_else():
    with pytest.raises(FailedPrecondition, match="only verified"):
        certs.issue(VOLUNTEER, WANG, [entry()], "2026-05-01", "2026-05-31", "LL-AAAA-BBBB-CCCC-DDDD", "x", LATER)
    with pytest.raises(PermissionDenied):
        certs.issue(Caller("vol-li", frozenset({"volunteer"}), frozenset({COMMUNITY})), WANG,
                    [hours.verify(COORDINATOR, entry(), "", LATER)], "2026-05-01", "2026-05-31", "c", "x", LATER)


def test_verification_codes_are_random_readable_and_checked_for_shape():
    codes = {certs.new_code() for _ in range(100)}
    assert len(codes) == 100 and all(certs.CODE_PATTERN.match(code) for code in codes)
    code = next(iter(codes))
    assert certs.normal_code(f"  {code.lower()} ") == code
    with pytest.raises(NotFound):
        certs.normal_code("LL-0000-0000-0000-000I")  # I is not in the alphabet


def test_a_period_is_checked():
    with pytest.raises(InvalidArgument):
        certs.period("2026-05-31", "2026-05-01")
    with pytest.raises(InvalidArgument):
        certs.period("2026-02-30", "2026-03-01")


def test_the_leaderboard_ranks_volunteers_per_branch_with_shared_ranks_for_ties():
    people = {v.id: v for v in (WANG, Volunteer("vol-li", COMMUNITY, "李国强", branch="第一党支部"),
                                Volunteer("vol-zhou", COMMUNITY, "周淑华", branch="第一党支部"),
                                Volunteer("vol-chen", COMMUNITY, "陈振华", branch="夕阳红志愿服务队"))}
    boards = certs.leaderboard({"vol-wang": 300, "vol-li": 300, "vol-zhou": 60, "vol-chen": 90}, people, "", 10)
    assert [b.branch for b in boards] == ["第一党支部", "夕阳红志愿服务队"] and boards[0].verified_minutes == 660
    assert [(r.rank, r.volunteer_id) for r in boards[0].rows] == [(1, "vol-li"), (1, "vol-wang"), (3, "vol-zhou")]
    assert [b.branch for b in certs.leaderboard({"vol-chen": 90}, people, "夕阳红志愿服务队", 10)] == ["夕阳红志愿服务队"]


def test_the_export_has_one_row_per_volunteer_and_opens_right_in_a_spreadsheet():
    sums = {"vol-wang": certs.Totals(150, 2, 30), "vol-li": certs.Totals(0, 0, 0)}
    data = certs.totals_csv([WANG, Volunteer("vol-li", COMMUNITY, "=HYPERLINK(1)")], sums)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(certs.EXPORT_COLUMNS)
    assert rows[1:] == [["vol-wang", "王秀兰", "第一党支部", "yes", "2.50", "150", "2", "30"]]
    assert certs._cell("=1+1") == "'=1+1"


# -- volunteers

def test_a_volunteer_changes_their_practical_details_but_not_their_branch():
    slots = (Slot(2, "08:00", "12:00"),)
    changed = vols.update(VOLUNTEER, WANG, replace(WANG, availability=slots), frozenset({"availability"}))
    assert changed.availability == slots and changed.version == 2
    with pytest.raises(PermissionDenied):
        vols.update(VOLUNTEER, WANG, replace(WANG, branch="第二党支部"), frozenset({"branch"}))
    assert vols.update(COORDINATOR, WANG, replace(WANG, branch="第二党支部"), frozenset({"branch"})).branch == "第二党支部"


def test_availability_slots_are_checked():
    with pytest.raises(InvalidArgument) as error:
        vols.register(COORDINATOR, replace(WANG, availability=(Slot(8, "12:00", "08:00"),)), LATER)
    assert "availability" in error.value.fields


def test_dispatch_offers_free_volunteers_with_the_skill_nearest_first_within_reach():
    home = GeoPoint(41.8810, 123.9570)
    friday_morning = datetime(2026, 5, 15, 1, 30, tzinfo=timezone.utc)  # Fri 09:30 in Fushun
    free = (Slot(5, "08:00", "12:00"),)
    people = [
        replace(WANG, skills=frozenset({"shopping"}), availability=free, home=GeoPoint(41.8815, 123.9570)),
        Volunteer("vol-li", COMMUNITY, "李国强", skills=frozenset({"shopping"}), availability=free,
                  home=GeoPoint(41.8830, 123.9570)),
        Volunteer("vol-far", COMMUNITY, "远", skills=frozenset({"shopping"}), availability=free,
                  home=GeoPoint(41.95, 123.9570)),
        Volunteer("vol-busy", COMMUNITY, "忙", skills=frozenset({"shopping"}), availability=free, home=home),
        Volunteer("vol-nohome", COMMUNITY, "无址", skills=frozenset({"shopping"}), availability=free),
        Volunteer("vol-cook", COMMUNITY, "厨", skills=frozenset({"meal"}), availability=free, home=home),
        Volunteer("vol-sunday", COMMUNITY, "周日", skills=frozenset({"shopping"}), availability=(Slot(7, "08:00", "12:00"),),
                  home=home),
        Volunteer("vol-away", COMMUNITY, "停", skills=frozenset({"shopping"}), availability=free, home=home,
                  active=False),
    ]
    offers = vols.available_near(people, COMMUNITY, "shopping", home, friday_morning, "Asia/Shanghai",
                                 frozenset({"vol-busy"}), 5, 3000)
    assert [o.id for o in offers] == ["vol-wang", "vol-li", "vol-nohome"]
    assert offers[0].reasons[0] == "volunteer with the shopping skill" and "party member (第一党支部)" in offers[0].reasons
    assert offers[2].distance_m is None and offers[0].as_dict()["name"] == "王秀兰"
