"""Choose the `cpu` presets' open settings on validation data only (held-out train/good + synthetic defects).

    python scripts/select_presets.py --method fod --out results/selection [--data ROOT/CATEGORY ...]

For every development category, trains the method once with the longest candidate schedule, scores every scoring
variant at the epochs that the candidate schedules end on (a learner callback), and writes
OUT/<method>.json (every category, candidate and validation metric) and OUT/<method>.md (candidates ranked by the
mean `val_score` over the categories). No test image is read.
"""
import argparse, json, sys, time
from pathlib import Path
import numpy as np
from fod_dadf.learner import stage_epochs, detector_class
from fod_dadf.validation import validate, holdout_split, val_score, ranking_table, SYNTHESIZERS, DEFAULT_KINDS, DEFAULT_AREA, VAL_METRICS
from fod_dadf.pipeline import make_backbone, write_json, code_fingerprint, library_versions, train_size
from fod_dadf.data import MVTecDataset

SHARED = Path(__file__).resolve().parent.parent.parent/'shared'/'data'
DEV = [SHARED/'mvtec_ad'/'bottle', SHARED/'mvtec_ad_320px'/'pill', SHARED/'battery_weld'/'welding', SHARED/'battery_weld'/'welding_denoised']

OLD_PROTOCOL = dict(val_kinds=list(DEFAULT_KINDS), val_area=list(DEFAULT_AREA), per_image=2)   # what runs recorded before they named it

def protocol_of(r):
    "The validation protocol (defect kinds, areas, anomalies per image) a row or run was scored under, as a hashable key."
    return tuple(json.dumps(list(r.get(k, d)) if isinstance(d, list) else r.get(k, d)) for k, d in OLD_PROTOCOL.items())

def read_results(f):
    "An output file of this script, every row and run carrying its validation seed (older files name one seed per file)."
    d = json.loads(Path(f).read_text())
    for r in d['rows'] + d.get('runs', []): r.setdefault('val_seed', d.get('val_seed', 0))
    return d

def _raced_at(runs, **base):
    "Candidates with the settings they were raced at made explicit: `base` where a candidate does not set the field."
    return [{**{k: v for k, v in base.items() if k not in r}, **r} for r in runs]

# DADF's candidates are scored under maps of every scale (scoring variants), so every scale keeps its flow while they
# train, whatever the preset trains (these runs were all made with a flow per scale)
FIXED = {'dadf': dict(flow_scales=())}

# DADF's shifted copies (`aug_shift`) became the preset after the runs listed before run 34 were raced without them: those
# runs train without copies still, so that they stay the runs they were (their recorded rows do not name the field).
# Likewise `image_map='auto'` (chosen per dataset, `scripts/dadf_image_map_auto.py`) came after every run listed here:
# they score with the final map's maximum unless their variants say otherwise, and train no model to choose it
UNSET_THEN = {'dadf': lambda k: dict(aug_shift=0, image_map='') if k < 34 else dict(image_map='') if k < 35 else {}}

