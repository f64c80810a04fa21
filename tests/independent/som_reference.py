#!/usr/bin/env python3
"""An independent reference implementation of DESIGN.md section 1.

Written from the text of DESIGN.md, not from the Rust code, with Python's
standard `decimal` module at 50 significant digits. It reads a scenario file
and a knowledge-base directory and prints the business case's yearly figures
and summary as JSON (amounts as strings rounded to 26 significant digits),
with its financing (section 1.10) when it has grants, or,
with --rust, as Rust literals for tests/hand_computed.rs.

    python3 tests/independent/som_reference.py examples/housing-first.json tests/data/kb
    python3 tests/independent/som_reference.py examples/housing-first.json tests/data/kb --rust

Only the standard library is used.
"""

import json
import sys
from decimal import Decimal, getcontext

getcontext().prec = 50

PAYERS = ("kommune", "region", "stat")
PI = Decimal("3.14159265358979323846264338327950288419716939937510")
OUTPUT_DIGITS = 26


def dec(x):
    """A Decimal from a JSON number (parsed as Decimal) or a string."""
    if isinstance(x, Decimal):
        return x
    if isinstance(x, (int, str)):
        return Decimal(str(x).strip())
    raise ValueError("expected a number, found %r" % (x,))


def load_json(path):
    with open(path, encoding="utf-8") as f:
        # parse_float=Decimal reads 0.1 as exactly 0.1 (DESIGN.md section 4)
        return json.load(f, parse_float=Decimal, parse_int=Decimal)


def load_kb(directory):
    kb = {}
    for name in ("manifest", "services", "consequences", "effects",
                 "price-index", "discounting"):
        kb[name] = load_json("%s/%s.json" % (directory, name))
    return kb


def price_index(kb):
    """index(year) with index(base_year) = 1, chained from the yearly changes."""
    pi = kb["price-index"]
    index = {int(pi["base_year"]): Decimal(1)}
    level = Decimal(1)
    for change in pi["changes"]:
        level = level * (1 + dec(change["rate"]))
        index[int(change["year"])] = level
    return index


def success_rate(effect, kb):
    """(p1, p0) per section 1.2, including the effect-size conversions."""
    study = None
    if "study" in effect:
        study = next(e for e in kb["effects"]["effects"] if e["id"] == effect["study"])
    source = study if study is not None else effect
    p0 = dec(source["baseline_rate"]) if "baseline_rate" in source else dec(effect["baseline_rate"])
    if "success_rate" in source:
        p1 = dec(source["success_rate"])
    else:
        kind = source["effect_size"]["kind"]
        value = dec(source["effect_size"]["value"])
        if kind == "percentage_points":
            p1 = p0 + value
        elif kind == "relative_risk":
            p1 = p0 * value
        else:
            odds_ratio = value
            if kind == "cohens_d":
                odds_ratio = (value * PI / Decimal(3).sqrt()).exp()
            p1 = odds_ratio * p0 / (1 - p0 + odds_ratio * p0)
    if not (0 <= p1 <= 1):
        raise ValueError("success rate %s outside [0, 1]" % p1)
    return p1, p0


def discount_rates(scenario, kb, horizon):
    """r_t for t = 0 .. H-1 (r_0 unused), section 1.7."""
    d = scenario.get("discounting", kb["manifest"]["default_discounting"])
    if d == "none":
        return [Decimal(0)] * horizon
    if isinstance(d, dict) and "constant" in d:
        return [dec(d["constant"])] * horizon
    if isinstance(d, dict) and "rates" in d:
        rates = [dec(r) for r in d["rates"]]
        assert len(rates) == horizon - 1
        return [Decimal(0)] + rates
    schedule = next(s for s in kb["discounting"]["schedules"] if s["id"] == d)
    out = []
    for t in range(horizon):
        rate = None
        for step in schedule["steps"]:
            lo = int(step["from_year"])
            hi = int(step["to_year"]) if "to_year" in step else None
            if t >= lo and (hi is None or t <= hi):
                rate = dec(step["rate"])
                break
        out.append(rate)
    return out


