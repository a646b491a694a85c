#!/usr/bin/env python3
"""Reads the structure tree of tagged PDFs (pikepdf, pinned in .ci/run) as a screen reader
would and checks what no conformance validator sees in the tables:

- header-scope: a column header (TH, scope Column or Both) stands only in the table's
  head rows; a group row further down must not take over the columns below it;
- column-heads: every cell below the head rows refers to a head of its column;
- row-header: every body row with data has a row header (TH, scope Row), and every data
  cell of the row refers to one of them;
- separator: the parts of one cell or paragraph are separated by a space (no „Istauf Kurs“,
  „+2,1 %ja“);
- empty-cell: no table cell is empty (a screen reader says „leer“);
- order: the content of a table follows its rows (row by row, left to right).

Usage: structure_tree.py FILE_OR_DIR...  (folders are searched for *.pdf)
Prints each finding with file, rule and the cell's text; exits 1 when any was found, 2 when
no PDF or no table was found.
"""
import sys
from pathlib import Path
import re, pikepdf

def _cmap(font):
    tu = font.get('/ToUnicode')
    m = {}
    if tu is None: return m
    s = tu.read_bytes().decode('latin-1')
    def u(h):
        b = bytes.fromhex(h)
        return b.decode('utf-16-be', errors='replace')
    for blk in re.findall(r'beginbfchar(.*?)endbfchar', s, re.S):
        for a, b in re.findall(r'<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>', blk):
            m[int(a, 16)] = u(b)
    for blk in re.findall(r'beginbfrange(.*?)endbfrange', s, re.S):
        for a, b, c in re.findall(r'<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])', blk):
            lo, hi = int(a, 16), int(b, 16)
            if c.startswith('['):
                for i, h in enumerate(re.findall(r'<([0-9A-Fa-f]*)>', c)):
                    m[lo + i] = u(h)
            else:
                base = bytes.fromhex(c[1:-1])
                for i in range(hi - lo + 1):
                    v = int.from_bytes(base, 'big') + i
                    m[lo + i] = v.to_bytes(len(base), 'big').decode('utf-16-be', errors='replace')
    return m

def page_texts(pdf):
    """{(page objgen, mcid): text} for every marked-content sequence with an MCID, and
    {(page objgen, mcid): position in the page's content stream}."""
    out = {}
    order = {}
    for page in pdf.pages:
        fonts = {}
        res = page.obj.get('/Resources', {})
        for name, f in res.get('/Font', {}).items():
            fonts[name] = _cmap(f)
        stack = []  # mcid or None per BDC/BMC
        cur = None
        for operands, op in pikepdf.parse_content_stream(page):
            o = str(op)
            if o == 'BDC':
                props = operands[1]
                mcid = None
                if isinstance(props, pikepdf.Dictionary) and '/MCID' in props:
                    mcid = int(props.MCID)
                stack.append(mcid)
                if mcid is not None:
                    out.setdefault((page.obj.objgen, mcid), '')
                    order.setdefault((page.obj.objgen, mcid), len(order))
            elif o == 'BMC':
                stack.append(None)
            elif o == 'EMC':
                if stack: stack.pop()
            elif o == 'Tf':
                cur = fonts.get(str(operands[0]), {})
            elif o in ('Tj', 'TJ', "'", '"'):
                mc = next((x for x in reversed(stack) if x is not None), None)
                if mc is None: continue
                arr = operands[-1]
                parts = arr if isinstance(arr, pikepdf.Array) else [arr]
                t = ''
                for p in parts:
                    if isinstance(p, pikepdf.String):
                        b = bytes(p)
                        for i in range(0, len(b) - 1, 2):
                            t += cur.get(int.from_bytes(b[i:i+2], 'big'), '\ufffd') if cur is not None else '?'
                out[(page.obj.objgen, mc)] += t
    return out, order

class Elem:
    def __init__(self, d, parent):
        self.d = d; self.parent = parent
        self.tag = str(d.get('/S'))[1:]
        self.kids = []  # Elem or ('mc', text)
        self.attrs = {}
        a = d.get('/A')
        if a is not None:
            for x in (a if isinstance(a, pikepdf.Array) else [a]):
                if isinstance(x, pikepdf.Dictionary):
                    for k, v in x.items():
                        if k != '/O': self.attrs[k[1:]] = v
        self.id = bytes(d['/ID']).decode('latin-1') if '/ID' in d else None
        self.actual = str(d['/ActualText']) if '/ActualText' in d else None
        self.alt = str(d['/Alt']) if '/Alt' in d else None
    def text(self, sep=''):
        if self.actual is not None: return self.actual
        return sep.join(k.text(sep) if isinstance(k, Elem) else k[1] for k in self.kids)
    def chunks(self):
        if self.actual is not None: return [self.actual]
        r = []
        for k in self.kids:
            r += k.chunks() if isinstance(k, Elem) else [k[1]]
        return r
    def walk(self):
        yield self
        for k in self.kids:
            if isinstance(k, Elem): yield from k.walk()

