"""Does an ensemble of DADF models (training seeds) score the validation set better than its members?

    python scripts/dadf_ensemble_study.py VAL_SEED OUT.json

For each category of the development set: the validation protocol's split of train/good (`holdout_split`, a fifth held
out) and its synthetic defects (the four families, areas 0.002–0.15 and 0.0005–0.01, four per held-out image, seeded by
VAL_SEED), the cpu preset trained on the rest with training seeds 0, 1 and 2; each member's final maps and their mean
are scored (image score: the map's maximum, as the preset's). Only train/good is read.
"""
import sys, json, torch, numpy as np
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from fod_dadf.pipeline import make_recipe_backbone, split_features
from fod_dadf.validation import holdout_split, SyntheticValidation, val_score, VAL_METRICS
from fod_dadf.backbone import extract_features
from fod_dadf.data import MVTecDataset
from fod_dadf.metrics import evaluate
from fod_dadf.learner import Learner, default_device
from fod_dadf.dadf import DADF, DADFConfig
D = Path(__file__).resolve().parent.parent.parent/'shared'/'data'
cats = [(D/'mvtec_ad','bottle'),(D/'mvtec_ad_320px','pill'),(D/'battery_weld','welding'),(D/'battery_weld','welding_denoised')]
vs = int(sys.argv[1]); K = 3; out = sys.argv[2]
kinds = ['cut_paste','blend','warp','shade']; areas = [(0.002,0.15),(0.0005,0.01)]
rec = DADFConfig.recipe('cpu')
bb = make_recipe_backbone(rec['backbone'], None, True, default_device(None), rec, 'cpu')
def metr(val, maps):
    sc = maps.flatten(1).amax(1)
    m = evaluate(val.labels.numpy(), sc.numpy(), val.masks[:,0].numpy(), maps.numpy())
    m = {k: float(m[k]) for k in VAL_METRICS if k in m}; m['val_score'] = val_score(m); return m
rows = []
for root, cat in cats:
    ds = MVTecDataset(root, cat, 'train', size=rec['size'], fit='stretch')
    tr, _ = split_features(root, cat, 'train', bb, rec['size'], None, fit='stretch', progress=False)
    fi, vi = holdout_split(len(ds), 0.2, vs)
    vals = [extract_features(bb, SyntheticValidation(ds, vi, fi, 4, kinds, a, seed=vs), progress=False) for a in areas]
    fit_f = tr.subset(fi); maps = [[] for _ in areas]
    for k in range(K):
        det = DADF(DADFConfig.preset('cpu', seed=k), bb.channels, [tuple(f.shape[-2:]) for f in fit_f.feats], tuple(tr.masks.shape[-2:]))
        learn = Learner(det, fit_f, None, progress=False).fit()
        for j, v in enumerate(vals): maps[j].append(learn.predict(v)[0].float())
    for j, (a, v) in enumerate(zip(areas, vals)):
        mem = [metr(v, m) for m in maps[j]]
        ens = metr(v, torch.stack(maps[j]).mean(0))
        row = dict(category=cat, val_seed=vs, area=list(a), members=mem, ensemble=ens)
        print(cat, a, [round(m['val_score'],4) for m in mem], 'mean', round(np.mean([m['val_score'] for m in mem]),4), 'ens', round(ens['val_score'],4), flush=True)
        rows.append(row)
json.dump(rows, open(out,'w'), indent=1)
