//! A business case's JSON written straight into its buffer: what
//! [`super::render`] gives, byte for byte the text serde_json's pretty
//! writer makes of [`super::CaseView`].
//!
//! Most of a business case's text is its years, lines and committees: some
//! 700 amounts and 1500 keys for a ten-year case of ten lines. Through serde
//! each key is a string checked for escapes, each amount a newtype handed
//! from serializer to serializer, and each entry a round of dispatch. Here
//! the document's shape is fixed in code: every key is written as its
//! quoted bytes with the comma, line break and indentation before it, each
//! in one copy of a length known when compiling, and every amount is
//! formatted in one place, into the output. Only the text of names (a
//! service, an area, a committee) is checked for characters to escape.
//!
//! The rarely large members (`assumptions`, `evidence`, `financing`) still go
//! through serde ([`super::super::pretty_json::write_at`]) at their depth.
//! The tests compare the result with serde's text on every example and on
//! generated cases with arbitrary names and amounts.

use rust_decimal::Decimal;

use super::{Assumptions, Evidence, FinancingView};
use crate::business_case::{BusinessCase, CommitteeResult, LineResult, Split, Summary, YearFlows};
use crate::model::AppliesTo;
use crate::report::numbers::write_exact_quoted;
use crate::report::pretty_json::{needs_escape, write_at};

/// A comma, a line break and the indentation of the deepest member
/// written here (5 levels of two spaces, with room to spare): an item's
/// lead is a prefix of it, without the comma for a container's first item.
const LEAD: &[u8; 2 + 2 * 8] = b",\n                ";

/// `"key": ` as bytes.
macro_rules! key {
    ($name:literal) => {
        concat!("\"", $name, "\": ").as_bytes()
    };
}

/// Appends the business case's JSON text to `out`, without the final line
/// break: the document [`super::CaseView`] serializes.
pub(super) fn write_case(out: &mut Vec<u8>, case: &BusinessCase) {
    let mut w = Writer { out };
    w.case(case);
}

struct Writer<'a> {
    out: &'a mut Vec<u8>,
}

