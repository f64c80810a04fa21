// Why this file is over 500 lines: it holds the four views of one result, a
// potential calculation (table, Markdown, JSON, CSV), which share its rows and
// labels.

//! Views over a [`Potential`]: a text table and Markdown for people (in
//! English or Danish), JSON and CSV for programs, and an SVG chart
//! ([`super::chart::potential`]).
//!
//! Every view states the assumption about what a success's use becomes,
//! how the input was read (format, separator, encoding), and each price's
//! source and price year with the PL-index factor that brought it to the
//! calculation's price year.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::document::{Block, Section};
use super::{Format, Lang, exact, markdown, table};
use crate::potential::Potential;
use crate::{KnowledgeBase, PayerAmounts};

/// Renders a potential calculation in a format and a language; names and
/// source titles come from `kb`. JSON and CSV do not change with the language.
///
/// ```
/// use som::potential::{Potential, TargetGroupToday};
/// use som::report::{potential, Format, Lang};
/// let kb = som::KnowledgeBase::embedded();
/// let (input, _) = TargetGroupToday::from_json(r#"{"name": "Today", "citizens": 10,
///     "success_keeps": 0.5, "use": [{"service": "prison-day", "total": 100}]}"#, "<input>");
/// let p = Potential::compute(&input.unwrap(), kb).unwrap();
/// assert!(potential::render(&p, Format::Table, Lang::Da, kb).contains("Potentiale"));
/// ```
pub fn render(p: &Potential, format: Format, lang: Lang, kb: &KnowledgeBase) -> String {
    match format {
        Format::Table => table::sections_text(&title(p, lang), sections(p, lang, kb)),
        Format::Markdown => markdown::sections_markdown(&title(p, lang), &sections(p, lang, kb)),
        Format::Json => {
            let mut text = serde_json::to_string_pretty(&value(p, kb)).unwrap_or_default();
            text.push('\n');
            text
        }
        Format::Csv => match lang {
            Lang::En => csv(p),
            Lang::Da => danish_csv(p),
        },
    }
}

fn title(p: &Potential, lang: Lang) -> String {
    format!(
        "{}: {}",
        lang.pick("Potential calculation", "Potentialeberegning"),
        p.name
    )
}

/// A quantity with up to two decimals and thousands separators, in the
/// language's notation: "7,740" and "1.5", Danish "7.740" and "1,5".
fn quantity(lang: Lang, d: Decimal) -> String {
    lang.grouped(d, 2, true)
}

/// A unit price to the øre with thousands separators: "9,860.80", Danish
/// "9.860,80".
fn price(lang: Lang, d: Decimal) -> String {
    lang.grouped(d, 2, false)
}

/// The assumption about a success's use, in words.
pub fn assumption(p: &Potential, lang: Lang) -> String {
    let mut text = match lang {
        Lang::En => format!(
            "a citizen who succeeds keeps {} of today's use of each service and no longer uses the rest",
            lang.percent(p.success_keeps)
        ),
        Lang::Da => format!(
            "en borger, der lykkes, beholder {} af sit forbrug i dag af hver ydelse og bruger ikke resten",
            lang.percent(p.success_keeps)
        ),
    };
    let own: Vec<String> = p
        .services
        .iter()
        .filter(|s| s.success_keeps != p.success_keeps)
        .map(|s| format!("{}: {}", lang.label(&s.name), lang.percent(s.success_keeps)))
        .collect();
    if !own.is_empty() {
        text.push_str(&format!(
            " ({} {})",
            lang.pick("except", "undtagen"),
            own.join("; ")
        ));
    }
    text
}

/// How the input was read, in words.
fn input_read(p: &Potential, lang: Lang) -> String {
    let r = &p.read;
    let mut text = r.file.clone();
    if r.use_file != r.file {
        text.push_str(&format!(
            "{} {}",
            lang.pick(", its use from", ", forbruget fra"),
            r.use_file
        ));
    }
    if let (Some(encoding), Some(separator)) = (r.encoding, r.separator) {
        let decimals = if separator == ';' {
            lang.pick("decimal commas", "decimalkomma")
        } else {
            lang.pick("decimal points", "decimalpunktum")
        };
        let separated = match (separator, lang) {
            (';', Lang::En) => "semicolons",
            (';', Lang::Da) => "semikolon",
            (_, Lang::En) => "commas",
            (_, Lang::Da) => "komma",
        };
        text.push_str(&format!(
            " (CSV, {} {separated}, {decimals}, {} {encoding})",
            lang.pick("columns separated by", "kolonner adskilt med"),
            lang.pick("read as", "læst som"),
        ));
    } else {
        text.push_str(" (JSON)");
    }
    text
}

