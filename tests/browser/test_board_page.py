"""The operator's big-screen board in a real browser: a pager press reaches two operators' boards live;
one operator answers and dispatches it in the page; the change shows in the page, in the api and on the
other operator's board; a board whose stream drops (the gateway restarts) catches up on what it missed;
Chinese by default, English remembered."""
import signal
import time
from datetime import datetime, timedelta, timezone

import grpc
import httpx
from playwright.sync_api import Page, expect

from linli_dev.devstack import ROOT
from linli.eldercare.v1 import eldercare_pb2 as pb
from linli.eldercare.v1 import eldercare_pb2_grpc
from linli.kit.identity import Caller
from tests.e2e.arrange import BUILDINGS, bearer, elder_with_pager, ok, press, staff_on_shift
from tests.e2e.conftest import COMMUNITY, token_for

SCREENSHOT = ROOT / "var" / "board.png"


def open_board(browser, gateway_url: str, token: str) -> tuple[Page, list, float]:
    """A signed-in board, live. Returns (page, errors the page raised, seconds from navigation to live)."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    started = time.monotonic()
    page.goto(f"{gateway_url}/board")
    page.fill("#token", token)
    page.click("#login-submit")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    return page, errors, time.monotonic() - started


def card(page: Page, care_request_id: str):
    return page.locator(f'#queue .call[data-id="{care_request_id}"]')


def test_a_press_reaches_both_boards_and_is_answered_and_dispatched_in_the_page(
        browser, gateway_url, operator_headers, issuer_dir, record_property):
    caregiver = staff_on_shift(gateway_url, operator_headers, issuer_dir, name="李秀英", near="东区 3号楼")
    # A morning's other calls, so the queue has an order to keep and the plan some buildings. These elders
    # let their calls carry their position, so the plan is drawn from positions (an emergency always is).
    for building, kind, name in (("西区 9号楼", "meal", "孙淑珍"), ("西区 11号楼", "medical", "张玉芬"),
                                 ("东区 5号楼", "cleaning", "王秀云"), ("东区 7号楼", "mobility", "陈德福")):
        _, device_id = elder_with_pager(gateway_url, operator_headers, building, name=name, shares_location=True)
        press(gateway_url, issuer_dir, device_id, kind)

    wang, wang_errors, load_seconds = open_board(browser, gateway_url, token_for(issuer_dir, "operator", "op-wang"))
    li, li_errors, _ = open_board(browser, gateway_url, token_for(issuer_dir, "operator", "op-li"))
    record_property("board_live_seconds", round(load_seconds, 2))
    assert wang.locator("#title").inner_text() == "居家养老指挥中心"  # Chinese by default

    _, device_id = elder_with_pager(gateway_url, operator_headers, "东区 3号楼", name="刘桂兰")
    raised = press(gateway_url, issuer_dir, device_id)
    call_id = raised["id"]
    for page in (wang, li):
        expect(card(page, call_id)).to_have_attribute("data-status", "raised")
        expect(card(page, call_id)).to_contain_text("助急")
        expect(page.locator(f'#plan .marker[data-id="{call_id}"]')).to_have_count(1)
    expect(wang.locator("#plan-note")).to_have_text("按定位绘制")
    order = wang.locator("#queue .call").evaluate_all("cards => cards.map(c => c.dataset.id)")
    assert order.index(call_id) < len(order) - 4  # the emergency ranks above the four routine calls

    card(wang, call_id).click()
    expect(wang.locator("[data-testid=elder-profile]")).to_contain_text("刘桂兰")
    expect(wang.locator("[data-testid=elder-profile]")).to_contain_text("高血压")
    wang.click('#detail-actions [data-action="acknowledge"]')
    for page in (wang, li):
        expect(card(page, call_id)).to_have_attribute("data-status", "acknowledged")
    answered = ok(httpx.get(f"{gateway_url}/v1/care-requests/{call_id}", headers=operator_headers, timeout=5))
    assert (answered["status"], answered["acknowledged_by"]) == ("acknowledged", "op-wang")

    suggestion = wang.locator(f'#detail-actions .candidate[data-assignee="{caregiver}"]')
    expect(suggestion).to_contain_text("李秀英")
    expect(suggestion).to_contain_text("距离")  # the reasons, in Chinese
    suggestion.locator('[data-action="assign"]').click()
    for page in (wang, li):
        expect(card(page, call_id)).to_have_attribute("data-status", "assigned")
        expect(card(page, call_id)).to_contain_text("李秀英")
    expect(wang.locator("[data-testid=detail-status]")).to_have_text("已派单")
    assigned = ok(httpx.get(f"{gateway_url}/v1/care-requests/{call_id}", headers=operator_headers, timeout=5))
    assert (assigned["status"], assigned["assignment"]["assignee_id"]) == ("assigned", caregiver)

    # The caregiver sets off from their phone: both boards see it without anyone touching them.
    ok(httpx.post(f"{gateway_url}/v1/care-requests/{call_id}/en-route", json={"eta_minutes": 5},
                  headers=bearer(issuer_dir, "caregiver", caregiver), timeout=5))
    for page in (wang, li):
        expect(card(page, call_id)).to_have_attribute("data-status", "en_route")

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    wang.wait_for_timeout(1700)  # let the update flash fade
    wang.screenshot(path=str(SCREENSHOT))
    assert wang_errors == [] and li_errors == []


def restart_gateway(stack, while_down) -> None:
    """Stop the gateway (its streams drop, as in a rolling deploy), call while_down, start it again."""
    gateway = next(process for process in stack.processes if process.name == "gateway")
    gateway.popen.send_signal(signal.SIGTERM)
    gateway.popen.wait(15)
    stack.processes.remove(gateway)
    while_down()
    stack.start_gateway()


def test_a_board_whose_stream_dropped_catches_up_on_what_it_missed(browser, stack, gateway_url, operator_headers,
                                                                   issuer_dir):
    page, errors, _ = open_board(browser, gateway_url, token_for(issuer_dir, "operator", "op-zhao"))
    _, device_id = elder_with_pager(gateway_url, operator_headers, "西区 9号楼", name="周玉兰")
    raised = press(gateway_url, issuer_dir, device_id, "bathing")
    expect(card(page, raised["id"])).to_have_attribute("data-status", "raised")

    def meanwhile():
        # Straight to the api: with the gateway down these events reach no board live.
        expect(page.locator("#connection")).not_to_have_attribute("data-state", "live")
        caller = Caller("op-wang", frozenset({"operator"}), frozenset({COMMUNITY})).to_metadata()
        with grpc.insecure_channel(stack.env["ELDERCARE_API_ADDR"]) as channel:
            api = eldercare_pb2_grpc.EldercareServiceStub(channel)
            api.AcknowledgeCareRequest(pb.AcknowledgeCareRequestRequest(id=raised["id"]), metadata=caller, timeout=5)
            api.EscalateCareRequest(pb.EscalateCareRequestRequest(id=raised["id"], reason="老人说胸口疼"),
                                    metadata=caller, timeout=5)

    restart_gateway(stack, meanwhile)

    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=20_000)
    expect(card(page, raised["id"])).to_have_attribute("data-status", "acknowledged")
    expect(card(page, raised["id"]).locator(".escalated")).to_contain_text("值班主管")
    assert errors == []


def test_a_visit_booked_for_later_waits_apart_from_the_live_calls_and_joins_them_when_due(
        browser, gateway_url, operator_headers, issuer_dir):
    page, errors, _ = open_board(browser, gateway_url, token_for(issuer_dir, "operator", "op-wang"))
    elder_id, _ = elder_with_pager(gateway_url, operator_headers, "东区 7号楼", name="赵淑华")

    def book(after: timedelta, description: str) -> dict:
        when = (datetime.now(timezone.utc) + after).isoformat()
        return ok(httpx.post(f"{gateway_url}/v1/care-requests", headers=operator_headers, timeout=5, json={
            "community_id": COMMUNITY, "elder_id": elder_id, "kind": "medical", "channel": "phone",
            "description": description, "scheduled_for": when}), 201)

    def upcoming(visit: dict):
        return page.locator(f'#upcoming .call[data-id="{visit["id"]}"]')

    next_week = book(timedelta(days=7), "出院随访: 测血压")
    soon = book(timedelta(seconds=12), "复诊后上门换药")
    for visit in (next_week, soon):
        expect(upcoming(visit)).to_have_count(1)
        expect(card(page, visit["id"])).to_have_count(0)
    order = page.locator("#upcoming .call").evaluate_all("cards => cards.map(c => c.dataset.id)")
    assert order.index(soon["id"]) < order.index(next_week["id"])  # soonest first
    # Its time comes: it joins the live calls; the other stays upcoming.
    expect(card(page, soon["id"])).to_have_attribute("data-status", "raised", timeout=30_000)
    expect(upcoming(soon)).to_have_count(0)
    expect(upcoming(next_week)).to_have_count(1)
    # A reload shows the same: the lists agree with what the stream brought.
    page.reload()
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    expect(card(page, soon["id"])).to_have_count(1)
    expect(upcoming(next_week)).to_have_count(1)
    assert errors == []


def test_the_board_says_where_each_calls_position_came_from_in_both_languages(browser, gateway_url,
                                                                             operator_headers, issuer_dir):
    elder_id, device_id = elder_with_pager(gateway_url, operator_headers, "西区 11号楼", name="吴秀兰")
    pressed = press(gateway_url, issuer_dir, device_id)
    latitude, longitude = BUILDINGS["西区 11号楼"]
    from_phone = ok(httpx.post(f"{gateway_url}/v1/care-requests", headers=bearer(issuer_dir, "resident", elder_id),
                               timeout=5, json={"community_id": COMMUNITY, "elder_id": elder_id, "kind": "emergency",
                                                "channel": "app", "position_accuracy_m": 24.6,
                                                "position": {"latitude": latitude + 0.0004, "longitude": longitude}}),
                    201)
    page, errors, _ = open_board(browser, gateway_url, token_for(issuer_dir, "operator", "op-wang"))
    card(page, from_phone["id"]).click()
    expect(page.locator("#detail-facts")).to_contain_text("手机定位 ±25 米")
    card(page, pressed["id"]).click()
    expect(page.locator("#detail-facts")).to_contain_text("呼叫器（登记住址）")
    page.click("#lang-toggle")
    expect(page.locator("#detail-facts")).to_contain_text("Call device (registered home)")
    card(page, from_phone["id"]).click()
    expect(page.locator("#detail-facts")).to_contain_text("Phone GPS ±25 m")
    assert errors == []


def test_english_is_a_toggle_away_and_the_board_remembers_it(browser, gateway_url, issuer_dir):
    page, errors, _ = open_board(browser, gateway_url, token_for(issuer_dir, "operator", "op-wang"))
    page.click("#lang-toggle")
    expect(page.locator("#title")).to_have_text("Home Care Command Centre")
    page.reload()  # same tab: the token (sessionStorage) and the language (localStorage) both stay
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    expect(page.locator("#title")).to_have_text("Home Care Command Centre")
    expect(page.locator("#lang-toggle")).to_have_text("中文")
    assert errors == []


def test_an_emergency_that_reached_nobody_is_marked_for_the_operator_to_phone_the_family(browser, gateway_url,
                                                                                        operator_headers, issuer_dir):
    page, errors, _ = open_board(browser, gateway_url, token_for(issuer_dir, "operator", "op-zhou"))
    # An elder whose family has no Linli account: the notify service has nobody to push or text, and says so.
    _, device_id = elder_with_pager(gateway_url, operator_headers, "东区 3号楼", name="周玉兰")
    raised = press(gateway_url, issuer_dir, device_id)
    marked = card(page, raised["id"]).locator('[data-testid="unreached"]')
    expect(marked).to_have_text("✆ 家属未收到通知", timeout=30_000)
    card(page, raised["id"]).click()
    expect(page.locator("#unreached")).to_be_visible()
    expect(page.locator("#unreached")).to_contain_text("请电话联系家属")
    page.click("#lang-toggle")
    expect(page.locator("#unreached")).to_contain_text("phone the family")
    expect(marked).to_have_text("✆ family not reached")
    assert not errors
    page.context.close()