impl Writer<'_> {
    /// The line break and indentation before an item of a container whose
    /// items are `D` levels deep, after a comma unless it is the first.
    #[inline(always)]
    fn item<const D: usize>(&mut self, first: bool) {
        if first {
            self.out.extend_from_slice(&LEAD[1..2 + 2 * D]);
        } else {
            self.out.extend_from_slice(&LEAD[..2 + 2 * D]);
        }
    }

    /// An object's member `key` (written by [`key!`]), `D` levels deep.
    #[inline(always)]
    fn key<const D: usize>(&mut self, first: bool, key: &[u8]) {
        self.item::<D>(first);
        self.out.extend_from_slice(key);
    }

    /// Closes a container whose items are `D` levels deep: its bracket goes
    /// on a line of its own, one level out.
    #[inline(always)]
    fn close<const D: usize>(&mut self, bracket: u8) {
        self.out.extend_from_slice(&LEAD[1..2 * D]);
        self.out.push(bracket);
    }

    /// A text as a JSON string: in quotes as it is, or with serde_json's
    /// escapes when it holds a control character, a quote or a backslash.
    fn string(&mut self, text: &str) {
        if needs_escape(text.as_bytes()) {
            // Writing to a Vec cannot fail.
            let _ = serde_json::to_writer(&mut *self.out, text);
        } else {
            self.out.reserve(text.len() + 2);
            self.out.push(b'"');
            self.out.extend_from_slice(text.as_bytes());
            self.out.push(b'"');
        }
    }

    fn integer(&mut self, n: impl itoa::Integer) {
        let mut buffer = itoa::Buffer::new();
        self.out.extend_from_slice(buffer.format(n).as_bytes());
    }

    fn optional_integer(&mut self, n: Option<impl itoa::Integer>) {
        match n {
            Some(n) => self.integer(n),
            None => self.out.extend_from_slice(b"null"),
        }
    }

    /// A decimal's exact text in quotes (full precision, the fraction's
    /// trailing zeros removed): [`super::Exact`]'s string.
    #[inline(always)]
    fn exact(&mut self, d: Decimal) {
        write_exact_quoted(self.out, d);
    }

    fn optional(&mut self, d: Option<Decimal>) {
        match d {
            Some(d) => self.exact(d),
            None => self.out.extend_from_slice(b"null"),
        }
    }

    /// A list of decimals whose items are `D` levels deep.
    fn exacts<const D: usize>(&mut self, values: &[Decimal]) {
        let Some((first, rest)) = values.split_first() else {
            self.out.extend_from_slice(b"[]");
            return;
        };
        self.out.push(b'[');
        self.item::<D>(true);
        self.exact(*first);
        for value in rest {
            self.item::<D>(false);
            self.exact(*value);
        }
        self.close::<D>(b']');
    }

    /// A split whose keys are `D` levels deep ([`super::SplitView`]).
    fn split<const D: usize>(&mut self, split: &Split) {
        self.out.push(b'{');
        self.key::<D>(true, key!("kommune"));
        self.exact(split.kommune);
        self.key::<D>(false, key!("region"));
        self.exact(split.region);
        self.key::<D>(false, key!("stat"));
        self.exact(split.stat);
        self.key::<D>(false, key!("total"));
        self.exact(split.total);
        self.close::<D>(b'}');
    }

    /// Amounts keyed by name, 4 levels deep ([`super::Keyed`]), as
    /// [`KeyedPlan`] lays them out.
    fn keyed(&mut self, plan: &KeyedPlan, values: &[Decimal]) {
        if values.len() < plan.names.len() {
            // Fewer amounts than names: what serde writes of the pairs
            // there are.
            return self.keyed(
                &KeyedPlan::new(&plan.names[..values.len()], plan.unique),
                values,
            );
        }
        let Some(((first_key, first_value), rest)) = plan.entries.split_first() else {
            self.out.extend_from_slice(b"{}");
            return;
        };
        self.out.push(b'{');
        self.item::<4>(true);
        self.out.extend_from_slice(&plan.text[first_key.clone()]);
        self.exact(values[*first_value]);
        for (key, value) in rest {
            self.item::<4>(false);
            self.out.extend_from_slice(&plan.text[key.clone()]);
            self.exact(values[*value]);
        }
        self.close::<4>(b'}');
    }

    /// The whole business case ([`super::CaseView`]): its members one level
    /// deep.
    fn case(&mut self, case: &BusinessCase) {
        let ctx = &case.context;
        self.out.push(b'{');
        self.key::<1>(true, key!("scenario"));
        self.string(&case.scenario);
        self.key::<1>(false, key!("knowledge_base"));
        self.out.push(b'{');
        self.key::<2>(true, key!("version"));
        self.string(&ctx.knowledge_base_version);
        self.key::<2>(false, key!("hash"));
        self.string(&ctx.knowledge_base_hash);
        self.close::<2>(b'}');
        self.key::<1>(false, key!("assumptions"));
        self.serde_member(&Assumptions(case));
        self.key::<1>(false, key!("lines"));
        if case.lines.is_empty() {
            self.out.extend_from_slice(b"[]");
        } else {
            self.out.push(b'[');
            for (i, line) in case.lines.iter().enumerate() {
                self.item::<2>(i == 0);
                let local = ctx.local_service(&line.service).is_some();
                self.line(line, local);
            }
            self.close::<2>(b']');
        }
        self.key::<1>(false, key!("years"));
        self.years(case);
        self.key::<1>(false, key!("summary"));
        self.summary(&case.summary);
        self.key::<1>(false, key!("evidence"));
        self.serde_member(&Evidence(case));
        if !case.committees.is_empty() {
            self.key::<1>(false, key!("committees"));
            self.out.push(b'[');
            for (i, committee) in case.committees.iter().enumerate() {
                self.item::<2>(i == 0);
                self.committee(committee, case);
            }
            self.close::<2>(b']');
        }
        if let Some(financing) = &case.financing {
            self.key::<1>(false, key!("financing"));
            self.serde_member(&FinancingView(financing, case));
        }
        self.close::<1>(b'}');
    }

    /// A member of the case's object written by serde.
    fn serde_member(&mut self, view: &impl serde::Serialize) {
        // Every key these views write is a string and every number a
        // decimal or an integer, so serde has no error to give; the tests
        // compare the whole text with serde's.
        let _ = write_at(self.out, 1, view);
    }

    /// A line, 2 levels deep, with `"local": true` when its service is one
    /// the scenario defined ([`super::LineView`]).
    fn line(&mut self, line: &LineResult, local: bool) {
        self.out.push(b'{');
        self.key::<3>(true, key!("service"));
        self.string(&line.service);
        self.key::<3>(false, key!("label"));
        self.string(&line.label);
        self.key::<3>(false, key!("unit"));
        self.string(&line.unit);
        self.key::<3>(false, key!("area"));
        self.string(&line.area);
        self.key::<3>(false, key!("applies_to"));
        self.out.extend_from_slice(match line.applies_to {
            AppliesTo::Successes => b"\"successes\"".as_slice(),
            AppliesTo::Participants => b"\"participants\"".as_slice(),
        });
        self.key::<3>(false, key!("profile"));
        self.exacts::<4>(&line.profile);
        self.key::<3>(false, key!("unit_price"));
        self.split::<4>(&line.unit_price);
        self.key::<3>(false, key!("source_price_year"));
        self.integer(line.source_price_year);
        self.key::<3>(false, key!("quantities"));
        self.exacts::<4>(&line.quantities);
        self.key::<3>(false, key!("pv_gains"));
        self.exact(line.pv_gains);
        self.key::<3>(false, key!("grade"));
        self.optional_integer(line.grade);
        if let Some(committee) = &line.committee {
            self.key::<3>(false, key!("committee"));
            self.string(committee);
        }
        if local {
            self.key::<3>(false, key!("local"));
            self.out.extend_from_slice(b"true");
        }
        self.close::<3>(b'}');
    }

    /// The years, each 2 levels deep ([`super::Years`]).
    fn years(&mut self, case: &BusinessCase) {
        if case.years.is_empty() {
            self.out.extend_from_slice(b"[]");
            return;
        }
        let areas: Vec<&str> = case.areas.iter().map(|a| &**a).collect();
        let services: Vec<&str> = case.lines.iter().map(|l| &*l.service).collect();
        // A case's areas are each other's distinct by construction; its lines'
        // services need not be.
        let (areas, services) = (
            KeyedPlan::new(&areas, true),
            KeyedPlan::new(&services, false),
        );
        self.out.push(b'[');
        for (i, year) in case.years.iter().enumerate() {
            self.item::<2>(i == 0);
            self.year(year, &areas, &services);
        }
        self.close::<2>(b']');
    }

    /// One year, its members 3 levels deep ([`super::YearView`]).
    fn year(&mut self, y: &YearFlows, areas: &KeyedPlan, services: &KeyedPlan) {
        self.out.push(b'{');
        self.key::<3>(true, key!("t"));
        self.integer(y.t);
        self.key::<3>(false, key!("year"));
        self.integer(y.year);
        self.key::<3>(false, key!("discount_factor"));
        self.exact(y.discount_factor);
        self.key::<3>(false, key!("costs"));
        self.split::<4>(&y.costs);
        self.key::<3>(false, key!("gains"));
        self.split::<4>(&y.gains);
        self.key::<3>(false, key!("net"));
        self.split::<4>(&y.net);
        self.key::<3>(false, key!("net_discounted"));
        self.split::<4>(&y.net_discounted);
        self.key::<3>(false, key!("cumulative_net_discounted"));
        self.split::<4>(&y.cumulative_net_discounted);
        self.key::<3>(false, key!("gains_by_area"));
        self.keyed(areas, &y.gains_by_area);
        self.key::<3>(false, key!("gains_by_line"));
        self.keyed(services, &y.gains_by_line);
        self.close::<3>(b'}');
    }

    /// The summary figures, their members 2 levels deep
    /// ([`super::SummaryView`]).
    fn summary(&mut self, v: &Summary) {
        self.out.push(b'{');
        self.key::<2>(true, key!("pv_costs"));
        self.split::<3>(&v.pv_costs);
        self.key::<2>(false, key!("pv_gains"));
        self.split::<3>(&v.pv_gains);
        self.key::<2>(false, key!("npv"));
        self.split::<3>(&v.npv);
        self.key::<2>(false, key!("benefit_cost_ratio"));
        self.optional(v.benefit_cost_ratio);
        self.key::<2>(false, key!("return_per_krone"));
        self.optional(v.return_per_krone);
        self.key::<2>(false, key!("break_even_year"));
        self.optional_integer(v.break_even_year);
        self.key::<2>(false, key!("break_even_success_rate"));
        self.optional(v.break_even_success_rate);
        self.key::<2>(false, key!("npv_per_participant"));
        self.optional(v.npv_per_participant);
        self.key::<2>(false, key!("npv_per_success"));
        self.optional(v.npv_per_success);
        self.key::<2>(false, key!("participants"));
        self.exact(v.participants);
        self.key::<2>(false, key!("successes"));
        self.exact(v.successes);
        self.close::<2>(b'}');
    }

    /// The kommune's result in one committee, 2 levels deep
    /// ([`super::CommitteeView`]).
    fn committee(&mut self, c: &CommitteeResult, case: &BusinessCase) {
        self.out.push(b'{');
        self.key::<3>(true, key!("id"));
        self.string(&c.committee);
        if let Some(name) = case.context.committees.iter().find(|n| n.id == c.committee) {
            self.key::<3>(false, key!("name"));
            self.out.push(b'{');
            self.key::<4>(true, key!("da"));
            self.string(&name.name_da);
            self.key::<4>(false, key!("en"));
            self.string(&name.name_en);
            self.close::<4>(b'}');
        }
        self.key::<3>(false, key!("pv_gains"));
        self.exact(c.pv_gains);
        self.key::<3>(false, key!("pv_costs"));
        self.exact(c.pv_costs);
        self.key::<3>(false, key!("npv"));
        self.exact(c.npv);
        self.key::<3>(false, key!("pv_financing"));
        self.exact(c.pv_financing);
        self.key::<3>(false, key!("npv_with_financing"));
        self.exact(c.npv_with_financing);
        self.key::<3>(false, key!("gains"));
        self.exacts::<4>(&c.gains);
        self.key::<3>(false, key!("costs"));
        self.exacts::<4>(&c.costs);
        self.key::<3>(false, key!("financing"));
        self.exacts::<4>(&c.financing);
        self.close::<3>(b'}');
    }
}

