"""The follow-up visit a back-referral books, as the use case both doors share reads it (services/eldercare/usecases.py)."""
from datetime import datetime, timezone

from services.eldercare import usecases

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)  # 18:00 in Shanghai


def back_referral(**follow_up):
    return {"referral": {"id": "ref-1", "community_id": "donghuayuan", "resident_id": "elder-1",
                         "requester_id": "city-central-hospital"},
            "requester_name": "抚顺市中心医院", "follow_up": follow_up}


def test_a_follow_up_visit_is_a_medical_call_raised_in_the_clinics_name_for_the_plans_due_morning():
    clinic, visit = usecases.follow_up_visit(back_referral(plan="复查血压", due_date="2026-03-05"), NOW, "Asia/Shanghai")
    assert clinic.subject == "clinic" and clinic.has_role("operator") and "donghuayuan" in clinic.communities
    assert (visit.community_id, visit.elder_id, visit.kind) == ("donghuayuan", "elder-1", "medical")
    assert visit.description == "出院随访: 复查血压（2026-03-05前） —— 抚顺市中心医院"
    assert visit.request_id == "back-referral:ref-1"  # one visit per referral, however often the event comes
    assert visit.scheduled_for == datetime(2026, 3, 5, 1, 0, tzinfo=timezone.utc)  # 09:00 local


def test_a_follow_up_visit_without_a_due_date_is_booked_for_the_next_morning_and_names_the_hospital_by_id():
    referral = back_referral(plan="换药")
    del referral["requester_name"]
    _, visit = usecases.follow_up_visit(referral, NOW, "Asia/Shanghai")
    assert visit.description == "出院随访: 换药 —— city-central-hospital"
    assert visit.scheduled_for == datetime(2026, 3, 3, 1, 0, tzinfo=timezone.utc)
