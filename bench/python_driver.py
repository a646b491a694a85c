#!/usr/bin/env python3
"""The same Typst templates driven from Python (PyPI `typst`, the same engine version),
for comparison with `zielbericht run`: each document's data is the JSON that
`zielbericht run --emit-data DIR` wrote, handed in memory through `sys.inputs`.

usage: python_driver.py TEMPLATES EMIT_DIR OUT_DIR [THREADS]
"""

import concurrent.futures
import pathlib
import shutil
import sys
import tempfile

import typst


def main() -> None:
    templates, emit, out = (pathlib.Path(a) for a in sys.argv[1:4])
    threads = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    out.mkdir(parents=True, exist_ok=True)
    root = pathlib.Path(tempfile.mkdtemp(prefix="zb-py-"))
    shutil.copytree(templates, root, dirs_exist_ok=True)
    # The templates read /data.json; here the data come in memory instead.
    for main_file in ("report.typ", "uebersicht.typ"):
        path = root / main_file
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace('json("/data.json")', "json(bytes(sys.inputs.data))"),
            encoding="utf-8",
        )
    fonts = sorted(str(p.parent) for p in pathlib.Path.home().glob(
        ".cargo/registry/src/*/notosans-*/fonts/*.ttf"))[:1]
    jobs = sorted(emit.glob("*.json"))
    chunks = [jobs[i::threads] for i in range(threads)]

    def work(chunk):
        compiler = typst.Compiler(root=str(root), font_paths=fonts)
        for job in chunk:
            main_file = "uebersicht.typ" if job.stem == "uebersicht" else "report.typ"
            pdf = compiler.compile(
                input=str(root / main_file),
                sys_inputs={"data": job.read_text(encoding="utf-8")},
                pdf_standards=["a-2a", "ua-1"],
            )
            (out / f"{job.stem}.pdf").write_bytes(pdf)
        return len(chunk)

    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        done = sum(pool.map(work, chunks))
    shutil.rmtree(root)
    print(f"{done} documents", file=sys.stderr)


if __name__ == "__main__":
    main()
