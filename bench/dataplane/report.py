"""One table (every system, and Overcast's ratio to each peer), as text, JSON and a PNG."""

import json
import os

SUBJECT = "overcast"

# (key, label, unit, path into a system's results, scale, higher is better)
METRICS = [
    ("tcp1_gbps", "TCP, 1 stream", "Gb/s", ("tcp1", "gbps"), 1, True),
    ("tcp2_gbps", "TCP, 2 streams", "Gb/s", ("tcp2", "gbps"), 1, True),
    ("udp64_kpps", "UDP 64 B received", "kpps", ("udp64", "received_pps"), 1e-3, True),
    ("rtt_avg_us", "ping RTT avg", "µs", ("ping", "avg_us"), 1, False),
    ("rtt_p99_us", "ping RTT p99", "µs", ("ping", "p99_us"), 1, False),
    ("cpu_switch_s_per_gbit", "CPU s/Gb, switch", "s/Gb", ("tcp1", "switch_cpu_s_per_gbit"), 1,
     False),
    ("cpu_machine_s_per_gbit", "CPU s/Gb, machine", "s/Gb", ("tcp1", "machine_cpu_s_per_gbit"),
     1, False),
]


def _value(results, path, scale):
    node = results
    for key in path:
        if not isinstance(node, dict) or node.get(key) is None:
            return None
        node = node[key]
    return node * scale


def build_table(systems, order):
    """Rows of values per system and Overcast's ratio (Overcast ÷ peer) to each peer."""
    peers = [s for s in order if s != SUBJECT]
    rows = []
    for key, label, unit, path, scale, higher in METRICS:
        values = {s: _value(systems.get(s, {}).get("results"), path, scale) for s in order}
        ratios = {}
        for peer in peers:
            ours, theirs = values.get(SUBJECT), values.get(peer)
            ratios[peer] = ours / theirs if ours is not None and theirs else None
        rows.append({"metric": key, "label": label, "unit": unit,
                     "better": "higher" if higher else "lower", "values": values,
                     "overcast_ratio": ratios})
    return rows


def _fmt(value):
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"


def format_table(rows, systems, order):
    peers = [s for s in order if s != SUBJECT]
    header = ["metric", "unit"] + [systems[s]["title"] for s in order] + \
             [f"OC ÷ {systems[p]['title']}" for p in peers]
    lines = [header]
    for row in rows:
        lines.append([row["label"], row["unit"]] + [_fmt(row["values"][s]) for s in order] +
                     [(_fmt(row["overcast_ratio"][p]) + "×") if row["overcast_ratio"][p]
                      is not None else "—" for p in peers])
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = ["| " + " | ".join(c.ljust(w) for c, w in zip(line, widths)) + " |" for line in lines]
    out.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    notes = ["OC ÷ peer: Overcast's figure divided by the peer's (higher is better for "
             "throughput and packet rate, lower for RTT and CPU)."]
    for s in order:
        if systems[s].get("errors"):
            for what, err in systems[s]["errors"].items():
                notes.append(f"{systems[s]['title']}: {what} failed: {err}")
    return "\n".join(out + [""] + notes)


def write_json(path, run_info, systems, rows):
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"run": run_info, "systems": systems, "table": rows}, f, indent=2)
        f.write("\n")


def write_png(path, rows, systems, order, subtitle):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    colors = {"overcast": "#1f77b4", "overcast-nosg": "#6baed6", "overcast-routed": "#9ecae1", "kernel": "#2ca02c", "ovs": "#ff7f0e", "veth": "#7f7f7f"}
    cols = 4
    nrows = (len(rows) + cols - 1) // cols
    fig, axes = plt.subplots(nrows, cols, figsize=(4.2 * cols, 3.6 * nrows))
    axes = [ax for line in axes for ax in line]
    for ax, row in zip(axes, rows):
        names = [systems[s]["title"] for s in order]
        values = [row["values"][s] or 0 for s in order]
        bars = ax.bar(range(len(order)), values, color=[colors.get(s, "#999") for s in order])
        for bar, s in zip(bars, order):
            v = row["values"][s]
            ax.annotate(_fmt(v), (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        ha="center", va="bottom", fontsize=8)
        ax.set_xticks(range(len(order)))
        ax.set_xticklabels(names, rotation=20, ha="right", fontsize=8)
        ax.set_title(f"{row['label']} ({row['unit']}, {row['better']} is better)", fontsize=9)
    for ax in axes[len(rows):]:
        ax.axis("off")
    fig.suptitle("Overcast data plane vs. peers — " + subtitle, fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def output_paths(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    return (os.path.join(out_dir, "results.json"), os.path.join(out_dir, "results.png"),
            os.path.join(out_dir, "results.txt"))