/// The sum over payers. [`Potential::compute`] has checked every sum a view
/// shows, so the fallback is unreachable.
fn total(a: &PayerAmounts) -> Decimal {
    a.total().unwrap_or_default()
}

fn payer_cells(lang: Lang, a: &PayerAmounts) -> Vec<String> {
    vec![
        lang.kroner(a.kommune),
        lang.kroner(a.region),
        lang.kroner(a.stat),
        lang.kroner(total(a)),
    ]
}

fn payer_headers(lang: Lang, first: &[&str]) -> Vec<String> {
    let mut h: Vec<String> = first.iter().map(|s| (*s).to_owned()).collect();
    h.extend([
        "Kommune (kr.)".to_owned(),
        "Region (kr.)".to_owned(),
        lang.pick("Stat (kr.)", "Stat (kr.)").to_owned(),
        lang.pick("Total (kr.)", "I alt (kr.)").to_owned(),
    ]);
    h
}

fn sections(p: &Potential, lang: Lang, kb: &KnowledgeBase) -> Vec<Section> {
    let l = |en: &'static str, da: &'static str| lang.pick(en, da);
    let mut facts = vec![
        (
            l("Citizens in the target group", "Borgere i målgruppen").to_owned(),
            quantity(lang, p.citizens),
        ),
        (
            l("Price year", "Prisår").to_owned(),
            format!(
                "{} ({})",
                p.price_year,
                l(
                    "every price brought there with the knowledge base's PL index",
                    "alle priser fremskrevet med vidensgrundlagets PL-indeks"
                )
            ),
        ),
        (l("Input", "Inddata").to_owned(), input_read(p, lang)),
        (l("Assumption", "Antagelse").to_owned(), assumption(p, lang)),
        (
            l("Knowledge base", "Vidensgrundlag").to_owned(),
            format!(
                "{} ({})",
                p.kb_version,
                &p.kb_hash[..p.kb_hash.len().min(12)]
            ),
        ),
    ];
    if !p.problems.is_empty() {
        facts.push((
            l("Left out", "Udeladt").to_owned(),
            format!(
                "{} {}",
                p.problems.len(),
                l(
                    "problem(s) in the input, listed at the end; the rest is computed",
                    "problem(er) i input, listet til sidst; resten er beregnet"
                )
            ),
        ));
    }
    let mut out = vec![Section {
        heading: l("The target group today", "Målgruppen i dag").to_owned(),
        block: Block::Facts(facts),
    }];
    out.push(Section {
        heading: l(
            "Yearly cost and saving by payer",
            "Årlig udgift og besparelse pr. betaler",
        )
        .to_owned(),
        block: Block::Table(
            payer_headers(lang, &[""]),
            vec![
                [
                    vec![l("Today's yearly cost", "Årlig udgift i dag").to_owned()],
                    payer_cells(lang, &p.today),
                ]
                .concat(),
                [
                    vec![
                        l("Saving per success a year", "Besparelse pr. succes om året").to_owned(),
                    ],
                    payer_cells(lang, &p.per_success),
                ]
                .concat(),
            ],
        ),
    });
    let with_committees = !p.by_committee.is_empty();
    let service_rows = p
        .services
        .iter()
        .map(|s| {
            let mut row = vec![
                lang.label(&s.name).to_owned(),
                lang.label(&s.unit).to_owned(),
            ];
            if with_committees {
                row.push(committee_name(kb, s.committee.as_deref(), lang));
            }
            row.extend([quantity(lang, s.total_use), quantity(lang, s.per_citizen)]);
            row.extend(payer_cells(lang, &s.cost));
            row
        })
        .collect();
    let mut service_headers = vec![l("Service", "Ydelse"), l("Unit", "Enhed")];
    if with_committees {
        service_headers.push(l("Committee", "Udvalg"));
    }
    service_headers.extend([
        l("Use a year", "Forbrug om året"),
        l("Per citizen", "Pr. borger"),
    ]);
    out.push(Section {
        heading: l(
            "Today's yearly cost by service",
            "Årlig udgift i dag pr. ydelse",
        )
        .to_owned(),
        block: Block::Table(payer_headers(lang, &service_headers), service_rows),
    });
    let area_rows = p
        .by_area
        .iter()
        .map(|(id, a)| {
            let name = kb
                .area(id)
                .map_or(id.clone(), |area| lang.label(&area.name).to_owned());
            [vec![name], payer_cells(lang, a)].concat()
        })
        .collect();
    out.push(Section {
        heading: l(
            "Today's yearly cost by area",
            "Årlig udgift i dag pr. område",
        )
        .to_owned(),
        block: Block::Table(payer_headers(lang, &[l("Area", "Område")]), area_rows),
    });
    let rate_rows = p
        .rates
        .iter()
        .map(|r| {
            [
                vec![lang.percent(r.rate), quantity(lang, r.successes)],
                payer_cells(lang, &r.saving),
            ]
            .concat()
        })
        .collect();
    out.push(Section {
        heading: l(
            "Potential: yearly saving by success rate",
            "Potentiale: årlig besparelse efter succesrate",
        )
        .to_owned(),
        block: Block::Table(
            payer_headers(
                lang,
                &[l("Success rate", "Succesrate"), l("Successes", "Succeser")],
            ),
            rate_rows,
        ),
    });
    out.extend(committee_section(p, lang, kb));
    let price_rows = p
        .services
        .iter()
        .map(|s| {
            let factor = s.index_factor.value().map_or_else(
                |_| lang.not_applicable().to_owned(),
                |f| lang.fixed(Some(f), 4),
            );
            let basis = match s.basis {
                crate::knowledge_base::Basis::Published => l("published", "offentliggjort"),
                crate::knowledge_base::Basis::Derived => l("derived", "afledt"),
                crate::knowledge_base::Basis::Assumption => l("assumption", "antagelse"),
            };
            let sources = s
                .sources
                .iter()
                .map(|id| match kb.source(id) {
                    Some(src) => format!(
                        "{} ({}{})",
                        src.title,
                        src.publisher,
                        src.year.map_or(String::new(), |y| format!(", {y}"))
                    ),
                    None => id.clone(),
                })
                .collect::<Vec<_>>()
                .join("; ");
            vec![
                lang.label(&s.name).to_owned(),
                s.source_price_year.to_string(),
                price(lang, s.source_price.kommune),
                price(lang, s.source_price.region),
                price(lang, s.source_price.stat),
                factor,
                price(lang, s.unit_price.kommune),
                price(lang, s.unit_price.region),
                price(lang, s.unit_price.stat),
                format!(
                    "{basis}{}",
                    s.grade
                        .map_or(String::new(), |g| format!(", {} {g}", l("grade", "grad")))
                ),
                sources,
            ]
        })
        .collect();
    let in_year = |payer: &str| format!("{payer} {}", p.price_year);
    out.push(Section {
        heading: l(
            "Unit prices and their sources",
            "Enhedspriser og deres kilder",
        )
        .to_owned(),
        block: Block::Table(
            vec![
                l("Service", "Ydelse").to_owned(),
                l("Price year", "Prisår").to_owned(),
                "Kommune".to_owned(),
                "Region".to_owned(),
                "Stat".to_owned(),
                l("PL factor", "PL-faktor").to_owned(),
                in_year("Kommune"),
                in_year("Region"),
                in_year("Stat"),
                l("Basis", "Grundlag").to_owned(),
                l("Sources", "Kilder").to_owned(),
            ],
            price_rows,
        ),
    });
    if let Some(section) = refund_section(p, lang) {
        out.push(section);
    }
    if !p.problems.is_empty() {
        out.push(Section {
            heading: l("Left out of the calculation", "Udeladt af beregningen").to_owned(),
            block: Block::Facts(
                p.problems
                    .iter()
                    .map(|pr| (format!("{}: {}", pr.file, pr.path), problem_text(pr)))
                    .collect(),
            ),
        });
    }
    out
}

