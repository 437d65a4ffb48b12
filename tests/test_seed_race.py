"scripts/seed_race.py: a preset changes only when a candidate beats it under every validation seed."
import json, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT/'scripts'))
import seed_race
from select_presets import SPACE

SCHED, VAR = dict(flow_epochs=14, flow_min_steps=90), dict(smooth_sigma=0.0, scale_map='prob')

def _file(path, seed, scores):
    "A select_presets output file of one validation seed: scores[(category, run index)] = image AUROC."
    rows = [dict(category=c, run=SPACE['dadf']['runs'][k], schedule=SCHED, variant=VAR, image_auroc=a, pixel_auroc=.9,
                 aupro=.9, f1_max=.9, val_score=(a + .9) / 2) for (c, k), a in scores.items()]
    path.write_text(json.dumps(dict(method='dadf', rows=rows, val_seed=seed)))
    return str(path)

def _race(tmp_path, per_seed):
    files = [_file(tmp_path/f's{s}.json', s, sc) for s, sc in enumerate(per_seed)]
    out = tmp_path/'race.json'
    seed_race.main(['--method', 'dadf', '--runs', '1,8', '--incumbent', '1', '--schedule', json.dumps(SCHED),
                    '--variant', json.dumps(VAR), '--rows', *files, '--out', str(out)])
    return json.loads(out.read_text())

def test_kept_when_a_challenger_wins_on_one_seed_only(tmp_path):
    d = _race(tmp_path, [{('x', 1): .90, ('x', 8): .99, ('y', 1): .90, ('y', 8): .99},     # a big win on seed 0 ...
                         {('x', 1): .90, ('x', 8): .89, ('y', 1): .90, ('y', 8): .89}])    # ... lost on seed 1
    assert not d['changed'] and d['choice']['run'] == SPACE['dadf']['runs'][1] and d['seeds'] == [0, 1]
    assert d['ranked'][0]['run'] == SPACE['dadf']['runs'][8]          # though it leads the mean ranking
    assert (tmp_path/'race.md').read_text().count('Kept') == 1

def test_changed_when_a_challenger_wins_on_every_seed(tmp_path):
    d = _race(tmp_path, [{('x', 1): .90, ('x', 8): .91, ('y', 1): .90, ('y', 8): .91}] * 2)
    assert d['changed'] and d['choice']['run'] == SPACE['dadf']['runs'][8]

def test_protocol_cells(tmp_path):
    "Rows of two validation protocols: refused unless --protocol-cells, which makes each category × protocol one cell."
    f = _file(tmp_path/'s0.json', 0, {('x', 1): .90, ('x', 8): .93})
    d = json.loads(Path(f).read_text())
    small = [dict(r, val_area=[0.0005, 0.01], image_auroc=a, val_score=(a + .9) / 2) for r, a in zip(d['rows'], (.90, .88))]
    d['rows'] = [dict(r, val_area=[0.002, 0.15]) for r in d['rows']] + small
    Path(f).write_text(json.dumps(d))
    args = ['--method', 'dadf', '--runs', '1,8', '--incumbent', '1', '--schedule', json.dumps(SCHED), '--variant', json.dumps(VAR),
            '--rows', f, '--out', str(tmp_path/'race.json')]
    try: seed_race.main(args); raise AssertionError('two protocols raced as one')
    except SystemExit as e: assert 'protocols' in str(e)
    seed_race.main(args + ['--protocol-cells'])
    r = json.loads((tmp_path/'race.json').read_text())
    assert sorted(r['categories']) == ['x @ 0.0005-0.01', 'x @ 0.002-0.15']
    assert r['changed'] and abs(r['choice']['val_score'] - (.93 + .88 + 1.8) / 4) < 1e-9   # +0.03 on one cell, −0.02 on the other
