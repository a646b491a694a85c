//! The command line: clap parses raw arguments here, and every value with a syntax of its
//! own (Berichtsmonat, quarter, tolerance, SMTP server) is validated by a value parser, so
//! a command receives typed values and a bad one fails before anything is read. Doc
//! comments are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::domain::berichtsmonat::{parse_month_arg, parse_quarter_arg, parse_year_arg};
use crate::domain::decimal::{DEFAULT_TOLERANCE, Decimal, parse_tolerance_arg};
use crate::domain::host_port::{HostPort, parse_host_port};

/// German progress reports for the SGB II target agreements of Jobcenters
/// (Zielsteuerung nach § 48b SGB II).
#[derive(Debug, Parser)]
#[command(
    name = "zielbericht",
    version = crate::build_info::LONG_VERSION,
    about,
    max_term_width = 100
)]
pub struct Cli {
    /// Print only errors and the one closing line (for scheduled runs: cron, the Windows
    /// Task Scheduler); the closing line counts the warnings not shown.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// The settings file (default: zielbericht.toml in the working folder, when it exists):
    /// folders, sender, SMTP server, tolerance, jobs, keyed as the flags they stand for.
    /// A flag or its environment variable wins over the file.
    #[arg(long, value_name = "FILE", global = true, env = "ZIELBERICHT_SETTINGS")]
    pub settings: Option<PathBuf>,
    /// The settings file actually read (set by `run`, not by clap).
    #[arg(skip)]
    pub settings_used: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compute every figure of one Berichtsmonat and render the reports into OUT/<YYYY-MM>/.
    Run(RunArgs),
    /// Validate a data folder only: print errors and warnings (exit 2 on errors, else 0).
    Check(DataArgs),
    /// Write the annual outcome of a year as a write-once archive edition.
    Archive(ArchiveArgs),
    /// Check a run folder or archive edition(s) against manifest.json (exit 0 only if all match).
    Verify(VerifyArgs),
    /// Write invitations to the Steuerungsdialoge as mail drafts (.eml), optionally send them.
    Invite(InviteArgs),
    /// Write a synthetic data folder (for benchmarks and tests).
    Generate(GenerateArgs),
    /// Render the year's target agreement (Zielvereinbarung) of every zkT into
    /// OUT/vereinbarungen/<year>/.
    Vereinbarung(VereinbarungArgs),
    /// Write empty input files to fill in: jobcenter, monatswerte and ziele as workbooks
    /// (or CSV) with every column, notes on what each means, and one example row.
    Vorlage(VorlageArgs),
    /// Compare the figures of two run folders or archive editions (their kennzahlen.csv), or
    /// of two data folders with --month: exit 0 when nothing changed, 1 when something did.
    Diff(DiffArgs),
    /// Print a completion script for a shell (bash, zsh, fish, powershell, elvish) to stdout.
    Completions(CompletionsArgs),
    /// Print the man page (roff) to stdout, e.g. `zielbericht manpage > zielbericht.1`.
    Manpage,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct DataArgs {
    /// The data folder with jobcenter.csv, monatswerte.csv and ziele.csv (or .xlsx workbooks).
    #[arg(
        long,
        value_name = "DIR",
        default_value = "data",
        env = "ZIELBERICHT_DATA"
    )]
    pub data: PathBuf,
}

/// What separates the paths of a list in one value (`--font-path`, `TYPST_FONT_PATHS`):
/// the separator of `PATH` on this platform, so that `C:\Fonts` stays one path.
#[cfg(windows)]
pub const PATH_LIST_SEPARATOR: char = ';';
/// What separates the paths of a list in one value (`--font-path`, `TYPST_FONT_PATHS`):
/// the separator of `PATH` on this platform.
#[cfg(not(windows))]
pub const PATH_LIST_SEPARATOR: char = ':';

