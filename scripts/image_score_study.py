"""Why an image score fails: where the maps of good and defective test images peak, and how their scores overlap.

    python scripts/image_score_study.py --runs results/dev/{knn,fod,dadf}/{bottle,pill,welding,welding_denoised} \
        --variant 'dadf:{"score": "flow"}' --variant 'dadf:{"score": "rec"}' --out results/analysis/image_scores.json

The image score of every method here is the maximum of its anomaly map. For each run folder (written by
`fod-dadf benchmark`: model.safetensors + metrics.json, which names the data) the saved model is tested again on its
category, and this records, as test numbers that are only reported:
- every test image's score and defect type;
- for the good images: how far the map's maximum lies from the image border;
- for the defective images: whether the map's maximum lies on the defect (inside its ground-truth mask, grown by
  `--grow` pixels), i.e. whether the image score comes from the defect at all.
"""
import argparse, dataclasses, json, sys
from pathlib import Path
import numpy as np
from scipy import ndimage

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from fod_dadf.pipeline import load_model, split_features, write_json
from fod_dadf.learner import Learner

def peaks(maps):
    "(row, col) of each map's maximum."
    flat = maps.reshape(len(maps), -1).argmax(1)
    return np.stack(np.unravel_index(flat, maps.shape[1:]), 1)

def study(run_dir, grow=8, variant=None):
    met = json.loads((Path(run_dir)/'metrics.json').read_text())
    det, bb, s = load_model(Path(run_dir)/'model.safetensors')
    if variant: det.cfg = dataclasses.replace(det.cfg, **variant)    # the same trained model, read with other scoring fields
    t, _ = split_features(met['data'], met['category'], 'test', bb, s['size'], s['crop'], fit=s['fit'], progress=False)
    res = Learner(det, None, t, progress=False).evaluate()
    maps = res['maps'].numpy(); scores = res['scores'].numpy()
    masks = t.masks[:, 0].numpy() > 0.5; H, W = maps.shape[1:]
    pk = peaks(maps)
    border = np.minimum.reduce([pk[:, 0], H - 1 - pk[:, 0], pk[:, 1], W - 1 - pk[:, 1]])
    on_defect = np.array([ndimage.binary_dilation(m, iterations=grow)[r, c] if m.any() else False
                          for m, (r, c) in zip(masks, pk)])
    good = np.array([d == 'good' for d in t.defects])
    return dict(method=met['method'], category=met['category'], run=str(run_dir), variant=variant or {}, image_auroc=res['metrics']['image_auroc'],
                scores=scores.tolist(), defects=list(t.defects), peak_border_px=border.tolist(), peak_on_defect=on_defect.tolist(),
                good_peak_within_16px=float((border[good] < 16).mean()), defective_peak_on_defect=float(on_defect[~good].mean()),
                grow_px=grow, image_size=[H, W], code=met['config']['code'])

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--runs', nargs='+', required=True, help='run folders with model.safetensors and metrics.json')
    ap.add_argument('--grow', type=int, default=8, help='pixels by which a defect mask is grown when asking whether a peak lies on it')
    ap.add_argument('--variant', action='append', default=[], metavar='METHOD:JSON',
                    help='also read the runs of METHOD with these scoring fields, e.g. \'dadf:{"score": "flow"}\' (repeatable)')
    ap.add_argument('--out', required=True)
    a = ap.parse_args(argv)
    rows = []
    variants = [(m, json.loads(v)) for m, v in (x.split(':', 1) for x in a.variant)]
    todo = [(r, None) for r in a.runs] + [(r, v) for r in a.runs for m, v in variants
                                          if json.loads((Path(r)/'metrics.json').read_text())['method'] == m]
    for r, v in todo:
        rows.append(study(r, a.grow, v))
        x = rows[-1]
        print(f"{x['method']}/{x['category']} {json.dumps(x['variant']) if x['variant'] else ''}: img AUROC {x['image_auroc']:.3f}; good images peaking within 16 px of the border "
              f"{x['good_peak_within_16px']:.0%}; defective images peaking on their defect {x['defective_peak_on_defect']:.0%}", flush=True)
    write_json(a.out, rows)

if __name__ == '__main__': sys.exit(main())
