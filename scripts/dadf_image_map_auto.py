"""Could each dataset choose DADF's image score on its own normals? A nested race of `image_map` chosen per dataset.

    python scripts/dadf_image_map_auto.py [--val-seeds 0,1,2] [--out results/analysis/dadf_image_map_auto.json]

The cpu preset takes the image score from the final map (the flows' map × the local reconstruction error), because over the
whole development set the validation protocol ranks that first. Category by category the protocol does not agree:
on bottle and pill the flows' map alone gives the higher validation image AUROC under every seed, on the welds the product.
A rule that chose `image_map` per dataset, on held-out normals and synthetic defects made from its own train/good, could
take the better of the two everywhere; this measures whether it would, without reading a test image.

For each category and outer validation seed s (the races' split, `holdout_split(n, 0.2, s)`), the rule sees only the
outer fitted images: `choose_auto` (the choice `run` makes) holds out a fifth of them (seed 0, the preset's seed), trains
the cpu preset (shifted copies included) on the rest, scores the inner held-out normals and synthetic defects (the races'
two sets: the four families, areas 0.002–0.15 and 0.0005–0.01, four per image) with `image_map=''` and
`image_map='flow'`, and keeps '' unless 'flow' has the higher mean val_score. The rule's choice is then scored on the outer validation sets with the outer model's rows of
the `aug_shift` race (`results/analysis/dadf_val_shift/seed<s>/dadf.json`: the product's rows, and the flows' map's image
AUROC with the product's AUPRO for `image_map='flow'`). Only train/good is read.

The decision follows the races' rule (`choose` in `06_validation`): the rule replaces the final map's image score only if
its mean over the 8 category × set cells beats the preset's under every outer seed. It is written, in the format of the
other races' decisions, to `results/selection/dadf_imagemap_auto.json`; `--selection-only` writes that file again from
the analysis file without training anything.
"""
import argparse, json, sys
from pathlib import Path
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT)); sys.path.insert(0, str(ROOT/'scripts'))
from fastcore.test import test_eq
from fod_dadf.pipeline import make_recipe_backbone, split_features, write_json, code_fingerprint, train_size
from fod_dadf.validation import holdout_split, val_score, choose_auto, AUTO_AREAS as AREAS
from fod_dadf.data import MVTecDataset
from fod_dadf.learner import default_device
from fod_dadf.dadf import DADFConfig
from dadf_holdout_gap import DEV

CHOICES = ({'image_map': ''}, {'image_map': 'flow'})

def outer_rows(seed):
    "val_score of both image maps per (category, area) on the outer validation sets, from the aug_shift race's rows."
    rows = json.load(open(ROOT/'results'/'analysis'/'dadf_val_shift'/f'seed{seed}'/'dadf.json'))['rows']
    prod = {(r['category'], tuple(r['val_area'])): r for r in rows if r['variant']['score'] == 'flow*rec'}
    flow = {(r['category'], tuple(r['val_area'])): r for r in rows if r['variant']['score'] == 'flow'}
    out = {}
    for k, p in prod.items():
        m = dict(image_auroc=flow[k]['image_auroc'], aupro=p['aupro'])
        out[k] = {'': p['val_score'], 'flow': val_score(m)}
    return out

