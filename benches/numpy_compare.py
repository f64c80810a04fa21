#!/usr/bin/env python3
"""som sweep and som simulate against numpy on the same grid and the same
distributions, all measured in ONE run of this script (issue 17, items 3-4).

    cargo build --release
    python3 benches/numpy_compare.py [--som target/release/som] [--json benches/numpy-compare.json]

The model is the built-in example (examples/housing-first.json): its
discount factors, the consequence lines' quantities and unit prices come from
`som run --format json`, its costs from the scenario file, so numpy computes
the same business case independently of som's code.

The grid is success_rate x participants_scale x cost:Support, 100 values
each (10^6 points); every figure of it is affine in each of the three.

- numpy year by year: a loop over the 10 years, each step vectorised over
  the 10^6 points: discounted gains and costs, the cumulative net and the
  break-even year (what a researcher would write first);
- numpy closed form: NPV = ((s - p0)*A + G - cost*B)*k - C, four constants,
  on the 10^6 points as flat arrays (meshgrid), and grid-shaped: the three
  axes broadcast against each other into a 100x100x100 NPV (what a numpy
  user writes who wants the grid's shape; the fair reference for som.sweep's
  grid=True);
- numpy closed form as a command: `python -c` with numpy, the same
  closed form, `np.save` of the same records (or grid-shaped array) as
  som's file;
- som sweep end to end: the `som` process (start, knowledge base, grid,
  evaluation, writing the file), all figures as .npy, and NPV only as .npy
  and CSV, each run writing over the previous run's file; and all figures
  as .npy into a new file each run. `--format npy` writes one record per
  point: the three parameters' values and the figures (NPV only: 32 bytes a
  point, 32 MB); `--format npy-grid --columns npv` writes the NPV alone as a
  100x100x100 array (8 MB), the axes' values being the spec's;
- som.sweep in Python (the native package, when installed): the grid to
  numpy arrays in the same process, as columns of 10^6 values (the
  parameters' too), and grid-shaped (grid=True: the NPV as a 100x100x100
  array, each parameter as its 100 axis values).

Simulation: 10^6 draws of four inputs (triangular success rate, beta
completion rate, normal cost per participant, uniform participants scale):

- numpy closed form: numpy's generator draws the same distributions, the
  closed form gives PV gains and costs, then for NPV and the benefit-cost
  ratio the mean, sd, min, max and five percentiles, and P(NPV > 0) (what
  som simulate reports);
- som simulate end to end (--format json), and som.simulate in Python.

What each ratio compares (both sides produce the same figures of the same
10^6 points; som's end-to-end side also starts a process and writes a file,
numpy's holds its arrays in memory):

- `sweep_*_npy_vs_numpy_year_by_year*`: som's .npy records (parameters and
  figures per point) against numpy's year-by-year loop over flat parameter
  arrays of 10^6 values, all figures or the NPV alone
  (`sweep_all_csv_vs_numpy_year_by_year`: the same records as CSV text);
- `sweep_npv_npy_vs_numpy_closed_form`: som's .npy records of the parameters
  and the NPV per point against numpy's closed form over flat parameter
  arrays (meshgrid, built in the timed call): per point, both hold the
  three parameters' values and the NPV;
- `sweep_npv_npy_grid_vs_numpy_closed_form_grid`: som's grid-shaped NPV
  (npy-grid) against numpy's closed form broadcast from the three axes into
  a 100x100x100 NPV: both give the NPV shaped as the grid and no
  parameter value per point (numpy builds the three axes of 100 values in
  the timed call; som reads them from the spec and leaves them out of the
  file);
- `sweep_npv_npy_vs_numpy_closed_form_command` and
  `sweep_npv_npy_grid_vs_numpy_closed_form_grid_command`: the same two
  files, each made end to end by a command on both sides: `som sweep`
  against a Python process that imports numpy, computes the closed form
  from the four constants (handed to it, so it does not evaluate the
  model) and saves the same .npy with `np.save`. The two ratios above hold
  numpy's arrays in memory, without a process start or a file; these two
  compare command with command, as an analyst or a script calls them;
- `python_sweep_npv_vs_numpy_closed_form`: som.sweep's columns of 10^6
  values (parameters and NPV) against the same flat numpy closed form;
- `python_sweep_npv_grid_vs_numpy_closed_form_grid`: som.sweep(grid=True)
  against numpy's grid-shaped closed form (like for like);
  `python_sweep_npv_grid_vs_numpy_closed_form` sets the same grid-shaped
  result against numpy's flat closed form, which also builds 10^6-value
  parameter columns (not like for like; kept for comparison with earlier
  runs);
- `simulate_time_over_numpy_closed_form` and
  `python_simulate_time_over_numpy_closed_form`: som's statistics of 10^6
  draws (end to end, or in Python) against numpy drawing the same
  distributions and computing the same statistics by the closed form.

Each timing is the best of --repeat runs (wall clock, time.perf_counter):
on a shared machine the best run is the one least disturbed. The script
checks that som and numpy agree (NPV to 1e-9 relative to the present
values; simulation means within 4 standard errors) before it prints ratios.
"""

