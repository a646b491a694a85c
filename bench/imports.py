#!/usr/bin/env python3
"""The import graph of src/ (issue 19): which module refers to which.

Edges come from every `crate::a::b` path in a file (use declarations and inline paths) and
from `super::x` inside a folder; a module is a file (`src/report/model.rs` is
`report::model`, a `mod.rs` names its folder). Prints the import circles between files
and between top-level folders, the number of floors (the longest chain of top-level
modules in the condensed graph) and each folder's share of the lines of src/.
Usage: python3 bench/imports.py [SRC]"""
import os, re, sys
from collections import defaultdict

src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "src")
src = os.path.normpath(src)
mods, lines = {}, {}
for root, _, files in os.walk(src):
    for f in files:
        if not f.endswith(".rs"):
            continue
        path = os.path.join(root, f)
        rel = os.path.relpath(path, src)[:-3].split(os.sep)
        if rel[-1] in ("mod", "lib", "main"):
            rel = rel[:-1]
        name = "::".join(rel) or "crate"
        text = open(path, encoding="utf-8").read()
        # test-only files and #[cfg(test)] tails do not count as imports of the house
        if f.endswith("_tests.rs") or f == "tests.rs":
            continue
        cut = text.find("#[cfg(test)]\nmod tests")
        body = text if cut < 0 else text[:cut]
        # comments (doc links included) name modules without importing them
        body = re.sub(r"//[^\n]*", "", body)
        mods[name] = body
        lines[name] = text.count("\n")

def resolve(path):
    parts = path.split("::")
    while parts:
        cand = "::".join(parts)
        if cand in mods:
            return cand
        parts.pop()
    return None

edges = defaultdict(set)
for name, text in mods.items():
    refs = set()
    for m in re.finditer(r"crate::((?:\w+::)*\w+)", text):
        refs.add(m.group(1))
    # grouped imports: use crate::{a, b::c}
    for m in re.finditer(r"use crate::\{([^;]*)\};", text, re.S):
        for item in re.split(r"[,\s]+", m.group(1)):
            item = item.strip("{} ")
            if item:
                refs.add(item)
    parent = name.rsplit("::", 1)[0] if "::" in name else ""
    for m in re.finditer(r"\bsuper::(\w+)", text):
        refs.add((parent + "::" if parent else "") + m.group(1))
    for m in re.finditer(r"use super::\{([^;]*)\};", text, re.S):
        for item in re.split(r"[,\s]+", m.group(1)):
            item = item.strip("{} ").split("::")[0]
            if item:
                refs.add((parent + "::" if parent else "") + item)
    for r in refs:
        t = resolve(r)
        if t and t != name and not name.startswith(t + "::"):
            edges[name].add(t)

def sccs(nodes, edges):
    index, low, stack, on, out, i = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(10000)
    def visit(v):
        index[v] = low[v] = i[0]; i[0] += 1; stack.append(v); on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w); low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v:
                    break
            out.append(comp)
    for v in nodes:
        if v not in index:
            visit(v)
    return out

top = lambda m: m.split("::")[0]
file_circles = [sorted(c) for c in sccs(list(mods), edges) if len(c) > 1]
tedges = defaultdict(set)
for a, bs in edges.items():
    for b in bs:
        if top(a) != top(b):
            tedges[top(a)].add(top(b))
tops = sorted({top(m) for m in mods})
top_circles = [sorted(c) for c in sccs(tops, tedges) if len(c) > 1]
comp_of = {}
for c in sccs(tops, tedges):
    for v in c:
        comp_of[v] = tuple(sorted(c))
memo = {}
def depth(c):
    if c not in memo:
        memo[c] = 0
        nxt = {comp_of[w] for v in c for w in tedges[v]} - {c}
        memo[c] = 1 + max((depth(n) for n in nxt), default=0)
    return memo[c]
floors = max(depth(comp_of[t]) for t in tops)
total = sum(lines.values())
share = defaultdict(int)
for m, n in lines.items():
    share[top(m)] += n
# count test files too for the share
for root, _, files in os.walk(src):
    for f in files:
        if f.endswith("_tests.rs") or f == "tests.rs":
            rel = os.path.relpath(os.path.join(root, f), src).split(os.sep)[0]
            n = open(os.path.join(root, f), encoding="utf-8").read().count("\n")
            share[rel.removesuffix(".rs")] += n; total += n
print(f"files: {len(mods)}, lines: {total}")
print(f"file-level import circles: {len(file_circles)}")
for c in file_circles:
    print("  " + " <-> ".join(c))
print(f"folder-level import circles: {len(top_circles)}")
for c in top_circles:
    print("  " + " <-> ".join(c))
print(f"floors (longest chain of top-level modules): {floors}")
big = sorted(share.items(), key=lambda kv: -kv[1])
print("largest folders: " + ", ".join(f"{k} {v} ({100*v/total:.1f} %)" for k, v in big[:4]))
