//! Packages: several interventions (arms) in one scenario file. Each arm is
//! evaluated as the single-intervention case it is, the total is summed
//! from the arms' flows (DESIGN.md §1.10), and every view shows each arm
//! and the total. The figures below are worked by hand in the comments.

use rust_decimal::Decimal;
use serde_json::{Value, json};
use som::KnowledgeBase;
use som::package::{self, Input, Package};
use som::report::{Format, Lang};

fn kb() -> &'static KnowledgeBase {
    KnowledgeBase::embedded()
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// A psychiatric emergency visit at 500 kr. to the kommune and 3.000 kr. to
/// the region, in 2025 prices (the case's price year, so no indexing).
fn visit() -> Value {
    json!({
        "id": "psychiatric-emergency-visit",
        "name": {"da": "Akut psykiatrisk henvendelse", "en": "Psychiatric emergency visit"},
        "unit": {"da": "henvendelse", "en": "visit"},
        "area": "health",
        "committee": "health",
        "price": {
            "price_year": 2025, "kommune": 500, "region": 3000, "stat": 0,
            "evidence": {"basis": "assumption", "grade": 5,
                         "note": "A round figure for the test.", "note_da": "Et rundt tal til testen."}
        }
    })
}

/// Two arms, no discounting, three years (2026-2028):
///
/// - A: 10 participants in year 0, rates 0.5 and 0.2 (s = 0.3), completion
///   1: 3 successes; visits −2, −1 from the year after entry; a one-off
///   10.000 kr. to the kommune in year 0.
/// - B: 20 participants in year 1, rates 0.4 and 0.3 (s = 0.1), completion
///   0.5: 20 · 0.5 · 0.1 = 1 success; visits −4 the year after entry; 500 kr.
///   per participant to the state every year for two years from entry.
fn package_json() -> Value {
    json!({
        "name": "Two arms",
        "start_year": 2026,
        "horizon_years": 3,
        "price_year": 2025,
        "discounting": "none",
        "local_services": [visit()],
        "arms": [
            {
                "name": "A",
                "target_group": "homeless-adults",
                "success_measure": "exits-homelessness",
                "cohorts": [{"year": 0, "participants": 10}],
                "effect": {"success_rate": 0.5, "baseline_rate": 0.2},
                "costs": [{"label": "Outreach", "kind": "one_off", "year": 0, "amount": 10000, "payer": "kommune"}],
                "consequences": [{"service": "psychiatric-emergency-visit", "profile": [-2, -1]}]
            },
            {
                "name": "B",
                "target_group": "homeless-adults",
                "success_measure": "exits-homelessness",
                "cohorts": [{"year": 1, "participants": 20}],
                "completion_rate": 0.5,
                "effect": {"success_rate": 0.4, "baseline_rate": 0.3},
                "costs": [{"label": "Mentor", "kind": "per_participant", "years": 2, "amount": 500, "payer": "stat"}],
                "consequences": [{"service": "psychiatric-emergency-visit", "profile": [-4]}]
            }
        ]
    })
}

fn read(json: &Value) -> Package {
    Package::from_json_named(&json.to_string(), "package.json").unwrap()
}

fn evaluate(json: &Value) -> package::PackageCase {
    package::evaluate(&read(json), kb()).unwrap()
}

/// Every problem reading and resolving `json` gives.
fn problems(json: &Value) -> Vec<som::Problem> {
    match Package::from_json_named(&json.to_string(), "package.json") {
        Err(e) => e.problems().to_vec(),
        Ok(p) => package::evaluate(&p, kb())
            .err()
            .map(|e| e.problems().to_vec())
            .unwrap_or_default(),
    }
}

fn problem_at<'a>(problems: &'a [som::Problem], path: &str) -> Option<&'a som::Problem> {
    problems
        .iter()
        .find(|p| p.file == "package.json" && p.path == path)
}