import argparse
import atexit
import json
import os
import platform
import subprocess
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
SCENARIO = REPO / "examples" / "housing-first.json"


def best_of(repeat, function, before=None):
    """The shortest of `repeat` timed calls of `function`; `before()` runs
    before each call, untimed."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def model(som):
    """The example's figures for numpy, from `som run` and the scenario file."""
    case = json.loads(
        subprocess.run([som, "run", str(SCENARIO), "--format", "json"], check=True,
                       capture_output=True, text=True).stdout
    )
    scenario = json.loads(SCENARIO.read_text(encoding="utf-8"))
    years = case["years"]
    horizon = len(years)
    df = np.array([float(y["discount_factor"]) for y in years])
    # Gains per year at s0, c0, k = 1, by what the lines apply to (a fall in
    # use is a gain).
    gains = {"successes": np.zeros(horizon), "participants": np.zeros(horizon)}
    for line in case["lines"]:
        quantity = np.array([float(q) for q in line["quantities"]])
        gains[line["applies_to"]] -= quantity * float(line["unit_price"]["total"])
    a = case["assumptions"]
    participants = np.array([float(n) for n in a["participants_by_year"]])
    fixed = np.zeros(horizon)
    per_participant = None
    for cost in scenario["costs"]:
        if cost["kind"] == "one_off":
            fixed[cost["year"]] += cost["amount"]
        elif cost["kind"] == "per_year":
            fixed[cost["from_year"]:cost["to_year"] + 1] += cost["amount"]
        else:
            assert cost["label"] == "Support" and per_participant is None
            per_participant = cost["amount"]
    return {
        "horizon": horizon,
        "start_year": years[0]["year"],
        "df": df,
        "gains": gains["successes"],
        "participant_gains": gains["participants"],
        "fixed": fixed,
        "participants": participants,
        "s0": float(a["net_success_rate"]),
        "p0": float(a["baseline_rate"]),
        "c0": float(a["completion_rate"]),
        "support": per_participant,
        "pv_gains": float(case["summary"]["pv_gains"]["total"]),
        "pv_costs": float(case["summary"]["pv_costs"]["total"]),
    }


GRID = {
    "success_rate": (0.30, 0.003, 100),
    "participants_scale": (0.1, 0.1, 100),
    "cost:Support": (40000.0, 500.0, 100),
}


def grid_spec():
    axes = []
    for name, (start, step, n) in GRID.items():
        axes.append({"name": name, "from": start, "to": round(start + step * (n - 1), 6), "step": step})
    return {"parameters": axes}


def grid_axes():
    """The three axes shaped to broadcast into the grid (first axis slowest)."""
    values = [start + step * np.arange(n) for start, step, n in GRID.values()]
    return np.ix_(*values)


def grid_arrays():
    """The 10^6 points as flat arrays, first axis slowest (som's order)."""
    values = [start + step * np.arange(n) for start, step, n in GRID.values()]
    s, k, cost = (v.ravel() for v in np.meshgrid(*values, indexing="ij"))
    return s, k, cost


