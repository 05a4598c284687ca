// The administrators' staffing page: builds a plan request, streams its progress
// (POST /v1/roster-plans/progress, server-sent events read from the response body), shows the figures,
// the chart (an SVG image from a data: URL, never inserted as markup) and JSON / CSV downloads.
"use strict";

const $ = (id) => document.getElementById(id);
const DEFAULT_SHIFTS = [["day", 8, 16, 2, 10, ""], ["evening", 16, 0, 1, 6, ""], ["night", 0, 8, 1, 6, ""]];

function cell(value, type, cls) {
  const td = document.createElement("td");
  const input = document.createElement("input");
  input.type = type;
  input.value = value;
  if (cls) input.className = cls;
  if (type === "number") input.min = "0";
  td.appendChild(input);
  return td;
}

function addShift(values) {
  const tr = document.createElement("tr");
  const [name, from, to, operators, caregivers, skills] = values;
  tr.append(cell(name, "text"), cell(from, "number"), cell(to, "number"), cell(operators, "number"),
            cell(caregivers, "number"), cell(skills, "text", "skills"));
  const remove = document.createElement("button");
  remove.type = "button";
  remove.textContent = "remove";
  remove.addEventListener("click", () => tr.remove());
  const td = document.createElement("td");
  td.appendChild(remove);
  tr.appendChild(td);
  $("shifts").querySelector("tbody").appendChild(tr);
}

function body() {
  const shifts = [...$("shifts").querySelectorAll("tbody tr")].map((tr) => {
    const v = [...tr.querySelectorAll("input")].map((i) => i.value.trim());
    return {
      name: v[0], starts_hour: Number(v[1]), ends_hour: Number(v[2]), operators: Number(v[3]),
      caregivers: Number(v[4]),
      skill_sets: v[5] ? v[5].split("/").map((s) => s.split(",").map((k) => k.trim()).filter(Boolean)) : [],
    };
  });
  return {
    community_id: $("community").value.trim(), shifts, search: $("search").checked,
    targets: {
      emergency_acknowledged_share: Number($("target-share").value),
      emergency_wait_p95_seconds: Number($("target-emergency").value) * 60,
      routine_wait_p95_seconds: Number($("target-routine").value) * 60,
    },
    days: Number($("days").value), seed: Number($("seed").value), time_limit_seconds: Number($("time-limit").value),
    use_default_profile: $("default-profile").checked, default_profile_elders: Number($("elders").value),
  };
}

function text(parent, tag, content, cls) {
  const el = document.createElement(tag);
  el.textContent = content;
  if (cls) el.className = cls;
  parent.appendChild(el);
  return el;
}

const minutes = (s) => (s >= 1e11 ? "never" : (s / 60).toFixed(1));
const percent = (x) => (x * 100).toFixed(1) + "%";

function showProblem(message) {
  $("problem").hidden = false;
  $("problem").textContent = message;
}

function showPlan(plan) {
  $("result").hidden = false;
  const profile = $("profile");
  profile.textContent = "Profile: " + plan.profile_source + ` — ${plan.days_simulated} of ${plan.days_planned} days, seed ${plan.seed}`;
  profile.className = plan.profile_is_default ? "default-profile" : "";
  const verdict = $("verdict");
  if (plan.searched) {
    verdict.textContent = plan.meets_targets ? `Smallest roster meeting the targets (after ${plan.rosters_tried} rosters)`
      : "No roster meeting the targets was found in time";
  } else {
    verdict.textContent = plan.meets_targets ? "This roster meets the targets" : "This roster misses targets";
  }
  verdict.className = plan.meets_targets ? "ok" : "short";
  const tbody = $("figures").querySelector("tbody");
  tbody.replaceChildren();
  plan.figures.forEach((f) => {
    const tr = document.createElement("tr");
    const share = f.emergency_acknowledged_share;
    text(tr, "td", f.shift);
    text(tr, "td", String(f.operators));
    text(tr, "td", String(f.caregivers));
    text(tr, "td", share.days ? `${percent(share.value)} (${percent(share.low)} – ${percent(share.high)})` : "no emergencies");
    text(tr, "td", String(f.escalations));
    text(tr, "td", f.waits.map((w) => `${w.kind} ${minutes(w.p50_seconds)} / ${minutes(w.p95_seconds)}`).join("; "));
    text(tr, "td", `${percent(f.operator_utilisation)} / ${percent(f.caregiver_utilisation)}`);
    text(tr, "td", f.shortfalls.join("; "), "misses");
    tbody.appendChild(tr);
  });
  const smaller = $("smaller");
  smaller.replaceChildren();
  if (plan.smaller.length) {
    text(smaller, "h3", "One person fewer");
    const ul = document.createElement("ul");
    plan.smaller.forEach((s) => text(ul, "li", `one ${s.role} fewer on ${s.shift}: ${s.shortfalls.join("; ")}`));
    smaller.appendChild(ul);
  }
  const svg = new Blob([plan.chart_svg], { type: "image/svg+xml" });
  $("chart").src = URL.createObjectURL(svg);
  $("download-svg").href = $("chart").src;
  $("download-csv").href = URL.createObjectURL(new Blob([plan.figures_csv], { type: "text/csv" }));
  const figures = Object.assign({}, plan);
  delete figures.chart_svg;
  delete figures.figures_csv;
  $("download-json").href = URL.createObjectURL(new Blob([JSON.stringify(figures, null, 2)], { type: "application/json" }));
}

async function run(event) {
  event.preventDefault();
  $("problem").hidden = true;
  $("result").hidden = true;
  $("progress").hidden = false;
  $("progress-bar").removeAttribute("value");
  $("progress-text").textContent = "starting …";
  $("run").disabled = true;
  sessionStorage.setItem("linli-staffing-token", $("token").value);
  try {
    const response = await fetch("/v1/roster-plans/progress", {
      method: "POST",
      headers: { "Authorization": "Bearer " + $("token").value.trim(), "Content-Type": "application/json" },
      body: JSON.stringify(body()),
    });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      const fields = (problem.errors || []).map((e) => `${e.field}: ${e.message}`).join("; ");
      showProblem(`${problem.title || response.status}: ${problem.detail || ""}${fields ? " (" + fields + ")" : ""}`);
      return;
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const chunk = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const kind = (chunk.match(/^event: (.*)$/m) || [])[1];
        const data = JSON.parse((chunk.match(/^data: (.*)$/m) || [, "null"])[1]);
        if (kind === "progress") {
          $("progress-text").textContent = data.message;
          if (data.total) $("progress-bar").value = data.done / data.total;
        } else if (kind === "plan") {
          $("progress-bar").value = 1;
          $("progress-text").textContent = "done";
          showPlan(data);
        } else if (kind === "problem") {
          showProblem(data.detail || "the run failed");
        }
      }
    }
  } catch (error) {
    showProblem("the gateway could not be reached: " + error.message);
  } finally {
    $("run").disabled = false;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  DEFAULT_SHIFTS.forEach(addShift);
  $("token").value = sessionStorage.getItem("linli-staffing-token") || "";
  $("add-shift").addEventListener("click", () => addShift(["", 0, 0, 1, 1, ""]));
  $("plan-form").addEventListener("submit", run);
});
