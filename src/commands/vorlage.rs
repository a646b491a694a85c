//! `vorlage`: write empty input files to fill in (workbooks, or CSV with `--csv`).

use crate::cli::VorlageArgs;
use crate::error::{Error, Exit};
use crate::output::vorlage;
use crate::pipeline;

pub fn vorlage(args: &VorlageArgs) -> Result<Exit, Error> {
    let files = vorlage::render(args.csv, pipeline::document_time()?).map_err(Error::Render)?;
    // Never overwrite a delivery, nor put a workbook beside its CSV twin (an ambiguous
    // data folder, contract 1.3).
    for twin_csv in [false, true] {
        for name in vorlage::file_names(twin_csv) {
            let path = args.out.join(&name);
            if path.exists() {
                return Err(Error::Refused(format!(
                    "{} gibt es schon; es wurde nichts geschrieben (ein anderes --out wählen oder die Datei entfernen)",
                    path.display()
                )));
            }
        }
    }
    std::fs::create_dir_all(&args.out).map_err(|e| Error::write(&args.out, e))?;
    for f in &files {
        let path = args.out.join(&f.path);
        std::fs::write(&path, &f.bytes).map_err(|e| Error::write(&path, e))?;
    }
    let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    eprintln!(
        "{} geschrieben nach {}: je eine Beispielzeile; durch die eigenen Zahlen ersetzen und `zielbericht check --data {}` aufrufen",
        names.join(", "),
        args.out.display(),
        args.out.display()
    );
    Ok(Exit::Ok)
}