def numpy_year_by_year(m, s, k, cost):
    """NPV, PV gains, PV costs, BCR and break-even year, one year at a time."""
    scale = (s - m["p0"]) / m["s0"] * k
    pv_gains = np.zeros_like(s)
    pv_costs = np.zeros_like(s)
    cumulative = np.zeros_like(s)
    start = np.full(s.shape, -1, dtype=np.int64)
    for t in range(m["horizon"]):
        gains = m["gains"][t] * scale + m["participant_gains"][t] * k
        costs = m["fixed"][t] + k * cost * m["participants"][t]
        pv_gains += m["df"][t] * gains
        pv_costs += m["df"][t] * costs
        cumulative += m["df"][t] * (gains - costs)
        negative = cumulative < 0
        start = np.where(negative, -1, np.where(start < 0, t, start))
    npv = pv_gains - pv_costs
    with np.errstate(divide="ignore", invalid="ignore"):
        bcr = np.where(pv_costs != 0, pv_gains / pv_costs, np.nan)
    year = np.where(start >= 0, m["start_year"] + start, -1)
    return npv, pv_gains, pv_costs, bcr, year


def numpy_year_by_year_npv(m, s, k, cost):
    """NPV alone, one year at a time."""
    scale = (s - m["p0"]) / m["s0"] * k
    npv = np.zeros_like(s)
    for t in range(m["horizon"]):
        npv += m["df"][t] * (m["gains"][t] * scale + m["participant_gains"][t] * k - m["fixed"][t]
                             - k * cost * m["participants"][t])
    return npv


def closed_form_constants(m):
    a = float(np.sum(m["df"] * m["gains"])) / m["s0"]  # per unit of s*k
    g = float(np.sum(m["df"] * m["participant_gains"]))  # per unit of k
    b = float(np.sum(m["df"] * m["participants"]))  # per krone per participant, per unit of k
    c = float(np.sum(m["df"] * m["fixed"]))
    return a, g, b, c


def numpy_closed_form(m, s, k, cost, constants):
    a, g, b, c = constants
    return ((s - m["p0"]) * a + g - cost * b) * k - c


# numpy's closed form as a command of its own, like `som sweep`: a Python
# process starts, imports numpy, computes the NPV of the grid from the four
# closed-form constants (handed to it: it does not evaluate the model, which
# favours numpy) and saves the same .npy that som writes. `dtype` is som's
# record layout (empty: the grid-shaped NPV alone).
NUMPY_COMMAND = """
import json, sys
import numpy as np
p0, a, g, b, c = (float(v) for v in sys.argv[1:6])
axes = json.loads(sys.argv[6])
dtype = json.loads(sys.argv[7])
output = sys.argv[8]
values = [start + step * np.arange(n) for start, step, n in axes]
if dtype:
    s, k, cost = (v.ravel() for v in np.meshgrid(*values, indexing="ij"))
    records = np.empty(s.shape, dtype=[tuple(field) for field in dtype])
    names = records.dtype.names
    records[names[0]], records[names[1]], records[names[2]] = s, k, cost
    records[names[3]] = ((s - p0) * a + g - cost * b) * k - c
    np.save(output, records)
else:
    s, k, cost = np.ix_(*values)
    np.save(output, ((s - p0) * a + g - cost * b) * k - c)
"""


def numpy_command(m, constants, dtype, output):
    """numpy's closed form run as a process that writes `output`."""
    arguments = [str(v) for v in (m["p0"], *constants)]
    axes = json.dumps([list(axis) for axis in GRID.values()])

    def run():
        subprocess.run([sys.executable, "-c", NUMPY_COMMAND, *arguments, axes, json.dumps(dtype), str(output)],
                       check=True)
    return run


SIMULATION = {
    "inputs": [
        {"name": "success_rate", "distribution": "triangular", "min": 0.35, "mode": 0.45, "max": 0.55},
        {"name": "completion_rate", "distribution": "beta", "alpha": 18, "beta": 2},
        {"name": "cost:Support", "distribution": "normal", "mean": 60000, "sd": 5000},
        {"name": "participants_scale", "distribution": "uniform", "min": 0.8, "max": 1.2},
    ]
}


