#!/usr/bin/python3
"""Checks of the runner's pure parts (no root, no namespaces): percentile, ratios, table, JSON.

    /usr/bin/python3 bench/dataplane/test_report.py"""

import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import report  # noqa: E402
from measure import percentile  # noqa: E402


def system(title, tcp1, rtt_avg, errors=None):
    results = {"tcp1": {"gbps": tcp1, "switch_cpu_s_per_gbit": 0.5},
               "ping": {"avg_us": rtt_avg, "p99_us": rtt_avg * 2}}
    return {"title": title, "results": results, "errors": errors or {}}


class PercentileTest(unittest.TestCase):
    def test_nearest_rank(self):
        values = [float(v) for v in range(1, 101)]
        self.assertEqual(percentile(values, 99), 99.0)
        self.assertEqual(percentile(values, 50), 50.0)
        self.assertEqual(percentile(values, 100), 100.0)

    def test_small_sample_takes_the_largest(self):
        self.assertEqual(percentile([1.0, 2.0, 3.0], 99), 3.0)
        self.assertEqual(percentile([7.0], 99), 7.0)


class TableTest(unittest.TestCase):
    def setUp(self):
        self.order = ["overcast", "kernel", "veth"]
        self.systems = {"overcast": system("Overcast", 2.0, 300.0),
                        "kernel": system("kernel", 8.0, 100.0),
                        "veth": system("veth", 0.0, 50.0, {"tcp1": "boom"})}
        self.rows = {r["metric"]: r for r in report.build_table(self.systems, self.order)}

    def test_ratio_is_overcast_over_peer(self):
        self.assertAlmostEqual(self.rows["tcp1_gbps"]["overcast_ratio"]["kernel"], 0.25)
        self.assertAlmostEqual(self.rows["rtt_avg_us"]["overcast_ratio"]["veth"], 6.0)

    def test_zero_or_missing_peer_gives_no_ratio(self):
        self.assertIsNone(self.rows["tcp1_gbps"]["overcast_ratio"]["veth"])
        self.assertIsNone(self.rows["udp64_kpps"]["overcast_ratio"]["kernel"])
        self.assertIsNone(self.rows["udp64_kpps"]["values"]["overcast"])

    def test_direction_is_stated(self):
        self.assertEqual(self.rows["tcp1_gbps"]["better"], "higher")
        self.assertEqual(self.rows["rtt_p99_us"]["better"], "lower")

    def test_text_names_every_system_and_failure(self):
        text = report.format_table(list(self.rows.values()), self.systems, self.order)
        self.assertIn("OC ÷ kernel", text)
        self.assertIn("0.25×", text)
        self.assertIn("veth: tcp1 failed: boom", text)

    def test_json_round_trips(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "r.json")
            report.write_json(path, {"prefix": "ocbx"}, self.systems, list(self.rows.values()))
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
        self.assertEqual(data["run"]["prefix"], "ocbx")
        self.assertEqual(len(data["table"]), len(report.METRICS))


if __name__ == "__main__":
    unittest.main()
