// The operator's big-screen board: the open calls of the community, live, and the visits booked for later
// apart from them (they join the queue when their time comes).
//
// How it stays right: the lists (GET /v1/care-requests, /v1/care-requests/upcoming) say what is open; the stream
// (/v1/board/stream) says what changes. Every call carries a version, and an update never replaces a
// newer one, so list and stream can overlap in any order. After a dropped connection the stream is
// reopened with Last-Event-ID and the gateway sends what was missed first; when it cannot, it sends
// `reset` and the list is loaded again.
//
// Why fetch() and not EventSource: EventSource cannot send an Authorization header, so the token would
// have to travel in the URL, where access logs, proxies and browser history keep it. fetch() streams the
// response body just as well and sends the header; SSE parsing (/shared/sse.js) and reconnecting (below)
// are the price. The token is never written to the console or to the URL.
import { readFrames } from "/shared/sse.js";
import { Calls } from "./call.js";
import { LANGUAGES, language, setLanguage, t } from "./i18n.js";
import {
  SitePlan, clockDate, clockTime, communityName, el, localDay, renderActions, renderElder, renderFacts, renderHistory,
  isUpcoming, renderQueue, renderUpcoming, tick, zoneOf,
} from "./view.js";

const OPEN = new Set(["raised", "acknowledged", "assigned", "en_route", "on_site", "completed"]);
const TOKEN_KEY = "linli.board.token"; // sessionStorage: gone when the tab closes
const LANGUAGE_KEY = "linli.board.language"; // localStorage: the screen keeps its language
const COMMUNITY_KEY = "linli.board.community";
const SILENCE_MS = 40_000;
const COUNTED = new Set(["care_request.raised", "care_request.acknowledged", "care_request.assigned"]); // the gateway sends a heartbeat every 15 s; this much quiet means a dead line

const $ = (id) => document.getElementById(id);

const state = {
  token: sessionStorage.getItem(TOKEN_KEY),
  claims: null,
  community: null,
  requests: new Map(), // id -> REST care request
  finished: new Map(), // id -> version at which it was closed or cancelled, so a late copy can't reopen it
  touched: new Map(), // id -> when it was last applied (a count), so a reload keeps what came meanwhile
  applied: 0,
  selectedId: null,
  lastEventId: null,
  stream: null, // AbortController of the open stream
  candidates: new Map(), // care request id -> candidates (null while loading)
  staff: [],
  elders: new Map(), // elder id -> {state, elder, at}
  figuresTimer: null,
  unreached: new Map(), // care request id -> the notify service's emergency.unreached: phone the family
};

