"""som from Python, through the C ABI with ctypes: no compiled extension.

    import som
    case = som.evaluate({"name": "...", "target_group": "homeless-adults", ...})
    print(case["summary"]["npv"]["total"])

The shared library is found, in this order, at the path in the environment
variable SOM_LIB, or as the newest of target/debug, target/release and their
deps/ folders (under CARGO_TARGET_DIR if set) of the repository this file is
in. Build it with `cargo build -p som-ffi` (into target/debug) or `cargo test`
(which leaves it in target/debug/deps).

Results are dicts parsed from the library's JSON; amounts are strings with
full precision (use decimal.Decimal on them, never float). An error raises
SomError with the library's code, message and problems (file, JSON path,
found, expected, did_you_mean).
"""

import ctypes
import decimal
import json
import os
import sys
from pathlib import Path

__all__ = [
    "SomError",
    "evaluate",
    "evaluate_json",
    "sensitivity",
    "kb_list",
    "kb_show",
    "kb_validate",
    "version",
    "abi_version",
    "library_path",
]

# The ABI version this module was written against (SOM_ABI_VERSION in ffi/som.h).
ABI_VERSION = 1


class SomError(Exception):
    """An error object returned by the library: {"error": {"code", "message", "problems"}}."""

    def __init__(self, error):
        self.code = error.get("code")
        self.message = error.get("message")
        self.problems = error.get("problems", [])
        super().__init__(f"{self.code}: {self.message}")


def _library_file_name():
    if sys.platform == "win32":
        return "som_ffi.dll"
    if sys.platform == "darwin":
        return "libsom_ffi.dylib"
    return "libsom_ffi.so"


def library_path():
    """The path of the shared library this module loads."""
    explicit = os.environ.get("SOM_LIB")
    if explicit:
        return Path(explicit)
    repo = Path(__file__).resolve().parent.parent
    target = Path(os.environ.get("CARGO_TARGET_DIR", repo / "target"))
    candidates = [
        target / profile / sub / _library_file_name()
        for profile in ("debug", "release")
        for sub in ("", "deps")
    ]
    found = [p for p in candidates if p.is_file()]
    if not found:
        raise FileNotFoundError(
            "the som shared library was not found at "
            + " or ".join(str(p) for p in candidates)
            + "; build it with `cargo build -p som-ffi` or set SOM_LIB"
        )
    return max(found, key=lambda p: p.stat().st_mtime)


_lib = None


def _load():
    global _lib
    if _lib is None:
        lib = ctypes.CDLL(str(library_path()))
        # Returned strings are taken as void pointers so they can be freed.
        for name, args in [
            ("som_evaluate", [ctypes.c_char_p, ctypes.c_char_p]),
            ("som_sensitivity", [ctypes.c_char_p, ctypes.c_char_p]),
            ("som_kb_list", [ctypes.c_char_p]),
            ("som_kb_show", [ctypes.c_char_p, ctypes.c_char_p]),
            ("som_kb_validate", [ctypes.c_char_p]),
        ]:
            function = getattr(lib, name)
            function.argtypes = args
            function.restype = ctypes.c_void_p
        lib.som_string_free.argtypes = [ctypes.c_void_p]
        lib.som_string_free.restype = None
        lib.som_version.argtypes = []
        lib.som_version.restype = ctypes.c_char_p
        lib.som_abi_version.argtypes = []
        lib.som_abi_version.restype = ctypes.c_uint32
        if lib.som_abi_version() != ABI_VERSION:
            raise ImportError(
                f"{library_path()} has C ABI version {lib.som_abi_version()}, "
                f"this module expects {ABI_VERSION}"
            )
        _lib = lib
    return _lib


def _text(function, *args):
    """Calls a som_* function, copies the returned string and frees it."""
    lib = _load()
    pointer = getattr(lib, function)(*args)
    try:
        return ctypes.string_at(pointer).decode("utf-8")
    finally:
        lib.som_string_free(pointer)


def _encode(text):
    return None if text is None else str(text).encode("utf-8")


def _parse(text):
    value = json.loads(text, parse_float=decimal.Decimal)
    if isinstance(value, dict) and set(value) == {"error"}:
        raise SomError(value["error"])
    return value


def _decimal_as_string(value):
    if isinstance(value, decimal.Decimal):
        return str(value)  # scenarios read numbers given as strings exactly
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _scenario_text(scenario):
    if isinstance(scenario, (str, bytes)):
        return scenario if isinstance(scenario, str) else scenario.decode("utf-8")
    return json.dumps(scenario, default=_decimal_as_string)


def evaluate_json(scenario, kb_dir=None):
    """The business case as the library's JSON text (what `som run --format json` prints).

    `scenario` is a dict or JSON text; `kb_dir` a knowledge-base directory, or
    None for the knowledge base compiled into the library. An error is
    returned as the error object's JSON text, not raised.
    """
    return _text("som_evaluate", _encode(_scenario_text(scenario)), _encode(kb_dir))


def evaluate(scenario, kb_dir=None):
    """The business case as a dict; raises SomError for an invalid scenario or knowledge base."""
    return _parse(evaluate_json(scenario, kb_dir))


def sensitivity(scenario, kb_dir=None):
    """One-way sensitivity as a dict (what `som sensitivity --format json` prints):
    the tornado's bars, consequence lines moved by their evidence grade's range
    and other inputs by 20 %, and the exact break-even figures."""
    return _parse(_text("som_sensitivity", _encode(_scenario_text(scenario)), _encode(kb_dir)))


def kb_list(kb_dir=None):
    """{"knowledge_base": {"version", "hash"}, "ids": [{"kind", "id"}]}."""
    return _parse(_text("som_kb_list", _encode(kb_dir)))


def kb_show(record_id, kb_dir=None):
    """One knowledge-base record by id (what `som kb show ID` prints)."""
    return _parse(_text("som_kb_show", _encode(record_id), _encode(kb_dir)))


def kb_validate(kb_dir=None):
    """Validates a knowledge-base directory; raises SomError listing every problem."""
    return _parse(_text("som_kb_validate", _encode(kb_dir)))


def version():
    """The library's version, e.g. "0.1.0"."""
    return _load().som_version().decode("utf-8")


def abi_version():
    """The C ABI version of the loaded library."""
    return _load().som_abi_version()