/// A committee's name in a language, by id; "-" for none.
fn committee_name(kb: &KnowledgeBase, id: Option<&str>, lang: Lang) -> String {
    match id {
        None => "-".to_owned(),
        Some(id) => kb
            .committee(id)
            .map_or_else(|| id.to_owned(), |c| lang.label(&c.name).to_owned()),
    }
}

/// The kommune's yearly cost today, its saving per success and its
/// potential at each success rate, by committee, with the kommune's total
/// (the kommune column of the tables above); none when the knowledge base
/// has no committees.
fn committee_section(p: &Potential, lang: Lang, kb: &KnowledgeBase) -> Option<Section> {
    if p.by_committee.is_empty() {
        return None;
    }
    let l = |en: &'static str, da: &'static str| lang.pick(en, da).to_owned();
    let mut headers = vec![
        l("Committee", "Udvalg"),
        l("Cost today (kr.)", "Udgift i dag (kr.)"),
        l("Per success (kr.)", "Pr. succes (kr.)"),
    ];
    headers.extend(
        p.rates
            .iter()
            .map(|r| format!("{} (kr.)", lang.percent(r.rate))),
    );
    let mut rows: Vec<Vec<String>> = p
        .by_committee
        .iter()
        .map(|c| {
            let mut row = vec![
                committee_name(kb, Some(&c.committee), lang),
                lang.kroner(c.today),
                lang.kroner(c.per_success),
            ];
            row.extend(c.potential.iter().map(|a| lang.kroner(*a)));
            row
        })
        .collect();
    let mut total = vec![
        l("Kommune in total", "Kommunen i alt"),
        lang.kroner(p.today.kommune),
        lang.kroner(p.per_success.kommune),
    ];
    total.extend(p.rates.iter().map(|r| lang.kroner(r.saving.kommune)));
    rows.push(total);
    Some(Section {
        heading: l(
            "The kommune by committee: yearly cost today, and yearly saving per success and by success rate",
            "Kommunen fordelt på udvalg: årlig udgift i dag og årlig besparelse pr. succes og efter succesrate",
        ),
        block: Block::Table(headers, rows),
    })
}

