"The same command twice gives the same numbers: every random draw of a run comes from the config's seed."
from pathlib import Path
import json, subprocess, sys
import pytest, torch

MINI = Path(__file__).resolve().parent.parent.parent/'shared'/'data'/'mvtec_ad_mini'
needs_mini = pytest.mark.skipif(not (MINI/'bottle').is_dir(), reason=f'the mini fixture {MINI} is not here (it lives beside the repository, not in it)')
METRICS = ('image_auroc', 'pixel_auroc', 'aupro', 'f1_max')

def _bench(method, out, *extra):
    "Run `fod-dadf bench` in a fresh process, as a user would; returns its metrics.json."
    cmd = [sys.executable, '-c', 'import sys; from fod_dadf.cli import main; sys.exit(main())', 'bench', '--method', method, '--preset', 'tiny', '--data', str(MINI),
           '--category', 'bottle', '--size', '128', '--out', str(out), '--quiet', '--no-figures', *extra]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    return json.loads((Path(out)/'metrics.json').read_text())

@needs_mini
@pytest.mark.parametrize('method', ['knn', 'fod', 'dadf'])
def test_same_command_same_numbers(method, tmp_path):
    a, b = _bench(method, tmp_path/'a'), _bench(method, tmp_path/'b')
    assert {k: a[k] for k in METRICS} == {k: b[k] for k in METRICS}
    assert [h.get('loss') for h in a['history']] == [h.get('loss') for h in b['history']]
    from safetensors.torch import load_file
    wa, wb = load_file(str(tmp_path/'a'/'model.safetensors')), load_file(str(tmp_path/'b'/'model.safetensors'))
    assert wa.keys() == wb.keys() and all(torch.equal(wa[k], wb[k]) for k in wa)

@needs_mini
def test_shifted_copies_same_numbers(tmp_path):
    "DADF with shifted copies of its small training set: the copies are fixed shifts, so two runs still agree."
    a, b = _bench('dadf', tmp_path/'a', '--set', 'aug_shift=8'), _bench('dadf', tmp_path/'b', '--set', 'aug_shift=8')
    assert a['n_train_copies'] == 8 * a['n_train'] > 0 and a['config']['method']['aug_shift'] == 8
    assert {k: a[k] for k in METRICS} == {k: b[k] for k in METRICS}
    assert [h.get('loss') for h in a['history']] == [h.get('loss') for h in b['history']]

@needs_mini
def test_seed_changes_the_model(tmp_path):
    a, b = _bench('fod', tmp_path/'a'), _bench('fod', tmp_path/'b', '--seed', '1')
    assert [h['loss'] for h in a['history']] != [h['loss'] for h in b['history']]

def test_initial_weights_come_from_the_seed():
    from fod_dadf.fod import FOD, FODConfig
    from fod_dadf.dadf import DADF, DADFConfig
    ch, sz = [24, 40, 112], [(32, 32), (16, 16), (8, 8)]
    for cls, cfg in ((FOD, FODConfig.preset('tiny')), (DADF, DADFConfig.preset('tiny'))):
        torch.manual_seed(1); s1 = cls(cfg, ch, sz, (128, 128)).state_dict()
        torch.rand(10); s2 = cls(cfg, ch, sz, (128, 128)).state_dict()          # the global stream has moved on
        assert all(torch.equal(s1[k], s2[k]) for k in s1), cls.__name__
        cfg.seed = 1; s3 = cls(cfg, ch, sz, (128, 128)).state_dict()
        assert any(not torch.equal(s1[k], s3[k]) for k in s1 if s1[k].is_floating_point()), cls.__name__