def evaluate(scenario, kb, net_success_override=None):
    horizon = int(scenario["horizon_years"])
    start = int(scenario["start_year"])
    price_year = int(scenario.get("price_year", kb["manifest"]["default_price_year"]))
    index = price_index(kb)

    n = [Decimal(0)] * horizon
    for cohort in scenario["cohorts"]:
        n[int(cohort["year"])] = dec(cohort["participants"])
    c = dec(scenario.get("completion_rate", 1))
    p1, p0 = success_rate(scenario["effect"], kb)
    s = p1 - p0 if net_success_override is None else net_success_override
    successes = [n_r * c * s for n_r in n]
    lag = int(scenario.get("effect_lag_years", 1))
    persistence = scenario.get("persistence", {})
    duration = persistence.get("duration_years")

    # Without a decay in the scenario: none for the scenario's own lines;
    # otherwise the knowledge-base set's relapse statement (none when its
    # profiles carry relapse, its default decay when they do not).
    if "consequences" in scenario:
        lines = scenario["consequences"]
        default_decay = 0
    else:
        group, measure = scenario["target_group"], scenario["success_measure"]
        found = next(x for x in kb["consequences"]["consequences"]
                     if x["target_group"] == group and x["success_measure"] == measure)
        lines = found["lines"]
        relapse = found["relapse"]
        default_decay = 0 if relapse["in_profile"] else relapse["annual_decay"]
    decay = dec(persistence.get("annual_decay", default_decay))
    services = {x["id"]: x for x in kb["services"]["services"]}
    # section 4: services the scenario defines itself, priced as the knowledge base's
    services.update({x["id"]: x for x in scenario.get("local_services", [])})
    overrides = scenario.get("prices", {})

    gains = [{p: Decimal(0) for p in PAYERS} for _ in range(horizon)]
    gains_by_area = [{} for _ in range(horizon)]
    for line in lines:
        service = services[line["service"]]
        profile = [dec(q) for q in line["profile"]]
        applies_to = line.get("applies_to", "successes")
        if line["service"] in overrides:
            price = overrides[line["service"]]
        else:
            price = dict(service["price"])
            # Refund rules by date: the split in force on 1 July of the
            # case's first year (ISO dates compare as text).
            mid_year = "%04d-07-01" % int(scenario["start_year"])
            for split in price.get("dated_splits", []):
                if split.get("from", "0000-01-01") <= mid_year <= split.get("to", "9999-12-31"):
                    for p in PAYERS:
                        price[p] = split[p]
        factor = index[price_year] / index[int(price["price_year"])]
        area = service["area"]
        for t in range(horizon):
            quantity = Decimal(0)
            for r in range(horizon):
                k = t - r - lag
                if k < 0 or k >= len(profile):
                    continue
                if applies_to == "participants":
                    quantity += n[r] * profile[k]
                else:
                    w = Decimal(0)
                    if duration is None or k < int(duration):
                        # (1 - decay)^0 = 1, also for a decay of 1 (0^0)
                        w = Decimal(1) if k == 0 else (1 - decay) ** k
                    quantity += successes[r] * profile[k] * w
            line_gain = Decimal(0)
            for p in PAYERS:
                value = quantity * dec(price[p]) * factor
                # section 1.6: net = -costs - values, so a gain is -value
                gains[t][p] -= value
                line_gain -= value
            gains_by_area[t][area] = gains_by_area[t].get(area, Decimal(0)) + line_gain

    costs = [{p: Decimal(0) for p in PAYERS} for _ in range(horizon)]
    for cost in scenario.get("costs", []):
        amount, payer, kind = dec(cost["amount"]), cost["payer"], cost["kind"]
        if kind == "one_off":
            costs[int(cost["year"])][payer] += amount
        elif kind == "per_year":
            for t in range(int(cost["from_year"]), int(cost["to_year"]) + 1):
                costs[t][payer] += amount
        else:
            # section 1.5: every year of a course of N years from entry
            course = int(cost.get("years", 1))
            for t in range(horizon):
                entered = sum((n[t - k] for k in range(course) if t - k >= 0), Decimal(0))
                costs[t][payer] += amount * entered

    rates = discount_rates(scenario, kb, horizon)
    df = []
    for t in range(horizon):
        df.append(Decimal(1) if t == 0 else df[-1] / (1 + rates[t]))

    def with_total(d):
        out = dict(d)
        out["total"] = sum((d[p] for p in PAYERS), Decimal(0))
        return out

    years = []
    cumulative = {p: Decimal(0) for p in PAYERS}
    pv_costs = {p: Decimal(0) for p in PAYERS}
    pv_gains = {p: Decimal(0) for p in PAYERS}
    for t in range(horizon):
        net = {p: gains[t][p] - costs[t][p] for p in PAYERS}
        disc = {p: df[t] * net[p] for p in PAYERS}
        for p in PAYERS:
            cumulative[p] += disc[p]
            pv_costs[p] += df[t] * costs[t][p]
            pv_gains[p] += df[t] * gains[t][p]
        years.append({
            "t": t, "year": start + t, "discount_factor": df[t],
            "costs": with_total(costs[t]), "gains": with_total(gains[t]),
            "net": with_total(net), "net_discounted": with_total(disc),
            "cumulative_net_discounted": with_total(cumulative),
            "gains_by_area": gains_by_area[t],
        })
    npv = with_total(cumulative)
    pv_costs, pv_gains = with_total(pv_costs), with_total(pv_gains)
    participants = sum(n, Decimal(0))
    total_successes = sum(successes, Decimal(0))

    def ratio(a, b):
        return None if b == 0 else a / b

    break_even = None
    for t in range(horizon):
        if all(y["cumulative_net_discounted"]["total"] >= 0 for y in years[t:]):
            break_even = start + t
            break
    case = {
        "s": s,
        "years": years,
        "summary": {
            "pv_costs": pv_costs, "pv_gains": pv_gains, "npv": npv,
            "benefit_cost_ratio": ratio(pv_gains["total"], pv_costs["total"]),
            "return_per_krone": ratio(npv["total"], pv_costs["total"]),
            "break_even_year": break_even,
            "npv_per_participant": ratio(npv["total"], participants),
            "npv_per_success": ratio(npv["total"], total_successes),
            "participants": participants, "successes": total_successes,
        },
    }
    if scenario.get("financing"):
        case["financing"] = financing(scenario["financing"], years, df, npv)
    return case


