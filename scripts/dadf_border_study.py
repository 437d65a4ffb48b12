"""Where DADF's flows place their highest NLL: per-scale mean NLL maps of the training normals and where the maxima of the test maps lie.

    python scripts/dadf_border_study.py --models results/dev/dadf --label unit --out results/analysis/dadf_border.json

For every `<models>/<category>/model.safetensors` (written by `fod-dadf benchmark`), records without reading any test
label: the mean per-pixel NLL (0.5·mean_c z²) of the training images at each scale, on the outermost ring of feature cells
and inside it, the bottom-right cell, and the share of test images whose anomaly-map maximum lies within 16 px of the
image border. Results of several runs (`--label`) are kept side by side in the JSON.
"""
import argparse, json, sys
from pathlib import Path
import numpy as np
import torch
from fod_dadf.pipeline import load_model, split_features
from fod_dadf.dadf_flow import likelihood_maps
from fod_dadf.learner import atomic_write

@torch.no_grad()
def nll_maps(det, feats, batch_size=8):
    "Per scale, (N, h, w) maps of 0.5·mean_c z² and the (N, H, W) anomaly maps."
    det.eval(); q, maps = None, []
    for i in range(0, feats[0].shape[0], batch_size):
        f = [x[i:i + batch_size] for x in feats]
        prior = det.select(f); rec = det.vit(prior)
        zs, _ = det.flow(prior, rec['local'], rec['global'])
        qs = [0.5 * z.pow(2).mean(1) for z in zs]
        q = [[t] for t in qs] if q is None else [a + [t] for a, t in zip(q, qs)]
        maps.append(likelihood_maps(zs, det.image_size, det.cfg.smooth_sigma)['map'])   # the map `predict` gives, from the same pass
    return [torch.cat(a) for a in q], torch.cat(maps)

def study(model, band=16):
    det, bb, s = load_model(model)
    info = json.loads((Path(model).parent/'metrics.json').read_text())
    root, cat = info['data'], info['category']
    res = dict(category=cat, flow_norm_init=det.cfg.flow_norm_init, scales=[])
    tr, _ = split_features(root, cat, 'train', bb, s['size'], s['crop'], 'error', s['fit'], progress=False)
    qs, _ = nll_maps(det, tr.feats)
    for q in qs:
        h, w = q.shape[1:]; ring = torch.zeros(h, w, dtype=torch.bool); ring[0] = ring[-1] = ring[:, 0] = ring[:, -1] = True
        m = q.mean(0)
        res['scales'].append(dict(grid=[h, w], interior=float(m[~ring].mean()), ring=float(m[ring].mean()),
                                  bottom_right=float(m[-1, -1])))
    res['scales'][0]['mean_map'] = [[round(v, 3) for v in row] for row in qs[0].mean(0).tolist()]   # the finest scale's map, for the figure
    te, _ = split_features(root, cat, 'test', bb, s['size'], s['crop'], 'error', s['fit'], progress=False)
    _, maps = nll_maps(det, te.feats)
    H, W = maps.shape[1:]; am = maps.flatten(1).argmax(1); r, c = am // W, am % W
    res['test_max_near_border'] = float(((r < band) | (r >= H - band) | (c < band) | (c >= W - band)).float().mean())
    res['border_band_px'] = band; res['image_size'] = [H, W]
    res['metrics'] = {k: info[k] for k in ('image_auroc', 'pixel_auroc', 'aupro')}
    return res

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--models', default='results/dev/dadf'); ap.add_argument('--label', required=True)
    ap.add_argument('--out', default='results/analysis/dadf_border.json')
    a = ap.parse_args(argv)
    out = Path(a.out); old = json.loads(out.read_text()) if out.exists() else {}
    rows = []
    for m in sorted(Path(a.models).glob('*/model.safetensors')):
        r = study(m); rows.append(r)
        print(f"{r['category']:18s} {a.label}: " + '; '.join(f"s{k} ring {s['ring']:.2f} / interior {s['interior']:.2f} / BR {s['bottom_right']:.2f}" for k, s in enumerate(r['scales']))
              + f"; test maxima near border {r['test_max_near_border']:.2f}", flush=True)
    old[a.label] = rows
    atomic_write(out, lambda tmp: Path(tmp).write_text(json.dumps(old)))   # compact: it holds maps

if __name__ == '__main__': sys.exit(main())
