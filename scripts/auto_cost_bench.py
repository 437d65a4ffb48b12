"""What scoring an 'auto' choice costs: every validation metric against only the two the choice is made by.

    python scripts/auto_cost_bench.py [--categories pill] [--out results/analysis/auto_cost.json]

`choose_auto` (`06_validation`) trains DADF's cpu preset on four fifths of train/good and scores the held-out fifth with
its synthetic defects under each choice. This runs that choice as `run` makes it, on all of train/good, and times each
of its two scorings (the wider set, the small-defect set) both ways on the same trained model and the same synthetic
images: with only image AUROC and AUPRO (what `val_score` reads, and what the choice now computes), and with every
validation metric (adding the pixel-wise AUROC and F1-max over every pixel). It also records the peak of the memory
numpy allocates during each (`tracemalloc`), and checks that both ways give the same two numbers. Only train/good is
read. Run it alone on the machine: it reports time.
"""
import argparse, sys, time, tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT)); sys.path.insert(0, str(ROOT/'scripts'))
import fod_dadf.validation as V
from fod_dadf.pipeline import make_recipe_backbone, split_features, write_json, code_fingerprint, cpu_model
from fod_dadf.data import MVTecDataset
from fod_dadf.learner import default_device
from fod_dadf.dadf import DADFConfig
from dadf_holdout_gap import DEV

def measured(calls):
    "`V._scored` wrapped: each call scored both ways, timed, its numpy peak traced; the light result returned."
    inner = V._scored
    def both(learn, val, variants, batch_size=8, metrics=V.VAL_METRICS):
        out = {}
        for name, ms in (('choice', metrics), ('every_metric', V.VAL_METRICS)):
            tracemalloc.start(); t0 = time.perf_counter()
            r = inner(learn, val, variants, batch_size, ms)
            out[name] = dict(seconds=time.perf_counter() - t0, numpy_peak_mb=tracemalloc.get_traced_memory()[1] / 2**20, metrics=r)
            tracemalloc.stop()
        for a, b in zip(out['choice']['metrics'], out['every_metric']['metrics']):
            assert all(a[k] == b[k] for k in a), (a, b)      # the same numbers either way
        calls.append(dict(images=len(val), pixels=int(val.masks[:, 0].numel()), **out))
        return out['choice']['metrics']
    return both

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--categories', default='pill', help='comma-separated development categories (pill: the largest set of synthetic images at 320 px)')
    ap.add_argument('--out', default=str(ROOT/'results'/'analysis'/'auto_cost.json'))
    a = ap.parse_args(argv)
    recipe = DADFConfig.recipe('cpu')
    bb = make_recipe_backbone(recipe['backbone'], None, True, default_device(None), recipe, 'cpu')
    rows = []
    for root, cat in DEV:
        if cat not in a.categories.split(','): continue
        ds = MVTecDataset(root, cat, 'train', size=recipe['size'], fit='stretch')
        tr, _ = split_features(root, cat, 'train', bb, recipe['size'], None, fit='stretch', progress=False)
        calls, plain = [], V._scored
        V._scored = measured(calls)
        try: cfg, rec = V.choose_auto('dadf', DADFConfig.preset('cpu'), bb, ds, tr)
        finally: V._scored = plain
        rows.append(dict(category=cat, choice=rec['choice'], n_fit=rec['n_fit'], n_val_normal=rec['n_val_normal'], sets=calls,
                         scoring_seconds={k: sum(c[k]['seconds'] for c in calls) for k in ('choice', 'every_metric')},
                         numpy_peak_mb={k: max(c[k]['numpy_peak_mb'] for c in calls) for k in ('choice', 'every_metric')}))
        r = rows[-1]
        print(f"{cat}: choice {rec['choice']}; scoring its two sets ({', '.join(str(c['images']) for c in calls)} images): "
              f"{r['scoring_seconds']['choice']:.0f} s with the choice's two metrics, {r['scoring_seconds']['every_metric']:.0f} s with every metric; "
              f"numpy peak {r['numpy_peak_mb']['choice']:.0f} MB against {r['numpy_peak_mb']['every_metric']:.0f} MB", flush=True)
    write_json(a.out, dict(rows=rows, code=code_fingerprint(), cpu=cpu_model()))

if __name__ == '__main__': main()
