"""Does DADF fit its training normals better than normals it has not seen? The transformer's discrepancy and the flows' NLL on both.

    python scripts/dadf_holdout_gap.py [--val-seed 0] [--freeze-norms] [--set '{"aug_shift": 8}'] [--categories welding,welding_denoised] [--out FILE]

The flows learn the distribution of [prior, local, global] on the training images, whose reconstructions come from a
transformer trained on those same images. If the transformer reconstructed its training images more closely than new
normal images, the flows would learn a discrepancy smaller than that of every test image, normal or not. For each
category of the development set this holds out a fifth of train/good (the validation protocol's split, `holdout_split`, seeded by --val-seed),
trains the cpu preset on the rest, and records on the fitted and on the held-out normals: the root mean square of
prior − local and prior − global at each scale with a flow, and the flows' NLL map (½ · mean z² per cell, the preset's
`scale_map='nll'`): its mean over cells and its per-image maximum, averaged over the images. It also scores the model
on the validation protocol's synthetic defects made from the held-out normals (the four families, areas 0.002–0.15 and
0.0005–0.01, four per image), as the preset races do. With --freeze-norms the flow-input LayerNorm keeps its
per-position affine at identity (1, 0) instead of training it with the flows: that affine has one weight and one bias
per channel and cell (far fewer parameters than the couplings, but each tied to one cell), and could memorise the
training normals' statistics cell by cell. --set changes fields of the preset (e.g. `{"aug_shift": 8}`: shifted copies of
the fitted normals join the training set when it is small; the "fitted" statistics stay those of the fitted images
themselves). Only train/good is read. The files seed0–2.json and frozen_norms_seed0.json were made before the cpu preset
made shifted copies (`aug_shift=8`); `--set '{"aug_shift": 0}' --out FILE` makes them again.
"""
import argparse, json, sys
from pathlib import Path
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from fod_dadf.pipeline import make_recipe_backbone, split_features, write_json, code_fingerprint, with_shifted_copies
from fod_dadf.validation import holdout_split, SyntheticValidation, val_score, VAL_METRICS, ALL_KINDS
from fod_dadf.backbone import extract_features
from fod_dadf.data import MVTecDataset
from fod_dadf.metrics import evaluate
from fod_dadf.learner import Learner, default_device
from fod_dadf.dadf import DADF, DADFConfig

DATA = ROOT.parent/'shared'/'data'
DEV = [(DATA/'mvtec_ad', 'bottle'), (DATA/'mvtec_ad_320px', 'pill'), (DATA/'battery_weld', 'welding'), (DATA/'battery_weld', 'welding_denoised')]

@torch.no_grad()
def measure(det, feats, idx, batch_size=16):
    "Discrepancy RMS and flows' NLL statistics over the images `idx` (every scale with a flow)."
    acc = {l: dict(pl=[], pg=[], nll=[]) for l in det.flow_levels}
    for i in range(0, len(idx), batch_size):
        prior = det.select([f[idx[i:i + batch_size]] for f in feats])
        p, lo, gl = det.flow_inputs(prior, det.vit(prior))
        zs, _ = det.flow(p, lo, gl)
        for l, a, b, c, z in zip(det.flow_levels, p, lo, gl, zs):
            acc[l]['pl'].append(((a - b) ** 2).mean((1, 2, 3))); acc[l]['pg'].append(((a - c) ** 2).mean((1, 2, 3)))
            acc[l]['nll'].append((0.5 * (z ** 2).mean(1)).flatten(1))
    out = {}
    for l, d in acc.items():
        pl, pg, nll = (torch.cat(d[k]) for k in ('pl', 'pg', 'nll'))
        out[str(l)] = dict(rms_prior_local=pl.mean().sqrt().item(), rms_prior_global=pg.mean().sqrt().item(),
                           nll_mean=nll.mean().item(), nll_image_max=nll.amax(1).mean().item())
    return out

AREAS = ((0.002, 0.15), (0.0005, 0.01))   # the races' validation sets: the wider one and the small-defect one

def map_metrics(val, maps):
    "Validation metrics of final maps (N, H, W), the image score each map's maximum (the preset's `image_map=''`)."
    m = evaluate(val.labels.numpy(), maps.flatten(1).amax(1).numpy(), val.masks[:, 0].numpy(), maps.numpy())
    m = {k: float(m[k]) for k in VAL_METRICS if k in m}
    return dict(m, val_score=val_score(m))

