"""Fill the generated blocks of nbs/index.ipynb from result files, then write README.md from it.

    python scripts/readme.py          # rewrite nbs/index.ipynb's generated blocks and README.md
    python scripts/readme.py --check  # exit 1 when README.md or a block is out of date (used by the tests)

A generated block lies between `<!-- begin: NAME -->` and `<!-- end: NAME -->` in a markdown cell of index.ipynb;
NAME says what fills it (see BLOCKS). README.md is index.ipynb as Markdown: markdown cells as they are, code cells
as fenced blocks without their `#|` directives. So no number in the README is typed by hand.
"""
import json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

def _dev_results():
    from fod_dadf.benchmark import results_table
    rows = json.loads((ROOT/'results'/'dev'/'results.json').read_text())
    return results_table(rows) + '\n\n' + _made_by(rows)

def _by_defect():
    from fod_dadf.benchmark import defect_table
    rows = json.loads((ROOT/'results'/'dev'/'results.json').read_text())
    return re.sub(r'^### (.+)$', r'*\1*:', defect_table(rows), flags=re.M)   # category names as labels, not README headings

def _made_by(rows):
    "One sentence on which code and libraries made the rows, and whether that is this commit's code."
    from fod_dadf.benchmark import provenance
    from fod_dadf.pipeline import code_fingerprint
    made, now = provenance(rows), code_fingerprint()
    libs = {json.dumps((r.get('config') or {}).get('libraries'), sort_keys=True) for r in rows if 'error' not in r}
    lib_text = ('; libraries: ' + ', '.join(f'{k} {v}' for k, v in json.loads(libs.pop()).items())) if len(libs) == 1 and None not in made else ''
    cpus = {(r.get('config') or {}).get('cpu') for r in rows if 'error' not in r}
    if len(cpus) == 1 and None not in cpus: lib_text += f'; CPU: {cpus.pop()} (another CPU model rounds differently in the last bits: see `07_benchmark`)'
    if list(made) == [now]:
        return f'All {len(made[now])} runs were made by this version of the code (code fingerprint `{now}`, `config.code` in each `metrics.json`){lib_text}.'
    other = {k: v for k, v in made.items() if k != now}
    return (f'**{sum(map(len, other.values()))} of {sum(map(len, made.values()))} runs were made by other code than this version\'s** '
            f'(fingerprint `{now}`): ' + '; '.join(f"`{k or 'not recorded'}`: {', '.join(v)}" for k, v in other.items()) +
            ' — delete their folders and run the benchmark again with `--skip-existing`.')

def _demo_results():
    from fod_dadf.cli import metrics_table
    f = ROOT/'results'/'demo'/'summary.json'
    if not f.exists(): return '(No demo run is recorded in `results/demo/` yet: `fod-dadf demo --out results/demo` records one.)'
    return ('The last recorded demo run (`results/demo/summary.json`):\n\n' + metrics_table(json.loads(f.read_text())))

def _selection():
    from fod_dadf.validation import rank_candidates, _key
    from fod_dadf.learner import detector_class
    lines = ['| method | chosen on validation | validation seeds | mean val_score (seed 0) | reference setting\'s val_score (seed 0) |',
             '|---|---|---|---|---|']
    refs = {'fod': dict(score='inter', level_merge='mean', pixel_sigma=0.0), 'dadf': dict(flow_noise=0.0, flow_norm_init='unit', smooth_sigma=0.0)}
    for m in ('fod', 'dadf'):
        f = ROOT/'results'/'selection'/f'{m}.json'
        if not f.exists(): continue
        ranked = rank_candidates(json.loads(f.read_text())['rows'])
        best, ref, seeds = ranked[0], refs[m], '0'
        race = ROOT/'results'/'selection'/f'{m}_seeds.json'
        if race.exists():          # a change decided under several seeds: the choice of `choose`, scored on seed 0 here
            r = json.loads(race.read_text())
            best = next(c for c in ranked if _key(c) == _key(r['choice']))
            seeds = ', '.join(map(str, r['seeds'])) + ' (a change must win under every seed)'
        same = [c for c in ranked if all({**c['run'], **c['schedule'], **c['variant']}.get(k) == v for k, v in ref.items())
                and c['schedule'] == best['schedule']]
        chosen = ', '.join(f'`{k}={v}`' for k, v in {**best['run'], **best['schedule'], **best['variant']}.items())
        refs_s = f"{same[0]['val_score']:.4f} ({', '.join(f'{k}={v}' for k, v in ref.items())})" if same else '–'
        lines.append(f"| {m} | {chosen} | {seeds} | {best['val_score']:.4f} | {refs_s} |")
        for part, label, where in (('wide', 'map', 'wider set'), ('score', 'score', 'wider set'),   # later races (scoring fields of the model above)
                                   ('imagemap', 'image score', 'wider and small-defect sets'), ('recnorm', 'errors', 'wider and small-defect sets'),
                                   ('recnoise', 'transformer input noise', 'wider and small-defect sets'),
                                   ('recstream', 'errors of which reconstruction', 'wider and small-defect sets'),
                                   ('flowcond', 'flow position code', 'wider and small-defect sets'),
                                   ('noiseshared', 'flow-input noise drawn once for all three inputs', 'wider and small-defect sets'),
                                   ('noiseshared05', 'flow-input noise drawn once, stronger', 'wider and small-defect sets'),
                                   ('diff', 'flows read prior − reconstructions', 'wider and small-defect sets'),
                                   ('shift', 'shifted copies of a small training set', 'wider and small-defect sets'),
                                   ('imagemap_auto', 'image score chosen per dataset', 'wider and small-defect sets')):
            later = ROOT/'results'/'selection'/f'{m}_{part}.json'
            if not later.exists(): continue
            w = json.loads(later.read_text())
            fmt = lambda v: ', '.join(f'`{k}={tuple(x) if isinstance(x, list) else (x if x != "" else repr(x))}`' for k, x in v.items())
            moved = list(dict.fromkeys(k for r in w['runs'] for k in r if w['incumbent']['run'].get(k) != r.get(k)))   # training fields the candidates changed
            cfg_cls = detector_class(m).Config
            trained = lambda r: {k: r.get(k, cfg_cls.older.get(k, getattr(cfg_cls(), k))) for k in moved}   # (absent: what its absence meant when raced, else the default)
            lines.append(f"| {m}, {label} | {fmt({**trained(w['choice']['run']), **w['choice']['variant']})} ({'changed' if w['changed'] else 'kept'}; {where}) | "
                         f"{', '.join(map(str, w['seeds']))} ({'won under every seed' if w['changed'] else 'a change must win under every seed'}) | "
                         f"{w['choice']['val_score']:.4f} (mean over the seeds, {where}) | "
                         f"{w['incumbent_result']['val_score']:.4f} (the preset before: {fmt({**trained(w['incumbent']['run']), **w['incumbent']['variant']})}) |")
    return '\n'.join(lines)

