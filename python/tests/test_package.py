"""The installed `som` package (the native extension) against the golden
files, the command's specs and numpy computing the same model.

    pip install ./python
    python3 -m unittest discover -s python/tests -v

Run from anywhere: the tests find the repository from this file. They must
import the installed package, not python/som.py (the ctypes example), so
python/ is not put on the path.
"""

import decimal
import json
import unittest
from pathlib import Path

import numpy as np

import som

REPO = Path(__file__).resolve().parent.parent.parent
EXAMPLE = REPO / "examples" / "housing-first.json"
GOLDEN = REPO / "tests" / "golden" / "housing-first.json"
FROZEN_KB = REPO / "tests" / "data" / "kb"


def example_text():
    return EXAMPLE.read_text(encoding="utf-8")


class BusinessCaseTest(unittest.TestCase):
    def test_the_package_is_the_native_extension(self):
        self.assertTrue(hasattr(som, "_native"), som.__file__)
        self.assertNotEqual(Path(som.__file__).name, "som.py")

    def test_evaluate_gives_the_golden_business_case(self):
        # tests/golden/housing-first.json is `som run --format json` of the
        # same scenario on the frozen knowledge base tests/data/kb (checked
        # against hand computation by tests/hand_computed.rs).
        golden = json.loads(GOLDEN.read_text(encoding="utf-8"), parse_float=decimal.Decimal)
        self.assertEqual(som.evaluate(example_text(), kb_dir=FROZEN_KB), golden)
        self.assertEqual(som.evaluate_json(example_text(), kb_dir=FROZEN_KB).strip(),
                         GOLDEN.read_text(encoding="utf-8").strip())

    def test_a_dict_with_decimals_gives_the_same_case(self):
        scenario = json.loads(example_text(), parse_float=decimal.Decimal)
        self.assertEqual(som.evaluate(scenario), som.evaluate(example_text()))

    def test_sensitivity_has_bars_and_break_even(self):
        result = som.sensitivity(example_text())
        self.assertGreater(len(result["bars"]), 3)
        self.assertIn("net_success_rate", result["break_even"])

    def test_an_invalid_scenario_raises_with_code_and_json_path(self):
        scenario = json.loads(example_text())
        scenario["completion_rate"] = 1.7
        with self.assertRaises(som.SomError) as caught:
            som.evaluate(scenario)
        self.assertEqual(caught.exception.code, "invalid_scenario")
        self.assertEqual(caught.exception.problems[0]["path"], "$.completion_rate")

    def test_the_knowledge_base(self):
        self.assertIn(
            {
                "kind": "target-group",
                "id": "homeless-adults",
                "name": {"en": "Homeless adults", "da": "Voksne i hjemløshed"},
            },
            som.kb_list()["ids"],
        )
        self.assertEqual(som.kb_show("homeless-adults")["target_group"]["id"], "homeless-adults")
        with self.assertRaises(som.SomError) as caught:
            som.kb_show("homeles-adults")
        self.assertEqual(caught.exception.problems[0]["did_you_mean"], "homeless-adults")
        self.assertTrue(som.kb_validate(str(REPO / "knowledge-base"))["valid"])
        from_dir = som.evaluate(example_text(), kb_dir=REPO / "knowledge-base")
        self.assertEqual(from_dir["summary"], som.evaluate(example_text())["summary"])

    def test_version_is_the_crates(self):
        cargo = (REPO / "Cargo.toml").read_text(encoding="utf-8")
        line = next(l for l in cargo.splitlines() if l.startswith("version = "))
        self.assertEqual(som.version(), line.split('"')[1])
        self.assertEqual(som.__version__, som.version())


