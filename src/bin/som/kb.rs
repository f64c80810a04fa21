//! `som kb`: browse and validate the knowledge base.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use som::report;

use crate::args::{AnalysisFormat, Language, knowledge_base};
use crate::error::CliError;
use crate::output::Outcome;

#[derive(Subcommand)]
pub enum Command {
    /// List every id by kind.
    List,
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
    },
}

pub fn run(command: Command, kb_dir: Option<&Path>) -> Result<Outcome, CliError> {
    let text = match command {
        Command::List => report::sheet::list(&*knowledge_base(kb_dir)?),
        Command::Show { id, format, lang } => {
            let kb = knowledge_base(kb_dir)?;
            match format {
                AnalysisFormat::Table => report::sheet::render(&kb, &id, lang.get())?,
                AnalysisFormat::Json => som::knowledge_base::show(&kb, &id)?,
            }
        }
        Command::Validate { dir } => {
            som::knowledge_base::summary(&*knowledge_base(dir.as_deref().or(kb_dir))?)
        }
    };
    Ok(Outcome::text(text))
}
