"""A staffing plan's figures as CSV and its chart as SVG (matplotlib, drawn in memory: no files, no display).

The chart has two panels: the distribution of waits for a caregiver (raised → at the door) on each shift
under the plan's roster; and, for every roster the run simulated, each shift's share of emergencies
acknowledged within the SLA (with its confidence interval) against the number of staff on that shift."""
import csv
import io
import math

import matplotlib
from matplotlib.figure import Figure

from services.eldercare.domain.staffing import Report, Roster, Targets


def figures_csv(report: Report, shortfalls: dict[str, list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["shift", "operators", "caregivers", "kind", "calls", "unserved", "wait_p50_seconds",
                     "wait_p95_seconds", "emergencies", "emergency_acknowledged_share", "share_low", "share_high",
                     "escalations", "operator_utilisation", "caregiver_utilisation", "shortfalls"])
    for shift in report.shifts:
        share = shift.emergency_acknowledged
        for waits in shift.waits:
            writer.writerow([shift.shift, shift.operators, shift.caregivers, waits.kind, waits.calls, waits.unserved,
                             _number(waits.p50_seconds), _number(waits.p95_seconds), shift.emergencies,
                             _number(share.value), _number(share.low), _number(share.high), shift.escalations,
                             f"{shift.operator_utilisation:.4f}", f"{shift.caregiver_utilisation:.4f}",
                             "; ".join(shortfalls.get(shift.shift, []))])
    return out.getvalue()


def _number(value: float) -> str:
    return "" if math.isnan(value) else "inf" if math.isinf(value) else f"{value:.4f}"


def chart_svg(report: Report, tried: list[tuple[Roster, Report]], targets: Targets) -> str:
    figure = Figure(figsize=(10, 4.2))
    waits, shares = figure.subplots(1, 2)
    for shift in report.shifts:
        minutes = [w / 60 for w in shift.wait_histogram if math.isfinite(w)]
        if minutes:
            waits.hist(minutes, bins=40, range=(0, max(5.0, _quantile(minutes, 0.99))), histtype="step",
                       label=f"{shift.shift} ({shift.operators} op + {shift.caregivers} cg)")
    waits.set_xlabel("wait for a caregiver, raised → at the door (minutes)")
    waits.set_ylabel("calls")
    waits.set_title("Wait distribution by shift")
    waits.legend(fontsize="small")
    names = [s.shift for s in report.shifts]
    for name in names:
        points = sorted({(s.operators + s.caregivers, s.emergency_acknowledged) for _, r in tried for s in r.shifts
                         if s.shift == name and s.emergencies}, key=lambda p: p[0])
        if points:
            x = [p[0] for p in points]
            y = [p[1].value for p in points]
            errors = [[max(0.0, p[1].value - max(0.0, p[1].low)) for p in points],
                      [max(0.0, min(1.0, p[1].high) - p[1].value) for p in points]]
            shares.errorbar(x, y, yerr=errors, marker="o", capsize=3, label=name)
    shares.axhline(targets.emergency_acknowledged_share, linestyle="--", color="grey", label="target")
    shares.set_xlabel("staff on the shift (operators + caregivers)")
    shares.set_ylabel("emergencies acknowledged within SLA")
    shares.set_title("SLA share against staff count")
    shares.legend(fontsize="small")
    figure.suptitle(report.profile_source, fontsize="small")
    figure.tight_layout()
    out = io.StringIO()
    # A fixed salt for the SVG's element ids: the same plan draws the same bytes.
    with matplotlib.rc_context({"svg.hashsalt": "linli-staffing"}):
        figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