def year_by_year(case, scenario, s, k, cost):
    """NPV of the example at each point, computed with numpy one year at a
    time from the exact engine's own yearly figures (discount factors, the
    line's quantities and price) and the scenario's costs: independent of
    the fast path that `som.sweep` uses."""
    df = np.array([float(y["discount_factor"]) for y in case["years"]])
    # Gains per year at the scenario's own rates, by what a line applies to:
    # lines on successes scale with the net success rate and participants,
    # lines on participants with participants only.
    gains = {"successes": np.zeros(len(df)), "participants": np.zeros(len(df))}
    for line in case["lines"]:
        quantity = np.array([float(q) for q in line["quantities"]])
        gains[line["applies_to"]] -= quantity * float(line["unit_price"]["total"])
    a = case["assumptions"]
    participants = np.array([float(n) for n in a["participants_by_year"]])
    fixed = np.zeros(len(df))
    for c in scenario["costs"]:
        if c["kind"] == "one_off":
            fixed[c["year"]] += c["amount"]
        elif c["kind"] == "per_year":
            fixed[c["from_year"]:c["to_year"] + 1] += c["amount"]
    scale = (s - float(a["baseline_rate"])) / float(a["net_success_rate"]) * k
    npv = np.zeros_like(s)
    magnitude = np.zeros_like(s)
    for t in range(len(df)):
        g = gains["successes"][t] * scale + gains["participants"][t] * k
        c = fixed[t] + k * cost * participants[t]
        npv += df[t] * (g - c)
        magnitude += df[t] * (np.abs(g) + np.abs(c))
    return npv, magnitude


class SweepTest(unittest.TestCase):
    def test_a_million_points_into_numpy_arrays(self):
        spec = {"parameters": [
            {"name": "success_rate", "from": 0.3, "to": 0.597, "step": 0.003},
            {"name": "participants_scale", "from": 0.1, "to": 10, "step": 0.1},
            {"name": "cost:Support", "from": 40000, "to": 89500, "step": 500},
        ]}
        grid = som.sweep(example_text(), spec, columns=["npv"])
        self.assertEqual(list(grid), ["success_rate", "participants_scale", "cost:Support", "npv"])
        for array in grid.values():
            self.assertIsInstance(array, np.ndarray)
            self.assertEqual(array.dtype, np.float64)
            self.assertEqual(array.shape, (1_000_000,))
        # Grid order: the first axis slowest, the last fastest.
        self.assertEqual(grid["success_rate"][0], 0.3)
        self.assertEqual(grid["cost:Support"][:3].tolist(), [40000.0, 40500.0, 41000.0])
        self.assertEqual(grid["participants_scale"][100], 0.2)
        self.assertEqual(grid["success_rate"][-1], 0.597)
        expected, magnitude = year_by_year(
            som.evaluate(example_text()), json.loads(example_text()),
            grid["success_rate"], grid["participants_scale"], grid["cost:Support"],
        )
        worst = np.max(np.abs(grid["npv"] - expected) / (magnitude + 1.0))
        self.assertLess(worst, 1e-9)

    def test_every_column_and_the_command_line_spec(self):
        spec = (REPO / "examples" / "analysis" / "sweep-grid.json").read_text(encoding="utf-8")
        grid = som.sweep(example_text(), spec)
        self.assertEqual(len(grid["npv"]), 6 * 3 * 2 * 3)
        np.testing.assert_allclose(grid["npv"], grid["pv_gains"] - grid["pv_costs"], rtol=0, atol=1e-6)
        np.testing.assert_allclose(grid["benefit_cost_ratio"], grid["pv_gains"] / grid["pv_costs"])
        years = grid["break_even_year"]
        never = np.isnan(years)
        self.assertTrue(np.all(grid["npv"][never] < 0))
        self.assertTrue(np.all((years[~never] >= 2026) & (years[~never] <= 2035)))

    def test_the_grid_shaped_sweep_holds_the_same_figures(self):
        # grid=True: the axes' values and figures shaped as the grid, the
        # same values as the flat sweep's in the same order (the flat sweep
        # is checked against numpy year by year above); the axes are the
        # spec's values, typed here by hand.
        spec = {"parameters": [
            {"name": "success_rate", "values": [0.3, 0.45]},
            {"name": "horizon_years", "values": [4, 10, 15]},
            {"name": "cost:Support", "from": 40000, "to": 60000, "step": 5000},
        ]}
        flat = som.sweep(example_text(), spec)
        shaped = som.sweep(example_text(), spec, grid=True)
        self.assertEqual(list(shaped), list(flat))
        self.assertEqual(shaped["success_rate"].tolist(), [0.3, 0.45])
        self.assertEqual(shaped["horizon_years"].tolist(), [4.0, 10.0, 15.0])
        self.assertEqual(shaped["cost:Support"].tolist(), [40000.0, 45000.0, 50000.0, 55000.0, 60000.0])
        for column in ("npv", "pv_gains", "pv_costs", "benefit_cost_ratio", "break_even_year"):
            self.assertEqual(shaped[column].shape, (2, 3, 5))
            self.assertEqual(shaped[column].ravel().tobytes(), flat[column].tobytes())
        # npv[i, j, k] is the point at the i-th, j-th and k-th axis values.
        point = (flat["success_rate"] == 0.45) & (flat["horizon_years"] == 10) & (flat["cost:Support"] == 55000)
        self.assertEqual(shaped["npv"][1, 1, 3], flat["npv"][point][0])
        self.assertEqual(list(som.sweep(example_text(), spec, columns=["npv"], grid=True)),
                         ["success_rate", "horizon_years", "cost:Support", "npv"])

    def test_bad_specs_and_figures_beyond_the_engine_raise(self):
        with self.assertRaises(som.SomError) as caught:
            som.sweep(example_text(), {"parameters": [{"name": "sucess_rate", "values": [0.1]}]})
        self.assertEqual(caught.exception.code, "invalid_analysis_spec")
        self.assertEqual(caught.exception.problems[0]["did_you_mean"], "success_rate")
        huge = '{"parameters": [{"name": "price_scale:shelter-day", "values": [70000000000000000000000000000]}]}'
        with self.assertRaises(som.SomError) as caught:
            som.sweep(example_text(), huge)
        self.assertIn("outside the exact engine's range", caught.exception.message)
        with self.assertRaises(som.SomError):
            som.sweep(example_text(), {"parameters": [{"name": "success_rate", "values": [0.3]}]},
                      columns=["npv", "bcr"])


