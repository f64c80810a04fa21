//! The Sources sheet: where every input came from. Each consequence line's
//! grade, the evidence behind its profile and its price, the effect's
//! source, and every source cited, in full.

use rust_xlsxwriter::{RowNum, Worksheet, XlsxError};

use super::Book;
use crate::knowledge_base::{Basis, Evidence};

pub(super) fn write(ws: &mut Worksheet, b: &Book) -> Result<(), XlsxError> {
    let f = &b.f;
    let danish = b.lang == super::super::Lang::Da;
    ws.set_column_width(0, 26)?;
    ws.set_column_width(1, 12)?;
    ws.set_column_width(2, 12)?;
    ws.set_column_width(3, 90)?;
    ws.set_column_width(4, 30)?;
    ws.write_string_with_format(
        0,
        0,
        b.l("Sources and evidence", "Kilder og evidens"),
        &f.heading,
    )?;

    let mut row: RowNum = 2;
    for (c, h) in [
        b.l("Figure", "Tal"),
        b.l("Grade", "Evidensgrad"),
        b.l("Basis", "Grundlag"),
        b.l("Note", "Note"),
        b.l("Sources", "Kilder"),
    ]
    .into_iter()
    .enumerate()
    {
        ws.write_string_with_format(row, c as u16, h, &f.bold)?;
    }
    row += 1;

    let ctx = &b.adjusted.context;
    let set =
        b.kb.consequences_for(&ctx.target_group, &ctx.success_measure);
    let mut cited: Vec<String> = Vec::new();
    let mut evidence_row =
        |ws: &mut Worksheet, what: String, e: Option<&Evidence>| -> Result<(), XlsxError> {
            ws.write_string(row, 0, what)?;
            match e {
                Some(e) => {
                    match e.grade {
                        Some(g) => ws.write_number(row, 1, f64::from(g))?,
                        None => ws.write_string(row, 1, "-")?,
                    };
                    ws.write_string(row, 2, basis(e.basis, b))?;
                    ws.write_string_with_format(row, 3, e.note_in(danish).unwrap_or(""), &f.wrap)?;
                    ws.write_string(row, 4, e.sources.join(", "))?;
                    for s in &e.sources {
                        if !cited.contains(s) {
                            cited.push(s.clone());
                        }
                    }
                }
                None => {
                    ws.write_string(row, 3, b.l("given in the scenario", "angivet i scenariet"))?;
                }
            }
            row += 1;
            Ok(())
        };
    for line in &b.model.lines {
        let profile = set
            .and_then(|s| s.lines.iter().find(|l| *l.service == *line.service))
            .map(|l| &l.evidence);
        evidence_row(
            ws,
            format!("{}: {}", line.service, b.l("profile", "profil")),
            profile,
        )?;
        let price = b.kb.service(&line.service).map(|s| &s.price.evidence);
        let what = match ctx.local_service(&line.service) {
            Some(_) => b.l("price (local service)", "pris (lokal ydelse)"),
            None => b.l("price", "pris"),
        };
        evidence_row(ws, format!("{}: {what}", line.service), price)?;
    }
    if let Some(study) = ctx.effect.study.as_deref().and_then(|id| b.kb.effect(id)) {
        evidence_row(
            ws,
            format!("{}: {}", b.l("effect", "effekt"), study.id),
            Some(&study.evidence),
        )?;
    }

    row += 1;
    ws.write_string_with_format(row, 0, b.l("Sources cited", "Anvendte kilder"), &f.heading)?;
    row += 1;
    for (c, h) in [
        b.l("Id", "Id"),
        b.l("Year", "År"),
        b.l("Publisher", "Udgiver"),
        b.l("Title", "Titel"),
        "URL",
    ]
    .into_iter()
    .enumerate()
    {
        ws.write_string_with_format(row, c as u16, h, &f.bold)?;
    }
    row += 1;
    for id in &cited {
        let Some(source) = b.kb.source(id) else {
            continue;
        };
        ws.write_string(row, 0, &source.id)?;
        if let Some(y) = source.year {
            ws.write_number(row, 1, f64::from(y))?;
        }
        ws.write_string(row, 2, &source.publisher)?;
        ws.write_string_with_format(row, 3, &source.title, &f.wrap)?;
        ws.write_string(row, 4, &source.url)?;
        row += 1;
    }
    Ok(())
}

/// How a figure was obtained, in the workbook's language.
fn basis(basis: Basis, b: &Book) -> &'static str {
    match basis {
        Basis::Published => b.l("published", "offentliggjort"),
        Basis::Derived => b.l("derived", "afledt"),
        Basis::Assumption => b.l("assumption", "antagelse"),
    }
}
