"""Stretch or pad? The patch-kNN baseline on the non-square development categories with both `fit` modes:
validation metrics (held-out train/good + synthetic defects) and, only reported, test metrics.

    python scripts/aspect_study.py [--out results/analysis/aspect.json]
"""
import argparse, sys
from pathlib import Path
from fod_dadf.pipeline import make_backbone, run, write_json
from fod_dadf.validation import validate

SHARED = Path(__file__).resolve().parent.parent.parent/'shared'/'data'
CATS = [SHARED/'battery_weld'/'welding', SHARED/'battery_weld'/'welding_denoised']   # the non-square categories
KEYS = ('image_auroc', 'pixel_auroc', 'aupro')

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', default='results/analysis/aspect.json'); ap.add_argument('--method', default='knn')
    a = ap.parse_args(argv)
    bb, rows = make_backbone(), []
    for folder in CATS:
        for fit in ('stretch', 'pad'):
            v = validate(a.method, folder.parent, folder.name, fit=fit, bb=bb, progress=False)['variants'][0]
            t = run(a.method, folder.parent, folder.name, fit=fit, bb=bb, progress=False, figures=False)['report']
            rows.append(dict(method=a.method, category=folder.name, fit=fit, val={k: v[k] for k in KEYS}, val_score=v['val_score'],
                             test={k: t[k] for k in KEYS}))
            print(rows[-1], flush=True)
    write_json(a.out, rows)

if __name__ == '__main__': sys.exit(main())
