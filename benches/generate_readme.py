#!/usr/bin/env python3
"""Writes benches/README.md from one run of every benchmark: never typed by hand.

    cargo build --release                  # the `som` binary the numpy comparison runs
    python3 benches/generate_readme.py     # runs every bench, then writes benches/README.md
    python3 benches/generate_readme.py --no-run   # only rewrites it from the last run's output

It runs `cargo bench -p PACKAGE --bench NAME` for every [[bench]] in
Cargo.toml and ffi/Cargo.toml (the C ABI's)
(criterion writes its estimates under target/criterion/), then
benches/numpy_compare.py (its figures go to benches/numpy-compare.json), and
writes every figure of that run into the README: criterion's median time
per benchmark with its throughput, the ratios between benchmarks measured in
the same process (a baseline beside each figure, as the project's guide
asks), and the numpy comparison's ratios. Benchmarks not rerun in this run
are left out, so a figure is never older than the README.
"""

import argparse
import ast
import datetime
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CRITERION = REPO / "target" / "criterion"
README = REPO / "benches" / "README.md"
NUMPY_JSON = REPO / "benches" / "numpy-compare.json"

# Ratios between benchmarks of one run: (title, numerator id, denominator id,
# how to read it). A ratio is shown when both were measured in this run.
RATIOS = [
    ("exact case (ten lines): the engine before issue 17 / the engine",
     "exact_case_ten_lines/previous_engine", "exact_case_ten_lines/engine", "times faster"),
    ("exact case through the C ABI, C strings in and out (som_evaluate) / the engine "
     "(issue 17: at most 2)",
     "c_abi_ten_lines/som_evaluate", "c_abi_ten_lines/engine", "times the engine's time"),
    ("exact case through the C ABI, summary call (som_evaluate_summary) / the engine",
     "c_abi_ten_lines/som_evaluate_summary", "c_abi_ten_lines/engine", "times the engine's time"),
    ("exact case through the Rust JSON API (api::evaluate_json) / the engine",
     "exact_case_ten_lines/api_evaluate_json", "exact_case_ten_lines/engine", "times the engine's time"),
    ("exact case through the Rust JSON API, summary call / the engine",
     "exact_case_ten_lines/api_evaluate_summary_json", "exact_case_ten_lines/engine",
     "times the engine's time"),
    ("exact case: reading and resolving the scenario / the engine",
     "exact_case_ten_lines/resolve", "exact_case_ten_lines/engine", "times the engine's time"),
    ("exact case: writing the business case's JSON / the engine",
     "exact_case_ten_lines/json_writer", "exact_case_ten_lines/engine", "times the engine's time"),
    ("sweep of 10^6 points, NPV only: evaluating every point / the closed form of each row",
     "sweep_1e6/point_by_point_npv", "sweep_1e6/closed_form_npv", "times faster"),
    ("sweep of 10^6 points, all figures: every point / closed form",
     "sweep_1e6/point_by_point_all_figures", "sweep_1e6/closed_form_all_figures", "times faster"),
    ("sweep output, all figures: CSV / .npy",
     "sweep_output_1e6/csv_all_figures", "sweep_output_1e6/npy_all_figures", "times the time"),
    ("sweep output, all figures: JSON lines / .npy",
     "sweep_output_1e6/jsonl_all_figures", "sweep_output_1e6/npy_all_figures", "times the time"),
    ("sweep to .npy records, NPV only: from each point's results / from the NPV's column",
     "sweep_to_npy_1e6/block_by_block_npv", "sweep_to_npy_1e6/from_column_npv", "times faster"),
    ("sweep to .npy, NPV only: records with the parameters / the NPV shaped as the grid",
     "sweep_to_npy_1e6/from_column_npv", "sweep_to_npy_1e6/grid_shaped_npv", "times the time"),
    ("simulation of 10^6 draws: one thread / every thread (speed-up from threads)",
     "simulate_1e6/one_thread", "simulate_1e6/every_thread", "times faster"),
]


def bench_names():
    """(package, bench) for every [[bench]] of the crate and of the C ABI's
    crate (ffi/)."""
    names = []
    for package, manifest in (("som", "Cargo.toml"), ("som-ffi", "ffi/Cargo.toml")):
        cargo = (REPO / manifest).read_text(encoding="utf-8")
        names += [(package, name) for name in re.findall(r'\[\[bench\]\]\s*\nname\s*=\s*"([^"]+)"', cargo)]
    return names


