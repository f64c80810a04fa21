//! No English label left in a Danish output (issue 16): commands that
//! print for a person are run in English and with `--lang da`, and a
//! Danish output may share no word with the English outputs (of every
//! command scanned: an English CSV names its columns by id, so the English
//! table's labels catch one left in the Danish CSV), except
//!
//! - the texts the user wrote (scenario, arm, cost and local service names,
//!   batch row names, a potential's name),
//! - the knowledge base's ids (`homeless-adults`, `dk-fm-2021`; an id that
//!   is one plain word, such as the area `housing`, only where it is printed
//!   as an id, in brackets),
//! - the titles and publishers of the sources, which are printed as the
//!   source wrote them, in its own language, in both views,
//! - web addresses and the paths of files,
//! - in the English outputs, quotations from a source, in single quotes
//!   inside a note ('...'), which stay in the source's language,
//! - the English name of a knowledge-base record that the Danish sheet shows
//!   on purpose ("Engelsk navn: ..."),
//!
//! and, in the Danish output, the knowledge base's Danish texts (names,
//! notes, study populations: they are the Danish texts, printed as they
//! stand, so an English one printed instead is caught), and the words in
//! [`ALLOWED`], each with its reason.
//!
//! Scanned: `run` (table, Markdown, CSV and the xlsx workbook, of a single
//! case and of a package; every cell's text of every sheet, and the sheet
//! names), `report` (HTML, and Markdown with its three charts),
//! `compare`, `batch` (also with bad rows), `sensitivity` and `simulate`
//! (tables and charts), `chart`, `potential` (table, Markdown and CSV, from
//! JSON and from a CSV of use), `kb show` (every target group, which holds
//! its services, lines and studies, and a service, a study, an area, a
//! committee, a discount schedule, a source and the price index on their
//! own) and `kb list`.
//!
//! `som sweep` is not scanned: it writes CSV, JSON lines or .npy for
//! programs, with parameter ids as column names, and takes no `--lang`.
//! `som kb validate` prints a check for the knowledge base's maintainers and
//! takes no `--lang`. JSON outputs and the xlsx workbook's formulas (not
//! its cells' texts, which are scanned) are for programs; JSON refuses
//! `--lang da` (checked in `danish_output.rs`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The `som` binary, run from the repository root.
fn som() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_som"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// Words a Danish output may share with the English one, and why.
const ALLOWED: &[(&str, &str)] = &[
    (
        "kommune",
        "the payers are named in Danish in both languages",
    ),
    ("region", "a payer; the same word in Danish"),
    ("stat", "a payer, named in Danish in both languages"),
    ("kr", "the unit kr. is written so in both languages"),
    (
        "business",
        "\"business case\": the term SØM and Danish kommuner use",
    ),
    (
        "case",
        "\"business case\": the term SØM and Danish kommuner use",
    ),
    (
        "cases",
        "\"business cases\": the Danish plural of the loanword",
    ),
    (
        "break",
        "\"break-even\": the loanword Danish business language uses",
    ),
    (
        "even",
        "\"break-even\": the loanword Danish business language uses",
    ),
    ("monte", "Monte Carlo, the method's name"),
    ("carlo", "Monte Carlo, the method's name"),
    ("housing", "Housing First, the method's name in Danish too"),
    ("first", "Housing First, the method's name in Danish too"),
    ("ips", "IPS, the method's name in Danish too"),
    (
        "version",
        "a Danish word: \"vidensgrundlag 2026.1\", \"version\"",
    ),
    ("for", "a Danish word: \"følsomhed for\""),
    ("under", "a Danish word"),
    ("over", "a Danish word"),
    (
        "sel",
        "SEL, the abbreviation of the Danish Social Services Act",
    ),
    ("ssl", "SSL, the abbreviation of the Danish Health Act"),
    ("start", "a Danish word: \"hver sags start\""),
    ("problem", "a Danish word: \"1 problem(er)\""),
    (
        "boligsikring",
        "a Danish name (housing benefit) the English view borrows",
    ),
    ("tornado", "the tornado diagram: the same word in Danish"),
    (
        "stderr",
        "the name of the error stream, as a terminal calls it",
    ),
    ("krone", "a Danish word: \"afkast pr. investeret krone\""),
    ("rate", "a Danish word: \"hver sin rate\", \"frafaldsrate\""),
    ("note", "a Danish word: a record's \"Note:\""),
    ("design", "a Danish word: a study's \"design\""),
    ("population", "a Danish word: a study's \"Population:\""),
    (
        "målgruppe",
        "a Danish term the English view gives beside its translation",
    ),
    (
        "succesmål",
        "a Danish term the English view gives beside its translation",
    ),
    (
        "pl",
        "PL, the Danish abbreviation of the pris- og lønindeks the prices are indexed by",
    ),
    ("standard", "a Danish word: \"intet frafald som standard\""),
    (
        "et",
        "a Danish word (\"et studie\"); the English view has it in \"et al.\"",
    ),
    (
        "som",
        "a Danish word (\"som standard\"); the English view has it in Danish names",
    ),
    (
        "til",
        "a Danish word (\"til og med\"); the English view has it in Danish names",
    ),
    (
        "alle",
        "a Danish word (\"alle\"); the English view has it in \"Hjem til Alle\"",
    ),
    (
        "ca",
        "CA, a study's country code: the same in both languages",
    ),
    (
        "us",
        "US, a study's country code: the same in both languages",
    ),
    (
        "no",
        "NO, a study's country code: the same in both languages",
    ),
    (
        "dk",
        "DK, a study's country code, and the .dk of a publisher's site name",
    ),
    (
        "og",
        "a Danish word (\"og\"); the English view has it in Danish names (\"Social- og Boligstyrelsen\")",
    ),
    (
        "mio",
        "a Danish abbreviation (\"mio. kr.\"); the English view has it in notes on Danish figures",
    ),
    (
        "nøgletal",
        "a Danish word (\"Nøgletal\"); the English view has it in a Danish source's name",
    ),
    (
        "statens",
        "a Danish word (\"Statens\"); the English view has it in Danish institutions' names",
    ),
    (
        "gang",
        "a Danish word (\"ad gangen\", \"gang\"); the English view has it in a note",
    ),
    ("basis", "a Danish word: \"basis\", as in \"NNV i basis\""),
    (
        "interval",
        "a Danish word: \"forlade sit interval\" (a sensitivity range cut at its edge)",
    ),
    ("json", "the name of the input's format: \"(JSON)\""),
    (
        "df",
        "DF(t), the discount factor's symbol in docs/DESIGN.md's formulas, which the workbook's labels quote",
    ),
    (
        "id",
        "a Danish word too: the workbook's \"Ydelses-id\", \"Id\"",
    ),
    ("url", "URL, the same abbreviation in Danish"),
    (
        "post",
        "a Danish word: the workbook's \"omkostninger pr. post\"",
    ),
    (
        "model",
        "a Danish word: the workbook's \"en levende model\"",
    ),
    ("csv", "the name of the input's format: \"(CSV)\""),
];

