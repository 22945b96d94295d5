#!/usr/bin/python3
"""Checks of the sweep's pure parts: reading a point's result, the table, growth exponents.

    /usr/bin/python3 bench/scale/test_report.py"""

import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import report  # noqa: E402
import run  # noqa: E402


def point(hosts, networks, p99, converge, rss=200 * 2**20):
    return {"shape": {"hosts": hosts, "networks": networks, "ports": networks * 10},
            "build": {"converge_seconds": converge},
            "churn": {"latency_ms": {"p50": p99 / 2, "p95": p99 * 0.9, "p99": p99, "max": p99 * 2},
                      "achieved_rate": 99.5, "messages_per_change": 3.0, "bytes_per_change": 600.0,
                      "views": {"entries_mean": 40.0, "ideal_entries_mean": 40.0,
                                "worst_entries_ratio": 1.0, "bytes_mean": 4096.0}},
            "controller": {"after_churn": {"peak_rss_bytes": rss}, "churn_cpu_percent": 12.5},
            "store_bytes": 3 * 2**20}


class RowTest(unittest.TestCase):
    def test_reads_and_scales_every_column(self):
        r = report.row(point(100, 1000, 20.0, 4.0))
        self.assertEqual(r["hosts"], 100)
        self.assertEqual(r["p99_ms"], 20.0)
        self.assertEqual(r["kib_per_host"], 4.0)
        self.assertEqual(r["rss_mib"], 200.0)
        self.assertEqual(r["store_mib"], 3.0)

    def test_missing_values_are_none_not_errors(self):
        r = report.row({"shape": {"hosts": 5}})
        self.assertEqual(r["hosts"], 5)
        self.assertIsNone(r["p99_ms"])
        self.assertIn("—", report.format_table([r]))


class GrowthTest(unittest.TestCase):
    def test_exponents(self):
        self.assertAlmostEqual(report.growth_exponent(10, 5, 1000, 5), 0.0)
        self.assertAlmostEqual(report.growth_exponent(10, 1, 1000, 100), 1.0)
        self.assertAlmostEqual(report.growth_exponent(10, 1, 100, 100), 2.0)
        self.assertIsNone(report.growth_exponent(10, 0, 100, 5))
        self.assertIsNone(report.growth_exponent(10, None, 100, 5))
        self.assertIsNone(report.growth_exponent(10, 1, 10, 5))

    def test_words(self):
        self.assertTrue(report.describe_growth(0.1).startswith("flat"))
        self.assertTrue(report.describe_growth(0.5).startswith("sublinear"))
        self.assertTrue(report.describe_growth(1.0).startswith("linear"))
        self.assertTrue(report.describe_growth(2.0).startswith("superlinear"))
        self.assertEqual(report.describe_growth(None), "n/a")

    def test_growth_uses_the_smallest_and_largest_point(self):
        rows = [report.row(point(1000, 1000, 30.0, 40.0)), report.row(point(10, 1000, 30.0, 0.4)),
                report.row(point(100, 1000, 30.0, 4.0))]
        g = report.growth(rows, "hosts")
        self.assertAlmostEqual(g["converge_s"]["exponent"], 1.0)
        self.assertAlmostEqual(g["p99_ms"]["exponent"], 0.0)
        self.assertEqual(report.growth(rows[:1], "hosts"), {})


class TableAndFilesTest(unittest.TestCase):
    def test_table_has_a_row_per_point(self):
        text = report.format_table([report.row(point(10, 100, 5.0, 1.0)), report.row(point(100, 100, 6.0, 2.0))])
        lines = text.splitlines()
        self.assertEqual(len(lines), 4)
        self.assertIn("p99 ms", lines[0])
        self.assertIn("| 10 |", lines[2])

    def test_json_round_trip(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "r.json")
            report.write_json(path, {"rows": [report.row(point(10, 100, 5.0, 1.0))]})
            with open(path, encoding="utf-8") as f:
                self.assertEqual(json.load(f)["rows"][0]["p99_ms"], 5.0)

    def test_point_parsing(self):
        self.assertEqual(run.parse_point("1000,10000,100000"), (1000, 10000, 100000))
        for bad in ("1000,10000", "a,b,c", "1,-2,3"):
            with self.assertRaises(Exception):
                run.parse_point(bad)


if __name__ == "__main__":
    unittest.main()