def run(command, **kwargs):
    print("+", " ".join(command), file=sys.stderr, flush=True)
    subprocess.run(command, cwd=REPO, check=True, **kwargs)


def criterion_results(since):
    """{full id: {"median_ns", "low_ns", "high_ns", "throughput"}} for every
    benchmark criterion wrote after `since` (a Unix time)."""
    results = {}
    for estimates in CRITERION.glob("**/new/estimates.json"):
        if estimates.stat().st_mtime < since:
            continue
        benchmark = json.loads((estimates.parent / "benchmark.json").read_text(encoding="utf-8"))
        median = json.loads(estimates.read_text(encoding="utf-8"))["median"]
        results[benchmark["full_id"]] = {
            "median_ns": median["point_estimate"],
            "low_ns": median["confidence_interval"]["lower_bound"],
            "high_ns": median["confidence_interval"]["upper_bound"],
            "throughput": benchmark.get("throughput"),
        }
    return results


def duration(ns):
    for unit, size in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= size:
            return f"{ns / size:.3g} {unit}"
    return f"{ns:.3g} ns"


def rate(result):
    throughput = result["throughput"] or {}
    elements = throughput.get("Elements")
    if not elements:
        return ""
    per_second = elements / (result["median_ns"] / 1e9)
    return f"{per_second / 1e6:.3g} M/s"


def machine():
    lines = []
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        model = re.search(r"Model name:\s*(.+)", lscpu)
        lines.append(f"- CPU: {model.group(1).strip() if model else platform.processor()}, "
                     f"{os.cpu_count()} logical cores")
    except OSError:
        lines.append(f"- CPU: {os.cpu_count()} logical cores")
    rustc = subprocess.run(["rustc", "-V"], capture_output=True, text=True).stdout.strip()
    lines.append(f"- {rustc}, `cargo bench` profile; Python {platform.python_version()}")
    load = os.getloadavg()
    lines.append(f"- load average when the run ended: {load[0]:.1f} (1 min), {load[1]:.1f} (5 min): "
                 "the machine is shared, so absolute times move between runs; ratios within one "
                 "run are the figures to compare")
    return lines


def write(results, numpy, started, commands):
    out = ["# Benchmarks", "",
           "Generated by `python3 benches/generate_readme.py` from one run of every benchmark; "
           "do not edit by hand.", "",
           f"Run of {started:%Y-%m-%d %H:%M} UTC, commit `{commit()}`.", "", "## Machine", ""]
    out += machine()
    out += ["", "## How to run", "", "```sh"] + commands + ["```", ""]
    if numpy:
        out += numpy_section(numpy)
    ratios = [(title, results[a], results[b], reading) for title, a, b, reading in RATIOS
              if a in results and b in results]
    if ratios:
        out += ["## Ratios within one process", "",
                "| comparison | ratio |", "|---|---:|"]
        for title, a, b, reading in ratios:
            out.append(f"| {title} | {a['median_ns'] / b['median_ns']:.2f} {reading} |")
        out.append("")
    out += ["## Every benchmark", "",
            "Criterion's median of the run, with its 95 % confidence interval.", ""]
    groups = {}
    for full_id in sorted(results):
        groups.setdefault(full_id.split("/")[0], []).append(full_id)
    for group, ids in groups.items():
        out += [f"### {group}", "", "| benchmark | median | interval | throughput |", "|---|---:|---:|---:|"]
        for full_id in ids:
            r = results[full_id]
            name = full_id[len(group) + 1:] or full_id
            out.append(f"| {name} | {duration(r['median_ns'])} | "
                       f"{duration(r['low_ns'])} – {duration(r['high_ns'])} | {rate(r)} |")
        out.append("")
    README.write_text("\n".join(out), encoding="utf-8")
    print(f"wrote {README}", file=sys.stderr)