#[test]
fn each_arm_is_its_own_case_and_the_total_is_their_sum() {
    let case = evaluate(&package_json());
    let (a, b, total) = (&case.arms[0], &case.arms[1], &case.total);
    assert_eq!(a.scenario, "A");
    assert_eq!(b.scenario, "B");
    // A: Q = 0, 3·(−2) = −6, 3·(−1) = −3 visits; gains kommune 3.000 and
    // 1.500, region 18.000 and 9.000; net −10.000, 21.000, 10.500.
    let net = |c: &som::BusinessCase| c.years.iter().map(|y| y.net.total).collect::<Vec<_>>();
    assert_eq!(net(a), vec![d("-10000"), d("21000"), d("10500")]);
    // B: the success of the year-1 cohort avoids 4 visits in year 2: gains
    // kommune 2.000, region 12.000; costs 20 · 500 = 10.000 in years 1 and 2.
    assert_eq!(net(b), vec![d("0"), d("-10000"), d("4000")]);
    // The total: −10.000, 21.000 − 10.000 = 11.000, 10.500 + 4.000 = 14.500.
    assert_eq!(net(total), vec![d("-10000"), d("11000"), d("14500")]);
    assert_eq!(total.years[2].costs.stat, d("10000"));
    assert_eq!(total.years[2].gains.kommune, d("3500"));
    assert_eq!(total.years[2].gains.region, d("21000"));
    // Cumulative −10.000, 1.000, 15.500: break-even in 2027, where A alone
    // also breaks even and B never does.
    let cumulative: Vec<Decimal> = total
        .years
        .iter()
        .map(|y| y.cumulative_net_discounted.total)
        .collect();
    assert_eq!(cumulative, vec![d("-10000"), d("1000"), d("15500")]);
    let s = &total.summary;
    assert_eq!(s.break_even_year, Some(2027));
    assert_eq!(a.summary.break_even_year, Some(2027));
    assert_eq!(b.summary.break_even_year, None);
    // NPV by payer: kommune −10.000 + 4.500 + 2.000 = −3.500; region
    // 27.000 + 12.000 = 39.000; state −20.000; total 15.500.
    assert_eq!(s.npv.kommune, d("-3500"));
    assert_eq!(s.npv.region, d("39000"));
    assert_eq!(s.npv.stat, d("-20000"));
    assert_eq!(s.npv.total, d("15500"));
    // PV of costs 10.000 + 20.000; of gains 31.500 + 14.000 = 45.500.
    assert_eq!(s.pv_costs.total, d("30000"));
    assert_eq!(s.pv_gains.total, d("45500"));
    // Ratios from the sums: 45.500 / 30.000 and 15.500 / 30.000.
    assert_eq!(s.benefit_cost_ratio, Some(d("45500") / d("30000")));
    assert_eq!(s.return_per_krone, Some(d("15500") / d("30000")));
    // 30 participants, 3 + 1 = 4 successes: 15.500 / 30 and 15.500 / 4 = 3.875.
    assert_eq!(s.participants, d("30"));
    assert_eq!(s.successes, d("4"));
    assert_eq!(s.npv_per_participant, Some(d("15500") / d("30")));
    assert_eq!(s.npv_per_success, Some(d("3875")));
    // No one rate makes the package break even; each arm has its own.
    assert_eq!(s.break_even_success_rate, None);
    // A: gains per unit of s 31.500 / 0,3 = 105.000; costs 10.000 are met
    // at s = 10.000 / 105.000 = 2/21. B: 14.000 / 0,1 = 140.000 per unit;
    // costs 20.000 at s = 1/7.
    let close = |x: Option<Decimal>, y: Decimal| (x.unwrap() - y).abs() < d("1e-20");
    assert!(close(a.summary.break_even_success_rate, d("2") / d("21")));
    assert!(close(b.summary.break_even_success_rate, d("1") / d("7")));
    // Gains by area: both arms' lines are in health.
    assert_eq!(total.areas, vec!["health".into()]);
    assert_eq!(total.years[2].gains_by_area, vec![d("24500")]);
    // Pooled over completers (10 in A, 20 · 0,5 = 10 in B): success rate
    // (5 + 4) / 20 = 0,45, baseline (2 + 3) / 20 = 0,25, net 0,2, and
    // 20 · 0,2 = 4 successes; completion 20 / 30.
    assert_eq!(total.success_rate, d("0.45"));
    assert_eq!(total.baseline_rate, d("0.25"));
    assert_eq!(total.net_success_rate, d("0.2"));
    assert_eq!(total.completion_rate, d("20") / d("30"));
    assert_eq!(total.participants_by_year, vec![d("10"), d("20"), d("0")]);
}

