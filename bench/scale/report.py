"""The sweep's table (one row per cloud size), each cost's growth, JSON and a PNG chart."""

import json
import math
import os

# (key, label, path into one point's result, scale)
COLUMNS = [
    ("hosts", "hosts", ("shape", "hosts"), 1),
    ("networks", "networks", ("shape", "networks"), 1),
    ("ports", "ports", ("shape", "ports"), 1),
    ("converge_s", "converge s", ("build", "converge_seconds"), 1),
    ("p50_ms", "p50 ms", ("churn", "latency_ms", "p50"), 1),
    ("p95_ms", "p95 ms", ("churn", "latency_ms", "p95"), 1),
    ("p99_ms", "p99 ms", ("churn", "latency_ms", "p99"), 1),
    ("max_ms", "max ms", ("churn", "latency_ms", "max"), 1),
    ("rate", "changes/s", ("churn", "achieved_rate"), 1),
    ("msgs_per_change", "msgs/change", ("churn", "messages_per_change"), 1),
    ("bytes_per_change", "bytes/change", ("churn", "bytes_per_change"), 1),
    ("entries_per_host", "entries/host", ("churn", "views", "entries_mean"), 1),
    ("ideal_per_host", "ideal/host", ("churn", "views", "ideal_entries_mean"), 1),
    ("state_ratio", "worst held/ideal", ("churn", "views", "worst_entries_ratio"), 1),
    ("kib_per_host", "KiB/host", ("churn", "views", "bytes_mean"), 1 / 1024),
    ("rss_mib", "ctl RSS MiB", ("controller", "after_churn", "peak_rss_bytes"), 1 / 2**20),
    ("cpu_pct", "ctl CPU % churn", ("controller", "churn_cpu_percent"), 1),
    ("store_mib", "store MiB", ("store_bytes",), 1 / 2**20),
]

# The costs whose growth the sweep shows, against the size that varies.
GROWTH = [("converge_s", "convergence time"), ("p99_ms", "p99 change latency"),
          ("bytes_per_change", "bytes per change"), ("msgs_per_change", "messages per change"),
          ("entries_per_host", "entries per host"), ("rss_mib", "controller RSS")]


def value(result, path, scale=1):
    node = result
    for key in path:
        if not isinstance(node, dict) or node.get(key) is None:
            return None
        node = node[key]
    return node * scale


def row(result):
    return {key: value(result, path, scale) for key, _, path, scale in COLUMNS}


def fmt(v):
    if v is None:
        return "—"
    if isinstance(v, int) or (isinstance(v, float) and v.is_integer() and abs(v) >= 100):
        return f"{int(v):,}"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def format_table(rows):
    """A Markdown table: the same text goes to the terminal and to docs/PERFORMANCE.md."""
    header = [label for _, label, _, _ in COLUMNS]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---:" for _ in header) + "|"]
    for r in rows:
        lines.append("| " + " | ".join(fmt(r[key]) for key, _, _, _ in COLUMNS) + " |")
    return "\n".join(lines)


def growth_exponent(x1, y1, x2, y2):
    """k in y ~ x^k between two points; None when it cannot be told (zero or missing)."""
    if None in (x1, y1, x2, y2) or x1 <= 0 or x2 <= 0 or y1 <= 0 or y2 <= 0 or x1 == x2:
        return None
    return math.log(y2 / y1) / math.log(x2 / x1)


def describe_growth(k):
    if k is None:
        return "n/a"
    if k < 0.25:
        return f"flat (x^{k:.2f})"
    if k < 0.75:
        return f"sublinear (x^{k:.2f})"
    if k < 1.25:
        return f"linear (x^{k:.2f})"
    return f"superlinear (x^{k:.2f})"


def growth(rows, axis):
    """Each cost's exponent from the smallest to the largest point of a sweep along `axis`."""
    points = sorted((r for r in rows if r.get(axis)), key=lambda r: r[axis])
    out = {}
    if len(points) < 2:
        return out
    first, last = points[0], points[-1]
    for key, label in GROWTH:
        k = growth_exponent(first[axis], first.get(key), last[axis], last.get(key))
        out[key] = {"label": label, "exponent": k, "says": describe_growth(k)}
    return out


def format_growth(sweeps):
    lines = []
    for axis, table in sweeps.items():
        if not table:
            continue
        lines.append(f"growth with {axis}:")
        for key, g in table.items():
            lines.append(f"  {g['label']:<22} {g['says']}")
    return "\n".join(lines)


def write_json(path, document):
    with open(path, "w", encoding="utf-8") as out:
        json.dump(document, out, indent=2)
        out.write("\n")


def write_chart(path, sweeps_rows):
    """Latency (p50, p99) and convergence time against cloud size, one panel per sweep.
    Returns False without matplotlib (the table and JSON are still written)."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    axes_names = [a for a, rows in sweeps_rows.items() if len(rows) >= 1]
    if not axes_names:
        return False
    fig, axes = plt.subplots(1, len(axes_names), figsize=(6 * len(axes_names), 4.5), squeeze=False)
    for ax, axis in zip(axes[0], axes_names):
        rows = sorted(sweeps_rows[axis], key=lambda r: r[axis])
        xs = [r[axis] for r in rows]
        for key, style in (("p50_ms", "o-"), ("p99_ms", "s-"), ("max_ms", "^:")):
            ax.plot(xs, [r[key] or 0 for r in rows], style, label=key.replace("_ms", " change latency"))
        ax.set_xscale("log")
        ax.set_xlabel(axis)
        ax.set_ylabel("ms (API answer → every concerned host applied)")
        twin = ax.twinx()
        twin.plot(xs, [r["converge_s"] or 0 for r in rows], "d--", color="grey", label="convergence")
        twin.set_ylabel("s, full convergence from empty")
        ax.set_title(f"Overcast control plane vs {axis}")
        lines, labels = ax.get_legend_handles_labels()
        l2, lab2 = twin.get_legend_handles_labels()
        ax.legend(lines + l2, labels + lab2, loc="upper left", fontsize=8)
        ax.grid(True, alpha=0.3)
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True
