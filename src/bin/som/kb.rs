//! `som kb`: browse and validate the knowledge base.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use som::{Decimal, KnowledgeBase, Scenario, report};

use crate::args::{AnalysisFormat, Language, knowledge_base, no_language_in_json};
use crate::error::CliError;
use crate::output::Outcome;

#[derive(Subcommand)]
pub enum Command {
    /// List every id by kind, with its name.
    List {
        /// A readable list, or JSON (kind, id and name in both languages).
        #[arg(long, value_enum, default_value_t = AnalysisFormat::Table)]
        format: AnalysisFormat,
        #[command(flatten)]
        lang: Language,
    },
    /// Show one record by id: a readable sheet, or the record as JSON.
    ///
    /// A target group's sheet has its success measures, every consequence
    /// line with its service's price for each payer, the effect studies, the
    /// evidence of every figure and the sources cited.
    #[command(
        after_help = "Examples:\n  som kb show homeless-adults\n  som kb show homeless-adults --lang da\n  som kb show shelter-day --format json"
    )]
    Show {
        /// A target group, service, effect, discount schedule, area, source or price index id.
        id: String,
        /// A readable sheet, or the record as it stands in its file (JSON).
        #[arg(long, value_enum, default_value_t = AnalysisFormat::Table)]
        format: AnalysisFormat,
        #[command(flatten)]
        lang: Language,
    },
    /// Validate a knowledge-base directory (the --kb one, or the embedded one) and list every problem.
    Validate {
        /// The directory to validate.
        dir: Option<PathBuf>,
        /// Scenarios to run on it: each one's share of its PV of gains on
        /// grade 4-5 figures and its lines that raise service use.
        #[arg(long, default_value = "examples")]
        examples: PathBuf,
    },
}

pub fn run(command: Command, kb_dir: Option<&Path>) -> Result<Outcome, CliError> {
    let text = match command {
        Command::List { format, lang } => {
            no_language_in_json(matches!(format, AnalysisFormat::Json), lang.get())?;
            let kb = knowledge_base(kb_dir)?;
            match format {
                AnalysisFormat::Table => report::sheet::list(&kb, lang.get()),
                AnalysisFormat::Json => format!("{:#}\n", som::api::kb_list_json(&kb)),
            }
        }
        Command::Show { id, format, lang } => {
            no_language_in_json(matches!(format, AnalysisFormat::Json), lang.get())?;
            let kb = knowledge_base(kb_dir)?;
            match format {
                AnalysisFormat::Table => report::sheet::render(&kb, &id, lang.get())?,
                AnalysisFormat::Json => som::knowledge_base::show(&kb, &id)?,
            }
        }
        Command::Validate { dir, examples } => {
            let kb = knowledge_base(dir.as_deref().or(kb_dir))?;
            let mut text = som::knowledge_base::summary(&kb);
            text.push_str(&examples_on_weak_evidence(&kb, &examples));
            text
        }
    };
    Ok(Outcome::text(text))
}

/// For `som kb validate`: each scenario in `dir` (its `*.json` files, in
/// name order) run on the knowledge base, with the share of its PV of gains
/// that rests on grade 4-5 figures and the number of its lines that raise
/// service use (a negative PV of gains).
fn examples_on_weak_evidence(kb: &KnowledgeBase, dir: &Path) -> String {
    let mut out = format!(
        "\nexamples in {} (share of the PV of gains on grade 4-5 figures; lines that raise service use):\n",
        dir.display()
    );
    let Ok(entries) = std::fs::read_dir(dir) else {
        out.push_str("  none: no such directory (pass --examples DIR)\n");
        return out;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    for file in files {
        let name = file
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let case = Scenario::from_file(&file)
            .map_err(|e| e.to_string())
            .and_then(|s| som::evaluate(&s, kb).map_err(|e| e.to_string()));
        let row = match case {
            Ok(case) => {
                let share = case.share_of_gains_on_weak_evidence().map_or_else(
                    || "no gains".to_owned(),
                    |s| format!("{:.1} %", s * Decimal::ONE_HUNDRED),
                );
                let rising = case
                    .lines
                    .iter()
                    .filter(|l| l.pv_gains < Decimal::ZERO)
                    .count();
                format!("{share:>9}; {rising} of {} lines", case.lines.len())
            }
            Err(e) => format!(
                "does not run: {}",
                e.lines().last().unwrap_or_default().trim()
            ),
        };
        out.push_str(&format!("  {name:<40} {row}\n"));
    }
    out
}
