//! The fixture builder: writes a data folder into a temporary directory and runs the
//! real binary there.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// One monthly row; every column is written as given (`None` → empty cell).
#[derive(Debug, Clone)]
pub struct Row {
    pub jobcenter: String,
    pub monat: String,
    pub values: Vec<(&'static str, String)>,
}

pub const COLUMNS: [&str; 15] = [
    "elb",
    "bg",
    "int",
    "lzb",
    "int_lzb",
    "llu_eur",
    "kdu_eur",
    "int_svb",
    "int_nachhaltig",
    "int_bedarfsdeckend",
    "lzb_4j",
    "elb_asyl8",
    "int_asyl8",
    "lzb_asyl8",
    "datenstand",
];

/// The optional columns by sex (contract v3, 1.1).
pub const SEX_COLUMNS: [&str; 8] = [
    "elb_frauen",
    "elb_maenner",
    "int_frauen",
    "int_maenner",
    "lzb_frauen",
    "lzb_maenner",
    "int_lzb_frauen",
    "int_lzb_maenner",
];

impl Row {
    /// A plausible default row.
    pub fn new(jobcenter: &str, year: i32, month: u32) -> Self {
        let v = |s: &str| s.to_string();
        Row {
            jobcenter: jobcenter.into(),
            monat: format!("{year}-{month:02}"),
            values: vec![
                ("elb", v("1000")),
                ("bg", v("700")),
                ("int", v("20")),
                ("lzb", v("600")),
                ("int_lzb", v("8")),
                ("llu_eur", v("250000.50")),
                ("kdu_eur", v("200000")),
                ("int_svb", v("16")),
                ("int_nachhaltig", v("10")),
                ("int_bedarfsdeckend", v("9")),
                ("lzb_4j", v("250")),
                ("elb_asyl8", v("150")),
                ("int_asyl8", v("3")),
                ("lzb_asyl8", v("60")),
                ("datenstand", format!("{year}-{month:02}-15")),
            ],
        }
    }

    #[allow(clippy::needless_pass_by_value)] // call sites read better with plain values
    pub fn set(mut self, column: &'static str, value: impl ToString) -> Self {
        match self.values.iter_mut().find(|(c, _)| *c == column) {
            Some(slot) => slot.1 = value.to_string(),
            None => self.values.push((column, value.to_string())),
        }
        self
    }
}

/// A data folder in a temporary directory.
pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub jobcenter: String,
    pub rows: Vec<Row>,
    pub ziele: String,
}

impl Fixture {
    /// Two Jobcenters of NRW in Vergleichstyp `IIa`, every month 2016-01..2018-12 with
    /// default rows, and the `*` targets of 2018.
    pub fn new() -> Self {
        let mut rows = Vec::new();
        for id in ["05554", "05558"] {
            for year in 2016..=2018 {
                for month in 1..=12 {
                    rows.push(Row::new(id, year, month));
                }
            }
        }
        Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
            jobcenter: "jobcenter,name,land,traeger,vergleichstyp,email\n\
                        05554,Kreis Borken,NRW,zkT,IIa,jc@borken.example\n\
                        05558,Kreis Coesfeld,NRW,zkT,IIa,jc@coesfeld.example\n"
                .into(),
            rows,
            ziele: "jahr,jobcenter,ziel,soll_pct\n2018,*,int,2.1\n2018,*,k2,0.0\n2018,*,k3,0.0\n\
                    2018,*,k3e1,4.0\n2018,*,lzb_je,0.0\n"
                .into(),
        }
    }

    /// Changes the row of one Jobcenter and month.
    pub fn row(mut self, id: &str, monat: &str, f: impl FnOnce(Row) -> Row) -> Self {
        let i = self
            .rows
            .iter()
            .position(|r| r.jobcenter == id && r.monat == monat)
            .expect("row exists");
        let row = self.rows.remove(i);
        self.rows.insert(i, f(row));
        self
    }

    /// Changes every row of one Jobcenter.
    pub fn rows_of(mut self, id: &str, f: impl Fn(Row) -> Row) -> Self {
        self.rows = self
            .rows
            .into_iter()
            .map(|r| if r.jobcenter == id { f(r) } else { r })
            .collect();
        self
    }

    pub fn without_row(mut self, id: &str, monat: &str) -> Self {
        self.rows
            .retain(|r| !(r.jobcenter == id && r.monat == monat));
        self
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    /// The monthly rows as a comma file with the given columns.
    pub fn monatswerte_csv(&self, columns: &[&str]) -> String {
        let mut out = format!("jobcenter,monat,{}\n", columns.join(","));
        for r in &self.rows {
            let _ = write!(out, "{},{}", r.jobcenter, r.monat);
            for c in columns {
                let v = r
                    .values
                    .iter()
                    .find(|(n, _)| n == c)
                    .map_or("", |(_, v)| v.as_str());
                let _ = write!(out, ",{v}");
            }
            out.push('\n');
        }
        out
    }

    /// Writes the three files (all columns) and returns self.
    pub fn write(self) -> Self {
        let mw = self.monatswerte_csv(&COLUMNS);
        self.write_with(&mw)
    }

    /// Writes the three files with `monatswerte` as given.
    pub fn write_with(self, monatswerte: &str) -> Self {
        std::fs::create_dir_all(self.data()).unwrap();
        self.file("jobcenter.csv", self.jobcenter.as_bytes());
        self.file("monatswerte.csv", monatswerte.as_bytes());
        self.file("ziele.csv", self.ziele.as_bytes());
        self
    }

    /// Writes (or overwrites) one file of the data folder.
    pub fn file(&self, name: &str, bytes: &[u8]) {
        std::fs::create_dir_all(self.data()).unwrap();
        std::fs::write(self.data().join(name), bytes).unwrap();
    }

    /// Runs the binary in the fixture's directory (paths relative: `data`, `out`).
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.dir.path(), args)
    }

    /// The `kennzahlen.csv` of a run folder as rows keyed by (entity, kennzahl).
    pub fn kennzahlen(&self, month: &str) -> Kennzahlen {
        let text = std::fs::read_to_string(self.out().join(month).join("kennzahlen.csv"))
            .expect("kennzahlen.csv");
        Kennzahlen { text }
    }
}