def protocol(root, category, bb, recipe, val_seed=0):
    "The races' protocol for one category: training features, the seeded hold-out split, the features of both validation sets (`AREAS`), and the training dataset."
    ds = MVTecDataset(root, category, 'train', size=recipe['size'], fit='stretch')
    tr, _ = split_features(root, category, 'train', bb, recipe['size'], None, fit='stretch', progress=False)
    fit_idx, val_idx = holdout_split(len(tr), 0.2, val_seed)
    vals = [extract_features(bb, SyntheticValidation(ds, val_idx, fit_idx, 4, ALL_KINDS, a, seed=val_seed), progress=False) for a in AREAS]
    return tr, fit_idx, val_idx, vals, ds

def preset_model(tr, fit_idx, bb, seed=0, freeze_norms=False, ds=None, overrides=None):
    "The cpu preset (training seed `seed`, `overrides` applied) trained on the fitted normals (with shifted copies from `ds` if it asks for them); returns its `Learner`."
    cfg = DADFConfig.preset('cpu', **{'seed': seed, **(overrides or {})})
    fit_f = tr.subset(fit_idx)
    if ds is not None: fit_f = with_shifted_copies(cfg, bb, ds, fit_f, fit_idx, progress=False)
    det = DADF(cfg, bb.channels, [tuple(f.shape[-2:]) for f in fit_f.feats], tuple(tr.masks.shape[-2:]))
    if freeze_norms: det.flow.norms.requires_grad_(False)    # left out of the flow stage's optimiser
    return Learner(det, fit_f, None, progress=False).fit()

def study(root, category, bb, recipe, val_seed=0, freeze_norms=False, overrides=None):
    tr, fit_idx, val_idx, vals, ds = protocol(root, category, bb, recipe, val_seed)
    learn = preset_model(tr, fit_idx, bb, freeze_norms=freeze_norms, ds=ds, overrides=overrides); det = learn.det
    a, b = measure(det, tr.feats, torch.tensor(fit_idx)), measure(det, tr.feats, torch.tensor(val_idx))
    ratio = {l: {k: b[l][k] / a[l][k] for k in a[l]} for l in a}
    val = [dict(val_area=list(ar), **map_metrics(v, learn.predict(v)[0].float())) for ar, v in zip(AREAS, vals)]
    return dict(category=category, data=str(root), val_seed=val_seed, freeze_norms=freeze_norms, overrides=overrides or {}, n_fit=len(fit_idx),
                n_trained=len(learn.train), n_held_out=len(val_idx),
                fitted=a, held_out=b, held_out_over_fitted=ratio, validation=val, config=det.cfg.to_dict())

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--val-seed', type=int, default=0)
    ap.add_argument('--freeze-norms', action='store_true', help="keep the flow-input LayerNorm's affine at identity")
    ap.add_argument('--set', default='{}', help='JSON dict of preset fields to change, e.g. \'{"aug_shift": 8}\'')
    ap.add_argument('--categories', default=None, help='comma-separated subset of the development categories (default: all four)')
    ap.add_argument('--out', default=None, help='default: results/analysis/dadf_holdout_gap/[frozen_norms_]seed<VAL_SEED>.json')
    a = ap.parse_args(argv)
    overrides = json.loads(a.set)
    if overrides and not a.out: ap.error('--set needs --out (the default file names are those of the plain preset)')
    a.out = a.out or str(ROOT/'results'/'analysis'/'dadf_holdout_gap'/f"{'frozen_norms_' if a.freeze_norms else ''}seed{a.val_seed}.json")
    recipe = DADFConfig.recipe('cpu')
    bb = make_recipe_backbone(recipe['backbone'], None, True, default_device(None), recipe, 'cpu')
    rows = []
    for root, cat in DEV:
        if a.categories and cat not in a.categories.split(','): continue
        r = study(root, cat, bb, recipe, a.val_seed, a.freeze_norms, overrides); rows.append(r)
        for l, q in r['held_out_over_fitted'].items():
            print(f"{cat} stage {l} ({r['n_fit']} fitted, {r['n_held_out']} held out), held out / fitted: RMS prior−local {q['rms_prior_local']:.3f}, "
                  f"prior−global {q['rms_prior_global']:.3f}; flows' NLL mean {q['nll_mean']:.3f}, image max {q['nll_image_max']:.3f}; "
                  "val_score " + ' / '.join(f"{v['val_score']:.4f}" for v in r['validation']), flush=True)
    write_json(a.out, dict(rows=rows, freeze_norms=a.freeze_norms, val_seed=a.val_seed, **({'overrides': overrides} if overrides else {}), code=code_fingerprint()))

if __name__ == '__main__': main()