def inner_choice(root, cat, bb, recipe, outer_seed):
    "The choice `run` makes (`choose_auto`), made on the outer seed's fitted images alone."
    ds = MVTecDataset(root, cat, 'train', size=recipe['size'], fit='stretch')
    tr, _ = split_features(root, cat, 'train', bb, recipe['size'], None, fit='stretch', progress=False)
    fit_idx, _ = holdout_split(len(tr), 0.2, outer_seed)
    cfg, rec = choose_auto('dadf', DADFConfig.preset('cpu'), bb, ds, tr, idx=fit_idx)
    test_eq([s['variant'] for s in rec['scores']], list(CHOICES))
    sets = lambda i: rec['scores'][i]['sets']
    return dict(category=cat, outer_seed=outer_seed, n_inner_fit=rec['n_fit'], n_inner_trained=train_size(cfg, rec['n_fit']), n_inner_val=rec['n_val_normal'],
                inner=[dict(val_area=sets(0)[j]['val_area'],
                            variants=[dict(variant=c, **{k: v for k, v in sets(i)[j].items() if k != 'val_area'}, val_score=val_score(sets(i)[j]))
                                      for i, c in enumerate(CHOICES)]) for j in range(len(AREAS))],
                inner_mean={s['variant']['image_map'] or 'final': s['val_score'] for s in rec['scores']}, choice=cfg.image_map, seconds=rec['seconds'])

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--val-seeds', default='0,1,2')
    ap.add_argument('--out', default=str(ROOT/'results'/'analysis'/'dadf_image_map_auto.json'))
    ap.add_argument('--selection', default=str(ROOT/'results'/'selection'/'dadf_imagemap_auto.json'))
    ap.add_argument('--selection-only', action='store_true', help='write the decision from --out without training')
    a = ap.parse_args(argv)
    if a.selection_only: return write_selection(json.loads(Path(a.out).read_text()), a.selection)
    recipe = DADFConfig.recipe('cpu')
    bb = make_recipe_backbone(recipe['backbone'], None, True, default_device(None), recipe, 'cpu')
    rows, summary = [], {}
    for s in [int(x) for x in a.val_seeds.split(',')]:
        outer = outer_rows(s); cells = {'': [], 'flow': [], 'rule': []}
        for root, cat in DEV:
            r = inner_choice(root, cat, bb, recipe, s)
            r['outer'] = {f'{lo}-{hi}': outer[(cat, (lo, hi))] for lo, hi in AREAS}
            rows.append(r)
            for lo, hi in AREAS:
                o = outer[(cat, (lo, hi))]
                cells[''].append(o['']); cells['flow'].append(o['flow']); cells['rule'].append(o[r['choice']])
            print(f"val seed {s} {cat}: inner {r['inner_mean']} → image_map={r['choice']!r}", flush=True)
        summary[s] = {k: float(np.mean(v)) for k, v in cells.items()}
        print(f"val seed {s}: mean of the 8 cells, final map {summary[s]['']:.4f}, flows' map {summary[s]['flow']:.4f}, per-dataset rule {summary[s]['rule']:.4f}", flush=True)
    res = dict(rows=rows, per_seed={str(k): v for k, v in summary.items()}, code=code_fingerprint())
    write_json(a.out, res); write_selection(res, a.selection)

def write_selection(res, path):
    "The race's decision in the format of the other races' (`seed_race.py`): incumbent, candidate, per-seed means, whether the preset changed."
    prev = json.loads((ROOT/'results'/'selection'/'dadf_shift.json').read_text())['choice']   # the preset the rule raced against
    seeds = sorted(int(s) for s in res['per_seed'])
    entry = lambda v, k: dict(run=prev['run'], schedule=prev['schedule'], variant=dict(prev['variant'], image_map=v),
                              per_seed={str(s): res['per_seed'][str(s)][k] for s in seeds},
                              val_score=float(np.mean([res['per_seed'][str(s)][k] for s in seeds])))
    inc, cand = entry('', ''), entry('auto', 'rule')
    changed = all(cand['per_seed'][str(s)] > inc['per_seed'][str(s)] for s in seeds)
    write_json(path, dict(method='dadf', runs=[prev['run']], incumbent={k: inc[k] for k in ('run', 'schedule', 'variant')}, seeds=seeds,
                          categories=[c for _, c in DEV], changed=changed, choice=cand if changed else inc, incumbent_result=inc,
                          winners=[cand] if changed else [], choices={f"{r['category']} (outer seed {r['outer_seed']})": r['choice'] for r in res['rows']},
                          sources=['results/analysis/dadf_image_map_auto.json', 'results/analysis/dadf_val_shift/']))
    print(f"per-dataset image score: {'changed' if changed else 'kept'} — rule {cand['val_score']:.4f} against the preset's {inc['val_score']:.4f}")

if __name__ == '__main__': main()
