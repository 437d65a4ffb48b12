"""Describe the development categories the way the methods see them: image sizes and aspect ratios, colour, and how
well a position-aligned reference fits them (FOD's `position_r2` of the training features, per level).

    python scripts/dataset_diagnostics.py [--data CATEGORY_FOLDER ...] [--out results/analysis/dev.json]
"""
import argparse, json, sys
from pathlib import Path
import numpy as np
from PIL import Image
from fod_dadf.data import MVTecDataset
from fod_dadf.backbone import extract_features
from fod_dadf.fod import position_r2
from fod_dadf.pipeline import make_backbone, write_json

SHARED = Path(__file__).resolve().parent.parent.parent/'shared'/'data'
DEV = [SHARED/'mvtec_ad'/'bottle', SHARED/'mvtec_ad_320px'/'pill', SHARED/'battery_weld'/'welding', SHARED/'battery_weld'/'welding_denoised']

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--data', nargs='*', default=None); ap.add_argument('--out', default='results/analysis/dev.json')
    a = ap.parse_args(argv)
    bb, rows = make_backbone(), []
    for folder in [Path(p) for p in (a.data or DEV)]:
        ds = MVTecDataset(folder.parent, folder.name, 'train')
        sizes, grey = [], 0
        for p in ds.paths:
            with Image.open(p) as im:
                sizes.append(im.size); grey += im.mode in ('L', 'I', 'I;16', 'F', '1')
        w, h = np.array(sizes).T
        f = extract_features(bb, ds, progress=False)
        rows.append(dict(category=folder.name, n_train=len(ds), width=[int(w.min()), int(w.max())], height=[int(h.min()), int(h.max())],
                         aspect_w_over_h=[float((w / h).min()), float((w / h).max())], grayscale_fraction=grey / len(ds),
                         position_r2={f'level{l}': position_r2(f.feats[l]) for l in (1, 2)}))
        print(rows[-1], flush=True)
    write_json(a.out, rows)

if __name__ == '__main__': sys.exit(main())
