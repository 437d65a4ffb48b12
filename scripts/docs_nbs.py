"""Notebook pages and the site configuration for the documentation site (run in .venv-docs by scripts/docs.sh).

    python scripts/docs_nbs.py BUILD_DIR SITE_DIR

Reads nbs/*.ipynb (never executes them: the committed outputs are what the pages show) and writes
BUILD_DIR/docs/<name>.ipynb prepared as nbdev's documentation processing does:
* cells marked `#| hide`, `#| default_exp`, `#| exporti`, `#| include: false` are left out; the `#|` lines, `%` magics
  and lines ending in `#| hide_line` are taken out of the code shown; `#| echo: false` keeps only the outputs and
  `#| output: false` only the code; `show_doc(...)` cells show only their output;
* the code of `#| export` cells is replaced by the documentation of what they define (signature, per-parameter
  comments, docstring), as rendered by scripts/docs_api.py into BUILD_DIR/showdoc.json; `#| exports` cells keep
  their code and get the documentation after it;
* LaTeX in markdown ($...$, $$...$$) becomes MathML, so pages need no script or font from the internet;
* widget outputs keep their static picture (the PNG the explorers put beside the widget) or a short note, and the
  saved widget state is dropped, so that no widget library is loaded;
* links to other notebooks (`other.ipynb`) point to their pages.
Then writes BUILD_DIR/mkdocs.yml: scripts/docs_mkdocs.yml with the paths, and the navigation: the index page
(nbs/index.ipynb), every other notebook ordered by file name and titled by its first markdown heading, then the API
pages of scripts/docs_api.py.
"""
import ast, configparser, json, re, sys
from pathlib import Path

import nbformat
import yaml
from latex2mathml.converter import convert as latex2mathml

ROOT = Path(__file__).resolve().parent.parent
NBS = ROOT / 'nbs'
PKG = 'fod_dadf'
WIDGET_VIEW = 'application/vnd.jupyter.widget-view+json'

# ---- cell directives, as nbdev reads them: the `#|` lines at the top of a cell ----
_re_directive = re.compile(r'^\s*#\|\s*([\w-]+:?)\s*(.*?)\s*$')
_re_hide_line = re.compile(r'#\|\s*hide_line\s*$')
_re_magic = re.compile(r'^\s*%')


def directives(src):
    "{name: [args]} of the `#|` lines at the top of `src` (names of Quarto options keep their colon)."
    out = {}
    for line in src.splitlines():
        if not line.strip(): continue
        m = _re_directive.match(line)
        if not m: break
        out[m.group(1)] = m.group(2).split()
    return out


def code_shown(src):
    "The code of a cell as the reader sees it: without directives, magics and `hide_line` lines."
    lines = [l for l in src.splitlines() if not _re_directive.match(l) and not _re_magic.match(l)
             and not _re_hide_line.search(l)]
    return '\n'.join(lines).strip('\n')


def _opt(d, key): return (d.get(key) or [''])[0].lower()


# ---- names an exported cell defines, as nbdev's `showdoc_nm` names them ----
def _patched_classes(f):
    "Class names for a function decorated with fastcore's `@patch` (from its `self` annotation), else None."
    decos = [d.func if isinstance(d, ast.Call) else d for d in f.decorator_list]
    if not any(getattr(d, 'id', getattr(d, 'attr', None)) == 'patch' for d in decos): return None
    if not f.args.args or f.args.args[0].annotation is None: return None
    ann = f.args.args[0].annotation
    elts = ann.elts if isinstance(ann, ast.Tuple) else [ann]
    out = []
    for e in elts:
        while isinstance(e, ast.BinOp): out.append(e.right); e = e.left   # A|B
        out.append(e)
    return [getattr(e, 'id', None) for e in out if getattr(e, 'id', None)] or None


def defined_names(src):
    try: tree = ast.parse(code_shown(src))
    except SyntaxError: return []
    out = []
    for t in tree.body:
        if not isinstance(t, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)): continue
        if t.name.startswith('_') and not t.name.startswith('__'): continue
        cls = _patched_classes(t) if not isinstance(t, ast.ClassDef) else None
        out += [f'{c}.{t.name}' for c in cls] if cls else [t.name]
    return out


_re_showdoc_call = re.compile(r'^\s*show_doc\(\s*([\w.]+)', re.MULTILINE)