def numpy_simulation(m, constants, draws, seed):
    a, g, b, c = constants
    rng = np.random.default_rng(seed)
    s = rng.triangular(0.35, 0.45, 0.55, draws)
    completion = rng.beta(18, 2, draws)
    cost = rng.normal(60000, 5000, draws)
    k = rng.uniform(0.8, 1.2, draws)
    gains = ((s - m["p0"]) * (completion / m["c0"]) * a + g) * k
    costs = k * cost * b + c
    npv = gains - costs
    bcr = gains / costs
    # The statistics som reports, for NPV and the benefit-cost ratio.
    summary = {}
    for name, values in (("npv", npv), ("bcr", bcr)):
        summary[name] = {
            "mean": float(values.mean()),
            "sd": float(values.std(ddof=1)),
            "min": float(values.min()),
            "max": float(values.max()),
            "percentiles": np.percentile(values, [5, 25, 50, 75, 95]).tolist(),
        }
    summary["probability_npv_positive"] = float(np.mean(npv > 0))
    return summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--som", default=str(REPO / "target" / "release" / "som"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--draws", type=int, default=1_000_000)
    parser.add_argument("--json", help="also write the figures to this file (for the README generator)")
    args = parser.parse_args()
    som = args.som
    m = model(som)
    constants = closed_form_constants(m)
    work = Path(tempfile.mkdtemp(prefix="som-numpy-compare-"))
    # The grid's output files take some 250 MB: removed when the script ends,
    # whether it ends well or on a failed agreement check.
    atexit.register(shutil.rmtree, work, ignore_errors=True)
    spec = work / "grid.json"
    spec.write_text(json.dumps(grid_spec()), encoding="utf-8")
    sim_spec = work / "inputs.json"
    sim_spec.write_text(json.dumps(SIMULATION), encoding="utf-8")
    points = 1
    for _, _, n in GRID.values():
        points *= n

    try:
        import som as som_python  # the native package, when installed
        if not hasattr(som_python, "sweep"):
            som_python = None
    except ImportError:
        som_python = None

    t = {}
    t["numpy_year_by_year"], (npv_yby, gains_yby, costs_yby, _, year_yby) = best_of(
        args.repeat, lambda: numpy_year_by_year(m, *grid_arrays())
    )
    t["numpy_year_by_year_npv"], npv_yby_only = best_of(
        args.repeat, lambda: numpy_year_by_year_npv(m, *grid_arrays())
    )
    t["numpy_closed_form"], npv_cf = best_of(
        args.repeat, lambda: numpy_closed_form(m, *grid_arrays(), constants)
    )
    t["numpy_closed_form_grid"], npv_cf_grid = best_of(
        args.repeat, lambda: numpy_closed_form(m, *grid_axes(), constants)
    )
    assert npv_cf_grid.shape == tuple(n for _, _, n in GRID.values())
    assert np.allclose(npv_cf_grid.ravel(), npv_cf, rtol=0, atol=1e-6 * float(np.max(np.abs(npv_cf))))

    def som_sweep(extra, output):
        def run():
            subprocess.run([som, "sweep", str(SCENARIO), "--spec", str(spec), *extra,
                            "--output", str(output)], check=True)
        return run

    all_npy = work / "all.npy"
    t["som_sweep_all_npy"], _ = best_of(args.repeat, som_sweep(["--format", "npy"], all_npy))
    # The same into a file that does not exist yet (removed before each run,
    # untimed): the runs above write over the previous run's file, which
    # som does in place.
    new_npy = work / "new.npy"
    t["som_sweep_all_npy_new_file"], _ = best_of(
        args.repeat, som_sweep(["--format", "npy"], new_npy), lambda: new_npy.unlink(missing_ok=True)
    )
    npv_npy = work / "npv.npy"
    t["som_sweep_npv_npy"], _ = best_of(args.repeat, som_sweep(["--format", "npy", "--columns", "npv"], npv_npy))
    npv_grid_npy = work / "npv-grid.npy"
    t["som_sweep_npv_npy_grid"], _ = best_of(
        args.repeat, som_sweep(["--format", "npy-grid", "--columns", "npv"], npv_grid_npy)
    )
    t["som_sweep_npv_csv"], _ = best_of(
        args.repeat, som_sweep(["--format", "csv", "--columns", "npv"], work / "npv.csv")
    )
    t["som_sweep_all_csv"], _ = best_of(args.repeat, som_sweep(["--format", "csv"], work / "all.csv"))

    # Agreement: som's figures against numpy's, point by point.
    swept = np.load(all_npy)
    assert len(swept) == points
    scale = np.abs(gains_yby) + np.abs(costs_yby) + 1.0
    worst = float(np.max(np.abs(swept["npv"] - npv_yby) / scale))
    worst_cf = float(np.max(np.abs(npv_cf - npv_yby) / scale))
    worst_only = float(np.max(np.abs(npv_yby_only - npv_yby) / scale))
    assert max(worst, worst_cf, worst_only) <= 1e-9, (worst, worst_cf, worst_only)
    som_year = np.nan_to_num(swept["break_even_year"], nan=-1).astype(np.int64)
    year_mismatches = int(np.sum(som_year != year_yby))
    assert np.array_equal(np.load(npv_npy)["npv"], swept["npv"])
    shaped_npv = np.load(npv_grid_npy)["npv"]
    assert shaped_npv.shape == npv_cf_grid.shape
    assert shaped_npv.ravel().tobytes() == swept["npv"].tobytes()

    # numpy's closed form end to end, as a command writing the same files.
    records_dtype = [list(field) for field in np.load(npv_npy).dtype.descr]
    numpy_npv_npy = work / "numpy-npv.npy"
    t["numpy_command_npv_npy"], _ = best_of(
        args.repeat, numpy_command(m, constants, records_dtype, numpy_npv_npy)
    )
    numpy_grid_npy = work / "numpy-npv-grid.npy"
    t["numpy_command_npv_npy_grid"], _ = best_of(
        args.repeat, numpy_command(m, constants, [], numpy_grid_npy)
    )
    from_numpy = np.load(numpy_npv_npy)
    assert from_numpy.dtype == np.load(npv_npy).dtype
    assert float(np.max(np.abs(from_numpy[from_numpy.dtype.names[3]] - npv_yby) / scale)) <= 1e-9
    assert np.load(numpy_grid_npy).shape == shaped_npv.shape
    assert float(np.max(np.abs(np.load(numpy_grid_npy).ravel() - npv_yby) / scale)) <= 1e-9

    if som_python is not None:
        scenario_text = SCENARIO.read_text(encoding="utf-8")
        spec_text = spec.read_text(encoding="utf-8")
        t["python_sweep_npv"], result = best_of(
            args.repeat, lambda: som_python.sweep(scenario_text, spec_text, columns=["npv"])
        )
        assert float(np.max(np.abs(result["npv"] - npv_yby) / scale)) <= 1e-9
        # The same figures shaped as the grid, each parameter as its axis's
        # values (no column of 10^6 values per parameter).
        t["python_sweep_npv_grid"], shaped = best_of(
            args.repeat, lambda: som_python.sweep(scenario_text, spec_text, columns=["npv"], grid=True)
        )
        assert shaped["npv"].ravel().tobytes() == result["npv"].tobytes()

    # Simulation.
    draws = args.draws
    t["numpy_simulation_closed_form"], sim_np = best_of(
        args.repeat, lambda: numpy_simulation(m, constants, draws, 1)
    )

    def som_simulate():
        out = subprocess.run([som, "simulate", str(SCENARIO), "--spec", str(sim_spec), "--draws",
                              str(draws), "--seed", "1", "--format", "json"],
                             check=True, capture_output=True, text=True).stdout
        return json.loads(out)

    t["som_simulate"], sim_som = best_of(args.repeat, som_simulate)
    standard_error = sim_np["npv"]["sd"] / np.sqrt(draws)
    assert abs(sim_som["npv"]["mean"] - sim_np["npv"]["mean"]) <= 4 * np.sqrt(2) * standard_error, (
        sim_som, sim_np)
    assert sim_som["npv"]["draws"] == draws
    if som_python is not None:
        scenario_text = SCENARIO.read_text(encoding="utf-8")
        inputs_text = sim_spec.read_text(encoding="utf-8")
        t["python_simulate"], _ = best_of(
            args.repeat, lambda: som_python.simulate(scenario_text, inputs_text, draws=draws, seed=1)
        )

    ratios = {
        "sweep_all_npy_vs_numpy_year_by_year": t["numpy_year_by_year"] / t["som_sweep_all_npy"],
        "sweep_all_npy_new_file_vs_numpy_year_by_year": t["numpy_year_by_year"] / t["som_sweep_all_npy_new_file"],
        "sweep_npv_npy_vs_numpy_year_by_year_npv": t["numpy_year_by_year_npv"] / t["som_sweep_npv_npy"],
        "sweep_all_csv_vs_numpy_year_by_year": t["numpy_year_by_year"] / t["som_sweep_all_csv"],
        "sweep_npv_npy_vs_numpy_closed_form": t["numpy_closed_form"] / t["som_sweep_npv_npy"],
        "sweep_npv_npy_grid_vs_numpy_closed_form_grid": t["numpy_closed_form_grid"] / t["som_sweep_npv_npy_grid"],
        "simulate_time_over_numpy_closed_form": t["som_simulate"] / t["numpy_simulation_closed_form"],
        "sweep_npv_npy_vs_numpy_closed_form_command": t["numpy_command_npv_npy"] / t["som_sweep_npv_npy"],
        "sweep_npv_npy_grid_vs_numpy_closed_form_grid_command": (
            t["numpy_command_npv_npy_grid"] / t["som_sweep_npv_npy_grid"]
        ),
    }
    if "python_sweep_npv" in t:
        ratios["python_sweep_npv_vs_numpy_closed_form"] = t["numpy_closed_form"] / t["python_sweep_npv"]
        ratios["python_sweep_npv_grid_vs_numpy_closed_form"] = t["numpy_closed_form"] / t["python_sweep_npv_grid"]
        ratios["python_sweep_npv_grid_vs_numpy_closed_form_grid"] = (
            t["numpy_closed_form_grid"] / t["python_sweep_npv_grid"]
        )
    if "python_simulate" in t:
        ratios["python_simulate_time_over_numpy_closed_form"] = (
            t["python_simulate"] / t["numpy_simulation_closed_form"]
        )

    labels = {
        "numpy_year_by_year": "numpy, year by year (all figures, break-even year)",
        "numpy_year_by_year_npv": "numpy, year by year (NPV only)",
        "numpy_closed_form": "numpy, closed form (NPV)",
        "numpy_closed_form_grid": "numpy, closed form (NPV), grid-shaped (broadcast axes)",
        "som_sweep_all_npy": "som sweep end to end, all figures, .npy",
        "som_sweep_all_npy_new_file": "som sweep end to end, all figures, .npy into a new file",
        "som_sweep_npv_npy": "som sweep end to end, NPV only, .npy",
        "som_sweep_npv_npy_grid": "som sweep end to end, NPV only, npy-grid (grid-shaped)",
        "som_sweep_npv_csv": "som sweep end to end, NPV only, CSV",
        "som_sweep_all_csv": "som sweep end to end, all figures, CSV",
        "numpy_command_npv_npy": "numpy closed form as a command, NPV .npy records",
        "numpy_command_npv_npy_grid": "numpy closed form as a command, NPV .npy grid-shaped",
        "python_sweep_npv": "som.sweep in Python, NPV only, to numpy",
        "python_sweep_npv_grid": "som.sweep in Python, NPV only, grid-shaped (grid=True)",
        "numpy_simulation_closed_form": "numpy draws + closed form + statistics",
        "som_simulate": "som simulate end to end (JSON summary)",
        "python_simulate": "som.simulate in Python (statistics)",
    }
    print(f"{points} grid points, {draws} draws, best of {args.repeat} runs each")
    for key, seconds in t.items():
        n = draws if "simulat" in key else points
        print(f"  {labels[key]:<55} {seconds * 1e3:9.1f} ms  {n / seconds / 1e6:8.1f} M/s")
    print("ratios (> 1: som faster; for simulate, som's time over numpy's, <= 1 is the goal):")
    for key, value in ratios.items():
        print(f"  {key:<55} {value:8.2f}")
    print(f"agreement: NPV within {worst:.1e} of numpy year by year (relative to PV gains + PV costs); "
          f"break-even years differing: {year_mismatches}")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "points": points,
            "draws": draws,
            "repeat": args.repeat,
            "seconds": t,
            "labels": labels,
            "ratios": ratios,
            "worst_relative_difference": worst,
            "break_even_year_mismatches": year_mismatches,
            "numpy": np.__version__,
            "python": platform.python_version(),
            "threads": os.cpu_count(),
        }, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