def numpy_section(numpy):
    seconds = numpy["seconds"]
    labels = numpy["labels"]
    out = ["## som against numpy (benches/numpy_compare.py)", "",
           f"{numpy['points']:,} grid points (success rate × participants scale × cost per "
           f"participant) and {numpy['draws']:,} draws of four inputs, numpy {numpy['numpy']}, "
           f"best of {numpy['repeat']} runs each, all in one run of the script. som's NPVs agree "
           f"with numpy's year-by-year NPVs to {numpy['worst_relative_difference']:.1e} of the "
           f"present values; break-even years differing: {numpy['break_even_year_mismatches']}.", "",
           "| path | time | rate |", "|---|---:|---:|"]
    for key, value in seconds.items():
        n = numpy["draws"] if "simulat" in key else numpy["points"]
        out.append(f"| {labels[key]} | {value * 1e3:.1f} ms | {n / value / 1e6:.1f} M/s |")
    out += ["", "| ratio | value | goal (issue 17) |", "|---|---:|---|"]
    # Issue 17's goals: (comparison, threshold, wording).
    goals = {
        "sweep_all_npy_vs_numpy_year_by_year": (">=", 4, "≥ 4: som faster"),
        "sweep_all_npy_new_file_vs_numpy_year_by_year": (">=", 4, "≥ 4: som faster"),
        "sweep_npv_npy_vs_numpy_year_by_year_npv": (">=", 4, "≥ 4: som faster"),
        "sweep_npv_npy_vs_numpy_closed_form": (">=", 1, "≥ 1: as fast as numpy or faster"),
        "sweep_npv_npy_grid_vs_numpy_closed_form_grid": (">=", 1, "≥ 1: as fast as numpy or faster"),
        "python_sweep_npv_vs_numpy_closed_form": (">=", 1, "≥ 1: as fast as numpy or faster"),
        "python_sweep_npv_grid_vs_numpy_closed_form": (">=", 1, "≥ 1: as fast as numpy or faster"),
        "python_sweep_npv_grid_vs_numpy_closed_form_grid": (">=", 1, "≥ 1: as fast as numpy or faster"),
        "simulate_time_over_numpy_closed_form": ("<=", 1, "≤ 1: som's time at most numpy's"),
        "sweep_npv_npy_vs_numpy_closed_form_command": (">=", 1, "≥ 1: as fast as numpy or faster"),
        "sweep_npv_npy_grid_vs_numpy_closed_form_grid_command": (">=", 1, "≥ 1: as fast as numpy or faster"),
        "python_simulate_time_over_numpy_closed_form": ("<=", 1, "≤ 1: som's time at most numpy's"),
    }
    for key, value in numpy["ratios"].items():
        goal = ""
        if key in goals:
            op, threshold, wording = goals[key]
            met = value >= threshold if op == ">=" else value <= threshold
            goal = f"{wording} — {'met' if met else 'not met'}"
        out.append(f"| {key} | {value:.2f} | {goal} |")
    out.append("")
    out += what_each_side_produces()
    return out


def what_each_side_produces():
    """numpy_compare.py's own account of what each ratio compares (its
    docstring's paragraph of that name), so the README says what the script
    measures, in the script's words."""
    script = (REPO / "benches" / "numpy_compare.py").read_text(encoding="utf-8")
    doc = ast.get_docstring(ast.parse(script))
    start = doc.index("What each ratio compares")
    end = doc.index("Each timing is the best of", start)
    return doc[start:end].strip().split("\n") + [""]


def commit():
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-run", action="store_true",
                        help="do not run the benchmarks: use the output of the last run")
    parser.add_argument("--since", type=float,
                        help="with --no-run: only criterion results written after this Unix time")
    parser.add_argument("--criterion-args", default="--warm-up-time 1",
                        help="arguments passed to every criterion bench")
    args = parser.parse_args()
    started = datetime.datetime.now(datetime.timezone.utc)
    since = time.time()
    commands = [f"cargo bench -p {package} --bench {name} -- {args.criterion_args}"
                for package, name in bench_names()]
    commands += ["cargo build --release --bin som",
                 f"python3 benches/numpy_compare.py --json {NUMPY_JSON.relative_to(REPO)}"]
    if args.no_run:
        since = args.since or 0.0
    else:
        for package, name in bench_names():
            run(["cargo", "bench", "-p", package, "--bench", name, "--", *args.criterion_args.split()])
        run(["cargo", "build", "--release", "--bin", "som"])
        run([sys.executable, str(REPO / "benches" / "numpy_compare.py"), "--json", str(NUMPY_JSON)])
    numpy = None
    if NUMPY_JSON.is_file() and NUMPY_JSON.stat().st_mtime >= since:
        numpy = json.loads(NUMPY_JSON.read_text(encoding="utf-8"))
    write(criterion_results(since), numpy, started, commands)


if __name__ == "__main__":
    sys.exit(main())