#[test]
fn discounting_applies_to_the_summed_flows() {
    let mut json = package_json();
    json["discounting"] = json!({"constant": 0.25});
    let case = evaluate(&json);
    // DF = 1, 0,8, 0,64. Total: −10.000 + 11.000 · 0,8 + 14.500 · 0,64 =
    // −10.000 + 8.800 + 9.280 = 8.080. A: −10.000 + 16.800 + 6.720 = 13.520;
    // B: −8.000 + 2.560 = −5.440; 13.520 − 5.440 = 8.080.
    assert_eq!(case.arms[0].summary.npv.total, d("13520"));
    assert_eq!(case.arms[1].summary.npv.total, d("-5440"));
    assert_eq!(case.total.summary.npv.total, d("8080"));
    // Cumulative −10.000, −1.200, 8.080: break-even moves to 2028.
    assert_eq!(case.total.summary.break_even_year, Some(2028));
    assert_eq!(
        case.total.years[1].cumulative_net_discounted.total,
        d("-1200")
    );
    // PV of costs: 10.000 + 10.000 · 0,8 + 10.000 · 0,64 = 24.400.
    assert_eq!(case.total.summary.pv_costs.total, d("24400"));
}

#[test]
fn an_arm_gives_exactly_the_case_of_the_same_single_scenario() {
    // The example's two arms, written as two single-intervention scenarios
    // (shared fields copied in), give the arms' cases to the last digit,
    // and the total's NPV is their sum.
    let text = std::fs::read_to_string("examples/package/homeless-60.json").unwrap();
    let input = Package::from_json_named(&text, "examples/package/homeless-60.json").unwrap();
    let case = package::evaluate(&input, kb()).unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    let mut sum = Decimal::ZERO;
    for (i, arm) in json["arms"].as_array().unwrap().iter().enumerate() {
        let mut single = arm.clone();
        for key in ["start_year", "horizon_years", "price_year", "discounting"] {
            single[key] = json[key].clone();
        }
        if arm.get("consequences").is_some() {
            single["local_services"] = json["local_services"].clone();
        }
        let scenario = som::Scenario::from_json(&single.to_string()).unwrap();
        let alone = som::evaluate(&scenario, kb()).unwrap();
        assert_eq!(alone.years, case.arms[i].years);
        assert_eq!(alone.summary, case.arms[i].summary);
        sum += alone.summary.npv.total;
    }
    assert_eq!(case.total.summary.npv.total, sum);
    assert_eq!(case.total.summary.participants, d("60"));
}

#[test]
fn a_field_of_one_intervention_beside_arms_is_refused() {
    let mut json = package_json();
    json["effect"] = json!({"success_rate": 0.5, "baseline_rate": 0.2});
    json["cohorts"] = json!([]);
    let problems = problems(&json);
    let p = problem_at(&problems, "$.effect").expect("a problem at $.effect");
    assert!(p.found.contains("top level of a package"), "{p:?}");
    assert!(p.expected.contains("$.arms[i].effect"), "{p:?}");
    assert!(problem_at(&problems, "$.cohorts").is_some());
}