def financing(grants, years, df, npv):
    """Section 1.10: each grant's amounts a_g(t) go to the kommune; a grant
    from the state or the region is that payer's loss, one from outside the
    public sector the total's gain. Each payer's result with financing is
    its net plus its financing, year by year and in present value; the
    summary stays without it."""
    horizon = len(years)
    fin = [{p: Decimal(0) for p in PAYERS + ("total",)} for _ in range(horizon)]
    out_grants = []
    for grant in grants:
        amounts = [Decimal(0)] * horizon
        for a in grant["amounts"]:
            amounts[int(a["year"])] += dec(a["amount"])
        for t in range(horizon):
            fin[t]["kommune"] += amounts[t]
            if grant["from"] == "outside":
                fin[t]["total"] += amounts[t]
            else:
                fin[t][grant["from"]] -= amounts[t]
        out_grants.append({"amounts": amounts,
                           "pv": sum((df[t] * amounts[t] for t in range(horizon)), Decimal(0))})
    pv = {p: sum((df[t] * fin[t][p] for t in range(horizon)), Decimal(0))
          for p in PAYERS + ("total",)}
    return {
        "grants": out_grants,
        "years": [{"t": t, "year": years[t]["year"], "financing": fin[t],
                   "net_with_financing": {p: years[t]["net"][p] + fin[t][p]
                                          for p in PAYERS + ("total",)}}
                  for t in range(horizon)],
        "pv": pv,
        "npv_without_financing": dict(npv),
        "npv_with_financing": {p: npv[p] + pv[p] for p in PAYERS + ("total",)},
    }


def business_case(scenario, kb):
    case = evaluate(scenario, kb)
    # NPV is a linear function of s (section 1.8): evaluate it at s and s + 1
    # and solve NPV(s*) = 0 on that line.
    s = case["s"]
    npv_s = case["summary"]["npv"]["total"]
    npv_s1 = evaluate(scenario, kb, s + 1)["summary"]["npv"]["total"]
    slope = npv_s1 - npv_s
    case["summary"]["break_even_success_rate"] = None if slope == 0 else s - npv_s / slope
    return case


SHARED = ("start_year", "horizon_years", "price_year", "discounting", "prices",
          "local_services", "evidence_adjustment")


