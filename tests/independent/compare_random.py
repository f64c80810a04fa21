#!/usr/bin/env python3
"""Random scenarios through `som run --format json` and som_reference.py.

Generates random valid scenarios (1-40 years, every kind of effect and
discounting, knowledge-base or explicit consequence lines, price overrides
in other price years, all cost kinds, grants from every kind of funder), evaluates each with the built `som`
binary and with the independent reference, and reports every figure that
differs by more than 1e-20 relative. Not part of `cargo test` (it takes a
minute); run it after changing the engine:

    cargo build
    python3 tests/independent/compare_random.py SEED COUNT

It prints every mismatch and ends with "bad N".
"""

import json
import random
import subprocess
import sys
import tempfile
from decimal import Decimal
sys.path.insert(0, "tests/independent")  # run from the repository root
import som_reference as ref
kb = ref.load_kb("tests/data/kb")
random.seed(int(sys.argv[1]))
bad = 0
for i in range(int(sys.argv[2])):
    H = random.randint(1, 40)
    sc = {"name": "f%d" % i, "target_group": "homeless-adults", "success_measure": "exits-homelessness",
          "start_year": random.randint(2000, 2100), "horizon_years": H}
    if random.random() < 0.8: sc["price_year"] = random.randint(2010, 2025)
    d = random.choice(["none", "dk-fm-2021", "dk-fm-2013", "dk-fm-before-2013", "const", "rates", None])
    if d == "const": sc["discounting"] = {"constant": str(Decimal(random.randint(0, 200)) / 1000)}
    elif d == "rates": sc["discounting"] = {"rates": [str(Decimal(random.randint(0, 200)) / 1000) for _ in range(H - 1)]}
    elif d: sc["discounting"] = d
    ys = random.sample(range(H), random.randint(1, min(H, 4)))
    sc["cohorts"] = [{"year": y, "participants": random.randint(0, 300)} for y in ys]
    if random.random() < 0.7: sc["completion_rate"] = str(Decimal(random.randint(0, 100)) / 100)
    e = random.random()
    if e < 0.4:
        sc["effect"] = {"success_rate": str(Decimal(random.randint(0, 100)) / 100), "baseline_rate": str(Decimal(random.randint(0, 100)) / 100)}
    elif e < 0.5: sc["effect"] = {"study": "housing-first-at-home-1y"}
    elif e < 0.6: sc["effect"] = {"study": "cti-herman-2011", "baseline_rate": "0.3"}
    elif e < 0.8: sc["effect"] = {"effect_size": {"kind": "odds_ratio", "value": str(Decimal(random.randint(1, 500)) / 100)}, "baseline_rate": str(Decimal(random.randint(0, 100)) / 100)}
    else: sc["effect"] = {"effect_size": {"kind": "cohens_d", "value": str(Decimal(random.randint(-100, 100)) / 100)}, "baseline_rate": str(Decimal(random.randint(0, 100)) / 100)}
    if random.random() < 0.7: sc["effect_lag_years"] = random.randint(0, 5)
    if random.random() < 0.7:
        p = {}
        if random.random() < 0.7: p["duration_years"] = random.randint(0, 12)
        if random.random() < 0.7: p["annual_decay"] = str(Decimal(random.randint(0, 100)) / 100)
        sc["persistence"] = p
    if random.random() < 0.6:
        svcs = random.sample(["shelter-day", "prison-day", "cash-benefit-month", "foster-care-year", "special-psychiatric-place-day"], random.randint(1, 3))
        sc["consequences"] = [{"service": s, "profile": [random.randint(-200, 200) for _ in range(random.randint(1, 12))], "applies_to": random.choice(["successes", "participants"])} for s in svcs]
        if random.random() < 0.5:
            s = svcs[0]
            sc["prices"] = {s: {"kommune": random.randint(0, 5000), "region": random.randint(0, 500), "stat": random.randint(-500, 500), "price_year": random.randint(2010, 2025)}}
    costs = []
    for _ in range(random.randint(0, 3)):
        k = random.choice(["one_off", "per_year", "per_participant"])
        c = {"label": k, "kind": k, "amount": random.randint(0, 10**6), "payer": random.choice(["kommune", "region", "stat"])}
        if k == "one_off": c["year"] = random.randint(0, H - 1)
        if k == "per_year":
            a, b = sorted([random.randint(0, H - 1), random.randint(0, H - 1)]); c["from_year"] = a; c["to_year"] = b
        costs.append(c)
    sc["costs"] = costs
    if random.random() < 0.4:
        # grants (section 1.10): from the state, the region or outside, in
        # distinct years of the horizon
        sc["financing"] = [{"label": "g%d" % g, "from": random.choice(["stat", "region", "outside"]),
                            "amounts": [{"year": y, "amount": random.randint(0, 10**6)}
                                        for y in random.sample(range(H), random.randint(1, min(H, 3)))]}
                           for g in range(random.randint(1, 3))]
    path = tempfile.gettempdir() + "/som-compare-random.json"
    json.dump(sc, open(path, "w"))
    out = subprocess.run(["./target/debug/som", "--kb", "tests/data/kb", "run", path, "--format", "json"], capture_output=True, text=True)
    try:
        r = ref.to_json(ref.business_case(ref.load_json(path), kb)); r.pop("s")
    except ValueError as ex:
        if out.returncode == 0: print("REF ERR but ours ok", ex, json.dumps(sc)); bad += 1
        continue
    if out.returncode != 0:
        print("OURS ERR", out.stderr.strip()[:300], json.dumps(sc)); bad += 1; continue
    ours = json.loads(out.stdout)
    def cmp(path, a, b):
        global bad
        if isinstance(a, dict):
            for k in a: cmp(path + "." + k, a[k], b.get(k) if isinstance(b, dict) else None)
        elif isinstance(a, list):
            for j, x in enumerate(a): cmp("%s[%d]" % (path, j), x, b[j])
        elif isinstance(a, str):
            x, y = Decimal(a), Decimal(b)
            tol = Decimal("1e-20") * max(abs(x), 1)
            if abs(x - y) > tol:
                raise AssertionError("%s: ref %s ours %s" % (path, a, b))
        elif a != b:
            raise AssertionError("%s: ref %s ours %s" % (path, a, b))
    try:
        cmp("$", r, ours)
    except AssertionError as ex:
        bad += 1; print("MISMATCH", ex, json.dumps(sc))
print("bad", bad)