#[test]
fn problems_in_an_arm_name_its_path() {
    let mut json = package_json();
    json["arms"][1]["effect"]["success_rate"] = json!(1.5);
    json["arms"][0]["costs"][0]["payer"] = json!("kommmune");
    let problems = problems(&json);
    // Reading stops at the misspelt payer first; fix it and the rate is found.
    assert!(
        problem_at(&problems, "$.arms[0].costs[0].payer").is_some(),
        "{problems:?}"
    );
    json["arms"][0]["costs"][0]["payer"] = json!("kommune");
    let problems = self::problems(&json);
    let p = problem_at(&problems, "$.arms[1].effect.success_rate").expect("the arm's rate");
    assert_eq!(p.found, "1.5");
    assert_eq!(problems.len(), 1, "{problems:?}");

    let mut json = package_json();
    json["arms"][1]["target_group"] = json!("homeles-adults");
    json["horizon_years"] = json!(0);
    let problems = self::problems(&json);
    let p = problem_at(&problems, "$.arms[1].target_group").expect("the arm's group");
    assert_eq!(p.did_you_mean.as_deref(), Some("homeless-adults"));
    // A shared field's problem is reported once, at its own path.
    let shared = problems
        .iter()
        .filter(|p| p.path == "$.horizon_years")
        .count();
    assert_eq!(shared, 1, "{problems:?}");
}

#[test]
fn arms_need_distinct_names_and_there_must_be_one() {
    let mut json = package_json();
    json["arms"][1]["name"] = json!("A");
    assert!(problem_at(&problems(&json), "$.arms[1].name").is_some());
    json["arms"][1]["name"] = json!("Total");
    assert!(problem_at(&problems(&json), "$.arms[1].name").is_some());
    json["arms"] = json!([]);
    assert!(problem_at(&problems(&json), "$.arms").is_some());
}

#[test]
fn a_local_service_or_price_must_be_used_by_some_arm_not_every_arm() {
    // B's lines are the knowledge base's: the local service is A's alone.
    let mut json = package_json();
    json["arms"][1]
        .as_object_mut()
        .unwrap()
        .remove("consequences");
    json["prices"] =
        json!({"shelter-day": {"kommune": 1000, "region": 0, "stat": 500, "price_year": 2025}});
    let case = evaluate(&json);
    let shelter = case.arms[1]
        .lines
        .iter()
        .find(|l| &*l.service == "shelter-day")
        .unwrap();
    assert_eq!(shelter.unit_price.kommune, d("1000"));
    // A price no arm uses is refused at its path, as in a scenario.
    json["prices"] =
        json!({"police-charge": {"kommune": 1, "region": 0, "stat": 0, "price_year": 2025}});
    assert!(problem_at(&problems(&json), "$.prices.police-charge").is_some());
    // So is a local service no arm uses.
    let mut json = package_json();
    for arm in json["arms"].as_array_mut().unwrap() {
        arm.as_object_mut().unwrap().remove("consequences");
    }
    assert!(problem_at(&problems(&json), "$.local_services[0].id").is_some());
}

#[test]
fn a_single_scenario_reader_points_a_package_to_the_commands_that_take_one() {
    let err =
        som::Scenario::from_json_named(&package_json().to_string(), "package.json").unwrap_err();
    let p = &err.problems()[0];
    assert_eq!(p.path, "$.arms");
    assert!(p.expected.contains("som run"), "{p:?}");
    // Input reads either.
    let input = Input::from_json_named(&package_json().to_string(), "package.json").unwrap();
    assert!(matches!(input, Input::Package(_)));
    let example = std::fs::read_to_string("examples/housing-first.json").unwrap();
    let input = Input::from_json_named(&example, "examples/housing-first.json").unwrap();
    assert!(matches!(input, Input::Scenario(_)));
}

#[test]
fn the_json_view_holds_each_arm_and_the_total() {
    let case = evaluate(&package_json());
    let v: Value = serde_json::from_str(&som::report::json::render_package(&case)).unwrap();
    assert_eq!(v["scenario"], "Two arms");
    assert_eq!(v["assumptions"]["arms"], json!(["A", "B"]));
    assert_eq!(v["arms"][0]["scenario"], "A");
    assert_eq!(v["arms"][1]["summary"]["npv"]["total"], "-6000");
    assert_eq!(v["summary"]["npv"]["total"], "15500");
    assert_eq!(v["summary"]["break_even_year"], 2027);
    assert_eq!(v["summary"]["break_even_success_rate"], Value::Null);
    assert_eq!(v["years"][2]["net"]["total"], "14500");
    assert_eq!(
        v["years"][2]["net_by_arm"],
        json!({"A": "10500", "B": "4000"})
    );
    assert_eq!(v["years"][2]["gains_by_area"], json!({"health": "24500"}));
    assert_eq!(v, som::report::json::package_value(&case));
}

