"""Does an ensemble of DADF models (training seeds) score the validation set better than its members?

    python scripts/dadf_ensemble_study.py [--val-seed 0] [--set '{"aug_shift": 0}'] [--out results/analysis/dadf_ensemble/seed0.json]

For each category of the development set, under the races' protocol (`dadf_holdout_gap.protocol`: the seeded hold-out
split of train/good, a fifth held out, and the synthetic defects of the wider and the small-defect validation sets),
the cpu preset is trained on the rest with training seeds 0, 1 and 2; each member's final maps and their mean are
scored (image score: the map's maximum, as the preset's). Only train/good is read. --set changes fields of the preset.
The files seed0–2.json were made before the cpu preset made shifted copies (`aug_shift=8`); `--set '{"aug_shift": 0}'
--out FILE` makes them again.
"""
import argparse, json, sys
from pathlib import Path
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT)); sys.path.insert(0, str(ROOT/'scripts'))
from fod_dadf.pipeline import make_recipe_backbone, write_json
from fod_dadf.learner import default_device
from fod_dadf.dadf import DADFConfig
from dadf_holdout_gap import DEV, AREAS, map_metrics, protocol, preset_model

MEMBERS = 3

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--val-seed', type=int, default=0)
    ap.add_argument('--set', default='{}', help='JSON dict of preset fields to change, e.g. \'{"aug_shift": 0}\'')
    ap.add_argument('--out', default=None, help='default: results/analysis/dadf_ensemble/seed<VAL_SEED>.json')
    a = ap.parse_args(argv)
    overrides = json.loads(a.set)
    if overrides and not a.out: ap.error('--set needs --out (the default file names are those of the plain preset)')
    recipe = DADFConfig.recipe('cpu')
    bb = make_recipe_backbone(recipe['backbone'], None, True, default_device(None), recipe, 'cpu')
    rows = []
    for root, cat in DEV:
        tr, fit_idx, _, vals, ds = protocol(root, cat, bb, recipe, a.val_seed)
        maps = [[] for _ in vals]
        for k in range(MEMBERS):
            learn = preset_model(tr, fit_idx, bb, seed=k, overrides=overrides, ds=ds)   # as the preset trains (shifted copies where it makes them)
            for j, v in enumerate(vals): maps[j].append(learn.predict(v)[0].float())
        for area, v, ms in zip(AREAS, vals, maps):
            mem = [map_metrics(v, m) for m in ms]
            ens = map_metrics(v, torch.stack(ms).mean(0))
            rows.append(dict(category=cat, val_seed=a.val_seed, area=list(area), members=mem, ensemble=ens))
            print(cat, area, 'members', [round(m['val_score'], 4) for m in mem], 'ensemble', round(ens['val_score'], 4), flush=True)
    write_json(a.out or ROOT/'results'/'analysis'/'dadf_ensemble'/f'seed{a.val_seed}.json', rows)

if __name__ == '__main__': main()
