"""Which of DADF's maps localise the defects: each scale's likelihood map, the reconstruction-error maps, and the map smoothed.

    python scripts/dadf_scale_study.py --models results/dev/dadf --out results/analysis/dadf_scales.json

For every category of the development set with a `<models>/<category>/model.safetensors` (written by `fod-dadf benchmark`),
scores its test split once and evaluates, besides the reference's map (the unsmoothed mean of the per-scale maps), each scale's map on
its own, the local and global reconstruction-error maps `predict` returns, and the map smoothed with σ = 2, 4, 8 px, and
the model's own map (its config's `map_scales` and `smooth_sigma`). A model trained with flows at some scales only
(`flow_scales`, the cpu preset) has those scales' maps only.
These are **test** metrics of models that are already trained: they explain the benchmark table, and nothing is chosen
from them (the presets are chosen on validation data, `scripts/select_presets.py`).
"""
import argparse, json
from pathlib import Path
import torch
from fod_dadf.pipeline import load_model, split_features, write_json
from fod_dadf.metrics import evaluate
from fod_dadf.learner import smooth_maps

SHARED = Path(__file__).resolve().parent.parent.parent/'shared'/'data'
DEV = dict(bottle=SHARED/'mvtec_ad', pill=SHARED/'mvtec_ad_320px', welding=SHARED/'battery_weld', welding_denoised=SHARED/'battery_weld')

@torch.no_grad()
def maps_of(det, test, batch_size=8):
    "Every map `predict` gives for the test split, concatenated."
    det.eval(); outs = [det.predict([f[i:i + batch_size] for f in test.feats]) for i in range(0, len(test), batch_size)]
    return {k: torch.cat([o[k] for o in outs]).float() for k in ('map', 'scale_maps', 'local_error', 'global_error')}

def study(model, root, category):
    det, bb, s = load_model(model)
    own_sigma, own_scales = det.cfg.smooth_sigma, list(det.cfg.map_scales)
    det.cfg.smooth_sigma, det.cfg.map_scales = 0., ()   # 'map' is the unsmoothed mean of all scales; the σ entries smooth it
    test, _ = split_features(root, category, 'test', bb, s['size'], s['crop'], 'error', s['fit'], progress=False)
    m = maps_of(det, test)
    lv = det.flow_levels                                     # the stages that have a flow (all of them in models made before `flow_scales`)
    cands = {'map': m['map'], **{f'scale {s}': m['scale_maps'][:, j] for j, s in enumerate(lv)},
             'local error': m['local_error'], 'global error': m['global_error'],
             **{f'map, σ={g:g}': smooth_maps(m['map'], g) for g in (2., 4., 8.)}}
    own = m['scale_maps'][:, [lv.index(s) for s in own_scales] or slice(None)].mean(1)   # the model's own map, as its config scores it
    cands['own map'] = smooth_maps(own, own_sigma) if own_sigma else own
    y, gt = test.labels.numpy(), test.masks[:, 0].numpy()
    res = {}
    for name, mp in cands.items():
        r = evaluate(y, mp.flatten(1).amax(1).numpy(), gt, mp.numpy())   # image score: the map's maximum, as DADF's
        res[name] = {k: round(float(r[k]), 4) for k in ('image_auroc', 'pixel_auroc', 'aupro')}
    return res

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--models', default='results/dev/dadf'); ap.add_argument('--out', default='results/analysis/dadf_scales.json')
    a = ap.parse_args(argv)
    torch.set_num_threads(2); out = {}
    for cat, root in DEV.items():
        model = Path(a.models)/cat/'model.safetensors'
        if not model.exists(): print(f'{cat}: no {model}, skipped'); continue
        out[cat] = study(model, root, cat); print(cat, out[cat]['map'], flush=True)
    write_json(a.out, out)

if __name__ == '__main__': main()
