"Data-parallel training under torchrun: 2 gloo processes on CPU train the same model as one process, and only rank 0 writes."
import json, subprocess, sys
from pathlib import Path
import pytest

MINI = Path(__file__).resolve().parent.parent.parent/'shared'/'data'/'mvtec_ad_mini'
needs_mini = pytest.mark.skipif(not (MINI/'bottle').is_dir(), reason=f'the mini fixture {MINI} is not here (it lives beside the repository, not in it)')
ARGS = ['--preset', 'tiny', '--data', str(MINI), '--category', 'bottle', '--size', '128', '--quiet', '--no-figures']

def _bench(method, out, nproc=1):
    launch = [sys.executable, '-m', 'torch.distributed.run', '--standalone', f'--nproc_per_node={nproc}'] if nproc > 1 else [sys.executable]
    r = subprocess.run([*launch, '-m', 'fod_dadf.cli', 'bench', '--method', method, '--out', str(out), *ARGS],
                       capture_output=True, text=True, timeout=600, env={'OMP_NUM_THREADS': '1', **__import__('os').environ})
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads((Path(out)/'metrics.json').read_text()), r.stdout

@needs_mini
@pytest.mark.parametrize('method', ['fod', 'dadf'])
def test_two_processes_train_like_one(method, tmp_path):
    one, _ = _bench(method, tmp_path/'one')
    two, stdout = _bench(method, tmp_path/'two', nproc=2)
    assert one['world_size'] == 1 and two['world_size'] == 2
    assert stdout.count('| method |') == 1                       # only rank 0 reports
    assert len(one['history']) == len(two['history'])
    for a, b in zip(one['history'], two['history']):              # the same global batches, gradients averaged by DDP
        assert abs(a['loss'] - b['loss']) <= 1e-3 * max(1., abs(a['loss'])), (a['loss'], b['loss'])
    for k in ('image_auroc', 'pixel_auroc'): assert abs(one[k] - two[k]) < 0.02, (k, one[k], two[k])