pub struct Kennzahlen {
    pub text: String,
}

impl Kennzahlen {
    /// The fields `wert, vorjahr, veraenderung_pct, soll_pct, status, mitglieder, soll_wert,
    /// jahres_soll, rest_bedarf, vorjahr_rest` of one row.
    pub fn get(&self, entity: &str, kennzahl: &str) -> Vec<String> {
        self.text
            .lines()
            .map(split_csv_line)
            .find(|f| f[0] == entity && f[2] == kennzahl)
            .unwrap_or_else(|| panic!("no row {entity} {kennzahl} in\n{}", self.text))[3..]
            .to_vec()
    }

    pub fn num(&self, entity: &str, kennzahl: &str, field: usize) -> Option<f64> {
        let v = &self.get(entity, kennzahl)[field];
        (!v.is_empty()).then(|| v.parse().expect("number"))
    }

    pub fn has(&self, entity: &str, kennzahl: &str) -> bool {
        self.text.lines().any(|l| {
            let f = split_csv_line(l);
            f[0] == entity && f[2] == kennzahl
        })
    }
}

/// One line of `kennzahlen.csv` split by RFC 4180 (a Land may hold a comma and is quoted).
pub fn split_csv_line(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().unwrap().push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(String::new()),
            _ => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

pub struct Run {
    pub output: Output,
}

impl Run {
    pub fn code(&self) -> i32 {
        self.output.status.code().expect("exit code")
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code(),
            code,
            "stderr:\n{}\nstdout:\n{}",
            self.stderr(),
            self.stdout()
        );
        self
    }

    #[track_caller]
    pub fn expect_stderr(&self, needle: &str) -> &Self {
        assert!(
            self.stderr().contains(needle),
            "expected {needle:?} in stderr:\n{}",
            self.stderr()
        );
        self
    }
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_zielbericht")
}

/// The binary with `args` in `dir`, in the tests' environment: `SOURCE_DATE_EPOCH` fixed,
/// none of the variables that would point it elsewhere.
pub fn command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .env_remove("ZIELBERICHT_DATA")
        .env_remove("ZIELBERICHT_TEMPLATES")
        .env_remove("TYPST_FONT_PATHS")
        .env_remove("ZIELBERICHT_SMTP_PASSWORD")
        .env_remove("ZIELBERICHT_SETTINGS")
        .env_remove("ZIELBERICHT_TEST_PANIC");
    cmd
}

pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let output = command(dir, args).output().expect("run zielbericht");
    Run { output }
}

/// A temporary folder with `jobcenters` synthetic Jobcenters in `data/`, 2017–2018
/// (`zielbericht generate`).
pub fn generated(jobcenters: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let n = jobcenters.to_string();
    run_in(
        dir.path(),
        &[
            "generate",
            "--out",
            "data",
            "--jobcenters",
            &n,
            "--years",
            "2",
            "--first-year",
            "2017",
        ],
    )
    .expect_code(0);
    dir
}

/// All files below `dir` with their bytes, sorted by path.
pub fn snapshot_tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

/// The text of a PDF (poppler's `pdftotext`, `-layout` keeping columns when asked), with
/// no-break spaces as plain spaces so that tests read like the page.
pub fn pdftotext(path: &Path, layout: bool) -> String {
    let mut command = Command::new("pdftotext");
    if layout {
        command.arg("-layout");
    }
    let out = command
        .args(["-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        path.display()
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .replace(['\u{a0}', '\u{202f}'], " ")
}