class SimulateTest(unittest.TestCase):
    SPEC = (REPO / "examples" / "analysis" / "simulate-inputs.json").read_text(encoding="utf-8")

    def test_the_summary_and_every_draw_as_arrays(self):
        result = som.simulate(example_text(), self.SPEC, draws=20_000, seed=7, keep_draws=True)
        self.assertEqual(result["draws"], 20_000)
        self.assertEqual(result["npv"]["draws"] + result["outside_engine_range_draws"], 20_000)
        draws = result["every_draw"]
        self.assertEqual(list(draws)[-2:], ["npv", "benefit_cost_ratio"])
        npv = draws["npv"]
        self.assertEqual(npv.shape, (20_000,))
        # The summary is the statistics of these draws (numpy as the reference).
        self.assertAlmostEqual(result["npv"]["mean"], float(np.mean(npv)), delta=1e-6 * abs(np.mean(npv)))
        self.assertAlmostEqual(result["npv"]["p50"], float(np.percentile(npv, 50)), delta=1e-6)
        self.assertEqual(result["draws_npv_positive"], int(np.sum(npv > 0)))
        again = som.simulate(example_text(), self.SPEC, draws=20_000, seed=7)
        self.assertEqual(again["npv"], result["npv"])
        self.assertNotIn("every_draw", again)

    def test_a_simulation_every_draw_of_which_overflows_raises(self):
        spec = {"inputs": [{"name": "price_scale:shelter-day", "distribution": "lognormal", "mu": 700, "sigma": 1}]}
        with self.assertRaises(som.SomError) as caught:
            som.simulate(example_text(), spec, draws=100)
        self.assertIn("100 of 100 draws", caught.exception.message)

    def test_grade_defaults_without_a_spec(self):
        result = som.simulate(example_text(), grade_defaults=True, draws=1000)
        graded = [f"price_scale:{line['service']}" for line in som.evaluate(example_text())["lines"]
                  if line.get("grade") is not None]
        self.assertTrue(graded)
        self.assertEqual(result["inputs"], graded)


if __name__ == "__main__":
    unittest.main()
