"""Record the test metrics of a method's benchmark rows under a label, to follow what each preset change did on test.

    python scripts/preset_history.py --method dadf --label "depth=1" [--rev COMMIT] [--dev results/dev]
                                     [--out results/analysis/dadf_presets.json]

Reads DEV/<method>/<category>/metrics.json for every category (from the working tree, or as committed at --rev) and
adds one entry per label (replacing an entry of the same label) to OUT: the label, the commit, the settings (and the
recipe's backbone and image size) that differ from the previous entry (a field the preset sets to 'auto' reads 'auto',
each run's choice is kept beside it), the test metrics per category with their mean, and each run's fit time, test speed
and peak memory. The numbers are only reported: a
preset is chosen on validation data (`scripts/select_presets.py`), never from this file.
"""
import argparse, json, subprocess, sys
from pathlib import Path
import numpy as np
from fod_dadf.pipeline import write_json
from fod_dadf.learner import detector_class

ROOT = Path(__file__).resolve().parent.parent
METRICS = ('image_auroc', 'pixel_auroc', 'aupro')
COST = ('fit_seconds', 'ms_per_image', 'peak_rss_mb')   # what each run took (machine-dependent)
RECIPE_BEFORE = dict(backbone='tf_efficientnet_lite0', size=256)   # every cpu preset's backbone and size before entries recorded them

def _read(dev, method, rev):
    "{category: metrics dict} of the benchmark rows, from the working tree or from commit `rev`."
    if rev is None:
        return {p.parent.name: json.loads(p.read_text()) for p in sorted((ROOT/dev/method).glob('*/metrics.json'))}
    rel = (ROOT/dev/method).relative_to(ROOT).as_posix()
    ls = subprocess.run(['git', '-C', str(ROOT), 'ls-tree', '--name-only', f'{rev}:{rel}'], capture_output=True, text=True)
    if ls.returncode: sys.exit(f"{rev}:{rel} is not in the repository's history — pass a commit that has benchmark rows")
    out = {}
    for cat in ls.stdout.split():
        show = subprocess.run(['git', '-C', str(ROOT), 'show', f'{rev}:{rel}/{cat}/metrics.json'], capture_output=True, text=True)
        if show.returncode == 0: out[cat] = json.loads(show.stdout)
    return out

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--method', default='dadf'); ap.add_argument('--label', required=True)
    ap.add_argument('--rev', default=None, help='a commit to read the rows from (default: the working tree)')
    ap.add_argument('--dev', default='results/dev'); ap.add_argument('--out', default=None)
    a = ap.parse_args(argv)
    out = Path(a.out or ROOT/'results'/'analysis'/f'{a.method}_presets.json')
    rows = _read(a.dev, a.method, a.rev)
    if not rows: sys.exit(f"no {a.dev}/{a.method}/<category>/metrics.json found — run `fod-dadf benchmark` first")
    hist = json.loads(out.read_text())['entries'] if out.exists() else []
    hist = [e for e in hist if e['label'] != a.label]
    full = next(iter(rows.values()))['config']
    cfg = full.get('method', full)                  # the detector's settings (the run's own are beside them)
    auto = {c: m['auto']['choice'] for c, m in rows.items() if m.get('auto')}   # fields the preset sets to 'auto': each run's choice
    cfg = {**cfg, **{f: 'auto' for ch in auto.values() for f in ch}}           # the preset's setting is 'auto', not the first run's choice
    recipe = dict(backbone=full['backbone']['name'], size=full['size']) if 'method' in full else {}   # what the preset's recipe fixes
    prev = hist[-1]['config'] if hist else {}
    older = {k: list(v) if isinstance(v, tuple) else v for k, v in detector_class(a.method).Config.older.items()}
    prev = {**older, **prev} if prev else {}        # a field the previous preset did not have yet: the value its absence meant
    prev_recipe = hist[-1].get('recipe', RECIPE_BEFORE) if hist else {}   # entries written before recipes were recorded: lite0 at 256 px
    entry = dict(label=a.label, rev=a.rev or 'the commit that holds this file', config=cfg, recipe=recipe,
                 changed={**{k: v for k, v in cfg.items() if k in prev and prev[k] != v},
                          **{k: v for k, v in recipe.items() if k in prev_recipe and prev_recipe[k] != v}},
                 metrics={c: {k: float(m[k]) for k in METRICS} for c, m in rows.items()},
                 cost={c: {k: float(m[k]) for k in COST if k in m} for c, m in rows.items()}, **({'auto_choices': auto} if auto else {}))
    entry['mean'] = {k: float(np.mean([m[k] for m in entry['metrics'].values()])) for k in METRICS}
    write_json(out, dict(method=a.method, note='test metrics, only reported; presets are chosen on validation data',
                         entries=hist + [entry]))
    print(f"{a.label}: " + ', '.join(f"{c} {m['image_auroc']:.3f}/{m['pixel_auroc']:.3f}/{m['aupro']:.3f}"
                                     for c, m in entry['metrics'].items()) + f" → wrote {out}")

if __name__ == '__main__': sys.exit(main())