/// Text with HTML or SVG markup, styles and scripts taken out, entities read.
fn text_of_markup(markup: &str) -> String {
    let mut text = markup.to_owned();
    for element in ["style", "script"] {
        while let Some(start) = text.find(&format!("<{element}")) {
            let close = format!("</{element}>");
            let end = text[start..]
                .find(&close)
                .map_or(text.len(), |e| start + e + close.len());
            text.replace_range(start..end, " ");
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
}

/// The words of a text, lower-cased: runs of letters. A token that holds a
/// digit, `_` or `:` between letters is an id or a number (`success_rate`,
/// `cost:Support`, `dk-fm-2021`, `p95`) and is not a word.
fn words(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for token in text.split(|c: char| c.is_whitespace() || "(),;|*\"'=<>[]{}/`!?#§".contains(c)) {
        let token = token.trim_matches(|c: char| !c.is_alphanumeric());
        if token.is_empty()
            || token
                .chars()
                .any(|c| c.is_ascii_digit() || c == '_' || c == ':')
        {
            continue;
        }
        for word in token.split(['-', '.', '−', '–', '+']) {
            if word.chars().count() >= 2 && word.chars().all(char::is_alphabetic) {
                out.insert(word.to_lowercase());
            }
        }
    }
    out
}

/// The English words left in `danish`: the words it shares with `english`,
/// once the user's own texts (`own`) and what the module's documentation
/// lists are taken out of both, less [`ALLOWED`].
fn english_left(english: &str, danish: &str, own: &[String]) -> BTreeSet<String> {
    english_left_in(&english_words(english, own), danish, own)
}

/// The words of an English output, once the user's own texts and what the
/// module's documentation lists are taken out.
fn english_words(english: &str, own: &[String]) -> BTreeSet<String> {
    words(&exempted(english, own, false))
}

/// The words of `danish` that are in `english`, once the user's own texts,
/// what the module's documentation lists and the knowledge base's Danish
/// texts are taken out, less [`ALLOWED`].
fn english_left_in(english: &BTreeSet<String>, danish: &str, own: &[String]) -> BTreeSet<String> {
    let allowed: BTreeSet<&str> = ALLOWED.iter().map(|(w, _)| *w).collect();
    words(&exempted(danish, own, true))
        .into_iter()
        .filter(|w| english.contains(w) && !allowed.contains(w.as_str()))
        .collect()
}

/// `text` with the other name of a knowledge-base record dropped; the
/// user's texts, the sources' titles and publishers and, in a Danish output,
/// the knowledge base's Danish texts taken out whole; then, in an English
/// output, quotations; then web addresses, paths and the knowledge base's
/// ids.
fn exempted(text: &str, own: &[String], danish: bool) -> String {
    let mut text: String = text
        .lines()
        .filter(|l| {
            let l = l.trim_start();
            !l.starts_with("Engelsk navn:") && !l.starts_with("Danish name:")
        })
        .collect::<Vec<_>>()
        .join("\n");
    // The longest first, so that a name is taken out whole; only those the
    // text holds, as there are thousands.
    let squeezed = squeeze(&text);
    let mut whole: Vec<String> = own.iter().map(|s| squeeze(s)).collect();
    whole.extend(knowledge_base().source_texts.iter().cloned());
    if danish {
        whole.extend(knowledge_base().danish_texts.iter().cloned());
    }
    whole.retain(|s| !s.is_empty() && squeezed.contains(s.as_str()));
    whole.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for s in &whole {
        text = take_out(&text, s);
    }
    // A note quotes its sources in their own language: the English notes
    // quote Danish reports, whose words are not English ones. (A Danish
    // output's notes are taken out whole above.)
    let text = if danish {
        text
    } else {
        without_quotations(&text)
    };
    let text = without_addresses(&text);
    without_ids(&text, &knowledge_base().ids)
}

/// `text` without its web addresses (up to the next whitespace) and the
/// paths of files (`knowledge-base/COVERAGE.md`).
fn without_addresses(text: &str) -> String {
    let text: String = text
        .split_inclusive(char::is_whitespace)
        .map(|piece| {
            let token = piece.trim_end();
            let bare = token.trim_matches(|c: char| "()[].,;:".contains(c));
            let file = bare.rsplit('/').next().unwrap_or_default();
            if bare.contains('/') && !bare.contains("://") && file.contains('.') {
                piece.replace(bare, "X0")
            } else {
                piece.to_owned()
            }
        })
        .collect();
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("http") {
        let tail = &rest[at..];
        if tail.starts_with("https://") || tail.starts_with("http://") {
            out.push_str(&rest[..at]);
            out.push_str("X0");
            rest = &tail[tail.find(char::is_whitespace).unwrap_or(tail.len())..];
        } else {
            out.push_str(&rest[..at + 4]);
            rest = &rest[at + 4..];
        }
    }
    out.push_str(rest);
    out
}

/// `text` with every whole occurrence of `needle` (not inside a longer
/// word) replaced by a stand-in that reads as an id, not a word, so that
/// "cost:Support" stays one id once "Support" is taken out. A space in
/// `needle` matches any run of whitespace, as a sheet wraps long texts.
fn take_out(text: &str, needle: &str) -> String {
    // The text squeezed, with the byte offset in `text` of each of its bytes.
    let mut squeezed = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len() + 1);
    let mut in_space = false;
    for (at, c) in text.char_indices() {
        if c.is_whitespace() {
            if !in_space {
                squeezed.push(' ');
                origin.push(at);
            }
            in_space = true;
        } else {
            squeezed.push(c);
            origin.extend(std::iter::repeat_n(at, c.len_utf8()));
            in_space = false;
        }
    }
    origin.push(text.len());
    if !squeezed.contains(needle) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = squeezed[from..].find(needle) {
        let start = from + found;
        let end = start + needle.len();
        let before = squeezed[..start].chars().next_back();
        let after = squeezed[end..].chars().next();
        if before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
        {
            out.push_str(&text[copied..origin[start]]);
            out.push_str("X0");
            copied = origin[end - 1]
                + text[origin[end - 1]..]
                    .chars()
                    .next()
                    .map_or(0, char::len_utf8);
        }
        from = end;
    }
    out.push_str(&text[copied..]);
    out
}

/// Whitespace runs made one space.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` without its quotations: a span in single quotes that opens after
/// a space or a bracket and closes before a space, a bracket or a
/// punctuation mark. An apostrophe inside a word (`SØM's`) opens and closes
/// nothing.
fn without_quotations(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let opens = |i: usize| {
        chars[i] == '\''
            && (i == 0 || chars[i - 1].is_whitespace() || "([".contains(chars[i - 1]))
            && chars.get(i + 1).is_some_and(|c| !c.is_whitespace())
    };
    let closes = |i: usize| {
        chars[i] == '\''
            && i > 0
            && !chars[i - 1].is_whitespace()
            && chars
                .get(i + 1)
                .is_none_or(|c| c.is_whitespace() || ").,;:]".contains(*c))
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if opens(i) {
            if let Some(end) = (i + 2..chars.len()).find(|&j| closes(j)) {
                out.push_str(" X0 ");
                i = end + 1;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// `text` with the knowledge base's ids taken out: an id with a hyphen or a
/// digit wherever it stands as a whole token, an id that is one plain word
/// (`housing`) only where it is printed as an id: in brackets, as a
/// semicolon CSV's cell, or first on its line.
fn without_ids(text: &str, ids: &[String]) -> String {
    let id_char = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    let mut text = text.to_owned();
    for id in ids {
        let plain = id.chars().all(char::is_alphabetic);
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(at) = rest.find(id.as_str()) {
            let before = rest[..at].chars().next_back();
            let after = rest[at + id.len()..].chars().next();
            let whole = before.is_none_or(|c| !id_char(c)) && after.is_none_or(|c| !id_char(c));
            // In brackets, a cell of its own in a semicolon CSV's key
            // column, or first on its line, as `kb list` prints ids.
            let bracketed = matches!(
                (before, after),
                (Some('('), Some(')')) | (Some('['), Some(']')) | (Some(';'), Some(';'))
            ) || format!("{out}{}", &rest[..at])
                .rsplit('\n')
                .next()
                .is_some_and(|line| line.trim().is_empty());
            out.push_str(&rest[..at]);
            out.push_str(if whole && (!plain || bracketed) {
                "X0"
            } else {
                id
            });
            rest = &rest[at + id.len()..];
        }
        out.push_str(rest);
        text = out;
    }
    text
}

/// What the scan takes from the shipped knowledge base.
struct KnowledgeBaseTexts {
    /// Every string under an `id` key in its files, the longest first.
    ids: Vec<String>,
    /// Every source's title and publisher, whitespace squeezed.
    source_texts: Vec<String>,
    /// Every Danish text (under a `da` key or a key ending in `_da`),
    /// whitespace squeezed: a Danish view prints them as they stand.
    danish_texts: Vec<String>,
}

fn knowledge_base() -> &'static KnowledgeBaseTexts {
    static TEXTS: std::sync::OnceLock<KnowledgeBaseTexts> = std::sync::OnceLock::new();
    TEXTS.get_or_init(|| {
        fn walk(v: &serde_json::Value, ids: &mut Vec<String>, danish: &mut Vec<String>) {
            match v {
                serde_json::Value::Object(map) => {
                    for (key, value) in map {
                        match (key.as_str(), value) {
                            ("id", serde_json::Value::String(s)) => ids.push(s.clone()),
                            (key, serde_json::Value::String(s))
                                if key == "da" || key.ends_with("_da") =>
                            {
                                danish.push(squeeze(s));
                            }
                            _ => walk(value, ids, danish),
                        }
                    }
                }
                serde_json::Value::Array(items) => {
                    items.iter().for_each(|i| walk(i, ids, danish));
                }
                _ => {}
            }
        }
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge-base");
        let mut ids = Vec::new();
        let mut source_texts = Vec::new();
        let mut danish_texts = Vec::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|x| x != "json") {
                continue;
            }
            let value: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            walk(&value, &mut ids, &mut danish_texts);
            if let Some(sources) = value.get("sources").and_then(|s| s.as_array()) {
                for source in sources {
                    for key in ["title", "publisher"] {
                        if let Some(text) = source.get(key).and_then(|t| t.as_str()) {
                            source_texts.push(squeeze(text));
                        }
                    }
                }
            }
        }
        ids.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        ids.dedup();
        KnowledgeBaseTexts {
            ids,
            source_texts,
            danish_texts,
        }
    })
}

/// The texts a user wrote in a scenario or potential file: every string
/// under a `name`, `label` or `id` key (a local service's), at any depth.
fn own_texts(path: &str) -> Vec<String> {
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (key, value) in map {
                    match (key.as_str(), value) {
                        ("name" | "label" | "id", serde_json::Value::String(s)) => {
                            out.push(s.clone());
                        }
                        _ => walk(value, out),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = Vec::new();
    walk(&serde_json::from_str(&text).unwrap(), &mut out);
    out
}

/// The names in the first column of a batch's rows.
fn row_names(path: &str) -> Vec<String> {
    let mut reader = ::csv::Reader::from_path(path).unwrap();
    reader
        .records()
        .map(|r| r.unwrap()[0].to_owned())
        .filter(|n| !n.is_empty())
        .collect()
}

fn dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("som-danish-everywhere-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `som` with `args`, `{out}` replaced by a path in `dir` named after
/// the tag and the language, and returns what it printed and every file it
/// wrote there (a report's Markdown and the charts beside it), as text.
fn output(args: &[&str], lang: &str, dir: &Path, tag: &str) -> String {
    let stem = format!("{tag}-{lang}");
    let file = dir.join(&stem);
    let file = file.to_str().unwrap();
    let mut all: Vec<String> = args.iter().map(|a| a.replace("{out}", file)).collect();
    if lang == "da" {
        all.extend(["--lang".to_owned(), "da".to_owned()]);
    }
    let out = som().args(&all).output().unwrap();
    assert!(
        out.status.success() || tag.ends_with("with-errors"),
        "som {all:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut text = String::from_utf8(out.stdout).unwrap();
    if args.iter().any(|a| a.contains("{out}")) {
        let mut written: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                let name = p.file_name().unwrap().to_str().unwrap();
                name.starts_with(&format!("{stem}.")) || name.starts_with(&format!("{stem}-"))
            })
            .collect();
        assert!(!written.is_empty(), "som {all:?} wrote no {file}*");
        written.sort();
        for path in written {
            text.push('\n');
            if path.extension().is_some_and(|x| x == "xlsx") {
                text.push_str(&workbook_text(&path));
            } else {
                text.push_str(&std::fs::read_to_string(path).unwrap());
            }
        }
    }
    if text.contains("<svg") || text.contains("<html") || text.contains("<!DOCTYPE") {
        text = text_of_markup(&text);
    }
    // The files the user named (an input's path, an output's name that a
    // report links its charts by) are the user's, not labels.
    text = text.replace(&stem, "X0");
    for path in args.iter().filter(|a| a.contains('/')) {
        text = text.replace(path, "X0");
    }
    text
}

/// Every text of a workbook: its sheet names, then each sheet's cells that
/// hold text (a formula's by its cached result), row by row. Each cell
/// stands between bars, so that no cell is printed as an id by its place:
/// a plain-word id (`housing`) in a cell of its own counts as a word, as a
/// label would.
fn workbook_text(path: &Path) -> String {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut workbook: Xlsx<_> = open_workbook(path).unwrap();
    let mut out = String::new();
    for name in workbook.sheet_names() {
        out.push_str(&format!("| {name} |\n"));
        let range = workbook.worksheet_range(&name).unwrap();
        for row in range.rows() {
            out.push('|');
            for cell in row {
                if let Data::String(text) = cell {
                    out.push_str(&format!(" {text} |"));
                }
            }
            out.push('\n');
        }
    }
    out
}

/// Every command that prints for a person, as (tag, arguments, the user's
/// own texts). `{out}` names a file the command writes.
fn commands() -> Vec<(String, Vec<String>, Vec<String>)> {
    let example = own_texts("examples/housing-first.json");
    let package = own_texts("examples/package/homeless-60.json");
    let mut two = own_texts("examples/housing-first.json");
    two.extend(own_texts("examples/ips-employment.json"));
    two.extend(own_texts("examples/keep.json"));
    let mut batch = own_texts("examples/batch/template.json");
    batch.extend(row_names("examples/batch/municipalities.csv"));
    let mut batch_errors = own_texts("examples/batch/template.json");
    batch_errors.extend(row_names("examples/batch/with-errors.csv"));
    let potential = own_texts("examples/potential/homeless.json");
    let compare = [
        "compare",
        "examples/housing-first.json",
        "examples/ips-employment.json",
        "examples/keep.json",
    ];
    let batch_args = [
        "batch",
        "examples/batch/template.json",
        "examples/batch/municipalities.csv",
    ];
    let simulate = [
        "simulate",
        "--spec",
        "examples/analysis/simulate-inputs.json",
        "--draws",
        "500",
    ];
    let potential_csv = [
        "potential",
        "examples/potential/homeless-use.csv",
        "--citizens",
        "60",
        "--success-keeps",
        "0.2",
        "--use-year",
        "2026",
    ];
    let with = |base: &[&str], more: &[&str]| -> Vec<String> {
        base.iter().chain(more).map(|s| (*s).to_owned()).collect()
    };
    let mut out = vec![
        (
            "run-table",
            with(&["run", "examples/housing-first.json"], &[]),
            example.clone(),
        ),
        (
            "run-markdown",
            with(
                &["run", "examples/housing-first.json"],
                &["--format", "markdown"],
            ),
            example.clone(),
        ),
        (
            "run-csv",
            with(
                &["run", "examples/housing-first.json"],
                &["--format", "csv"],
            ),
            example.clone(),
        ),
        (
            "package-table",
            with(&["run", "examples/package/homeless-60.json"], &[]),
            package.clone(),
        ),
        (
            "package-markdown",
            with(
                &["run", "examples/package/homeless-60.json"],
                &["--format", "markdown"],
            ),
            package.clone(),
        ),
        (
            "package-csv",
            with(
                &["run", "examples/package/homeless-60.json"],
                &["--format", "csv"],
            ),
            package.clone(),
        ),
        (
            "run-xlsx",
            with(
                &["run", "examples/housing-first.json"],
                &["--output", "{out}.xlsx"],
            ),
            example.clone(),
        ),
        (
            "package-xlsx",
            with(
                &["run", "examples/package/homeless-60.json"],
                &["--output", "{out}.xlsx"],
            ),
            package.clone(),
        ),
        (
            "report-html",
            with(
                &["report", "examples/housing-first.json"],
                &["--output", "{out}.html"],
            ),
            example.clone(),
        ),
        (
            "report-markdown",
            with(
                &["report", "examples/housing-first.json"],
                &["--output", "{out}.md"],
            ),
            example.clone(),
        ),
        (
            "package-report-html",
            with(
                &["report", "examples/package/homeless-60.json"],
                &["--output", "{out}.html"],
            ),
            package,
        ),
        (
            "chart-cumulative",
            with(&["chart", "--kind", "cumulative", "--output", "-"], &[]),
            example.clone(),
        ),
        (
            "chart-flows",
            with(&["chart", "--kind", "flows", "--output", "-"], &[]),
            example.clone(),
        ),
        ("compare-table", with(&compare, &[]), two.clone()),
        (
            "compare-markdown",
            with(&compare, &["--format", "markdown"]),
            two.clone(),
        ),
        ("compare-csv", with(&compare, &["--format", "csv"]), two),
        ("batch-table", with(&batch_args, &[]), batch.clone()),
        (
            "batch-markdown",
            with(&batch_args, &["--format", "markdown"]),
            batch.clone(),
        ),
        ("batch-csv", with(&batch_args, &["--format", "csv"]), batch),
        (
            "batch-with-errors",
            with(
                &[
                    "batch",
                    "examples/batch/template.json",
                    "examples/batch/with-errors.csv",
                ],
                &[],
            ),
            batch_errors,
        ),
        (
            "sensitivity-table",
            with(&["sensitivity"], &[]),
            example.clone(),
        ),
        (
            "sensitivity-chart",
            with(&["sensitivity", "--chart", "{out}.svg"], &[]),
            example.clone(),
        ),
        ("simulate-table", with(&simulate, &[]), example.clone()),
        (
            "simulate-chart",
            with(&simulate, &["--chart", "{out}.svg"]),
            example,
        ),
        (
            "potential-table",
            with(&["potential", "examples/potential/homeless.json"], &[]),
            potential.clone(),
        ),
        (
            "potential-markdown",
            with(
                &["potential", "examples/potential/homeless.json"],
                &["--format", "markdown"],
            ),
            potential.clone(),
        ),
        (
            "potential-csv",
            with(
                &["potential", "examples/potential/homeless.json"],
                &["--format", "csv"],
            ),
            potential.clone(),
        ),
        (
            "potential-chart",
            with(
                &["potential", "examples/potential/homeless.json"],
                &["--chart", "{out}.svg"],
            ),
            potential,
        ),
        ("potential-from-csv", with(&potential_csv, &[]), Vec::new()),
        (
            "potential-from-csv-csv",
            with(&potential_csv, &["--format", "csv"]),
            Vec::new(),
        ),
        ("kb-list", with(&["kb", "list"], &[]), Vec::new()),
    ]
    .into_iter()
    .map(|(tag, args, own)| (tag.to_owned(), args, own))
    .collect::<Vec<_>>();
    for id in kb_show_ids() {
        out.push((
            format!("kb-show-{id}"),
            with(&["kb", "show", &id], &[]),
            Vec::new(),
        ));
    }
    out
}

/// The records `kb show` is scanned on: every target group (its sheet holds
/// its success measures, lines, services and studies), and one record of
/// every other kind on its own.
fn kb_show_ids() -> Vec<String> {
    let text = std::fs::read_to_string("knowledge-base/target-groups.json").unwrap();
    let groups: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut ids: Vec<String> = groups["target_groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap().to_owned())
        .collect();
    ids.extend(
        [
            "shelter-day",
            "housing-first-at-home-1y",
            "housing",
            "social",
            "dk-fm-2021",
            "athome-2014",
            "pl-general",
        ]
        .map(str::to_owned),
    );
    ids
}

#[test]
fn no_danish_output_of_any_command_has_an_english_word_left() {
    let dir = dir();
    let mut outputs = Vec::new();
    for (tag, args, own) in commands() {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let english = output(&args, "en", &dir, &tag);
        let danish = output(&args, "da", &dir, &tag);
        assert_ne!(english, danish, "{tag}: --lang da changed nothing");
        outputs.push((tag, english, danish, own));
    }
    // A Danish output is checked against the words of every English output,
    // not only its own: an English CSV names its columns by id
    // (`discount_factor`), so "Discount factor" in the Danish CSV is caught
    // by the English table's label.
    let vocabulary: BTreeSet<String> = outputs
        .iter()
        .flat_map(|(_, english, _, own)| english_words(english, own))
        .collect();
    let mut left = Vec::new();
    for (tag, _, danish, own) in &outputs {
        let words = english_left_in(&vocabulary, danish, own);
        if !words.is_empty() {
            left.push(format!("{tag}: {words:?}"));
        }
    }
    assert!(
        left.is_empty(),
        "English words in Danish outputs:\n{}",
        left.join("\n")
    );
}

#[test]
fn the_scan_finds_an_english_label_left_in_a_danish_output() {
    let dir = dir();
    // The Danish table with one label put back into English, as a
    // forgotten translation would leave it.
    let english = output(&["compare", "examples/housing-first.json"], "en", &dir, "c");
    let danish = output(&["compare", "examples/housing-first.json"], "da", &dir, "c");
    let own = own_texts("examples/housing-first.json");
    assert_eq!(english_left(&english, &danish, &own), BTreeSet::new());
    let forgotten = danish.replace("Gevinst-omkostningsforhold", "Benefit-cost ratio");
    assert_eq!(
        english_left(&english, &forgotten, &own),
        ["benefit", "cost", "ratio"]
            .map(str::to_owned)
            .into_iter()
            .collect()
    );
    // A word in a chart's markup counts, not the markup itself.
    let svg =
        r#"<svg><style>.bar { fill: red }</style><text class="title">Cumulative net</text></svg>"#;
    assert_eq!(
        words(&text_of_markup(svg)),
        ["cumulative", "net"]
            .map(str::to_owned)
            .into_iter()
            .collect()
    );
    // The user's own texts are taken out whole, not word by word: "year"
    // in a scenario's name does not excuse "year" as a label.
    let own = vec!["40 citizens a year".to_owned()];
    assert_eq!(
        english_left("40 citizens a year. Year", "40 citizens a year. Year", &own),
        ["year".to_owned()].into_iter().collect()
    );
}