#[test]
fn the_text_views_show_each_arm_and_the_total() {
    let case = evaluate(&package_json());
    let text = som::report::package::render_in(&case, Format::Table, Lang::En, Some(kb()));
    for wanted in [
        "Interventions in the package",
        "Result (package total)",
        "Net per year by intervention",
        "A: Assumptions",
        "B: Consequences and unit prices",
        "Shared by the interventions",
    ] {
        assert!(text.contains(wanted), "missing {wanted}:\n{text}");
    }
    // The arms' table: A's NPV 21.500, B's −6.000, the total 15.500.
    let row = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .unwrap()
            .split_whitespace()
            .collect::<Vec<_>>()
    };
    assert!(row("A ").contains(&"21,500"));
    assert!(row("B ").contains(&"-6,000"));
    assert!(row("Total").contains(&"15,500"));
    let da = som::report::package::render_in(&case, Format::Table, Lang::Da, Some(kb()));
    assert!(da.contains("Indsatser i pakken"), "{da}");
    assert!(da.contains("15.500"), "{da}");
    let md = som::report::package::render_in(&case, Format::Markdown, Lang::En, Some(kb()));
    assert!(md.contains("## Interventions in the package"), "{md}");
    assert!(md.contains("| Total |"), "{md}");
}

#[test]
fn the_csv_has_a_row_per_arm_and_year_and_then_the_total() {
    let case = evaluate(&package_json());
    let text = som::report::package::render_in(&case, Format::Csv, Lang::En, None);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("arm,t,year,discount_factor,costs_kommune"));
    // The areas, then (on a knowledge base with committees) the kommune by
    // committee, as in a single case's CSV (tests/package_financing.rs).
    assert!(lines[0].contains(",gains_area_health,committee_social_gains_kommune"));
    // 3 years for A, 3 for B, 3 for the total.
    assert_eq!(lines.len(), 1 + 9);
    let net_total = lines[0].split(',').position(|h| h == "net_total").unwrap();
    let cell = |row: usize| lines[row].split(',').nth(net_total).unwrap();
    assert!(lines[7].starts_with("total,0,2026"));
    assert_eq!(cell(9), "14500");
    assert_eq!(cell(3), "10500");
    assert_eq!(cell(6), "4000");
    let da = som::report::package::render_in(&case, Format::Csv, Lang::Da, Some(kb()));
    assert!(da.starts_with("Nøgletal;Indsats;kommune;region;stat;i alt\n"));
    assert!(
        da.contains("Nettonutidsværdi (kr.);I alt;-3500,00;39000,00;-20000,00;15500,00"),
        "{da}"
    );
    assert!(da.contains("\nIndsats;År;t;"));
}