/// Where templates and fonts come from (every command that renders a PDF).
#[derive(Debug, Clone, Args)]
pub struct TemplateArgs {
    /// A folder with customised templates (report.typ, uebersicht.typ, vereinbarung.typ,
    /// texte/*.j2, mail/*.j2); files missing there fall back to the built-in copies.
    #[arg(long, value_name = "DIR", env = "ZIELBERICHT_TEMPLATES")]
    pub templates: Option<PathBuf>,
    /// Extra font files (.ttf, .otf) to load besides the embedded fonts; several are
    /// separated like PATH (`:`, on Windows `;`), as Typst does.
    #[arg(
        long = "font-path",
        value_name = "DIR",
        env = "TYPST_FONT_PATHS",
        value_delimiter = PATH_LIST_SEPARATOR
    )]
    pub font_path: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Tolerance in percentage points for "knapp verfehlt" (a miss of at most this much).
    #[arg(long, value_name = "PP", default_value = DEFAULT_TOLERANCE, value_parser = parse_tolerance_arg)]
    pub tolerance: Decimal,
    #[command(flatten)]
    pub look: TemplateArgs,
    /// Reports rendered in parallel (default: all cores).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Render every PDF anew. By default a PDF whose inputs (data, templates, fonts,
    /// program version, document date) are those of the previous run's copy is reused.
    #[arg(long)]
    pub no_reuse: bool,
    /// Seconds one document may take to render; a document over it fails alone (0: no
    /// limit).
    #[arg(long, value_name = "SECONDS", env = "ZIELBERICHT_DOCUMENT_TIMEOUT",
          default_value_t = crate::typeset::deadline::DEFAULT_SECONDS)]
    pub document_timeout: u64,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The parent folder of the run folders.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// The Berichtsmonat (default: the latest month complete for every Jobcenter).
    #[arg(long, value_name = "YYYY-MM", conflicts_with = "quarter", value_parser = parse_month_arg)]
    pub month: Option<crate::domain::Berichtsmonat>,
    /// A quarterly run: 2018-Q3 means Berichtsmonat 2018-09; incomplete data are refused.
    #[arg(long, value_name = "YYYY-Qn", value_parser = parse_quarter_arg)]
    pub quarter: Option<crate::domain::Berichtsmonat>,
    /// Render only the report of this Jobcenter (repeatable); figures cover all.
    #[arg(long = "jobcenter", value_name = "ID")]
    pub jobcenters: Vec<String>,
    /// Render a quarter even when its figures are incomplete; reports are marked "vorläufig".
    #[arg(long)]
    pub allow_incomplete: bool,
    /// Write kennzahlen.csv, kennzahlen.xlsx and manifest.json only, no PDF.
    #[arg(long)]
    pub figures_only: bool,
    /// Also write the exact JSON handed to Typst for each document into DIR
    /// (`<id>_<slug>.json`, `uebersicht.json`): the data a template receives.
    #[arg(long, value_name = "DIR", conflicts_with = "figures_only")]
    pub emit_data: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub render: RenderArgs,
}

#[derive(Debug, Args)]
pub struct ArchiveArgs {
    /// The year whose December outcome is archived.
    #[arg(long, value_name = "YYYY", required_unless_present = "repair_register", value_parser = parse_year_arg)]
    pub year: Option<i32>,
    #[command(flatten)]
    pub data: DataArgs,
    /// The archive root; editions go to DIR/<year>/ausgabe-<n>/.
    #[arg(long, value_name = "DIR", default_value = "out/archiv")]
    pub archive: PathBuf,
    /// Write the next edition of a year already archived, with this reason.
    #[arg(long, value_name = "REASON")]
    pub supersede: Option<String>,
    /// Rebuild a lost or damaged register of editions (register.txt) after checking every
    /// edition against its own manifest; logged in register-reparatur.log, naming what
    /// cannot be vouched for. Covers the whole archive (all years).
    #[arg(long, conflicts_with = "supersede")]
    pub repair_register: bool,
    #[command(flatten)]
    pub render: RenderArgs,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// A run folder, an archive edition, a year of the archive, or the archive root.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The folder to write.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The 18 NRW zkT sample (2016–2018) instead of a synthetic set.
    #[arg(long)]
    pub sample: bool,
    /// Number of synthetic Jobcenters.
    #[arg(long, default_value_t = 405)]
    pub jobcenters: usize,
    /// First year of the synthetic set.
    #[arg(long, default_value_t = 2009)]
    pub first_year: i32,
    /// Number of years.
    #[arg(long, default_value_t = 10)]
    pub years: u32,
    /// Seed of the random generator (same seed, same files).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Replace data files already in the folder (without it, existing files are refused,
    /// so that a slip cannot overwrite delivered figures).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier run folder, archive edition, kennzahlen.csv or data folder.
    #[arg(value_name = "A")]
    pub a: PathBuf,
    /// The later one.
    #[arg(value_name = "B")]
    pub b: PathBuf,
    /// The Berichtsmonat, when A and B are data folders.
    #[arg(long, value_name = "YYYY-MM", value_parser = parse_month_arg)]
    pub month: Option<crate::domain::Berichtsmonat>,
    /// Tolerance in percentage points for the statuses, when A and B are data folders.
    #[arg(long, value_name = "PP", default_value = DEFAULT_TOLERANCE, value_parser = parse_tolerance_arg)]
    pub tolerance: Decimal,
    /// `text` (for people) or `csv` (one row per changed figure).
    #[arg(long, value_name = "FORMAT", default_value = "text", value_parser = ["text", "csv"])]
    pub format: String,
}

