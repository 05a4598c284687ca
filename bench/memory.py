"""Memory of each process: resident at idle (after start-up and seeding) and its peak after every load of
the run (VmRSS and VmHWM from /proc/<pid>/status), next to the bare process that does the same job."""
from bench.common import MEBIBYTES, Bench, Row

# Linli process -> the bare process doing its job (none for the database).
PAIRS = {"eldercare-api": "bare-grpc", "gateway": "bare-http", "workers": "bare-nameko", "secantusdb": None}


def rows(bench: Bench) -> list[Row]:
    plat = bench.platform()
    idle, now = plat.idle_memory, plat.process_memory()
    out = []
    names = [name for name in PAIRS if name in idle] + [n for n in idle if n not in PAIRS and not n.startswith("bare-")]
    for name in names:
        bare = PAIRS.get(name)
        out.append(Row("memory", f"{name}: resident at idle", MEBIBYTES, [idle[name]["VmRSS"]],
                       bare or "", [idle[bare]["VmRSS"]] if bare in idle else []))
        if name in now:
            out.append(Row("memory", f"{name}: peak after the loads", MEBIBYTES, [now[name]["VmHWM"]],
                           bare or "", [now[bare]["VmHWM"]] if bare in now else [],
                           note="the database holds every document the run wrote" if name == "secantusdb" else ""))
    return out