# ---- markdown: math, links, nbdev's Quarto link attributes ----
_re_fence = re.compile(r'(^[ \t]*(```|~~~).*?^[ \t]*\2[ \t]*$)', re.MULTILINE | re.DOTALL)
_re_code_span = re.compile(r'(`+)(.+?)\1', re.DOTALL)
_re_display_math = re.compile(r'\$\$(.+?)\$\$', re.DOTALL)
_re_inline_math = re.compile(r'(?<![\\$\w])\$(?=\S)([^$\n]*?[^\s\\])\$(?![\w$])')
_re_nb_link = re.compile(r'\]\(([\w.-]+)\.ipynb(#[^)]*)?\)')
_re_src_link = re.compile(r'\[source\]\(([^)\s]+)\)\{([^}]*)\}')


def _mathml(tex, display):
    try: return latex2mathml(tex.strip(), display='block' if display else 'inline')
    except Exception: return None   # leave what latex2mathml cannot read as it is


def _outside_code(text, fn):
    "Apply `fn` to the parts of markdown `text` that are neither fenced code blocks nor code spans."
    out = []
    for i, part in enumerate(_re_fence.split(text)):
        if i % 3 == 1: out.append(part); continue
        if i % 3 == 2: continue                      # the fence marker captured by the inner group
        pieces, last = [], 0
        for m in _re_code_span.finditer(part):
            pieces += [fn(part[last:m.start()]), m.group(0)]; last = m.end()
        out.append(''.join(pieces + [fn(part[last:])]))
    return ''.join(out)


def md_math(text):
    def conv(s):
        s = _re_display_math.sub(lambda m: _mathml(m.group(1), True) or m.group(0), s)
        return _re_inline_math.sub(lambda m: _mathml(m.group(1), False) or m.group(0), s)
    return _outside_code(text, conv)


def md_links(text, pages):
    return _re_nb_link.sub(lambda m: f'](./{m.group(1)}.html{m.group(2) or ""})' if m.group(1) in pages
                           else m.group(0), text)


def src_links(md):
    "nbdev's `[source](url){target=... style=...}` (Quarto syntax) as an HTML link."
    return _re_src_link.sub(lambda m: f'<a href="{m.group(1)}" {m.group(2).strip()}>source</a>', md)


# ---- outputs ----
def clean_outputs(outputs):
    "Widgets: their static picture when they left one (PNG, SVG, HTML), else a note."
    out = []
    for o in outputs:
        data = o.get('data')
        if data and WIDGET_VIEW in data:
            del data[WIDGET_VIEW]
            if not any(k in data for k in ('image/png', 'image/jpeg', 'image/svg+xml', 'text/html', 'text/markdown')):
                data.clear()
                data['text/markdown'] = '*(interactive widget: run the notebook to use it)*'
        if data and 'text/markdown' in data:
            md = data['text/markdown']
            data['text/markdown'] = src_links(''.join(md) if isinstance(md, list) else md)
        out.append(o)
    return out


def first_heading(nb):
    for c in nb.cells:
        if c.cell_type != 'markdown': continue
        for line in c.source.splitlines():
            m = re.match(r'^\s*#{1,6}\s+(.+?)\s*#*\s*$', line)
            if m: return re.sub(r'`|\*\*|(?<!\w)\*(?!\s)|<[^>]+>', '', m.group(1)).strip()
    return None


