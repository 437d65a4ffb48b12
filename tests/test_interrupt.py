"Killed runs leave nothing that breaks the next one: the same command, run again, finishes with the numbers of a clean run."
import json, os, signal, subprocess, sys, time
from pathlib import Path
import pytest

MINI = Path(__file__).resolve().parent.parent.parent/'shared'/'data'/'mvtec_ad_mini'
needs_mini = pytest.mark.skipif(not (MINI/'bottle').is_dir(), reason=f'the mini fixture {MINI} is not here (it lives beside the repository, not in it)')

def _cmd(out, cache, store, quiet=True):
    return [sys.executable, '-m', 'fod_dadf.cli', 'bench', '--method', 'fod', '--preset', 'tiny', '--data', str(MINI), '--category', 'bottle',
            '--size', '128', '--out', str(out), '--cache-dir', str(cache), '--feature-store', store, *(['--quiet'] if quiet else []), '--no-figures',
            '--set', 'epochs=20']

def _kill_at(cmd, env, marker:str, timeout:float=300):
    "Start `cmd` and SIGKILL it as soon as its progress output (stderr) shows `marker`: the same phase on a fast or a slow machine."
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen, t0 = b'', time.monotonic()
    try:
        while marker.encode() not in seen:
            chunk = os.read(p.stderr.fileno(), 4096)
            if not chunk or time.monotonic() - t0 > timeout: break
            seen += chunk
        assert marker.encode() in seen, f'the run never showed {marker!r} before it ended: {seen[-500:]!r}'
    finally:
        p.send_signal(signal.SIGKILL); p.wait(); p.stderr.close()

@needs_mini
@pytest.mark.parametrize('store,when', [('disk', 'features bottle train'), ('memory', 'loss=')])   # killed as features, then training, run
def test_kill_and_rerun(tmp_path, store, when):
    env = {**os.environ, 'OMP_NUM_THREADS': '1'}
    _kill_at(_cmd(tmp_path/'out', tmp_path/'cache', store, quiet=False), {**env, 'PYTHONUNBUFFERED': '1'}, when)
    assert not (tmp_path/'out'/'metrics.json').exists()                        # no report of a run that did not finish
    again = subprocess.run(_cmd(tmp_path/'out', tmp_path/'cache', store), env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    clean = subprocess.run(_cmd(tmp_path/'clean', tmp_path/'cache2', store), env=env, capture_output=True, text=True, timeout=600)
    assert clean.returncode == 0, clean.stderr[-2000:]
    a, b = (json.loads((tmp_path/d/'metrics.json').read_text()) for d in ('out', 'clean'))
    assert {k: a[k] for k in ('image_auroc', 'pixel_auroc', 'aupro')} == {k: b[k] for k in ('image_auroc', 'pixel_auroc', 'aupro')}