class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { Authorization: `Bearer ${state.token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    cache: "no-store",
  });
  if (response.status === 401) {
    signOut(t("login_failed"));
    throw new ApiError(401, null);
  }
  const data = response.headers.get("content-type")?.includes("json") ? await response.json() : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

// -- the token ---------------------------------------------------------------------------------------------

function claimsOf(token) {
  // Read only to show who is signed in and which communities they serve; the gateway checks the signature.
  try {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0))));
  } catch {
    return null;
  }
}

function signIn(token) {
  const claims = claimsOf(token);
  if (!claims?.sub) {
    $("login-message").textContent = t("login_failed");
    return;
  }
  state.token = token;
  state.claims = claims;
  sessionStorage.setItem(TOKEN_KEY, token);
  $("login").close();
  chooseCommunity();
  start();
}

function signOut(message = "") {
  calls?.hangUp();
  state.stream?.abort();
  state.stream = null;
  state.token = null;
  sessionStorage.removeItem(TOKEN_KEY);
  state.requests.clear();
  state.finished.clear();
  state.selectedId = null;
  state.lastEventId = null;
  render();
  $("login-message").textContent = message;
  if (!$("login").open) $("login").showModal();
}

function chooseCommunity() {
  const served = (state.claims.communities ?? []).filter((c) => c !== "*");
  const options = served.length ? served : ["donghuayuan"];
  const remembered = sessionStorage.getItem(COMMUNITY_KEY);
  state.community = options.includes(remembered) ? remembered : options[0];
  const select = $("community");
  select.replaceChildren(...options.map((c) => new Option(communityName(c), c, false, c === state.community)));
  select.hidden = options.length < 2;
  $("who").textContent = state.claims.sub;
}

const zone = () => zoneOf(state.community);

// -- the list and the stream ------------------------------------------------------------------------------

function apply(request) {
  if (request.community_id !== state.community) return false;
  const newest = Math.max(state.requests.get(request.id)?.version ?? 0, state.finished.get(request.id) ?? 0);
  if (newest > request.version) return false; // an older copy arriving late
  if (OPEN.has(request.status)) state.requests.set(request.id, request);
  else {
    state.requests.delete(request.id);
    state.finished.set(request.id, request.version);
  }
  state.touched.set(request.id, ++state.applied);
  plan.learn(request);
  return true;
}

async function reloadList() {
  const started = state.applied;
  const open = [];
  for (const path of ["/v1/care-requests", "/v1/care-requests/upcoming"]) {
    let token = null;
    do {
      const query = new URLSearchParams({ community_id: state.community, page_size: "200" });
      if (token) query.set("page_token", token);
      const page = await api("GET", `${path}?${query}`);
      open.push(...page.items);
      token = page.next_page_token;
    } while (token);
  }
  const fresh = new Set(open.map((r) => r.id));
  // Gone from the list: closed meanwhile, unless the stream brought it while the list was loading.
  for (const id of state.requests.keys()) {
    if (!fresh.has(id) && (state.touched.get(id) ?? 0) <= started) state.requests.delete(id);
  }
  for (const request of open) apply(request);
  render();
}

function onEvent(frame) {
  if (frame.event === "reset") {
    reloadList().catch(showStreamTrouble);
    return;
  }
  const data = JSON.parse(frame.data);
  if (frame.event === "emergency.unreached") {
    // No push or SMS reached anyone about this emergency: an operator must phone the family. (No id: the
    // stream resumes from care-request events.)
    state.unreached.set(data.unreached.care_request_id, data.unreached);
    render(data.unreached.care_request_id);
    return;
  }
  if (frame.id) state.lastEventId = frame.id;
  if (data.care_request && apply(data.care_request)) {
    state.candidates.delete(data.care_request.id); // who is best placed may have changed
    render(data.care_request.id);
  }
  if (COUNTED.has(frame.event)) {
    // The worker counts from the same events a moment later: ask once things have settled.
    clearTimeout(state.figuresTimer);
    state.figuresTimer = setTimeout(refreshFigures, 3000);
  }
}

function setConnection(which) {
  const node = $("connection");
  node.dataset.state = which;
  node.textContent = t(`connection_${which}`);
}

function showStreamTrouble(error) {
  if (!(error instanceof ApiError && error.status === 401)) setConnection("lost");
}

async function streamForever() {
  const controller = new AbortController();
  state.stream = controller;
  let backoff = 1000;
  while (state.stream === controller) {
    setConnection("connecting");
    const attempt = new AbortController(); // this connection; controller ends them all (sign-out)
    const stop = () => attempt.abort();
    controller.signal.addEventListener("abort", stop, { once: true });
    let watchdog;
    const alive = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(stop, SILENCE_MS);
    };
    try {
      const headers = { Authorization: `Bearer ${state.token}`, Accept: "text/event-stream" };
      if (state.lastEventId) headers["Last-Event-ID"] = state.lastEventId;
      const response = await fetch("/v1/board/stream", { headers, signal: attempt.signal, cache: "no-store" });
      if (response.status === 401 || response.status === 403) return signOut(t("login_failed"));
      if (!response.ok) throw new Error(`stream answered ${response.status}`);
      alive();
      await readFrames(response.body, onEvent, {
        onOpen: async () => {
          setConnection("live");
          backoff = 1000;
          // A fresh subscription (nothing seen yet) starts from the list; a resumed one gets what it missed.
          if (!state.lastEventId) await reloadList();
        },
        onAlive: alive,
      });
    } catch (error) {
      if (state.stream !== controller) return;
      showStreamTrouble(error);
    } finally {
      clearTimeout(watchdog);
      controller.signal.removeEventListener("abort", stop);
    }
    if (state.stream !== controller) return;
    setConnection("lost");
    await new Promise((resolve) => setTimeout(resolve, backoff + Math.random() * 500));
    backoff = Math.min(backoff * 2, 15_000);
  }
}

// -- figures for the header ---------------------------------------------------------------------------------

async function refreshFigures() {
  try {
    const day = localDay(new Date(), zone());
    const figures = await api("GET", `/v1/figures/care?${new URLSearchParams({ community_id: state.community, from_day: day })}`);
    const raised = figures.items.reduce((sum, row) => sum + row.raised, 0);
    const answered = figures.items.reduce((sum, row) => sum + row.acknowledged, 0);
    const inTime = figures.items.reduce((sum, row) => sum + row.acknowledged_within_sla_share * row.acknowledged, 0);
    $("stat-today").textContent = String(raised);
    $("stat-sla").textContent = answered ? `${Math.round((100 * inTime) / answered)}%` : "–";
  } catch {
    // Figures are a nicety: the board works without them.
  }
}

// -- the selected call: details, elder, actions ------------------------------------------------------------

async function loadCandidates(request) {
  if (state.candidates.has(request.id) || !["raised", "acknowledged"].includes(request.status)) return;
  state.candidates.set(request.id, null);
  try {
    const reply = await api("GET", `/v1/care-requests/${encodeURIComponent(request.id)}/candidates?limit=5`);
    state.candidates.set(request.id, reply.items);
  } catch {
    state.candidates.set(request.id, []);
  }
  if (state.selectedId === request.id) renderSelected();
}

async function loadStaff() {
  try {
    state.staff = (await api("GET", `/v1/staff?${new URLSearchParams({ community_id: state.community })}`)).items;
  } catch {
    state.staff = [];
  }
}

async function loadElder(elderId) {
  const known = state.elders.get(elderId);
  if (known && (known.state === "loading" || Date.now() - known.at < 60_000)) return;
  state.elders.set(elderId, { state: "loading", at: Date.now() });
  let lookup;
  try {
    lookup = { state: "found", elder: await api("GET", `/v1/elders/${encodeURIComponent(elderId)}`) };
  } catch (error) {
    // 404: not enrolled (or the elders api is not there yet); anything else: try again on the next look.
    lookup = { state: error instanceof ApiError && error.status === 404 ? "missing" : "unavailable" };
  }
  state.elders.set(elderId, { ...lookup, at: Date.now() });
  const selected = state.requests.get(state.selectedId);
  if (selected?.elder_id === elderId) renderElder($("elder"), lookup);
}

const ACTIONS = {
  acknowledge: () => ({ path: "acknowledge" }),
  assign: (input) => ({ path: "assign", body: { assignee_id: input.assignee_id, assignee_kind: input.assignee_kind } }),
  override: (input) => ({
    path: "assign",
    body: { assignee_id: input.extra, assignee_kind: "staff", override_reason: input.reason },
  }),
  escalate: (input) => ({ path: "escalate", body: { reason: input.reason } }),
  cancel: (input) => ({ path: "cancel", body: { reason: input.reason } }),
  close: (input) => ({ path: "close", body: { disposition: input.extra, note: input.reason } }),
};

async function act(action, input) {
  const request = state.requests.get(state.selectedId);
  if (!request) return;
  const message = $("action-message");
  const { path, body } = ACTIONS[action](input);
  message.className = "message";
  message.textContent = "…";
  try {
    const changed = await api("POST", `/v1/care-requests/${encodeURIComponent(request.id)}/${path}`, body ?? undefined);
    apply(changed); // the stream brings the same change; whichever comes first wins, by version
    message.className = "message ok";
    message.textContent = `${t("done")}: ${t(`act_${action === "override" ? "assign" : action}`)}`;
    render(changed.id);
  } catch (error) {
    message.className = "message error";
    const fields = (error.problem?.errors ?? []).map((e) => `${e.field}: ${e.message}`).join("; ");
    message.textContent = `${t("failed")}: ${error.message}${fields ? ` (${fields})` : ""}`;
  }
}

let shown = { id: null, version: null, status: null, candidates: null, call: null };

// The call section is redrawn only when the call changes, so its video and audio keep playing.
function callKey(request) {
  const active = calls.active?.requestId === request.id ? calls.active : null;
  const last = request.calls?.at(-1);
  return JSON.stringify([request.id, request.version, last?.id, last?.state, active?.state, active?.muted,
    active?.remoteMuted, active?.message, calls.lastEnded, language()]);
}

function renderSelected() {
  const request = state.requests.get(state.selectedId);
  $("detail-empty").hidden = Boolean(request);
  $("detail-body").hidden = !request;
  if (!request) {
    shown = { id: null };
    return;
  }
  const sameCall = shown.id === request.id;
  const unreached = state.unreached.get(request.id);
  $("unreached").hidden = !unreached;
  $("unreached").textContent = unreached ? t("unreached_detail").replace("{people}", String(unreached.recipients.length))
    .replace("{tried}", String(unreached.deliveries_tried)) : "";
  if (!sameCall || shown.version !== request.version) {
    renderFacts($("detail-facts"), $("detail-head"), request, zone());
    renderHistory($("detail-history"), request, zone());
  }
  const candidates = state.candidates.get(request.id) ?? null;
  // The action forms are redrawn only when what may be done changes, so a half-typed reason survives.
  if (!sameCall || shown.status !== request.status || shown.candidates !== candidates) {
    renderActions($("detail-actions"), request, candidates, state.staff, act);
  }
  const key = callKey(request);
  if (shown.call !== key) calls.render($("call"), request, el);
  if (!sameCall) {
    $("action-message").textContent = "";
    renderElder($("elder"), state.elders.get(request.elder_id) ?? { state: "loading" });
    loadElder(request.elder_id);
  }
  shown = { id: request.id, version: request.version, status: request.status, candidates, call: key };
  loadCandidates(request);
}

function select(id) {
  state.selectedId = id;
  render();
}

// -- drawing ---------------------------------------------------------------------------------------------

const plan = new SitePlan($("plan"), select);
const calls = new Calls({
  api, token: () => state.token,
  onChange: (changed) => {
    if (changed) apply(changed);
    render(changed?.id ?? null);
  },
});

// The live calls by urgency, then waiting time; the visits booked for later by their time.
function ordered(now = Date.now()) {
  const all = [...state.requests.values()];
  const upcoming = all.filter((r) => isUpcoming(r, now))
    .sort((a, b) => Date.parse(a.scheduled_for) - Date.parse(b.scheduled_for));
  // A booked visit has waited since its booked time, not since it was booked.
  const since = (r) => Date.parse(r.scheduled_for || r.raised_at);
  const live = all.filter((r) => !isUpcoming(r, now)).sort((a, b) => a.priority - b.priority || since(a) - since(b));
  return { live, upcoming };
}

function render(changedId = null) {
  const { live: requests, upcoming } = ordered();
  state.upcomingIds = new Set(upcoming.map((r) => r.id));
  renderQueue($("queue"), requests, state.selectedId, select, zone(), new Set(state.unreached.keys()));
  $("queue-empty").hidden = requests.length > 0;
  renderUpcoming($("upcoming"), upcoming, state.selectedId, select, zone());
  $("upcoming-empty").hidden = upcoming.length > 0;
  const projected = plan.render(requests, state.selectedId);
  $("plan-note").textContent = projected ? t("plan_positions") : t("plan_layout");
  $("stat-open").textContent = String(requests.length);
  $("stat-waiting").textContent = String(requests.filter((r) => r.status === "raised").length);
  $("community-name").textContent = state.community ? communityName(state.community) : "";
  if (changedId) {
    for (const node of document.querySelectorAll(`[data-id="${CSS.escape(changedId)}"]`)) node.classList.add("updated");
  }
  calls.update(requests);
  renderSelected();
  everySecond();
}

function everySecond() {
  const now = new Date();
  // A booked visit whose time has come joins the queue.
  const due = [...(state.upcomingIds ?? [])].some((id) => {
    const request = state.requests.get(id);
    return request && !isUpcoming(request, now.getTime());
  });
  if (due) {
    render();
    return;
  }
  calls.tick();
  $("clock-time").textContent = clockTime(now, zone());
  $("clock-date").textContent = clockDate(now, zone());
  tick(document, now.getTime());
  $("stat-overdue").textContent = String(document.querySelectorAll("#queue .call.overdue").length);
}

function start() {
  render();
  loadStaff();
  refreshFigures();
  streamForever();
}

// -- wiring --------------------------------------------------------------------------------------------------

function useLanguage(lang) {
  localStorage.setItem(LANGUAGE_KEY, lang);
  setLanguage(lang);
  const other = LANGUAGES.find((l) => l !== lang);
  for (const button of [$("lang-toggle"), $("login-lang")]) button.textContent = other === "zh" ? "中文" : "EN";
  setConnection($("connection").dataset.state);
  document.title = `${t("title")} · ${state.community ? communityName(state.community) : ""}`;
  shown = { id: null };
  render();
}

const toggleLanguage = () => useLanguage(language() === "zh" ? "en" : "zh");
$("lang-toggle").addEventListener("click", toggleLanguage);
$("login-lang").addEventListener("click", toggleLanguage);
$("logout").addEventListener("click", () => signOut());
$("login-form").addEventListener("submit", (event) => {
  event.preventDefault();
  signIn($("token").value.trim());
});
$("login").addEventListener("cancel", (event) => event.preventDefault()); // no board without a token
$("community").addEventListener("change", (event) => {
  state.community = event.target.value;
  sessionStorage.setItem(COMMUNITY_KEY, state.community);
  state.requests.clear();
  state.selectedId = null;
  reloadList().catch(showStreamTrouble);
  loadStaff();
  refreshFigures();
});
setInterval(everySecond, 1000);
setInterval(() => state.token && refreshFigures(), 60_000);

useLanguage(localStorage.getItem(LANGUAGE_KEY) ?? "zh");
if (state.token && claimsOf(state.token)) {
  state.claims = claimsOf(state.token);
  chooseCommunity();
  start();
} else {
  signOut();
}
