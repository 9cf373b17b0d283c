"""`--timeline FILE.html`: a self-contained page (no network) showing a report's schedule.

    write_timeline(report, "timeline.html")

The page holds its data as JSON and draws it with a small script: one lane per core group (and
one for the host nodes under regions and exact) over time; tasks coloured by kernel, the share
of their cycles spent on masked iterations shaded at their end; tasks with a fault, a race or a
benign overlap outlined and marked (every task of every pair in conflict); a click on a task (or
a host node) highlights what it waits for and what waits for it, and lists them
(`FILE.html#task=N` opens with task N selected); the makespans of the three dependency models
side by side.
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING

from . import deps as dependencies
from . import runtime_hooks

if TYPE_CHECKING:
    from .report import JSON

_MASKED = runtime_hooks.COUNTERS.index("masked_iterations")
FAULT, RACE, BENIGN = 1, 2, 4  # task flags


def timeline_data(report) -> JSON:
    """What the page draws (plain JSON values)."""
    run, s, m = report.run, report.schedule, report.machine
    kernel, index = run.task_kernel.tolist(), run.task_index.tolist()
    seq = {(run.kernels[k], i): n for n, (k, i) in enumerate(zip(kernel, index, strict=True))}
    flags = [0] * run.tasks
    for f in run.faults:
        n = seq.get((f.kernel, f.task))
        if n is not None:
            flags[n] |= FAULT
    for r in run.races:  # both tasks of every pair in conflict (sequence numbers; -1: unknown)
        for t, o, benign in r.pairs:
            for n in (t, o):
                if n >= 0:
                    flags[n] |= BENIGN if benign else RACE
    masked_cycles = run.counters[:, _MASKED] * m.cost[_MASKED] if run.tasks else []
    cycles = s.cycles.tolist()
    tasks = [
        [
            int(s.core[t]),
            float(s.start[t]),
            cycles[t],
            kernel[t],
            index[t],
            float(masked_cycles[t]) / cycles[t] if cycles[t] > 0 else 0.0,
            flags[t],
        ]
        for t in range(run.tasks)
    ]
    nodes: list[list[str | int]] = []  # per graph node: ["t", task] or ["h", host index]
    host: list[list[float]] = []  # per host node: [start, cycles]
    preds: list[list[int]] = []  # per graph node: its predecessors under the chosen model
    graph = report.graph
    if report.deps != "barrier" and graph is not None and s.node_start is not None:
        start, end = s.node_start.tolist(), s.node_end.tolist()
        for v, t in enumerate(graph.nodes.task.tolist()):
            if t == dependencies.HOST:
                nodes.append(["h", len(host)])
                host.append([start[v], end[v] - start[v]])
            else:
                nodes.append(["t", t])
        preds = graph.preds[report.deps].lists()
    return {
        "machine": m.name,
        "clock_ghz": m.clock_ghz,
        "core_groups": m.core_groups,
        "model": report.deps,
        "makespan": s.makespan,
        "makespans": report.makespans(),
        "kernels": list(run.kernels),
        "tasks": tasks,
        "host": host,
        "nodes": nodes,
        "preds": preds,
    }


def render(report) -> str:
    data = json.dumps(timeline_data(report), separators=(",", ":"))
    title = html.escape(f"emu {report.machine.name}: {report.tasks} tasks, {report.deps}")
    # "</" cannot appear inside the script element
    return _PAGE.replace("@TITLE@", title).replace("@DATA@", data.replace("</", "<\\/"))


def write_timeline(report, path: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(render(report))


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>@TITLE@</title>
<style>
body { font: 13px system-ui, sans-serif; margin: 12px; color: #222; }
h1 { font-size: 16px; margin: 0 0 8px; }
#models { display: flex; gap: 16px; margin: 8px 0 12px; }
.model { border: 1px solid #ccc; padding: 6px 10px; min-width: 180px; }
.model.chosen { border: 2px solid #333; }
.model .bar { height: 8px; background: #5b8def; margin-top: 4px; }
#legend span { display: inline-block; margin-right: 12px; }
#legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px;
            vertical-align: -2px; }
#chart { position: relative; margin-top: 8px; }
.lane { position: relative; height: 18px; border-bottom: 1px solid #eee; }
.label { position: absolute; left: 0; width: 90px; font-size: 11px; line-height: 18px; }
.track { position: absolute; left: 96px; right: 0; top: 0; bottom: 0; }
.task, .host { position: absolute; top: 2px; height: 14px; box-sizing: border-box;
               border: 1px solid rgba(0, 0, 0, .35); cursor: pointer; overflow: hidden; }
.host { background: #bbb; }
.masked { position: absolute; top: 0; bottom: 0; right: 0;
          background: repeating-linear-gradient(45deg, rgba(0, 0, 0, .45) 0 2px,
                                                transparent 2px 4px); }
.fault { border: 2px solid #d00; }
.race { border: 2px dashed #f80; }
.benign { border: 2px dotted #888; }
.mark { position: absolute; right: 1px; top: -2px; font-size: 11px; font-weight: bold; }
.selected { outline: 3px solid #000; z-index: 2; }
.pred { outline: 3px solid #0a0; z-index: 1; }
.succ { outline: 3px solid #a0a; z-index: 1; }
#info { margin-top: 10px; min-height: 3em; white-space: pre-wrap; }
</style>
</head>
<body>
<h1>@TITLE@</h1>
<div id="models"></div>
<div id="legend"></div>
<div id="chart"></div>
<div id="info">Click a task: what it waits for (green) and what waits for it (purple).</div>
<script type="application/json" id="data">@DATA@</script>
<script>
"use strict";
const D = JSON.parse(document.getElementById("data").textContent);
const us = c => (c / (D.clock_ghz * 1e3)).toPrecision(4) + " µs";
function colour(k) { return "hsl(" + ((k * 137.5) % 360) + ", 60%, 62%)"; }
function el(tag, cls, parent) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (parent) parent.appendChild(e);
  return e;
}
const biggest = Math.max(1, ...Object.values(D.makespans).filter(v => v !== null));
const models = document.getElementById("models");
for (const [name, cycles] of Object.entries(D.makespans)) {
  const box = el("div", "model" + (name === D.model ? " chosen" : ""), models);
  box.dataset.model = name;
  box.textContent = cycles === null ? name + ": no footprints"
    : name + ": " + Math.round(cycles) + " cycles (" + us(cycles) + ")";
  if (cycles !== null) el("div", "bar", box).style.width = (100 * cycles / biggest) + "%";
}
const legend = document.getElementById("legend");
D.kernels.forEach((name, k) => {
  const s = el("span", "", legend);
  el("i", "", s).style.background = colour(k);
  s.appendChild(document.createTextNode(name));
});
const chart = document.getElementById("chart");
const span = Math.max(D.makespan, 1);
const lanes = [];
for (let c = 0; c < D.core_groups; c++) lanes.push(lane("core group " + c));
const hostLane = D.host.length ? lane("host") : null;
function lane(text) {
  const l = el("div", "lane", chart);
  el("div", "label", l).textContent = text;
  return el("div", "track", l);
}
function place(box, start, dur) {
  box.style.left = (100 * start / span) + "%";
  box.style.width = Math.max(0.05, 100 * dur / span) + "%";
}
const taskBoxes = D.tasks.map((t, n) => {
  const [core, start, dur, k, index, masked, flags] = t;
  const b = el("div", "task", lanes[core]);
  place(b, start, dur);
  b.style.background = colour(k);
  b.dataset.task = n;
  if (masked > 0) el("div", "masked", b).style.width = (100 * masked) + "%";
  if (flags & 1) { b.classList.add("fault"); el("span", "mark", b).textContent = "!"; }
  if (flags & 2) { b.classList.add("race"); el("span", "mark", b).textContent = "R"; }
  else if (flags & 4) { b.classList.add("benign"); el("span", "mark", b).textContent = "="; }
  b.title = D.kernels[k] + ", task " + index + ": " + Math.round(dur) + " cycles from "
    + Math.round(start) + (masked > 0 ? ", " + (100 * masked).toFixed(1) + "% masked" : "")
    + (flags & 1 ? ", FAULT" : "") + (flags & 2 ? ", RACE" : "")
    + (flags & 4 ? ", benign overlap" : "");
  return b;
});
const hostBoxes = D.host.map((h, i) => {
  const b = el("div", "host", hostLane);
  place(b, h[0], h[1]);
  b.title = "host, " + Math.round(h[1]) + " cycles from " + Math.round(h[0]);
  return b;
});
const boxOf = v => D.nodes[v][0] === "t" ? taskBoxes[D.nodes[v][1]] : hostBoxes[D.nodes[v][1]];
const nodeOf = new Map();
D.nodes.forEach((n, v) => nodeOf.set(boxOf(v), v));
const succs = D.nodes.map(() => []);
D.preds.forEach((ps, v) => ps.forEach(u => succs[u].push(v)));
function describe(v) {
  if (D.nodes[v][0] === "h") return "host node " + D.nodes[v][1];
  const t = D.tasks[D.nodes[v][1]];
  return D.kernels[t[3]] + ", task " + t[4];
}
chart.addEventListener("click", ev => select(ev.target.closest(".task, .host")));
function select(box) {
  for (const e of chart.querySelectorAll(".selected, .pred, .succ"))
    e.classList.remove("selected", "pred", "succ");
  if (!box) return;
  box.classList.add("selected");
  const info = document.getElementById("info");
  const v = nodeOf.get(box);
  if (v === undefined) { info.textContent = box.title + " (barrier: no edges)"; return; }
  D.preds[v].forEach(u => boxOf(u).classList.add("pred"));
  succs[v].forEach(w => boxOf(w).classList.add("succ"));
  info.textContent = describe(v) + " (" + box.title + ")\\nwaits for: "
    + (D.preds[v].map(describe).join("; ") || "nothing")
    + "\\nwaited for by: " + (succs[v].map(describe).join("; ") || "nothing");
}
// timeline.html#task=N opens with task N selected
const wanted = /^#task=(\\d+)$/.exec(location.hash);
if (wanted && taskBoxes[+wanted[1]]) select(taskBoxes[+wanted[1]]);
</script>
</body>
</html>
"""

__all__ = ["render", "timeline_data", "write_timeline"]
