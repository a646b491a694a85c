#!/usr/bin/env python3
"""Checks PDFs for PDF/UA-1 and PDF/A-2a with `page` (PyPI page-validation, pinned in
.ci/run), a Rust validator that mirrors veraPDF's rule sets and runs offline.

Usage: validate_pdfs.py FILE_OR_DIR...  (folders are searched for *.pdf)
Prints each failed rule with its file and a closing line `N passed, M failed`; exits 1
when any document fails either profile, 2 when no PDF was found.
"""
import sys
from pathlib import Path

import page

PROFILES = ("ua1", "2a")


def pdfs(args):
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            yield from sorted(path.rglob("*.pdf"))
        else:
            yield path


def main(args):
    files = list(pdfs(args))
    if not files:
        print("validate_pdfs: no PDF found", file=sys.stderr)
        return 2
    passed = failed = 0
    for file in files:
        ok = True
        for profile in PROFILES:
            report = page.validate_pdf(file, profile=profile)
            if not report.is_compliant:
                ok = False
                for failure in report.failures:
                    print(f"{file}: {profile}: [{failure.rule_id}] {failure.message}")
        if ok:
            passed += 1
        else:
            failed += 1
    print(f"PDF conformance (PDF/UA-1 and PDF/A-2a, page {page.__version__}):")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
