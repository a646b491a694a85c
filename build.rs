//! Build information for `--version` and `manifest.json`: the commit the binary was built
//! from (`git`, when the source is a git checkout; else "unbekannt") and the version of
//! Typst from `Cargo.lock`, so that two builds can be told apart.

use std::process::Command;

fn main() {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let commit = std::env::var("ZIELBERICHT_COMMIT")
        .ok()
        .filter(|c| !c.is_empty())
        .or_else(|| git(&["rev-parse", "--short=12", "HEAD"]))
        .unwrap_or_else(|| "unbekannt".to_string());
    // A new commit or a checkout of another branch rebuilds the information.
    if let Some(dir) = git(&["rev-parse", "--git-dir"]) {
        println!("cargo:rerun-if-changed={dir}/HEAD");
        if let (Some(head), Some(common)) = (
            git(&["symbolic-ref", "-q", "HEAD"]),
            git(&["rev-parse", "--git-common-dir"]),
        ) {
            println!("cargo:rerun-if-changed={common}/{head}");
            println!("cargo:rerun-if-changed={common}/packed-refs");
        }
    }
    println!("cargo:rerun-if-env-changed=ZIELBERICHT_COMMIT");
    println!("cargo:rerun-if-changed=Cargo.lock");
    let lock = std::fs::read_to_string("Cargo.lock").unwrap_or_default();
    let typst = lock
        .split("[[package]]")
        .find(|p| p.contains("\nname = \"typst\"\n"))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = ")))
        .map_or_else(
            || "unbekannt".to_string(),
            |v| v.trim_matches('"').to_string(),
        );
    println!("cargo:rustc-env=ZIELBERICHT_COMMIT={commit}");
    println!("cargo:rustc-env=ZIELBERICHT_TYPST={typst}");
}