def _precision():
    f = ROOT/'results'/'analysis'/'precision.json'
    if not f.exists(): return '(No precision timing is recorded yet: `python scripts/precision_bench.py` records one.)'
    d = json.loads(f.read_text())
    return (f"Median seconds on {d['device']} ({d['threads']} threads, {d['machine']}, torch {d['torch']}):\n\n" + d['table'])

def _memory():
    f = ROOT/'results'/'analysis'/'memory.json'
    if not f.exists(): return '(No memory measurement is recorded yet: `python scripts/memory_bench.py` records one.)'
    d = json.loads(f.read_text())
    return (f"`fod-dadf fit`, one epoch per stage, {d['threads']} threads on {d['machine']}, training sets built from "
            f"`{Path(d['data']).name}` train/good (peak resident memory of the process):\n\n" + d['table'])

def _dadf_step():
    f = ROOT/'results'/'analysis'/'dadf_step.json'
    if not f.exists(): return '(No step timing is recorded yet: `python scripts/dadf_step_bench.py` records one.)'
    d = json.loads(f.read_text())
    return (f"| threads | parameters | step (batch {d['batch']}) | dense work | achieved | fp32 matmul rate | bf16 matmul rate | fastest possible fp32 step |\n"
            f"|---|---|---|---|---|---|---|---|\n"
            f"| {d['threads']} | {d['params_m']:.0f} M | {d['step_seconds']:.1f} s | {d['step_tflop']:.2f} TFLOP | {d['achieved_gflops']:.0f} GFLOP/s "
            f"| {d['matmul_gflops_fp32']:.0f} GFLOP/s | {d['matmul_gflops_bf16']:.1f} GFLOP/s | {d['step_seconds'] / d['fastest_possible_speedup_fp32']:.1f} s "
            f"({d['fastest_possible_speedup_fp32']:.2f}× faster) |")

BLOCKS = {'dev-results': _dev_results, 'by-defect': _by_defect, 'demo-results': _demo_results, 'selection': _selection, 'precision': _precision,
          'memory': _memory, 'dadf-step': _dadf_step}

def fill(text):
    "`text` with every generated block replaced by its current content."
    def sub(m):
        name = m.group(1)
        if name not in BLOCKS: raise SystemExit(f'unknown generated block {name!r}: known {sorted(BLOCKS)}')
        return f'<!-- begin: {name} -->\n{BLOCKS[name]()}\n<!-- end: {name} -->'
    return re.sub(r'<!-- begin: ([\w-]+) -->.*?<!-- end: \1 -->', sub, text, flags=re.S)

def to_markdown(nb):
    parts = []
    for c in nb['cells']:
        src = ''.join(c['source'])
        if c['cell_type'] == 'markdown': parts.append(src)
        elif c['cell_type'] == 'code':
            code = '\n'.join(l for l in src.splitlines() if not l.startswith('#|')).strip()
            if code: parts.append(f'```python\n{code}\n```')
    return '\n\n'.join(parts) + '\n'

def main(argv=None):
    check = '--check' in (argv if argv is not None else sys.argv[1:])
    nb_path = ROOT/'nbs'/'index.ipynb'
    nb = json.loads(nb_path.read_text())
    changed = False
    for c in nb['cells']:
        if c['cell_type'] != 'markdown': continue
        src = ''.join(c['source']); new = fill(src)
        if new != src:
            changed = True; c['source'] = new.splitlines(keepends=True)
    readme = to_markdown(nb)
    stale = changed or (ROOT/'README.md').read_text() != readme
    if check:
        if stale: print('README.md or nbs/index.ipynb is out of date: run python scripts/readme.py'); return 1
        return 0
    if changed: nb_path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
    (ROOT/'README.md').write_text(readme)
    return 0

if __name__ == '__main__': sys.exit(main())
