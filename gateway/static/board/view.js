// Drawing the board: the queue, the site plan and the selected call. Everything is built with DOM calls
// and textContent, never innerHTML: call descriptions and names come from residents and must not run.
import { isRinging } from "./call.js";
import {
  DISPOSITION_KEYS, candidateReason, channelName, dispositionName, kindName, language, mobilityName,
  positionSourceName, rungName, statusName, t,
} from "./i18n.js";

export const COMMUNITIES = {
  donghuayuan: { zh: "东华园社区", en: "Donghuayuan Community", zone: "Asia/Shanghai" },
};
const DEFAULT_ZONE = "Asia/Shanghai";
export const zoneOf = (community) => COMMUNITIES[community]?.zone ?? DEFAULT_ZONE;
export const communityName = (community) => COMMUNITIES[community]?.[language()] ?? community;

export function el(tag, attributes = {}, ...children) {
  const svg = ["svg", "g", "rect", "circle", "text", "line", "path", "title"].includes(tag);
  const node = svg ? document.createElementNS("http://www.w3.org/2000/svg", tag) : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

// -- times, in the community's zone --------------------------------------------------------------------

const locale = () => (language() === "zh" ? "zh-CN" : "en-GB");

export function clockTime(date, zone) {
  return new Intl.DateTimeFormat(locale(), { timeZone: zone, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }).format(date);
}

export function clockDate(date, zone) {
  return new Intl.DateTimeFormat(locale(), { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", weekday: "short" }).format(date);
}

export function localDay(date, zone) {
  // en-CA formats as YYYY-MM-DD: the day the figures api expects.
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
}

const when = (iso, zone) => (iso ? clockTime(new Date(iso), zone) : "–");

export function duration(ms) {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600), minutes = Math.floor((total % 3600) / 60), seconds = total % 60;
  const pad = (n) => String(n).padStart(2, "0");
  return hours ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${pad(minutes)}:${pad(seconds)}`;
}

// What clock a call is on now: answer it, accept it, or arrive. Null when none is running.
export function deadline(request) {
  if (request.status === "raised") return { key: "ack_due", at: request.acknowledge_due_at };
  if (request.status === "assigned" && request.assignment && !request.assignment.accepted_at) {
    return { key: "accept_due", at: request.assignment.accept_due_at };
  }
  if (request.status === "en_route" && request.eta) return { key: "eta", at: request.eta };
  return null;
}

// A visit booked for later whose time has not come (as services/eldercare/domain/care_requests.py
// is_upcoming says): listed apart from the live calls until then.
const UPCOMING = new Set(["raised", "acknowledged", "assigned"]);
export const isUpcoming = (request, now) =>
  Boolean(request.scheduled_for) && Date.parse(request.scheduled_for) > now && UPCOMING.has(request.status);

export const isOverdue = (request, now) => {
  const due = deadline(request);
  return Boolean(due?.at) && Date.parse(due.at) < now;
};

const place = (request) => {
  const l = request.location;
  if (!l || !(l.building || l.unit || l.detail)) return t("no_location");
  return [l.building, l.unit, l.floor ? `${l.floor}${t("floor")}` : "", l.detail].filter(Boolean).join(" ");
};

// Where the position came from, and how good a phone's fix is: the caregiver's check-in fence widens by it.
const positionFact = (request) => {
  if (!request.position) return t("position_none");
  const source = positionSourceName(request.position_source || "home_address");
  const accuracy = request.position_accuracy_m ? ` ±${Math.round(request.position_accuracy_m)} ${t("metres")}` : "";
  return source + accuracy;
};

const priorityClass = (request) => `p${Math.min(request.priority || 3, 3)}`;

// -- the queue -----------------------------------------------------------------------------------------

// unreached: the ids of requests whose emergency notifications reached nobody (emergency.unreached).
export function renderQueue(list, requests, selectedId, onSelect, zone, unreached = new Set()) {
  const items = requests.map((request) => {
    const due = deadline(request);
    const assignee = request.assignment;
    return el("li", {
      class: `call ${priorityClass(request)} status-${request.status}${request.id === selectedId ? " selected" : ""}${isRinging(request) ? " ringing" : ""}`,
      "data-id": request.id, "data-status": request.status, tabindex: 0,
      onclick: () => onSelect(request.id),
      onkeydown: (event) => { if (event.key === "Enter") onSelect(request.id); },
    },
      el("div", { class: "call-top" },
        el("span", { class: "kind", text: kindName(request.kind) }),
        el("span", { class: "status", text: statusName(request.status) }),
        isRinging(request) ? el("span", { class: "ring-badge", "data-testid": "ringing", text: `☎ ${t("call_ringing_short")}` }) : null,
        unreached.has(request.id) ? el("span", { class: "unreached-badge", "data-testid": "unreached", text: `✆ ${t("unreached_short")}` }) : null,
        request.escalation_level ? el("span", { class: "escalated", text: `⚑ ${rungName(request.escalated_to)}` }) : null,
        due ? el("span", { class: "sla", "data-due": due.at, "data-label": t(due.key) }) : null),
      el("div", { class: "call-where", text: place(request) }),
      el("div", { class: "call-meta" },
        el("span", { text: request.elder_id }),
        el("span", { text: channelName(request.channel) }),
        el("span", { class: "since", "data-since": request.scheduled_for || request.raised_at }),
        el("span", { text: when(request.raised_at, zone) })),
      assignee ? el("div", { class: "call-assignee",
        text: `${t("assignee")} ${assignee.assignee_name || assignee.assignee_id} · ${assignee.accepted_at ? t("accepted") : t("not_accepted")}` }) : null);
  });
  list.replaceChildren(...items);
  tick(list.ownerDocument, Date.now());
}

// The visits booked for later, soonest first: when, what, for whom, where.
export function renderUpcoming(list, requests, selectedId, onSelect, zone) {
  const items = requests.map((request) => el("li", {
    class: `call upcoming status-${request.status}${request.id === selectedId ? " selected" : ""}`,
    "data-id": request.id, "data-status": request.status, tabindex: 0,
    onclick: () => onSelect(request.id),
    onkeydown: (event) => { if (event.key === "Enter") onSelect(request.id); },
  },
    el("div", { class: "call-top" },
      el("span", { class: "scheduled", text: `${clockDate(new Date(request.scheduled_for), zone)} ${when(request.scheduled_for, zone)}` }),
      el("span", { class: "kind", text: kindName(request.kind) }),
      el("span", { class: "status", text: statusName(request.status) })),
    el("div", { class: "call-where", text: place(request) }),
    el("div", { class: "call-meta" }, el("span", { text: request.elder_id }), el("span", { text: request.description }))));
  list.replaceChildren(...items);
}

// Once a second: the countdowns and waiting times, in place (the rest changes only with events).
export function tick(doc, now) {
  for (const node of doc.querySelectorAll("[data-due]")) {
    const left = Date.parse(node.dataset.due) - now;
    node.textContent = `${node.dataset.label} ${left < 0 ? "-" : ""}${duration(Math.abs(left))}`;
    node.classList.toggle("late", left < 0);
    node.closest(".call")?.classList.toggle("overdue", left < 0);
  }
  for (const node of doc.querySelectorAll("[data-since]")) {
    node.textContent = `${t("waiting")} ${duration(now - Date.parse(node.dataset.since))}`;
  }
}

// -- the site plan ---------------------------------------------------------------------------------------
// Calls carry their elder's position only in an emergency or with the elder's consent (see
// services/eldercare/domain/residents.py), so positions are known for some buildings only. When every
// building on the plan has one, the plan is drawn from them: lat/lng projected in metres around their
// centre, each zone outlined round its buildings. Otherwise it is a schematic by name, which every call
// has: 西区 on the left, 东区 on the right, numbered row by row. Calls sit on their building either way.
// A building once drawn (and its position once seen) stays, so the plan does not jump about.

const METRES_PER_DEGREE = 111_320;
const ZONED = /^(东区|西区|East|West)\s*\d+/i;
const GRID = { columns: 3, dx: 100, dy: 80, top: -150, westLeft: -330, eastLeft: 110, rows: 4 };

export function buildingName(request) {
  return request.location?.building?.trim() || "";
}

function gridSpot(name, others) {
  const m = /^(东区|西区|East|West)\s*(\d+)/i.exec(name);
  if (!m) {
    const index = others.indexOf(name);
    return { x: -330 + (index % 7) * 100, y: GRID.top + GRID.rows * GRID.dy + 40 + Math.floor(index / 7) * 60 };
  }
  const n = Number(m[2]) - 1;
  const east = /东区|east/i.test(m[1]);
  return {
    x: (east ? GRID.eastLeft : GRID.westLeft) + (n % GRID.columns) * GRID.dx,
    y: GRID.top + Math.floor(n / GRID.columns) * GRID.dy,
  };
}

export class SitePlan {
  constructor(svg, onSelect) {
    this.svg = svg;
    this.onSelect = onSelect;
    this.positions = new Map(); // building -> {latitude, longitude}, from calls
    this.buildings = new Set();
  }

  learn(request) {
    const name = buildingName(request);
    if (!name) return;
    this.buildings.add(name);
    if (request.position && !this.positions.has(name)) this.positions.set(name, request.position);
  }

  // {spots: building -> {x, y} in metres (north up), projected: whether they come from positions}.
  spots() {
    const names = [...this.buildings];
    const spots = new Map();
    if (!names.length || !names.every((name) => this.positions.has(name))) {
      const unnamed = names.filter((name) => !ZONED.test(name)).sort();
      for (const name of names) spots.set(name, gridSpot(name, unnamed));
      return { spots, projected: false };
    }
    const known = names.map((name) => this.positions.get(name));
    const centre = {
      latitude: known.reduce((sum, p) => sum + p.latitude, 0) / known.length,
      longitude: known.reduce((sum, p) => sum + p.longitude, 0) / known.length,
    };
    const eastward = METRES_PER_DEGREE * Math.cos((centre.latitude * Math.PI) / 180);
    for (const name of names) {
      const p = this.positions.get(name);
      spots.set(name, { x: (p.longitude - centre.longitude) * eastward, y: -(p.latitude - centre.latitude) * METRES_PER_DEGREE });
    }
    return { spots, projected: true };
  }

  render(requests, selectedId) {
    const { spots, projected } = this.spots();
    const xs = [...spots.values()].map((s) => s.x), ys = [...spots.values()].map((s) => s.y);
    const [halfWidth, halfHeight] = projected ? [260, 170] : [380, 200]; // at least this much ground shows
    const minX = Math.min(-halfWidth, ...xs) - 70, maxX = Math.max(halfWidth, ...xs) + 70;
    const minY = Math.min(-halfHeight, ...ys) - 110, maxY = Math.max(halfHeight, ...ys) + 60;
    this.svg.setAttribute("viewBox", `${minX} ${minY} ${maxX - minX} ${maxY - minY}`);
    const layers = [el("rect", { class: "ground", x: minX, y: minY, width: maxX - minX, height: maxY - minY })];
    if (!projected) {
      // The schematic's two zones, a grid of buildings each, with the road between them.
      const zone = { y: GRID.top - 75, width: GRID.columns * GRID.dx + 20, height: Math.max(GRID.top + (GRID.rows - 1) * GRID.dy, ...ys) - GRID.top + 130 };
      layers.push(el("rect", { class: "zone", x: GRID.westLeft - 60, rx: 14, ...zone }),
        el("rect", { class: "zone", x: GRID.eastLeft - 60, rx: 14, ...zone }),
        el("rect", { class: "road", x: -15, y: minY, width: 50, height: maxY - minY }),
        el("text", { class: "zone-label", x: GRID.westLeft - 45, y: GRID.top - 48, text: t("zone_west") }),
        el("text", { class: "zone-label", x: GRID.eastLeft - 45, y: GRID.top - 48, text: t("zone_east") }));
    } else {
      // Each zone drawn round the buildings of it that are on the plan.
      for (const [zone, label] of [[/^(东区|East)/i, "zone_east"], [/^(西区|West)/i, "zone_west"]]) {
        const members = [...spots].filter(([name]) => zone.test(name)).map(([, spot]) => spot);
        if (!members.length) continue;
        const left = Math.min(...members.map((s) => s.x)) - 60, top = Math.min(...members.map((s) => s.y)) - 100;
        const width = Math.max(...members.map((s) => s.x)) + 60 - left, height = Math.max(...members.map((s) => s.y)) + 40 - top;
        layers.push(el("rect", { class: "zone", x: left, y: top, width, height, rx: 14 }),
          el("text", { class: "zone-label", x: left + 12, y: top + 28, text: t(label) }));
      }
    }
    layers.push(el("g", { class: "north", transform: `translate(${maxX - 45} ${minY + 55})` },
      el("path", { d: "M0 -28 L10 6 L0 0 L-10 6 Z" }), el("text", { x: 0, y: 26, text: t("north") })));

    const byBuilding = new Map();
    for (const request of requests) {
      const name = buildingName(request);
      if (!byBuilding.has(name)) byBuilding.set(name, []);
      byBuilding.get(name).push(request);
    }
    for (const [name, spot] of spots) {
      const busy = byBuilding.has(name);
      layers.push(el("g", { class: `building${busy ? " busy" : ""}`, transform: `translate(${spot.x} ${spot.y})` },
        el("rect", { x: -40, y: -20, width: 80, height: 40, rx: 4 }),
        el("text", { y: 6, text: name.replace(/^(东区|西区)\s*/, "") })));
    }
    const markers = [];
    for (const [name, calls] of byBuilding) {
      const spot = spots.get(name);
      if (!spot) continue; // no building named: listed in the queue only
      calls.forEach((request, i) => {
        const x = spot.x - ((calls.length - 1) * 22) / 2 + i * 22, y = spot.y - 34;
        markers.push(el("g", {
          class: `marker ${priorityClass(request)} status-${request.status}${request.id === selectedId ? " selected" : ""}`,
          "data-id": request.id, transform: `translate(${x} ${y})`, onclick: () => this.onSelect(request.id),
        },
          el("title", { text: `${kindName(request.kind)} · ${statusName(request.status)} · ${place(request)}` }),
          request.status === "raised" ? el("circle", { class: "pulse", r: 20 }) : null,
          el("circle", { class: "dot", r: 10 })));
      });
    }
    this.svg.replaceChildren(this.svg.querySelector("title") ?? "", ...layers, ...markers);
    return projected;
  }
}

// -- the selected call ---------------------------------------------------------------------------------

function fact(label, value) {
  return value === null || value === undefined || value === "" ? [] : [el("dt", { text: label }), el("dd", { text: value })];
}

export function renderFacts(container, head, request, zone) {
  const a = request.assignment, v = request.visit;
  head.replaceChildren(
    el("span", { class: `kind big ${priorityClass(request)}`, text: kindName(request.kind) }),
    el("span", { class: "status", "data-testid": "detail-status", text: statusName(request.status) }),
    el("span", { class: "muted", text: `${t("priority")} ${request.priority}` }),
    el("span", { class: "muted mono", text: request.id.slice(0, 8) }));
  container.replaceChildren(
    ...fact(t("elder"), request.elder_id),
    ...fact(t("location"), place(request)),
    ...fact(t("position"), positionFact(request)),
    ...fact(t("channel"), channelName(request.channel) + (request.device_id ? ` · ${request.device_id}` : "")),
    ...fact(t("raised_at"), `${when(request.raised_at, zone)} · ${request.raised_by}`),
    ...(request.scheduled_for ? fact(t("scheduled_for"), `${clockDate(new Date(request.scheduled_for), zone)} ${when(request.scheduled_for, zone)}`) : []),
    ...fact(t("description"), request.description),
    ...fact(t("acknowledged"), request.acknowledged_at ? `${when(request.acknowledged_at, zone)} · ${request.acknowledged_by}` : null),
    ...fact(t("assignee"), a ? `${a.assignee_name || a.assignee_id} · ${a.accepted_at ? t("accepted") : t("not_accepted")}`
      + (a.override_reason ? ` · ${a.override_reason}` : "") : null),
    ...fact(t("eta"), request.eta ? when(request.eta, zone) : null),
    ...fact(t("visit"), v ? `${when(v.checked_in_at, zone)} · ${Math.round(v.distance_m)} m${v.override_reason ? ` · ${v.override_reason}` : ""}` : null),
    ...fact(t("escalation"), request.escalation_level ? `${rungName(request.escalated_to)} (${request.escalation_level})` : null),
    ...fact(t("disposition"), request.disposition ? dispositionName(request.disposition) : null),
    ...fact(t("cancel_reason"), request.cancel_reason),
    ...fact(t("feedback"), request.feedback ? `${"★".repeat(request.feedback.rating)} ${request.feedback.comment}` : null));
}

export function renderHistory(list, request, zone) {
  list.replaceChildren(...[...request.history].reverse().map((step) => el("li", {},
    el("span", { class: "mono", text: when(step.at, zone) }),
    el("span", { class: "status", text: statusName(step.status) }),
    el("span", { text: step.by }),
    step.note ? el("span", { class: "muted", text: step.note }) : null)));
}

export function renderElder(container, lookup) {
  if (lookup.state === "loading") return container.replaceChildren(el("p", { class: "muted", text: t("elder_loading") }));
  if (lookup.state === "missing") return container.replaceChildren(el("p", { class: "muted", "data-testid": "elder-missing", text: t("elder_missing") }));
  if (lookup.state !== "found") return container.replaceChildren(el("p", { class: "muted", text: t("elder_unavailable") }));
  const e = lookup.elder, a = e.address;
  const list = (items) => (items === null ? t("withheld") : items.join("、") || "–");
  container.replaceChildren(el("dl", { class: "facts elder", "data-testid": "elder-profile" },
    ...fact(t("elder"), e.name),
    ...fact(t("phone"), e.phone),
    ...fact(t("mobility"), e.mobility ? mobilityName(e.mobility) : null),
    ...fact(t("address"), a ? [a.building, a.unit, a.floor ? `${a.floor}${t("floor")}` : "", a.room].filter(Boolean).join(" ") : t("withheld")),
    ...fact(t("conditions"), list(e.conditions)),
    ...fact(t("allergies"), list(e.allergies))),
  el("ul", { class: "contacts" }, ...(e.contacts ?? []).map((c) => el("li", {},
    el("strong", { text: c.name }), el("span", { text: c.relation }), el("span", { class: "mono", text: c.phone }),
    c.holds_key ? el("span", { class: "tag", text: t("holds_key") }) : null))));
}

// -- actions -------------------------------------------------------------------------------------------
// Offered by status as the domain allows them (services/eldercare/domain/care_requests.py); the api
// still decides, and its refusal is shown as it comes.

const CANCELLABLE = ["raised", "acknowledged", "assigned", "en_route"];
const ESCALATABLE = ["raised", "acknowledged", "assigned", "en_route", "on_site"];
const CLOSE_WITHOUT_COMPLETING = ["handed_to_emergency_services", "no_access"];

function reasonForm(action, label, placeholder, onAct, extra = null) {
  const input = el("input", { type: "text", name: "reason", maxlength: 500, placeholder, "aria-label": placeholder });
  return el("form", { class: `act act-${action}`, "data-action": action, onsubmit: (event) => {
    event.preventDefault();
    onAct(action, { reason: input.value.trim(), extra: extra?.value });
  } }, extra, input, el("button", { type: "submit", class: action === "escalate" || action === "cancel" ? "warn" : "", text: label }));
}

export function renderActions(container, request, candidates, staff, onAct) {
  const parts = [];
  const s = request.status;
  if (s === "raised") {
    parts.push(el("button", { type: "button", class: "primary", "data-action": "acknowledge", text: t("act_acknowledge"),
      onclick: () => onAct("acknowledge", {}) }));
  }
  if (s === "raised" || s === "acknowledged") {
    const rows = candidates === null ? [el("li", { class: "muted", text: t("elder_loading") })]
      : candidates.length === 0 ? [el("li", { class: "muted", text: t("no_candidates") })]
      : candidates.map((c) => el("li", { class: "candidate", "data-assignee": c.assignee_id },
        el("div", {}, el("strong", { text: c.name || c.assignee_id }),
          el("span", { class: "reasons", text: c.reasons.map(candidateReason).join(" · ") })),
        el("button", { type: "button", class: "primary", "data-action": "assign", text: t("act_assign"),
          onclick: () => onAct("assign", { assignee_id: c.assignee_id, assignee_kind: c.assignee_kind }) })));
    parts.push(el("div", { class: "assign" }, el("h4", { text: t("candidates") }), el("ol", { class: "candidates" }, ...rows)));
    const pick = el("select", { name: "assignee", "aria-label": t("override_pick") },
      el("option", { value: "", text: t("override_pick") }),
      ...staff.map((m) => el("option", { value: m.id, text: `${m.name} (${m.id})${m.on_shift ? "" : ` · ${t("off_shift")}`}` })));
    parts.push(reasonForm("override", t("act_override"), t("override_reason"), onAct, pick));
  }
  if (ESCALATABLE.includes(s) && request.escalation_level < 3) {
    parts.push(reasonForm("escalate", t("act_escalate"), t("escalate_reason"), onAct));
  }
  if (CANCELLABLE.includes(s)) parts.push(reasonForm("cancel", t("act_cancel"), t("cancel_reason_input"), onAct));
  if (s !== "closed" && s !== "cancelled") {
    const allowed = s === "completed" ? DISPOSITION_KEYS : CLOSE_WITHOUT_COMPLETING;
    const disposition = el("select", { name: "disposition", "aria-label": t("disposition") },
      ...allowed.map((d) => el("option", { value: d, text: dispositionName(d) })));
    parts.push(reasonForm("close", t("act_close"), t("close_note"), onAct, disposition));
  }
  container.replaceChildren(...parts);
}