def tree(path):
    pdf = pikepdf.open(path)
    texts, order = page_texts(pdf)

    def mc(pg, mcid):
        key = (pg.objgen, mcid) if pg is not None else None
        return ('mc', texts.get(key, ''), key and key[0], key)
    def build(d, parent, pg):
        e = Elem(d, parent)
        pg = d.get('/Pg', pg)
        k = d.get('/K')
        ks = [] if k is None else (k if isinstance(k, pikepdf.Array) else [k])
        for c in ks:
            if isinstance(c, pikepdf.Dictionary):
                if '/S' in c:
                    e.kids.append(build(c, e, pg))
                elif '/MCID' in c:
                    p = c.get('/Pg', pg)
                    e.kids.append(mc(p, int(c.MCID)))
            else:
                e.kids.append(mc(pg, int(c)))
        return e
    root = pdf.Root.StructTreeRoot
    k = root.K
    kids = k if isinstance(k, pikepdf.Array) else [k]
    return [build(c, None, None) for c in kids], pdf, order


# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------

def _ids(v):
    return [bytes(x).decode('latin-1') for x in v] if v is not None else []


def _rows(table):
    """The TRs of a table (also inside THead, TBody, TFoot), in order."""
    rows = []
    for e in table.walk():
        if e.tag == 'TR':
            rows.append(e)
    return rows


def _cells(row):
    return [k for k in row.kids if isinstance(k, Elem) and k.tag in ('TH', 'TD')]


def _scope(cell):
    s = cell.attrs.get('Scope')
    return str(s)[1:] if s is not None else None


def _joined_badly(chunks):
    """The first place where two parts of one element run together, or None."""
    parts = [c for c in chunks if c != '']
    for a, b in zip(parts, parts[1:]):
        if a[-1].isspace() or b[0].isspace():
            continue
        if a.endswith(('-', '\u00ad', '/', '(', '–')) or b.startswith(('-', ')', ',', '.', ':', ';', '/', '–', '\u202f', '\u00ad', '%')):
            continue
        return f'{a!r} + {b!r}'
    return None


def _first_mcids(e, out):
    """The content-stream position of each MCID of e, in structure order."""
    for k in e.kids:
        if isinstance(k, Elem):
            _first_mcids(k, out)
        else:
            out.append(k)
    return out


def check_table(table, say):
    rows = _rows(table)
    if not rows:
        return
    # Head rows: the leading rows whose cells are all column headers.
    head = 0
    while head < len(rows) and all(c.tag == 'TH' and _scope(c) in ('Column', 'Both') for c in _cells(rows[head])):
        head += 1
    head_ids = {c.id for r in rows[:head] for c in _cells(r) if c.id}
    for r in rows[head:]:
        cells = _cells(r)
        label = ' | '.join(c.text().strip() for c in cells[:3])
        for c in cells:
            if c.tag == 'TH' and _scope(c) in ('Column', 'Both'):
                say('header-scope', f'column header below the head rows: {c.text()!r} (row {label!r})')
        row_heads = [c for c in cells if c.tag == 'TH' and _scope(c) in ('Row', 'Both')]
        data = [c for c in cells if c.tag == 'TD']
        if data and not row_heads:
            say('row-header', f'row without a row header: {label!r}')
        for c in data + row_heads:
            hs = set(_ids(c.attrs.get('Headers')))
            if head_ids and not hs & head_ids:
                say('column-heads', f'cell {c.text()!r} in row {label!r} refers to no column head ({sorted(hs)})')
        heads = {h.id for h in row_heads if h.id}
        for c in data:
            hs = set(_ids(c.attrs.get('Headers')))
            if heads and not hs & heads:
                say('row-header', f'cell {c.text()!r} in row {label!r} refers to no row header of its row')
    for r in rows:
        for c in _cells(r):
            if c.text().strip() == '':
                say('empty-cell', f'empty {c.tag} in row {" | ".join(x.text().strip() for x in _cells(r)[:3])!r}')


def check_separators(root, say):
    for e in root.walk():
        if e.tag in ('TH', 'TD', 'P', 'H1', 'H2', 'H3', 'LBody', 'Caption'):
            bad = _joined_badly(e.chunks())
            if bad:
                say('separator', f'{e.tag} {e.text()!r}: {bad}')


def check_order(table, order, say):
    """Cells with content, in structure order, must appear in that order on each page."""
    last = {}
    late = []
    for r in _rows(table):
        for c in _cells(r):
            keys = [k for k in _first_mcids(c, []) if k[0] == 'mc' and len(k) > 2]
            if not keys:
                continue
            page, pos = keys[0][2], order.get(keys[0][3])
            if pos is None:
                continue
            if page in last and pos < last[page][0]:
                late.append((c.text(), last[page][1]))
            last[page] = (pos, c.text())
    if late:
        first, before = late[0]
        say('order', f'{len(late)} cells out of row order, the first: {first!r} comes before {before!r} in the content although it follows it in the table')


def pdfs(args):
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            yield from sorted(path.rglob('*.pdf'))
        else:
            yield path


def main(args):
    files = list(pdfs(args))
    if not files:
        print('structure_tree: no PDF found', file=sys.stderr)
        return 2
    findings = tables = 0
    for file in files:
        roots, pdf, order = tree(str(file))
        seen = set()

        def say(rule, msg):
            nonlocal findings
            if (rule, msg) in seen:
                return
            seen.add((rule, msg))
            findings += 1
            print(f'{file}: {rule}: {msg}')

        for root in roots:
            check_separators(root, say)
            for e in root.walk():
                if e.tag == 'Table':
                    tables += 1
                    check_table(e, say)
                    check_order(e, order, say)
    if tables == 0:
        print('structure_tree: no table found', file=sys.stderr)
        return 2
    print(f'Structure tree ({len(files)} PDFs, {tables} tables): {findings} findings')
    return 1 if findings else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
