"""API reference pages for the documentation site, written in the project's .venv (it imports fod_dadf).

    python scripts/docs_api.py BUILD_DIR

For every module of the package: BUILD_DIR/docs/api/<module>.md, listing each name of the module's `__all__` with its
signature, per-parameter comments and docstring, as nbdev's `show_doc` renders them (public methods of classes follow
their class). Also BUILD_DIR/showdoc.json: the same rendering for every public function, class and method defined in
each module, which scripts/docs_nbs.py puts in the notebook pages in place of the exported code, as nbdev's docs do.
Started by scripts/docs.sh.
"""
import importlib, inspect, json, re, sys
from pathlib import Path

from nbdev.showdoc import BasicMarkdownRenderer

ROOT = Path(__file__).resolve().parent.parent
PKG = 'fod_dadf'
_re_default_exp = re.compile(r'^\s*#\|\s*default_exp\s+(\S+)', re.MULTILINE)
_re_src_link = re.compile(r'\[source\]\(([^)\s]+)\)\{([^}]*)\}')


def module_notebooks():
    "{module name: notebook file name}, in notebook order, from the `#| default_exp` directives."
    out = {}
    for fn in sorted((ROOT / 'nbs').glob('*.ipynb')):
        nb = json.loads(fn.read_text(encoding='utf-8'))
        for c in nb['cells']:
            src = ''.join(c['source'])
            m = _re_default_exp.search(src) if c['cell_type'] == 'code' else None
            if m:
                mod = m.group(1)
                out[PKG if mod == '__init__' else f'{PKG}.{mod}'] = fn.name
                break
    return out


def modules():
    "Every public module of the package: the top level first, then in notebook order, then any other."
    nbs = module_notebooks()
    files = {f'{PKG}.{p.stem}' for p in (ROOT / PKG).glob('*.py') if not p.stem.startswith('_')}
    ordered = [PKG] + [m for m in nbs if m in files]
    return ordered + sorted(files - set(ordered)), nbs


def _line(obj):
    try: return inspect.getsourcelines(inspect.unwrap(obj))[1]
    except (TypeError, OSError): return None


def showdoc_md(obj, name, level):
    "`show_doc`'s markdown for `obj`; the source link gets its line number and becomes an HTML link (no Quarto syntax)."
    md = BasicMarkdownRenderer(obj, name=name, title_level=level)._repr_markdown_()
    line = _line(obj)
    md = md.replace('#LNone)', f'#L{line})' if line else ')')
    return _re_src_link.sub(lambda m: f'<a href="{m.group(1)}" {m.group(2).strip()}>source</a>', md)


def constant_md(obj, name, level):
    "A name that is no function or class: its value (abridged) and type."
    r = repr(obj)
    if len(r) > 400: r = r[:400] + ' …'
    return f'---\n\n{"#" * level} {name}\n\n```python\n{name} = {r}\n```\n\n*{type(obj).__name__} constant.*\n'


def _is_doc(obj): return inspect.isclass(obj) or inspect.isfunction(obj) or inspect.isbuiltin(obj) or callable(obj)


def public_methods(cls):
    "Public methods defined on `cls` itself (patched ones included), in definition order."
    out = []
    for k, v in vars(cls).items():
        if k.startswith('_'): continue
        f = v.__func__ if isinstance(v, (staticmethod, classmethod)) else v
        if inspect.isfunction(f): out.append((k, f))
    return out


def entry_md(obj, name, level, note=''):
    "One name of `__all__`; `note` follows its own documentation, before its class's methods."
    if not _is_doc(obj): return constant_md(obj, name, level)
    md = showdoc_md(obj, name, level) + (f'\n\n{note}' if note else '')
    if inspect.isclass(obj):
        for k, f in public_methods(obj): md += '\n\n' + showdoc_md(f, f'{name}.{k}', level + 1)
    return md


def api_page(modname, nbs, pages):
    mod = importlib.import_module(modname)
    names = list(getattr(mod, '__all__', []))
    title = modname
    lines = [f'# {title}', '']
    doc = inspect.getdoc(mod)
    if doc: lines += [f'> {doc.splitlines()[0]}', '']
    nb = nbs.get(modname)
    if nb: lines += [f'Notebook: [{Path(nb).stem}](../{nb}) · {len(names)} public names.', '']
    else: lines += [f'{len(names)} public names.', '']
    if names: lines += [', '.join(f'[`{n}`](#{n.lower()})' for n in names), '']
    for n in names:
        obj = getattr(mod, n)
        defined = getattr(obj, '__module__', None) if _is_doc(obj) else None
        note = (f'*Defined in [`{defined}`]({pages[defined]}#{n.lower()}).*'
                if defined and defined != modname and defined in pages else '')
        lines += [entry_md(obj, n, 2, note), '']
    return '\n'.join(lines)


def module_defs(modname):
    "{name: markdown} for the public functions and classes defined in `modname`, and their public methods."
    mod = importlib.import_module(modname)
    out = {}
    for n, obj in vars(mod).items():
        if n.startswith('_') or not (inspect.isclass(obj) or inspect.isfunction(obj)): continue
        if getattr(obj, '__module__', None) != modname: continue
        out[n] = showdoc_md(obj, n, 3)
        if inspect.isclass(obj):
            for k, f in public_methods(obj): out[f'{n}.{k}'] = showdoc_md(f, f'{n}.{k}', 3)
    return out


def main(build):
    api = Path(build) / 'docs' / 'api'
    api.mkdir(parents=True, exist_ok=True)
    mods, nbs = modules()
    pages = {m: f'{m.rpartition(".")[2] if m != PKG else PKG}.md' for m in mods}
    index = []
    for m in mods:
        (api / pages[m]).write_text(api_page(m, nbs, pages), encoding='utf-8')
        index.append({'module': m, 'page': f'api/{pages[m]}', 'notebook': nbs.get(m)})
    showdoc = {m: module_defs(m) for m in mods if m != PKG}
    (Path(build) / 'showdoc.json').write_text(json.dumps({'modules': index, 'showdoc': showdoc}, indent=1), encoding='utf-8')
    print(f'docs_api: {len(mods)} API pages in {api}')


if __name__ == '__main__':
    if len(sys.argv) != 2: sys.exit(__doc__)
    main(sys.argv[1])