/// How a year's amounts by area or by line are written, worked out once
/// per case ([`super::Keyed`]): each name's JSON key (quoted, escaped,
/// with its `: `) in one buffer, and the entries to write. A name that
/// occurs twice (two lines on the same service) is written once, at its
/// first place, with its last amount: what a JSON object built key by key
/// holds.
struct KeyedPlan<'a> {
    /// The names the plan is for: it serves lists of at least as many
    /// amounts.
    names: &'a [&'a str],
    /// Whether the names are taken as distinct, each written with its own
    /// amount ([`super::Keyed`]'s `unique`).
    unique: bool,
    text: Vec<u8>,
    /// Each entry's key in `text` and the index of its amount.
    entries: Vec<(std::ops::Range<usize>, usize)>,
}

impl<'a> KeyedPlan<'a> {
    fn new(names: &'a [&'a str], unique: bool) -> KeyedPlan<'a> {
        // Each key is its name in quotes and `: `, longer only when escaped.
        let mut text = Vec::with_capacity(names.iter().map(|n| n.len() + 4).sum());
        let mut entries = Vec::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            let last = if unique {
                i
            } else if names[..i].contains(name) {
                continue;
            } else {
                names.iter().rposition(|n| n == name).unwrap_or(i)
            };
            let start = text.len();
            Writer { out: &mut text }.string(name);
            text.extend_from_slice(b": ");
            entries.push((start..text.len(), last));
        }
        KeyedPlan {
            names,
            unique,
            text,
            entries,
        }
    }
}
