"""Employment through the gateway, with every process running: an employer posts a vacancy, a resident
registers as a seeker, the worker ranks them (employment outbox → RabbitMQ → employment worker), the
resident sees the vacancy among their matches with the reasons and says they want it, the employer sees
them on its shortlist, interviews and hires; a counsellor runs a fair and reads its report; the community
workshop pays its piece-workers."""
import time
from datetime import datetime, timedelta, timezone

import httpx

from tests.e2e.arrange import bearer, fresh, ok
from tests.e2e.conftest import COMMUNITY

SQUARE = {"latitude": 41.8810, "longitude": 123.9570}
WORKSHOP = {"latitude": 41.8920, "longitude": 123.9570}  # 1.2 km north of the square


def post(gateway_url, path: str, headers: dict, body: dict | None = None, **extra_headers) -> httpx.Response:
    return httpx.post(f"{gateway_url}{path}", json=body, headers={**headers, **extra_headers}, timeout=10)


def get(gateway_url, path: str, headers: dict, **params) -> httpx.Response:
    return httpx.get(f"{gateway_url}{path}", headers=headers, params=params, timeout=10)


def eventually(check, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError("not within time")


def vacancy_body(employer_id: str, **changes) -> dict:
    return {"employer_id": employer_id, "title": "手工编织", "skills": ["handicraft.knitting", "sewing", "cooking",
                                                                      "cleaning"],
            "headcount": 2, "wage_fen": 1800, "wage_period": "hour", "hours_per_week": 20, "schedule": "part_time",
            "address": "社区工坊", "position": WORKSHOP, "physical_demand": "light", **changes}


def profile(name="刘桂兰") -> dict:
    return {"name": name, "birth_year": 1966, "address": "东区 5号楼", "home": SQUARE,
            "skills": [{"code": code, "years": 20} for code in ("handicraft.knitting", "sewing", "cooking")],
            "experience": ["在家编织二十年"], "schedules": ["part_time", "piece_work"], "max_commute_m": 3000,
            "wage_floor_fen": 150_000, "physical_capacity": "light"}


def employer(gateway_url, counsellor: dict, boss_id: str) -> str:
    employer_id = fresh("emp")
    ok(post(gateway_url, "/v1/employers", counsellor, {"id": employer_id, "community_id": COMMUNITY,
                                                       "name": "抚顺顺城手工艺品厂", "user_ids": [boss_id]}), 201)
    return employer_id


def test_a_resident_finds_a_job_through_their_matches_and_the_employer_hires_from_its_shortlist(
        gateway_url, issuer_dir):
    counsellor = bearer(issuer_dir, "counsellor", "cn-e2e")
    boss_id, resident_id = fresh("boss"), fresh("res")
    boss, resident = bearer(issuer_dir, "employer", boss_id), bearer(issuer_dir, "resident", resident_id)
    employer_id = employer(gateway_url, counsellor, boss_id)

    draft = ok(post(gateway_url, "/v1/vacancies", boss, vacancy_body(employer_id)), 201)
    assert draft["status"] == "draft" and draft["monthly_pay_fen"] == 1800 * 20 * 52 // 12
    vacancy = ok(post(gateway_url, f"/v1/vacancies/{draft['id']}/open", boss))
    me = ok(post(gateway_url, "/v1/job-seekers", resident, {"community_id": COMMUNITY, "profile": profile()}), 201)
    assert me["id"] == resident_id and me["status"] == "searching"

    def ranked():
        matches = ok(get(gateway_url, "/v1/me/matches", resident))
        return matches["up_to_date"] and any(m["vacancy"]["id"] == vacancy["id"] for m in matches["items"]) and matches

    matches = eventually(ranked)
    mine = next(m for m in matches["items"] if m["vacancy"]["id"] == vacancy["id"])
    assert mine["match"]["summary_en"] == "3 of 4 skills, 1.2 km, part-time matches, your first choice"
    assert mine["match"]["summary_zh"] == "技能 3/4，1.2 公里，兼职符合（首选）"
    assert [r["kind"] for r in mine["match"]["reasons"]][:3] == ["skills", "distance", "schedule"]

    shortlist = eventually(lambda: (found := ok(get(gateway_url, f"/v1/vacancies/{vacancy['id']}/shortlist", boss)))
                           ["items"] and found)
    assert [(e["seeker_name"], e["match"]["seeker_id"]) for e in shortlist["items"]] == [("刘桂兰", resident_id)]
    other_boss = bearer(issuer_dir, "employer", fresh("boss"))
    # The vacancy is open, so public within the community; its shortlist is its employer's alone.
    assert get(gateway_url, f"/v1/vacancies/{vacancy['id']}/shortlist", other_boss).status_code == 403

    application = ok(post(gateway_url, "/v1/applications", resident, {"vacancy_id": vacancy["id"]}), 201)
    assert application["status"] == "intention_expressed"
    interview_at = (datetime.now(timezone.utc) + timedelta(days=2)).isoformat()
    for body, who in (({"status": "referred"}, counsellor),
                      ({"status": "interview", "interview_at": interview_at}, boss),
                      ({"status": "offer"}, boss)):
        ok(post(gateway_url, f"/v1/applications/{application['id']}/status", who, body))
    hired = ok(post(gateway_url, f"/v1/applications/{application['id']}/status", boss, {"status": "hired"}))
    assert hired["application"]["status"] == "hired"
    assert [f["months"] for f in hired["placement"]["follow_ups"]] == [3, 6]
    assert ok(get(gateway_url, "/v1/me/job-seeker", resident))["status"] == "placed"
    assert ok(get(gateway_url, f"/v1/vacancies/{vacancy['id']}", boss))["status"] == "partially_filled"
    # Placed: no longer matched, and the worker takes them off the shortlist.
    eventually(lambda: not ok(get(gateway_url, f"/v1/vacancies/{vacancy['id']}/shortlist", boss))["items"])
    assert ok(get(gateway_url, "/v1/placements", resident))["items"][0]["id"] == application["id"]


def test_bad_input_is_a_problem_naming_the_fields(gateway_url, issuer_dir):
    counsellor = bearer(issuer_dir, "counsellor", "cn-e2e")
    boss_id = fresh("boss")
    boss = bearer(issuer_dir, "employer", boss_id)
    employer_id = employer(gateway_url, counsellor, boss_id)
    money_as_float = post(gateway_url, "/v1/vacancies", boss, vacancy_body(employer_id, wage_fen=18.5))
    assert money_as_float.status_code == 422
    assert money_as_float.headers["content-type"].startswith("application/problem+json")
    unknown_skill = post(gateway_url, "/v1/vacancies", boss, vacancy_body(employer_id, skills=["time_travel"]))
    assert unknown_skill.status_code == 400
    assert [e["field"] for e in unknown_skill.json()["errors"]] == ["skills"]


def test_a_counsellor_runs_a_fair_records_its_outcomes_and_reads_the_report(gateway_url, issuer_dir):
    counsellor = bearer(issuer_dir, "counsellor", "cn-e2e")
    fair_id = fresh("fair")
    ok(post(gateway_url, "/v1/job-fairs", counsellor, {"id": fair_id, "community_id": COMMUNITY,
                                                       "title": "就业服务进社区", "day": "2026-06-26",
                                                       "venue": "东华园社区扇形广场"}), 201)
    companies = [employer(gateway_url, counsellor, fresh("boss")) for _ in range(2)]
    for number, company in enumerate(companies):
        ok(post(gateway_url, f"/v1/job-fairs/{fair_id}/companies", counsellor,
                {"employer_id": company, "booth": f"{number + 1}号展位"}))
    rows = [{k: v for k, v in vacancy_body(companies[i % 2], headcount=5).items()} for i in range(3)]
    import_key = fresh("imp")
    posted = ok(post(gateway_url, "/v1/vacancies/import", counsellor,
                     {"community_id": COMMUNITY, "fair_id": fair_id, "vacancies": rows},
                     **{"Idempotency-Key": import_key}), 201)
    assert posted["import_id"] == import_key and len(posted["items"]) == 3
    walk_in = fresh("res")
    ok(post(gateway_url, "/v1/job-seekers", counsellor, {"id": walk_in, "community_id": COMMUNITY,
                                                         "profile": profile("孙玉兰")}), 201)
    ok(post(gateway_url, "/v1/applications", counsellor, {"vacancy_id": posted["items"][0]["id"],
                                                          "seeker_id": walk_in, "fair_id": fair_id}), 201)
    course_id = fresh("course")
    ok(post(gateway_url, "/v1/courses", counsellor, {
        "id": course_id, "community_id": COMMUNITY, "title": "中式面点", "provider": "顺城区职业培训学校",
        "skills": ["cooking.pastry"], "starts_on": "2026-07-06", "hours": 80, "seats": 20}), 201)
    ok(post(gateway_url, f"/v1/courses/{course_id}/enrolments", counsellor, {"seeker_id": walk_in,
                                                                             "fair_id": fair_id}), 201)
    for topic in ("policy", "policy", "training"):
        ok(post(gateway_url, f"/v1/job-fairs/{fair_id}/consultations", counsellor,
                {"topic": topic, "question": "灵活就业人员社保补贴怎么申请？"}), 201)
    ok(post(gateway_url, f"/v1/job-fairs/{fair_id}/leaflets", counsellor, {"title": "农民就业100问", "copies": 50}))
    closed = ok(post(gateway_url, f"/v1/job-fairs/{fair_id}/close", counsellor))
    assert closed["fair"]["status"] == "closed"
    assert {k: closed["report"][k] for k in ("companies", "posts", "hiring_intentions", "training_sign_ups",
                                             "policy_questions_answered", "leaflet_copies")} == {
        "companies": 2, "posts": 15, "hiring_intentions": 1, "training_sign_ups": 1, "policy_questions_answered": 2,
        "leaflet_copies": 50}
    resident = bearer(issuer_dir, "resident", fresh("res"))
    assert ok(get(gateway_url, f"/v1/job-fairs/{fair_id}/report", resident)) == closed["report"]


def test_the_workshop_pays_its_piece_workers_for_accepted_pieces(gateway_url, issuer_dir):
    counsellor = bearer(issuer_dir, "counsellor", "cn-e2e")
    order_id = fresh("wo")
    ok(post(gateway_url, "/v1/workshop-orders", counsellor, {
        "id": order_id, "community_id": COMMUNITY, "product": "手工编织杯垫", "client": "抚顺礼品公司",
        "piece_rate_fen": 150, "quantity": 500, "due_on": "2026-08-31"}), 201)
    for worker, name, made, rejected in (("res-w1", "刘桂兰", 120, 4), ("res-w2", "孙玉兰", 80, 0)):
        ok(post(gateway_url, f"/v1/workshop-orders/{order_id}/pieces", counsellor, {
            "worker_id": worker, "worker_name": name, "day": "2026-06-25", "made": made, "rejected": rejected}), 201)
    completed = ok(post(gateway_url, f"/v1/workshop-orders/{order_id}/complete", counsellor))
    assert [(p["worker_id"], p["pieces"], p["amount_fen"]) for p in completed["payouts"]] == [
        ("res-w1", 116, 17_400), ("res-w2", 80, 12_000)]
    paid = ok(post(gateway_url, f"/v1/workshop-orders/{order_id}/payouts/res-w1/paid", counsellor))
    assert paid["payouts"][0]["paid_at"] is not None and paid["payouts"][1]["paid_at"] is None