# candidates: training runs (config overrides), schedules read off the validation curve, scoring variants
SPACE = {
    'fod': dict(runs=[dict()],
                longest=dict(epochs=24, min_steps=800),
                schedules=[dict(epochs=e, min_steps=m) for e in (6, 12, 18, 24) for m in (0, 200, 400, 800)],
                stage=('epochs', 'min_steps', 'batch_size', False),
                variants=[dict(score='rec', level_merge='geo', pixel_sigma=0.), dict(score='rec', level_merge='geo', pixel_sigma=4.),
                          dict(score='rec', level_merge='mean', pixel_sigma=0.), dict(score='inter', level_merge='mean', pixel_sigma=0.)]),
    # DADF's candidates change settings of the cpu preset; `depth` was 2 in the preset they were raced against, so
    # those that do not set it name depth=2, and stay the runs they were when the default changes
    'dadf': dict(runs=_raced_at([dict(flow_noise=0.0, flow_norm_init='unit'), dict(flow_noise=0.1, flow_norm_init='unit'),
                       dict(flow_noise=0.1, flow_norm_init='data'),
                       # the prior embeddings: without the stride-4 scale, and/or locally averaged as knn and FOD do
                       dict(flow_noise=0.1, flow_norm_init='unit', levels=(1, 2)),
                       dict(flow_noise=0.1, flow_norm_init='unit', levels=(1, 2), prior_pool=3),
                       dict(flow_noise=0.1, flow_norm_init='unit', prior_pool=3),
                       # more capacity in the flows' subnets (FastFlow's), or a longer reconstruction stage
                       dict(flow_noise=0.1, flow_norm_init='unit', flow_subnet='conv'),
                       dict(flow_noise=0.1, flow_norm_init='unit', rec_min_steps=520),
                       # against over-fitting a few dozen normals: stronger input noise, or half the coupling blocks
                       dict(flow_noise=0.3, flow_norm_init='unit'),
                       dict(flow_noise=0.1, flow_norm_init='unit', flow_blocks=4),
                       dict(flow_noise=0.5, flow_norm_init='unit'),
                       # a larger transformer (the published one is 480 wide per scale and 8 blocks deep): wider, or deeper
                       dict(flow_noise=0.3, flow_norm_init='unit', embed_dim=64),
                       dict(flow_noise=0.3, flow_norm_init='unit', depth=4),
                       # the memory stream with weights of its own (the reference shares them with the patch stream)
                       dict(flow_noise=0.3, flow_norm_init='unit', separate_streams=True),
                       # or a smaller one: narrower, or a single block
                       dict(flow_noise=0.3, flow_norm_init='unit', embed_dim=16),
                       dict(flow_noise=0.3, flow_norm_init='unit', depth=1),
                       # the preset's model on locally averaged prior embeddings (as knn and FOD average theirs)
                       dict(flow_noise=0.3, flow_norm_init='unit', depth=1, prior_pool=3),
                       # the preset's model with more capacity where the stride-16 map comes from: wider tokens, FastFlow's
                       # two-convolution subnets in the flows, a longer reconstruction stage; or against over-fitting, half the blocks
                       dict(flow_noise=0.3, flow_norm_init='unit', depth=1, embed_dim=64),
                       dict(flow_noise=0.3, flow_norm_init='unit', depth=1, flow_subnet='conv'),
                       dict(flow_noise=0.3, flow_norm_init='unit', depth=1, rec_min_steps=520),
                       dict(flow_noise=0.3, flow_norm_init='unit', depth=1, flow_blocks=4),
                       # the preset's model on larger images: the stride-16 map gets 20 × 20 cells instead of 16 × 16
                       dict(flow_noise=0.3, flow_norm_init='unit', depth=1, size=320),
                       # against the flows over-fitting a few dozen normals, once more under the stride-16 map: stronger
                       # input noise; or no stride-4 prior, which the stride-16 map never reads but the transformer does
                       dict(flow_noise=0.5, flow_norm_init='unit', depth=1),
                       dict(flow_noise=0.3, flow_norm_init='unit', depth=1, levels=(1, 2)),
                       # the larger images again, raced at the preset's own map: only the stride-16 flow is trained
                       dict(flow_noise=0.3, flow_norm_init='unit', depth=1, size=320, flow_scales=(2,)),
                       # the stronger flow-input noise again, raced at the preset's own map: only the stride-16 flow is trained
                       dict(flow_noise=0.5, flow_norm_init='unit', depth=1, flow_scales=(2,)),
                       # the preset's own model (stride-16 flow only), to score it with the reconstruction errors (`score` variants)
                       dict(flow_noise=0.3, flow_norm_init='unit', depth=1, flow_scales=(2,)),
                       # the preset's model, its transformer trained to reconstruct the clean prior from a noisy copy: against
                       # reconstructing real defects as faithfully as normal material (the errors' weakness at image level)
                       dict(flow_noise=0.3, flow_norm_init='unit', depth=1, flow_scales=(2,), rec_noise=0.3),
                       # ... and with noise as large as each prior tensor's own spread
                       dict(flow_noise=0.3, flow_norm_init='unit', depth=1, flow_scales=(2,), rec_noise=1.0),
                       # the preset's model, its flow told where each cell is: a fixed sin-cos position code read by every
                       # coupling subnet (CFlow's conditioning; the reference flow has none)
                       dict(flow_noise=0.3, flow_norm_init='unit', depth=1, flow_scales=(2,), flow_cond=32),
                       # the preset's model, its flow-input noise drawn once for the prior and both reconstructions: the
                       # noise still keeps the flows off the training images' exact features, but no longer blurs the discrepancy
                       dict(flow_noise=0.3, flow_norm_init='unit', depth=1, flow_scales=(2,), flow_noise_shared=True),
                       # ... and stronger: once the draw leaves the discrepancy alone, only over-fitting limits the noise
                       dict(flow_noise=0.5, flow_norm_init='unit', depth=1, flow_scales=(2,), flow_noise_shared=True),
                       # the preset's model, its flows handed the discrepancy itself, [prior, prior − local, prior − global],
                       # instead of [prior, local, global]: with the preset's independent noise, and with one shared draw
                       dict(flow_noise=0.3, flow_norm_init='unit', depth=1, flow_scales=(2,), flow_inputs='diff'),
                       dict(flow_noise=0.3, flow_norm_init='unit', depth=1, flow_scales=(2,), flow_inputs='diff', flow_noise_shared=True),
                       # the preset's model, a small training set (the welds' 30) widened by eight copies of each image shifted by
                       # 8 px: against the flows over-fitting a few dozen normals (the hold-out study), more normal material, not noise
                       dict(flow_noise=0.3, flow_norm_init='unit', depth=1, flow_scales=(2,), aug_shift=8)], depth=2),
                 longest=dict(flow_epochs=14, flow_min_steps=180),
                 schedules=[dict(flow_epochs=e, flow_min_steps=m) for e in (4, 7, 14) for m in (0, 90, 180)],
                 stage=('flow_epochs', 'flow_min_steps', 'flow_batch_size', True),
                 variants=[dict(score='flow', smooth_sigma=s, scale_map=k) for k in ('prob', 'nll') for s in (0., 4.)]),
}

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--method', required=True, choices=sorted(SPACE))
    ap.add_argument('--data', nargs='*', default=None, help='category folders (default: the development set in ../shared/data)')
    ap.add_argument('--out', default='results/selection')
    ap.add_argument('--val-seed', type=int, default=0)
    ap.add_argument('--part', default=None, help='write OUT/<method>.<PART>.json (to split the work over processes), skipping runs done in any part')
    ap.add_argument('--merge', action='store_true', help='only merge OUT/<method>.json and its parts, then rank the rows of the protocol that --kinds, --area and --per-image name')
    ap.add_argument('--runs', default=None, help='comma-separated indices of the training candidates to run (default: all)')
    ap.add_argument('--upto', type=int, default=None, help='only the schedules whose minimum steps are at most this (shorter training runs)')
    ap.add_argument('--final-only', action='store_true', help='score only at the end of the longest schedule (after --upto): nothing mid-training, for races of scoring variants at the preset\'s schedule')
    ap.add_argument('--kinds', default=','.join(DEFAULT_KINDS), help=f'validation defect families, comma-separated, among {sorted(SYNTHESIZERS)}')
    ap.add_argument('--area', default=','.join(map(str, DEFAULT_AREA)), help='validation defect area range, as fractions of the image: LO,HI')
    ap.add_argument('--per-image', type=int, default=2, help='synthetic anomalies per held-out image')
    ap.add_argument('--more-area', action='append', default=[], help='also score the final model on the defects of this area range (LO,HI; repeatable): rows of that protocol, at the schedules that end with the run')
    ap.add_argument('--variants', default=None, help="JSON list of scoring variants to score instead of the method's (e.g. '[{\"smooth_sigma\": 8.0}]')")
    a = ap.parse_args(argv)
    kinds, area = a.kinds.split(','), [float(x) for x in a.area.split(',')]
    more = [[float(x) for x in m.split(',')] for m in a.more_area]
    if a.variants: SPACE[a.method] = dict(SPACE[a.method], variants=json.loads(a.variants))
    protocol = dict(val_kinds=kinds, val_area=area, per_image=a.per_image)
    out = Path(a.out)
    parts = sorted(out.glob(f'{a.method}.*.json')) + ([out/f'{a.method}.json'] if (out/f'{a.method}.json').exists() else [])
    done_rows, done_runs = [], []
    for f in parts:
        d = read_results(f)
        done_rows += d['rows']; done_runs += d.get('runs', [])
    Config = detector_class(a.method).Config
    defaults, before = Config(), Config.older          # variants recorded before a scoring field existed: the value its absence
                                                       # meant (`Config.older`), else the field's default
    vkeys = {k for v in SPACE[a.method]['variants'] for k in v}
    for v in [r['variant'] for r in done_rows] + [v for r in done_runs for v in r.get('variants', [])]:
        for k in vkeys: v.setdefault(k, before.get(k, getattr(defaults, k)))
    done_rows, done_runs = _latest(done_rows, done_runs)
    done = {(r['category'], json.dumps(r['run'], sort_keys=True)): {json.dumps(v, sort_keys=True) for v in r.get('variants', [])}
            for r in done_runs if r['val_seed'] == a.val_seed and protocol_of(r) == protocol_of(protocol)}
    if a.merge:
        cats = list(dict.fromkeys(r['category'] for r in (done_runs or done_rows)))
        seeds = sorted({r['val_seed'] for r in done_rows})
        write_json(out/f'{a.method}.json', dict(method=a.method, categories=cats, rows=done_rows, runs=done_runs,
                                                val_seed=seeds[0] if len(seeds) == 1 else seeds))
        for f in parts:
            if f.name != f'{a.method}.json': f.unlink()
        return _rank(a, cats, [r for r in done_rows if protocol_of(r) == protocol_of(protocol)])   # a folder may hold several protocols
    sp, cats = SPACE[a.method], [Path(p) for p in (a.data or DEV)]
    e_key, m_key, b_key, drop = sp['stage']
    if a.upto is not None:
        sp = dict(sp, schedules=[s for s in sp['schedules'] if s[m_key] <= a.upto], longest={**sp['longest'], m_key: a.upto})
    if a.final_only: sp = dict(sp, schedules=[sp['longest']])
    bb, rows, runs, t0 = make_backbone(), [], [], time.perf_counter()
    for folder in cats:
        n = len(MVTecDataset(folder.parent, folder.name, 'train'))
        n_fit = len(holdout_split(n, seed=a.val_seed)[0])
        for k, run in enumerate(sp['runs']):
            if a.runs is not None and str(k) not in a.runs.split(','): continue
            have = done.get((folder.name, json.dumps(run, sort_keys=True)), set())
            if {json.dumps(v, sort_keys=True) for v in sp['variants']} <= have:
                print(f'== {folder.name} {run}: done before, skipped'); continue
            model = {f: v for f, v in run.items() if f != 'size'}          # a candidate may set the image size (validate's default: 256 px), not a model field
            model = {**UNSET_THEN.get(a.method, lambda k: {})(k), **model}   # fields a candidate left unset, as they were when it was raced
            cfg = detector_class(a.method).Config.preset('cpu', **model, **sp['longest'])
            bs = getattr(cfg, b_key)
            ends = {tuple(s.items()): stage_epochs(train_size(cfg, n_fit), bs, s[e_key], s[m_key], drop) for s in sp['schedules']}   # shifted copies count
            print(f'== {a.method} {folder.name} {run} n_fit={n_fit}: scoring at epochs {sorted(set(ends.values()))}', flush=True)
            v = validate(a.method, folder.parent, folder.name, overrides={**FIXED.get(a.method, {}), **model, **sp['longest']}, variants=sp['variants'],
                         **({'size': run['size']} if 'size' in run else {}),
                         eval_every=sorted(set(ends.values())), val_seed=a.val_seed, kinds=kinds, area=area,
                         per_image=a.per_image, more_areas=more, bb=bb, progress=False)
            at = {h['epoch']: h['val'] for h in v['history'] if 'val' in h}
            runs.append(dict(category=folder.name, val_seed=a.val_seed, **protocol, run=run, config=v['config'], n_fit=v['n_fit'], n_val_normal=v['n_val_normal'],
                             n_val_anomalous=v['n_val_anomalous'], fit_seconds=v['fit_seconds'], variants=sp['variants'],
                             code=code_fingerprint(), libraries=library_versions(), history=v['history']))
            for sched, ep in ends.items():
                for var, m in zip(sp['variants'], at[ep]):
                    rows.append(dict(category=folder.name, val_seed=a.val_seed, **protocol, run=run, schedule=dict(sched), epochs_run=ep, variant=var, **m,
                                     val_score=val_score(m)))
            last = max(ends.values())
            for extra in v['more']:                       # the same model on other validation defects: only its final state was scored
                proto = dict(protocol, val_area=extra['val_area'])
                runs.append(dict(runs[-1], **proto, history=[]))
                for sched, ep in ends.items():
                    if ep != last: continue
                    for r in extra['variants']:
                        m = {k: r[k] for k in VAL_METRICS if k in r}
                        rows.append(dict(category=folder.name, val_seed=a.val_seed, **proto, run=run, schedule=dict(sched), epochs_run=ep, variant=r['variant'], **m,
                                         val_score=val_score(m)))
            print(f'   fit {v["fit_seconds"]:.0f} s; at the end: ' + '; '.join(f"{r['variant']}: {r['val_score']:.3f}" for r in v['variants']), flush=True)
            write_json(out/(f'{a.method}.{a.part}.json' if a.part else f'{a.method}.json'), dict(method=a.method, categories=[c.name for c in cats], rows=rows, runs=runs,
                                                             seconds=time.perf_counter() - t0, val_seed=a.val_seed, **protocol))
    if a.part: return 0
    return _rank(a, [c.name for c in cats], rows)