/// The example package against the Python reference
/// (`python3 tests/independent/som_reference.py examples/package/homeless-60.json
/// knowledge-base`), which computes each arm from DESIGN.md §1 in Python's
/// decimal and sums the package as §1.10 says, without the Rust code. Its
/// figures are rounded to 26 significant digits; they must agree to 1e-20
/// relative. Skipped where python3 is missing (CI has it).
#[test]
fn the_example_package_agrees_with_the_python_reference() {
    let Ok(output) = std::process::Command::new("python3")
        .args([
            "tests/independent/som_reference.py",
            "examples/package/homeless-60.json",
            "knowledge-base",
        ])
        .output()
    else {
        eprintln!("python3 not available: skipping the live comparison");
        return;
    };
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let reference: Value = serde_json::from_slice(&output.stdout).unwrap();
    let case = package::evaluate(
        &Package::from_file("examples/package/homeless-60.json").unwrap(),
        kb(),
    )
    .unwrap();
    let agree = |ours: Decimal, theirs: &Value, what: &str| {
        let theirs = d(theirs.as_str().unwrap());
        let scale = theirs.abs().max(Decimal::ONE);
        assert!(
            (ours - theirs).abs() / scale < d("1e-20"),
            "{what}: {ours} against the reference's {theirs}"
        );
    };
    let s = &case.total.summary;
    let r = &reference["summary"];
    for (key, split) in [
        ("pv_costs", &s.pv_costs),
        ("pv_gains", &s.pv_gains),
        ("npv", &s.npv),
    ] {
        agree(split.kommune, &r[key]["kommune"], key);
        agree(split.region, &r[key]["region"], key);
        agree(split.stat, &r[key]["stat"], key);
        agree(split.total, &r[key]["total"], key);
    }
    agree(
        s.benefit_cost_ratio.unwrap(),
        &r["benefit_cost_ratio"],
        "ratio",
    );
    agree(
        s.npv_per_success.unwrap(),
        &r["npv_per_success"],
        "per success",
    );
    agree(s.successes, &r["successes"], "successes");
    assert_eq!(Value::from(s.break_even_year), r["break_even_year"]);
    assert_eq!(r["break_even_success_rate"], Value::Null);
    for (y, ry) in case
        .total
        .years
        .iter()
        .zip(reference["years"].as_array().unwrap())
    {
        agree(y.net.total, &ry["net"]["total"], "net");
        agree(
            y.cumulative_net_discounted.total,
            &ry["cumulative_net_discounted"]["total"],
            "cumulative",
        );
    }
    // The pool's grant finances the total (§1.10, §1.12): each payer's
    // present value of financing and result with it, and each year's flow.
    let f = case.total.financing.as_ref().unwrap();
    let rf = &reference["financing"];
    for (key, split) in [("pv", &f.pv), ("npv_with_financing", &f.npv_with_financing)] {
        agree(split.kommune, &rf[key]["kommune"], key);
        agree(split.region, &rf[key]["region"], key);
        agree(split.stat, &rf[key]["stat"], key);
        agree(split.total, &rf[key]["total"], key);
    }
    for (y, ry) in f.years.iter().zip(rf["years"].as_array().unwrap()) {
        agree(y.kommune, &ry["financing"]["kommune"], "financing");
        agree(y.stat, &ry["financing"]["stat"], "financing");
    }
    for (arm, ra) in case.arms.iter().zip(reference["arms"].as_array().unwrap()) {
        assert!(ra.get("financing").is_none(), "an arm carries no grants");
        agree(
            arm.summary.npv.total,
            &ra["summary"]["npv"]["total"],
            &arm.scenario,
        );
        agree(
            arm.summary.break_even_success_rate.unwrap(),
            &ra["summary"]["break_even_success_rate"],
            &arm.scenario,
        );
    }
}

#[test]
fn som_run_and_som_report_take_a_package_in_english_and_danish() {
    let som = env!("CARGO_BIN_EXE_som");
    let dir = std::env::temp_dir().join(format!("som-packages-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(som).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let file = "examples/package/homeless-60.json";
    let table = run(&["run", file]);
    assert!(table.contains("Housing First") && table.contains("CTI"));
    assert!(table.contains("12,901,533 kr."), "{table}");
    let da = run(&["run", file, "--lang", "da"]);
    assert!(da.contains("12.901.533 kr."), "{da}");
    let json: Value = serde_json::from_str(&run(&["run", file, "--format", "json"])).unwrap();
    assert_eq!(json["arms"].as_array().unwrap().len(), 2);
    for lang in ["en", "da"] {
        let html = dir.join(format!("package-{lang}.html"));
        run(&["report", file, "--lang", lang, "-o", html.to_str().unwrap()]);
        let page = std::fs::read_to_string(&html).unwrap();
        let npv = if lang == "en" {
            "12,901,533"
        } else {
            "12.901.533"
        };
        assert!(page.contains(npv), "{lang}");
        assert!(page.contains("<svg"), "{lang}: the total's charts");
        let md = dir.join(format!("package-{lang}.md"));
        run(&["report", file, "--lang", lang, "-o", md.to_str().unwrap()]);
        assert!(dir.join(format!("package-{lang}-flows.svg")).exists());
    }
    // A command that analyses one intervention says where packages go.
    let out = std::process::Command::new(som)
        .args(["sensitivity", file])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("$.arms") && err.contains("som run"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}
