//! `diff A B`: what changed between two deliveries — two run folders or archive editions
//! (their `kennzahlen.csv`), or two data folders computed for one `--month`. Prints the
//! comparison of [`compare`] with the Datenstand of both and a summary; `--format csv`
//! gives it as a table. Exit 0 when nothing changed, 1 when something did.

use std::path::Path;

use crate::cli::DiffArgs;
use crate::compare::{self, Side};
use crate::error::{Error, Exit};
use crate::figures;
use crate::load;
use crate::output::kennzahlen;
use crate::pipeline;

pub fn diff(args: &DiffArgs) -> Result<Exit, Error> {
    // Both sides are read under shared locks: never half of a rerun or an edition.
    let _locks = (
        crate::output::reading_lock(&args.a)?,
        crate::output::reading_lock(&args.b)?,
    );
    let a = side(&args.a, args)?;
    let b = side(&args.b, args)?;
    let c = compare::compare(&a, &b);
    let out = if args.format == "csv" {
        c.table()
    } else {
        let stand = |s: &Side| s.datenstand.clone().unwrap_or_else(|| "k. A.".into());
        let head = |label: &str, s: &Side| {
            format!(
                "{label}: {} (Berichtsmonat {}, Datenstand {})\n",
                s.name,
                s.month,
                stand(s)
            )
        };
        format!(
            "{}{}{}{}\n",
            head("A", &a),
            head("B", &b),
            c.text(),
            c.summary()
        )
    };
    // A reader that stops early (`| head`, `| grep -q`) is not an error; println! would
    // panic on the closed pipe.
    match std::io::Write::write_all(&mut std::io::stdout().lock(), out.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            return Err(Error::Render(format!(
                "die Standardausgabe kann nicht geschrieben werden: {e}"
            )));
        }
        _ => {}
    }
    Ok(if c.figures == 0 {
        Exit::Ok
    } else {
        Exit::Partial
    })
}

/// Reads one side: a data folder (computed for `--month`), a folder with
/// `kennzahlen.csv`, or the file itself.
fn side(path: &Path, args: &DiffArgs) -> Result<Side, Error> {
    let name = path.display().to_string();
    let is_data = path.is_dir()
        && (path.join(load::JOBCENTER_FILE).exists() || path.join("jobcenter.xlsx").exists());
    if !is_data || path.join(kennzahlen::FILE).exists() {
        return Side::read(path);
    }
    let Some(bm) = args.month else {
        return Err(Error::Usage(format!(
            "{name} ist ein Datenordner: --month JJJJ-MM sagt, welcher Berichtsmonat verglichen wird"
        )));
    };
    let ds = load::load(path).map_err(Error::Input)?;
    let results = figures::compute(&ds, bm, args.tolerance).map_err(Error::Render)?;
    let text = kennzahlen::render(&results);
    let mut side = Side::parse(&name, Path::new(&name), text.as_bytes())?;
    side.datenstand = pipeline::latest_datenstand(&results);
    Ok(side)
}