fn problem_text(p: &crate::Problem) -> String {
    let mut text = if p.found.is_empty() {
        p.expected.clone()
    } else {
        format!("expected {}, found {}", p.expected, p.found)
    };
    if let Some(s) = &p.did_you_mean {
        text.push_str(&format!(" (did you mean `{s}`?)"));
    }
    text
}

fn split(a: &PayerAmounts) -> Value {
    json!({
        "kommune": exact(a.kommune),
        "region": exact(a.region),
        "stat": exact(a.stat),
        "total": exact(total(a)),
    })
}

/// The refund rules applied to the citizens' own days (section 110): one
/// row per service whose split follows a rule, with what it gives.
fn refund_section(p: &Potential, lang: Lang) -> Option<Section> {
    let l = |en: &'static str, da: &'static str| lang.pick(en, da);
    let rows: Vec<Vec<String>> = p
        .services
        .iter()
        .filter_map(|s| {
            let r = s.refund.as_ref()?;
            let period = match (&r.from, &r.to) {
                (None, None) => l("always", "altid").to_owned(),
                (None, Some(to)) => format!("{} {to}", l("until", "til og med")),
                (Some(from), None) => format!("{} {from}", l("from", "fra")),
                (Some(from), Some(to)) => format!("{from} – {to}"),
            };
            let days = r.rule.first_days.map_or_else(
                || l("every day", "hvert døgn").to_owned(),
                |n| format!("{} {n}", l("the first", "de første")),
            );
            let public = s.cost.kommune.checked_add(s.cost.stat)?;
            let kommune_share = if public.is_zero() {
                lang.not_applicable().to_owned()
            } else {
                lang.percent(s.cost.kommune.checked_div(public)?)
            };
            Some(vec![
                lang.label(&s.name).to_owned(),
                period,
                lang.percent(r.rule.stat_share),
                days,
                quantity(lang, s.per_citizen),
                quantity(lang, r.refunded_days_per_citizen),
                kommune_share,
            ])
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    Some(Section {
        heading: format!(
            "{} {}",
            l(
                "Refund rules applied to the citizens' own days, as in force on 1 July",
                "Refusionsregler anvendt på borgernes egne døgn, som de gjaldt 1. juli"
            ),
            p.use_year
        ),
        block: Block::Table(
            vec![
                l("Service", "Ydelse").to_owned(),
                l("Rule in force", "Reglen gælder").to_owned(),
                l("State refunds", "Staten refunderer").to_owned(),
                l("Of", "Af").to_owned(),
                l("Days per citizen", "Døgn pr. borger").to_owned(),
                l("State's days per citizen", "Statens døgn pr. borger").to_owned(),
                l("Kommune's share of the cost", "Kommunens andel af udgiften").to_owned(),
            ],
            rows,
        ),
    })
}

/// The potential as JSON: amounts as exact decimal strings.
///
/// `{"name", "input": {"file", "use_file", "format", "encoding",
/// "separator"}, "citizens", "price_year", "use_year", "assumption": {"success_keeps",
/// "text"}, "knowledge_base": {"version", "hash"}, "today", "today_by_area",
/// "per_success", "services": [{"service", "name", "unit", "area",
/// "total_use", "per_citizen", "success_keeps", "price": {"price_year",
/// "kommune", "region", "stat", "index_factor", "basis", "grade",
/// "sources"}, "unit_price", "cost", "saving_if_all_succeed", "refund": null
/// or {"from", "to", "stat_share", "first_days",
/// "refunded_days_per_citizen"}, "committee"}], "potential": [{"success_rate",
/// "successes", "saving"}], "kommune_by_committee": [{"committee", "name",
/// "today", "per_success", "potential": [{"success_rate", "saving"}]}],
/// "problems"}`, each amount split as `{"kommune", "region", "stat",
/// "total"}` except the committees', which are the kommune's alone (exact
/// strings); `kommune_by_committee` is empty when the knowledge base has
/// no committees.
pub fn value(p: &Potential, kb: &KnowledgeBase) -> Value {
    let services: Vec<Value> = p
        .services
        .iter()
        .map(|s| {
            json!({
                "service": s.service,
                "name": {"da": s.name.da, "en": s.name.en},
                "unit": {"da": s.unit.da, "en": s.unit.en},
                "area": s.area,
                "total_use": exact(s.total_use),
                "per_citizen": exact(s.per_citizen),
                "success_keeps": exact(s.success_keeps),
                "price": {
                    "price_year": s.source_price_year,
                    "kommune": exact(s.source_price.kommune),
                    "region": exact(s.source_price.region),
                    "stat": exact(s.source_price.stat),
                    "index_factor": s.index_factor.value().ok().map(exact),
                    "basis": s.basis,
                    "grade": s.grade,
                    "sources": s.sources,
                },
                "unit_price": {
                    "kommune": exact(s.unit_price.kommune),
                    "region": exact(s.unit_price.region),
                    "stat": exact(s.unit_price.stat),
                },
                "cost": split(&s.cost),
                "saving_if_all_succeed": split(&s.saving_if_all),
                "refund": s.refund.as_ref().map(|r| json!({
                    "from": r.from,
                    "to": r.to,
                    "stat_share": exact(r.rule.stat_share),
                    "first_days": r.rule.first_days,
                    "refunded_days_per_citizen": exact(r.refunded_days_per_citizen),
                })),
                "committee": s.committee,
            })
        })
        .collect();
    let by_area: serde_json::Map<String, Value> = p
        .by_area
        .iter()
        .map(|(id, a)| (id.clone(), split(a)))
        .collect();
    json!({
        "name": p.name,
        "input": {
            "file": p.read.file,
            "use_file": p.read.use_file,
            "format": p.read.format,
            "encoding": p.read.encoding,
            "separator": p.read.separator.map(String::from),
        },
        "citizens": exact(p.citizens),
        "price_year": p.price_year,
        "use_year": p.use_year,
        "assumption": {
            "success_keeps": exact(p.success_keeps),
            "text": assumption(p, Lang::En),
        },
        "knowledge_base": {"version": p.kb_version, "hash": p.kb_hash},
        "today": split(&p.today),
        "today_by_area": by_area,
        "per_success": split(&p.per_success),
        "services": services,
        "potential": p.rates.iter().map(|r| json!({
            "success_rate": exact(r.rate),
            "successes": exact(r.successes),
            "saving": split(&r.saving),
        })).collect::<Vec<_>>(),
        "kommune_by_committee": p.by_committee.iter().map(|c| {
            let name = kb.committee(&c.committee).map(|k| json!({"da": k.name.da, "en": k.name.en}));
            json!({
                "committee": c.committee,
                "name": name,
                "today": exact(c.today),
                "per_success": exact(c.per_success),
                "potential": p.rates.iter().zip(&c.potential).map(|(r, a)| json!({
                    "success_rate": exact(r.rate),
                    "saving": exact(*a),
                })).collect::<Vec<_>>(),
            })
        }).collect::<Vec<_>>(),
        "problems": p.problems,
    })
}

/// The CSV for a spreadsheet with Danish settings: the same rows as
/// [`csv`], with Danish table names (`i dag`, `område`, `ydelse`,
/// `pr. succes`, `potentiale`, `udvalg`, `udvalg pr. succes`,
/// `udvalg potentiale`), semicolons, amounts to the øre with decimal
/// commas and no thousands separators, success rates with a decimal comma.
fn danish_csv(p: &Potential) -> String {
    let ore = |d: Decimal| super::csv::comma(d, 2);
    let row = |table: &str, key: String, a: &PayerAmounts| {
        vec![
            table.to_owned(),
            key,
            ore(a.kommune),
            ore(a.region),
            ore(a.stat),
            ore(total(a)),
        ]
    };
    let mut rows = vec![
        ["tabel", "nøgle", "kommune", "region", "stat", "i alt"]
            .map(String::from)
            .to_vec(),
    ];
    rows.push(row("i dag", "alle".into(), &p.today));
    for (id, a) in &p.by_area {
        rows.push(row("område", id.clone(), a));
    }
    for s in &p.services {
        rows.push(row("ydelse", s.service.clone(), &s.cost));
    }
    rows.push(row("pr. succes", "alle".into(), &p.per_success));
    for r in &p.rates {
        rows.push(row(
            "potentiale",
            exact(r.rate).replace('.', ","),
            &r.saving,
        ));
    }
    let kommune = |table: &str, key: String, a: Decimal| {
        vec![
            table.to_owned(),
            key,
            ore(a),
            String::new(),
            String::new(),
            String::new(),
        ]
    };
    for c in &p.by_committee {
        rows.push(kommune("udvalg", c.committee.clone(), c.today));
    }
    for c in &p.by_committee {
        rows.push(kommune(
            "udvalg pr. succes",
            c.committee.clone(),
            c.per_success,
        ));
    }
    for c in &p.by_committee {
        for (r, a) in p.rates.iter().zip(&c.potential) {
            let key = format!("{}:{}", c.committee, exact(r.rate).replace('.', ","));
            rows.push(kommune("udvalg potentiale", key, *a));
        }
    }
    super::csv::semicolons(rows)
}

/// One table for a spreadsheet: `table,key,kommune,region,stat,total` with
/// rows `today,all`, `area,<id>`, `service,<id>`, `per_success,all`,
/// `potential,<success rate>`, and the kommune's by committee:
/// `committee,<id>` (today's cost), `committee_per_success,<id>` and
/// `committee_potential,<id>:<success rate>`, whose region, stat and total
/// cells are empty (a committee is the kommune's); exact amounts.
fn csv(p: &Potential) -> String {
    let mut out = String::from("table,key,kommune,region,stat,total\n");
    let mut row = |table: &str, key: &str, a: &PayerAmounts| {
        out.push_str(&format!(
            "{table},{key},{},{},{},{}\n",
            exact(a.kommune),
            exact(a.region),
            exact(a.stat),
            exact(total(a))
        ));
    };
    row("today", "all", &p.today);
    for (id, a) in &p.by_area {
        row("area", id, a);
    }
    for s in &p.services {
        row("service", &s.service, &s.cost);
    }
    row("per_success", "all", &p.per_success);
    for r in &p.rates {
        row("potential", &exact(r.rate), &r.saving);
    }
    for c in &p.by_committee {
        out.push_str(&format!(
            "committee,{},{},,,\n",
            c.committee,
            exact(c.today)
        ));
    }
    for c in &p.by_committee {
        out.push_str(&format!(
            "committee_per_success,{},{},,,\n",
            c.committee,
            exact(c.per_success)
        ));
    }
    for c in &p.by_committee {
        for (r, a) in p.rates.iter().zip(&c.potential) {
            out.push_str(&format!(
                "committee_potential,{}:{},{},,,\n",
                c.committee,
                exact(r.rate),
                exact(*a)
            ));
        }
    }
    out
}
