"""Decide a preset change under several validation seeds: keep the incumbent unless a candidate beats it under every seed.

    python scripts/seed_race.py --method dadf --runs 1,8,15 --incumbent 1 \
        --schedule '{"flow_epochs": 14, "flow_min_steps": 90}' --variant '{"smooth_sigma": 0.0, "scale_map": "prob"}' \
        --rows results/selection/dadf.json results/analysis/dadf_val_seeds/seed1.json results/analysis/dadf_val_seeds/seed2.json \
        --out results/selection/dadf_seeds.json

`--at-schedule` keeps only the rows at the incumbent's schedule, to race scoring variants of the same trained models.
`--protocol-cells` races rows scored under several validation protocols (e.g. `select_presets.py --more-area`): each
category × protocol counts as one validation cell, so a seed's score is the mean over all of them.
`--runs` and `--incumbent` are indices of training candidates in `scripts/select_presets.py`'s SPACE; the rows come
from its output files, one or more validation seeds each (`--val-seed`). Writes OUT (the rows used, the ranking over
categories × seeds, the incumbent and the choice of `fod_dadf.validation.choose`) and OUT with `.md` (the table).
No test image is read.
"""
import argparse, json, sys
from pathlib import Path
from fod_dadf.validation import choose, ranking_table
from fod_dadf.pipeline import write_json
sys.path.insert(0, str(Path(__file__).resolve().parent))
from select_presets import SPACE, read_results, protocol_of

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--method', required=True, choices=sorted(SPACE))
    ap.add_argument('--runs', required=True, help='comma-separated indices of the training candidates compared')
    ap.add_argument('--incumbent', type=int, required=True, help='index of the training candidate of the current preset')
    ap.add_argument('--schedule', required=True, help="the current preset's schedule, as JSON")
    ap.add_argument('--variant', required=True, help="the current preset's scoring variant, as JSON")
    ap.add_argument('--rows', nargs='+', required=True, help='output files of select_presets.py')
    ap.add_argument('--at-schedule', action='store_true', help="race scoring variants only: keep the rows at the incumbent's schedule")
    ap.add_argument('--protocol-cells', action='store_true', help='allow several validation protocols: each category × protocol is one cell of the mean')
    ap.add_argument('--out', required=True)
    a = ap.parse_args(argv)
    space = SPACE[a.method]['runs']
    runs = [space[int(k)] for k in a.runs.split(',')]
    same = {json.dumps(r, sort_keys=True) for r in runs}   # a tuple in SPACE is a list once read back from JSON
    rows, protocols = [], {}                       # protocol -> the first file that holds it
    for f in a.rows:
        for r in read_results(f)['rows']:
            if json.dumps(r['run'], sort_keys=True) in same and (not a.at_schedule or r['schedule'] == json.loads(a.schedule)):
                rows.append(r); protocols.setdefault(protocol_of(r), f)
    if a.protocol_cells:                           # one cell per category × protocol, named by the protocol's area range
        rows = [dict(r, category=f"{r['category']} @ {'-'.join(f'{x:g}' for x in r['val_area'])}") for r in rows]
    elif len(protocols) > 1:
        raise SystemExit(f"the rows were scored under {len(protocols)} validation protocols (e.g. {' and '.join(protocols.values())}) — race one protocol at a time")
    incumbent = json.loads(json.dumps(dict(run=space[a.incumbent], schedule=json.loads(a.schedule), variant=json.loads(a.variant))))   # as the rows read it
    c = choose(rows, incumbent)
    table = ranking_table(rows, top=12)
    out = Path(a.out)
    write_json(out, dict(method=a.method, runs=runs, incumbent=incumbent, seeds=c['seeds'],
                         categories=list(c['incumbent']['per_category']), changed=c['changed'], choice=c['choice'],
                         incumbent_result=c['incumbent'], winners=c['winners'], ranked=c['ranked'], rows=rows, sources=a.rows))
    pick = c['choice']
    fmt = lambda d: ', '.join(f'{k}={v}' for k, v in d.items()) or 'preset'     # an empty training candidate is the preset itself
    lines = [f'# {a.method}: a preset change decided under validation seeds {c["seeds"]}', '',
             f"Incumbent: {fmt(incumbent['run'])} | {fmt(incumbent['schedule'])} | {fmt(incumbent['variant'])} — "
             f"mean val_score {c['incumbent']['val_score']:.4f}", '',
             (f"Changed to: {fmt(pick['run'])} | {fmt(pick['schedule'])} | {fmt(pick['variant'])} — mean {pick['val_score']:.4f}; "
              f"{len(c['winners'])} candidate(s) beat the incumbent under every seed" if c['changed'] else
              'Kept: no candidate beats the incumbent under every seed.'), '', table]
    out.with_suffix('.md').write_text('\n'.join(lines) + '\n')
    print('\n'.join(lines))

if __name__ == '__main__': sys.exit(main())
