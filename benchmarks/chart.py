#!/usr/bin/env python3
"""Turns OverheadBenchmark's JMH JSON into a Markdown table and an SVG chart of slow-down ratios.

    python3 benchmarks/chart.py overhead.json benchmarks/overhead.svg > table.md

Each configuration's time per operation is divided by the same workload's time with no knocker.
"""
import json
import sys

WORKLOADS = ["aLottaLock", "someLock", "aLittleLock"]
POLLINGS = ["10us", "100us", "1ms", "10ms"]
DOORS = ["jvm", "lock"]
COLOURS = {"jvm": "#4477aa", "lock": "#ee6677"}


def load(path):
    scores = {}
    for run in json.load(open(path)):
        workload = run["benchmark"].rsplit(".", 1)[1]
        knocker = run["params"]["knocker"]
        metric = run["primaryMetric"]
        error = metric["scoreError"]  # "NaN" when a run has a single iteration
        scores[(workload, knocker)] = (metric["score"], error if isinstance(error, (int, float)) else float("nan"))
    return scores


def configs(scores):
    """The (workload, door, polling) measured, in table order; a smoke run measures only some."""
    return [(w, d, p) for w in WORKLOADS for d in DOORS for p in POLLINGS
            if (w, "none") in scores and (w, f"{d}@{p}") in scores]


def table(scores):
    lines = ["| workload | knocker | time per op (us) | ratio to no knocker |", "|---|---|---:|---:|"]
    for workload in WORKLOADS:
        if (workload, "none") in scores:
            base, error = scores[(workload, "none")]
            lines.append(f"| {workload} | none | {base:.2f} ± {error:.2f} | 1.000 |")
        for w, door, polling in configs(scores):
            if w == workload:
                score, error = scores[(w, f"{door}@{polling}")]
                base = scores[(w, "none")][0]
                lines.append(f"| {w} | {door} @ {polling} | {score:.2f} ± {error:.2f} | {score / base:.3f} |")
    return "\n".join(lines)


def svg(scores):
    width, height, left, top, bottom = 760, 360, 60, 40, 60
    plot_w, plot_h = width - left - 20, height - top - bottom
    ratios = {(w, f"{d}@{p}"): scores[(w, f"{d}@{p}")][0] / scores[(w, "none")][0]
              for w, d, p in configs(scores)}
    top_ratio = max([1.1] + [r * 1.05 for r in ratios.values()])
    group_w = plot_w / len(WORKLOADS)
    bar_w = group_w / (len(DOORS) * len(POLLINGS) + 2)
    y = lambda r: top + plot_h - (r / top_ratio) * plot_h
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="11">',
           f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="14">'
           'Knocker overhead: time per op over time with no knocker (4 threads, 2 cores)</text>']
    for tick in [0, 0.25, 0.5, 0.75, 1.0, top_ratio]:
        out.append(f'<line x1="{left}" x2="{width - 20}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
                   f'stroke="{"#000" if tick == 1.0 else "#ddd"}"/>')
        out.append(f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:.2f}</text>')
    for g, workload in enumerate(WORKLOADS):
        x0 = left + g * group_w + bar_w
        for d, door in enumerate(DOORS):
            for p, polling in enumerate(POLLINGS):
                r = ratios.get((workload, f"{door}@{polling}"))
                if r is None:
                    continue
                x = x0 + (d * len(POLLINGS) + p) * bar_w
                out.append(f'<rect x="{x:.1f}" y="{y(r):.1f}" width="{bar_w * 0.85:.1f}" '
                           f'height="{y(0) - y(r):.1f}" fill="{COLOURS[door]}" '
                           f'fill-opacity="{0.4 + 0.15 * p:.2f}"><title>{workload} {door}@{polling}: '
                           f'{r:.3f}</title></rect>')
                out.append(f'<text x="{x + bar_w * 0.42:.1f}" y="{y(0) + 12:.1f}" text-anchor="middle" '
                           f'font-size="8">{polling}</text>')
        out.append(f'<text x="{left + g * group_w + group_w / 2:.1f}" y="{y(0) + 30:.1f}" '
                   f'text-anchor="middle" font-size="12">{workload}</text>')
    for d, door in enumerate(DOORS):
        out.append(f'<rect x="{left + 10 + d * 120}" y="{height - 18}" width="10" height="10" '
                   f'fill="{COLOURS[door]}"/><text x="{left + 24 + d * 120}" y="{height - 9}">'
                   f'{door} door</text>')
    out.append("</svg>")
    return "\n".join(out)


if __name__ == "__main__":
    scores = load(sys.argv[1])
    with open(sys.argv[2], "w") as chart:
        chart.write(svg(scores) + "\n")
    print(table(scores))
