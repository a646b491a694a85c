//! `generate`: write a synthetic data folder (for the sample in `data/`, tests and benchmarks).

use crate::cli::GenerateArgs;
use crate::error::{Error, Exit};
use crate::generate::{self, GenerateConfig};

pub fn generate(args: &GenerateArgs) -> Result<Exit, Error> {
    if !args.force {
        let existing: Vec<String> = generate::FILES
            .iter()
            .map(|f| args.out.join(f))
            .filter(|p| std::fs::symlink_metadata(p).is_ok())
            .map(|p| p.display().to_string())
            .collect();
        if !existing.is_empty() {
            return Err(Error::Refused(format!(
                "--out: in {} liegen schon {}; es wurde nichts geschrieben (--force ersetzt sie)",
                args.out.display(),
                existing.join(", ")
            )));
        }
    }
    let cfg = if args.sample {
        GenerateConfig::nrw_sample()
    } else {
        GenerateConfig {
            jobcenters: args.jobcenters,
            first_year: args.first_year,
            years: args.years,
            seed: args.seed,
            sample_nrw: false,
            missing_symbols: false,
        }
    };
    let summary = generate::generate(&cfg, &args.out).map_err(|e| Error::write(&args.out, e))?;
    println!(
        "{}: {} Jobcenter, {} months, {} rows",
        args.out.display(),
        summary.jobcenters,
        summary.months,
        summary.rows
    );
    Ok(Exit::Ok)
}
