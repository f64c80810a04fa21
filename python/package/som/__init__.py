"""som for Python: SØM-style social investment business cases.

    import som
    case = som.evaluate(open("examples/housing-first.json").read())
    print(case["summary"]["npv"]["total"])          # a string, full precision

    grid = som.sweep(scenario, {"parameters": [
        {"name": "success_rate", "from": 0.25, "to": 0.5, "step": 0.001},
        {"name": "participants_scale", "from": 0.1, "to": 10, "step": 0.01}]},
        columns=["npv"])
    grid["npv"]                                      # a numpy float64 array, grid order

A native extension (Rust, built with maturin by `pip install ./python`).
Business cases, sensitivity and the knowledge base answer with dicts parsed
from the same JSON as `som run --format json` (amounts are strings: use
decimal.Decimal on them, never float). Sweeps and simulations use the f64
fast path (within 1e-9 of the exact engine) and return numpy arrays built
directly from its results. An error raises SomError with the code, message
and problems (file, JSON path, found, expected, did_you_mean).

A scenario or spec is a dict or JSON text; `kb_dir` a knowledge-base
directory, or None for the knowledge base compiled into the extension.
"""

import decimal
import json

from . import _native

__all__ = [
    "SomError",
    "evaluate",
    "evaluate_json",
    "sensitivity",
    "sweep",
    "simulate",
    "kb_list",
    "kb_show",
    "kb_validate",
    "version",
]

__version__ = _native.version()


class SomError(Exception):
    """An error object from som: {"error": {"code", "message", "problems"}}."""

    def __init__(self, error):
        self.code = error.get("code")
        self.message = error.get("message")
        self.problems = error.get("problems", [])
        super().__init__(f"{self.code}: {self.message}")


def _call(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except _native.NativeError as e:
        raise SomError(json.loads(e.args[0])["error"]) from None


def _decimal_as_string(value):
    if isinstance(value, decimal.Decimal):
        return str(value)  # numbers given as strings are read exactly
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _text(value):
    if value is None:
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, str):
        return value
    return json.dumps(value, default=_decimal_as_string)


def _path(kb_dir):
    return None if kb_dir is None else str(kb_dir)


def _parse(text):
    return json.loads(text, parse_float=decimal.Decimal)


def evaluate_json(scenario, kb_dir=None):
    """The business case as JSON text (what `som run --format json` prints)."""
    return _call(_native.evaluate_json, _text(scenario), _path(kb_dir))


def evaluate(scenario, kb_dir=None):
    """The business case as a dict; raises SomError for an invalid scenario or knowledge base."""
    return _parse(evaluate_json(scenario, kb_dir))


def sensitivity(scenario, kb_dir=None):
    """One-way sensitivity as a dict (what `som sensitivity --format json` prints)."""
    return _parse(_call(_native.sensitivity_json, _text(scenario), _path(kb_dir)))


def sweep(scenario, spec, kb_dir=None, columns=None, grid=False):
    """A grid over scenario parameters (the spec of `som sweep`), as a dict of
    numpy float64 arrays in grid order (first axis slowest): one per
    parameter with its value at each point, then `npv`, `pv_gains`,
    `pv_costs`, `benefit_cost_ratio` (NaN when PV costs is 0) and
    `break_even_year` (NaN if never), or only the `columns` named.
    `pandas.DataFrame(som.sweep(...))` makes a table of it.

    With `grid=True` the dict keeps the grid's shape instead: one array per
    parameter with its axis's values, and each figure an array with one
    dimension per axis, in axis order (`npv[i, j]` at the first parameter's
    i-th value and the second's j-th; `npv.ravel()` is the default's
    `npv`). No per-point array of parameter values is built, which saves
    8 bytes per point and parameter (`numpy.meshgrid(*axes, indexing="ij")`
    makes them when wanted).

    Without `break_even_year` a sweep costs O(1) per point. A grid point whose
    figures the exact engine could not represent (beyond ±7.9e28) raises
    SomError (code `analysis_failed`).
    """
    names = None if columns is None else [str(c) for c in columns]
    return _call(_native.sweep, _text(scenario), _text(spec), _path(kb_dir), names, bool(grid))


def simulate(scenario, spec=None, draws=10_000, seed=1, kb_dir=None, keep_draws=False,
             grade_defaults=False):
    """A Monte Carlo simulation (the spec of `som simulate`): the summary as a
    dict (what `som simulate --format json` prints: each statistic with the
    number of draws it rests on). With `keep_draws`, the summary's `"every_draw"`
    is a dict of numpy arrays: each input's draws, `npv` and
    `benefit_cost_ratio` (NaN where undefined or outside the exact engine's range).
    """
    summary, every = _call(_native.simulate, _text(scenario), _text(spec), int(draws), int(seed),
                           _path(kb_dir), bool(keep_draws), bool(grade_defaults))
    result = json.loads(summary)
    if every is not None:
        result["every_draw"] = every
    return result


def kb_list(kb_dir=None):
    """{"knowledge_base": {"version", "hash"}, "ids": [{"kind", "id"}]}."""
    return _parse(_call(_native.kb_list_json, _path(kb_dir)))


def kb_show(record_id, kb_dir=None):
    """One knowledge-base record by id (what `som kb show ID --format json` prints)."""
    return _parse(_call(_native.kb_show_json, str(record_id), _path(kb_dir)))


def kb_validate(kb_dir=None):
    """Validates a knowledge-base directory; raises SomError listing every problem."""
    return _parse(_call(_native.kb_validate_json, _path(kb_dir)))


def version():
    """The library's version, e.g. "0.1.0"."""
    return _native.version()