#[derive(Debug, Args)]
pub struct VorlageArgs {
    /// The folder to write (created if missing; existing files are never overwritten).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Write `;`-separated CSV files instead of Excel workbooks.
    #[arg(long)]
    pub csv: bool,
}

#[derive(Debug, Args)]
pub struct InviteArgs {
    /// The Berichtsmonat whose reports are attached (rendered into OUT/<YYYY-MM>/ if missing).
    #[arg(long, value_name = "YYYY-MM", value_parser = parse_month_arg)]
    pub month: crate::domain::Berichtsmonat,
    /// CSV or Excel workbook (.xlsx) with one row per Jobcenter: jobcenter, datum, beginn,
    /// [ende], ort, [kontakt].
    #[arg(long, value_name = "FILE")]
    pub termine: PathBuf,
    #[command(flatten)]
    pub data: DataArgs,
    /// The parent folder of the run folders.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// The sender address (`addr` or `Name <addr>`); default: `[bericht] absender` of
    /// bericht.toml in the data folder. Without either, nothing is written (exit 2).
    #[arg(long, value_name = "ADDR")]
    pub from: Option<String>,
    /// Send the messages through SMTP (else only the drafts are written).
    #[arg(long, requires = "smtp")]
    pub send: bool,
    /// SMTP server as HOST:PORT ([IPv6]:PORT for an IPv6 address).
    #[arg(long, value_name = "HOST:PORT", value_parser = parse_host_port)]
    pub smtp: Option<HostPort>,
    /// Seconds to wait for each answer of the SMTP server; a message whose answer does not
    /// come in time counts as uncertain, not failed.
    #[arg(long, value_name = "SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub smtp_timeout: u64,
    /// Use STARTTLS.
    #[arg(long)]
    pub starttls: bool,
    /// SMTP user; the password is read from the environment variable `ZIELBERICHT_SMTP_PASSWORD`.
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,
    /// Send again messages the send log records as sent, or as uncertain (an attempt
    /// whose outcome is unknown, e.g. the program was killed while the server answered).
    #[arg(long)]
    pub resend: bool,
    #[command(flatten)]
    pub render: RenderArgs,
}

#[derive(Debug, Args)]
pub struct VereinbarungArgs {
    /// The year of the agreements (its targets come from ziele.csv).
    #[arg(long, value_name = "YYYY", value_parser = parse_year_arg)]
    pub year: i32,
    #[command(flatten)]
    pub data: DataArgs,
    /// The parent folder; the agreements go to DIR/vereinbarungen/<year>/.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// Render only the agreement of this Jobcenter (repeatable).
    #[arg(long = "jobcenter", value_name = "ID")]
    pub jobcenters: Vec<String>,
    /// The ministry's configuration (TOML: `[ministerium]` name, kurz, anrede,
    /// `vertreten_durch`, unterzeichner, ort, datum; `[vereinbarung]` entwurf, schwerpunkte,
    /// besonderheiten, datum; `[vereinbarung.traeger."ID"]` anrede, `vertreten_durch`,
    /// unterzeichner, ort, datum, genitiv). Default: bericht.toml in the
    /// data folder; when that file is absent, the ministry's lines are left blank.
    #[arg(long, value_name = "FILE", env = "ZIELBERICHT_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub look: TemplateArgs,
}
