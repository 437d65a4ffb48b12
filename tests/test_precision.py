"Mixed precision: bf16/fp16 training and scoring run through the same learner, give finite numbers close to fp32, and keep fp32 weights."
import json, subprocess, sys
from pathlib import Path
import pytest, torch

MINI = Path(__file__).resolve().parent.parent.parent/'shared'/'data'/'mvtec_ad_mini'
needs_mini = pytest.mark.skipif(not (MINI/'bottle').is_dir(), reason=f'the mini fixture {MINI} is not here (it lives beside the repository, not in it)')

@needs_mini
@pytest.mark.parametrize('method,precision', [('fod', 'bf16'), ('dadf', 'fp16')])
def test_mixed_precision_trains(method, precision, tmp_path):
    from fod_dadf.pipeline import run
    kw = dict(root=MINI, category='bottle', preset='tiny', size=128, progress=False, figures=False)
    ref = run(method, **kw)['report']
    r = run(method, precision=precision, out=tmp_path, **kw)
    rep = r['report']
    assert rep['config']['precision'] == precision
    assert all(torch.isfinite(torch.tensor(h['loss'])) for h in rep['history'])
    for k in ('image_auroc', 'pixel_auroc'): assert abs(rep[k] - ref[k]) < 0.15, (k, rep[k], ref[k])
    assert all(p.dtype == torch.float32 for p in r['detector'].parameters())   # weights stay fp32
    assert torch.isfinite(r['maps']).all() and r['maps'].dtype == torch.float32
    assert json.loads((tmp_path/'metrics.json').read_text())['config']['precision'] == precision

def test_precision_is_checked():
    from fod_dadf.learner import check_precision, ConfigError
    with pytest.raises(ConfigError, match="precision 'int8' is not known"): check_precision('int8', 'cpu')
    r = subprocess.run([sys.executable, '-c', 'import sys; from fod_dadf.cli import main; sys.exit(main())', 'bench', '--method', 'knn',
                        '--data', 'x', '--out', 'y', '--precision', 'half'], capture_output=True, text=True)
    assert r.returncode == 2 and "invalid choice: 'half'" in r.stderr