def process(nb, showdoc, pages, show_exports=False):
    "The notebook `nb` as its documentation page shows it (see the module docstring)."
    cells = nb.cells
    default_mod = None
    for c in cells:
        if c.cell_type == 'code':
            mod = (directives(c.source).get('default_exp') or [None])[0]
            if mod: default_mod = PKG if mod == '__init__' else f'{PKG}.{mod}'; break
    shown = set(m.group(1) for c in cells if c.cell_type == 'code' for m in _re_showdoc_call.finditer(c.source))
    out = []
    for c in cells:
        if c.cell_type == 'raw': continue
        if c.cell_type == 'markdown':
            src = c.source.strip()
            if src.startswith('#') and src.endswith(' -') and '\n' not in src: continue   # nbdev: "## Heading -" hidden
            c.source = md_math(md_links(c.source, pages))
            c.attachments = c.get('attachments', {}) or {}
            if not c.attachments: c.pop('attachments')
            out.append(c); continue
        d = directives(c.source)
        if d.keys() & {'hide', 'default_exp', 'exporti'} or _opt(d, 'include:') == 'false': continue
        exported = d.keys() & {'export', 'exports'}
        docs = []
        if exported:
            mod = d.get('export', d.get('exports')) or [None]
            mod = f'{PKG}.{mod[0]}' if mod[0] else default_mod
            for n in defined_names(c.source):
                md = showdoc.get(mod, {}).get(n)
                if md and n not in shown: docs.append(nbformat.v4.new_markdown_cell(md))
        keep_code = not exported or 'exports' in d or show_exports
        md_outs = [o.data['text/markdown'] for o in c.outputs if 'text/markdown' in o.get('data', {})]
        if _re_showdoc_call.search(c.source) and len(md_outs) == len(c.outputs) == 1:
            # an explicit show_doc: its rendering as a markdown cell, like the ones added for exported cells
            md = md_outs[0]
            out.append(nbformat.v4.new_markdown_cell(src_links(''.join(md) if isinstance(md, list) else md)))
        elif keep_code:
            c.source = code_shown(c.source)
            c.outputs = [] if _opt(d, 'output:') == 'false' else clean_outputs(c.outputs)
            if _re_showdoc_call.search(c.source) or _opt(d, 'echo:') == 'false':
                if c.outputs: c.source = ''   # tagged `remove_input` below: only the outputs show
                else: c = None
            if c is not None and (c.source.strip() or c.outputs): out.append(c)
        out += docs
    for c in out:
        c.metadata = {k: v for k, v in c.metadata.items() if k in ('tags',)}
        if c.cell_type == 'code' and not c.source.strip():
            c.metadata['tags'] = sorted(set(c.metadata.get('tags', [])) | {'remove_input'})
    nb.cells = out
    nb.metadata.pop('widgets', None)
    return nb


def settings():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / 'settings.ini', encoding='utf-8')
    return cfg['DEFAULT']


def main(build, site, show_exports=False):
    build, site = Path(build).resolve(), Path(site).resolve()
    docs = build / 'docs'
    docs.mkdir(parents=True, exist_ok=True)
    api = json.loads((build / 'showdoc.json').read_text(encoding='utf-8'))
    showdoc = {m: {n: src_links(md) for n, md in d.items()} for m, d in api['showdoc'].items()}
    files = sorted(NBS.glob('*.ipynb'))
    pages = {f.stem for f in files}
    nav, index_title = [], None
    for f in files:
        nb = nbformat.read(f, as_version=4)
        title = first_heading(nb) or f.stem
        nb = process(nb, showdoc, pages, show_exports)
        nbformat.write(nb, docs / f.name)
        if f.stem == 'index': index_title = title
        else: nav.append({title: f.name})
    # the site name heads the sidebar already: an index titled the same is listed as the overview
    nav.insert(0, {'Overview' if index_title in (None, settings().get('title', PKG)) else index_title: 'index.ipynb'})
    # the API pages: the top-level package first, then the modules in notebook order
    nav.append({'API': [{m['module']: m['page']} for m in api['modules']]})

    s = settings()
    cfg = yaml.safe_load((ROOT / 'scripts' / 'docs_mkdocs.yml').read_text(encoding='utf-8'))
    cfg.update(site_name=s.get('title', PKG), site_description=s.get('description', ''),
               copyright=f"Copyright {s.get('copyright', '')}".strip(),
               docs_dir=str(docs), site_dir=str(site), nav=nav,
               hooks=[str(ROOT / 'scripts' / 'docs_hooks.py')], extra_css=['assets/extra.css'])
    (docs / 'assets').mkdir(exist_ok=True)
    (docs / 'assets' / 'extra.css').write_text((ROOT / 'scripts' / 'docs_extra.css').read_text(encoding='utf-8'))
    for p in cfg.get('plugins', []):
        if isinstance(p, dict) and 'mkdocs-jupyter' in p:
            p['mkdocs-jupyter']['cache_dir'] = str(ROOT / '.cache' / 'mkdocs-jupyter')
    (build / 'mkdocs.yml').write_text(
        '# Written by scripts/docs_nbs.py from scripts/docs_mkdocs.yml: edit that one.\n'
        + yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True), encoding='utf-8')
    print(f'docs_nbs: {len(files)} notebook pages and {len(api["modules"])} API pages in {docs}')


if __name__ == '__main__':
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    if len(args) != 2: sys.exit(__doc__)
    main(*args, show_exports='--show-exports' in sys.argv)