def package_case(package, kb):
    """Section 1.10: each arm is the scenario of the shared fields and its
    own; the package's flows and present values are the sums of the arms',
    its ratios and break-even year computed from the sums."""
    arms = []
    for arm in package["arms"]:
        scenario = {k: v for k, v in arm.items() if k != "name"}
        for key in SHARED:
            if key in package:
                scenario[key] = package[key]
        case = business_case(scenario, kb)
        case.pop("s")
        arms.append(case)
    horizon = int(package["horizon_years"])
    flows = ("costs", "gains", "net", "net_discounted")
    years = []
    cumulative = {p: Decimal(0) for p in PAYERS + ("total",)}
    for t in range(horizon):
        year = {"t": t, "year": int(package["start_year"]) + t,
                "discount_factor": arms[0]["years"][t]["discount_factor"]}
        for flow in flows:
            year[flow] = {p: sum((a["years"][t][flow][p] for a in arms), Decimal(0))
                          for p in PAYERS + ("total",)}
        for p in PAYERS + ("total",):
            cumulative[p] += year["net_discounted"][p]
        year["cumulative_net_discounted"] = dict(cumulative)
        years.append(year)
    summary = {}
    for key in ("pv_costs", "pv_gains", "npv"):
        summary[key] = {p: sum((a["summary"][key][p] for a in arms), Decimal(0))
                        for p in PAYERS + ("total",)}
    for key in ("participants", "successes"):
        summary[key] = sum((a["summary"][key] for a in arms), Decimal(0))

    def ratio(a, b):
        return None if b == 0 else a / b

    summary["benefit_cost_ratio"] = ratio(summary["pv_gains"]["total"], summary["pv_costs"]["total"])
    summary["return_per_krone"] = ratio(summary["npv"]["total"], summary["pv_costs"]["total"])
    summary["npv_per_participant"] = ratio(summary["npv"]["total"], summary["participants"])
    summary["npv_per_success"] = ratio(summary["npv"]["total"], summary["successes"])
    summary["break_even_year"] = None
    for t in range(horizon):
        if all(y["cumulative_net_discounted"]["total"] >= 0 for y in years[t:]):
            summary["break_even_year"] = int(package["start_year"]) + t
            break
    # per arm only: the arms have their own net success rates
    summary["break_even_success_rate"] = None
    package_case = {"arms": arms, "years": years, "summary": summary}
    if package.get("financing"):
        # section 1.12: the package's grants finance the total
        df = [y["discount_factor"] for y in years]
        package_case["financing"] = financing(package["financing"], years, df, summary["npv"])
    return package_case


def show(x):
    """Rounded to OUTPUT_DIGITS significant digits, in plain notation."""
    if x is None or isinstance(x, int):
        return x
    if x == 0:
        return "0"
    q = +x  # noqa: apply context
    digits = q.adjusted()
    rounded = q.quantize(Decimal(1).scaleb(digits - OUTPUT_DIGITS + 1))
    return format(rounded.normalize(), "f")


def to_json(value):
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, Decimal):
        return show(value)
    return value


def to_rust(case):
    out = ["// Generated by tests/independent/som_reference.py (see the comment above).",
           "// [discount_factor, costs, gains, net, net_discounted, cumulative_net_discounted] (totals)",
           "const REFERENCE_YEARS: [[&str; 6]; %d] = [" % len(case["years"])]
    for y in case["years"]:
        fields = [y["discount_factor"], y["costs"]["total"], y["gains"]["total"],
                  y["net"]["total"], y["net_discounted"]["total"],
                  y["cumulative_net_discounted"]["total"]]
        out.append("    [%s]," % ", ".join('"%s"' % show(f) for f in fields))
    out.append("];")
    out.append("// [kommune, region, stat, total] of pv_costs, pv_gains, npv")
    sm = case["summary"]
    for key in ("pv_costs", "pv_gains", "npv"):
        out.append("const REFERENCE_%s: [&str; 4] = [%s];" % (
            key.upper(), ", ".join('"%s"' % show(sm[key][p]) for p in PAYERS + ("total",))))
    for key in ("benefit_cost_ratio", "return_per_krone", "break_even_success_rate",
                "npv_per_participant", "npv_per_success", "participants", "successes"):
        out.append('const REFERENCE_%s: &str = "%s";' % (key.upper(), show(sm[key])))
    out.append("const REFERENCE_BREAK_EVEN_YEAR: Option<i32> = %s;" % (
        "None" if sm["break_even_year"] is None else "Some(%d)" % sm["break_even_year"]))
    return "\n".join(out)


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    scenario = load_json(argv[1])
    kb = load_kb(argv[2])
    if "arms" in scenario:
        print(json.dumps(to_json(package_case(scenario, kb)), indent=2))
        return 0
    case = business_case(scenario, kb)
    if "--rust" in argv[3:]:
        print(to_rust(case))
    else:
        case.pop("s")
        print(json.dumps(to_json(case), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