def _latest(rows, runs):
    "Where one (category, seed, protocol, training candidate) was run more than once, keep the run that scored the most variants."
    key = lambda r: (r['category'], r.get('val_seed', 0), protocol_of(r), json.dumps(r['run'], sort_keys=True))
    best = {}
    for r in runs:
        if key(r) not in best or len(r.get('variants', [])) > len(best[key(r)].get('variants', [])): best[key(r)] = r
    keep = {k: {json.dumps(v, sort_keys=True) for v in r.get('variants', [])} for k, r in best.items()}
    rows = [x for x in rows if key(x) not in keep or json.dumps(x['variant'], sort_keys=True) in keep[key(x)]]
    seen, out = set(), []
    for x in reversed(rows):                      # one row per (category, run, schedule, variant): the latest
        k = (key(x), json.dumps(x['schedule'], sort_keys=True), json.dumps(x['variant'], sort_keys=True))
        if k not in seen: seen.add(k); out.append(x)
    return out[::-1], list(best.values())

def _rank(a, cats, rows):
    lines = [f'# Validation ranking of {a.method} candidates', '',
             f'Mean validation metrics (held-out train/good + synthetic defects, validation seed(s) {sorted({r.get("val_seed", 0) for r in rows})}) '
             'over the categories and seeds in which every training candidate was run; the last columns give each of those '
             'categories\' val_score (and, with several seeds, the mean over categories under each seed).', '', ranking_table(rows, top=25)]
    Path(a.out).mkdir(parents=True, exist_ok=True)
    (Path(a.out)/f'{a.method}.md').write_text('\n'.join(lines) + '\n')
    print('\n'.join(lines))

if __name__ == '__main__': sys.exit(main())
