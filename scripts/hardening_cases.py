"""Bad values, folders, checkpoints and images through the `fod-dadf` CLI, each in a fresh process: a Markdown table of
what the user sees (exit code, the last line on stderr, and for some cases what was left on disk).

    python scripts/hardening_cases.py > cases.md

Uses the mini fixture in ../shared/data/mvtec_ad_mini and tiny presets; a few minutes on 2 cores. Needs the `fod-dadf`
command of the project's .venv (scripts/setup_env.sh).
"""
import itertools, json, os, shutil, subprocess, sys, tempfile
from pathlib import Path
import numpy as np
from PIL import Image
ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT.parent/'shared'/'data'/'mvtec_ad_mini'; T = Path(tempfile.mkdtemp())
CLI = [str(ROOT/'.venv'/'bin'/'fod-dadf')]
rows = []
_ids = (f'out{i}' for i in itertools.count())
def case(name, args, env=None, check=None): # label; CLI arguments; extra environment; what to report from disk
    "Run one CLI call in a fresh process and record what the user sees."
    p = subprocess.run(CLI + args, capture_output=True, text=True, cwd=T, env={**os.environ, **(env or {})})
    err = [l for l in p.stderr.strip().splitlines() if l.strip() and 'Warning' not in l[:40]]
    tb = 'Traceback' in p.stderr
    out = (err[-1] if err else (p.stdout.strip().splitlines() or [''])[-1])[:230]
    extra = check() if check else ''
    rows.append((name, p.returncode, ('TRACEBACK ' if tb else '') + out.replace('|', '\\|') + (f' [{extra}]' if extra else '')))
    print(rows[-1], file=sys.stderr, flush=True)
B = ['bench', '--data', str(MINI), '--category', 'bottle', '--preset', 'tiny', '--quiet']
# 1. config values
for s in ['epochs=abc', 'epochs=1.5', 'epochs=0', 'epochs=-3', 'batch_size=0', 'lr=fast', 'nope=3', 'epochs']:
    case(f'fod --set {s}', B + ['--method', 'fod', '--set', s, '--out', str(T/next(_ids))])
case('dadf --set rec_epochs=0', B + ['--method', 'dadf', '--set', 'rec_epochs=0', '--out', str(T/next(_ids))])
case('--size 8', B + ['--method', 'knn', '--size', '8', '--out', str(T/next(_ids))])
case('--size 32 (warning, runs)', B + ['--method', 'knn', '--size', '32', '--out', str(T/'o32')])
case('dadf --size 200', B + ['--method', 'dadf', '--size', '200', '--out', str(T/next(_ids))])
case('--device cuda (no GPU)', B + ['--method', 'knn', '--device', 'cuda', '--out', str(T/next(_ids))])
case('--device gpu0', B + ['--method', 'knn', '--device', 'gpu0', '--out', str(T/next(_ids))])
case('--precision half', B + ['--method', 'fod', '--precision', 'half', '--out', str(T/next(_ids))])
case('--preset huge', B[:-3] + ['--preset', 'huge', '--quiet', '--method', 'fod', '--out', str(T/next(_ids))])
case('--preset paper without WRN50 weights', B[:-3] + ['--preset', 'paper', '--quiet', '--method', 'fod', '--out', str(T/'opaper')], check=lambda: f"out exists: {(T/'opaper').exists()}")
case('--method nope', B + ['--method', 'nope', '--out', str(T/next(_ids))])
# 2. data / folders
case('--data missing folder', ['bench', '--data', str(T/'nowhere'), '--category', 'bottle', '--method', 'knn', '--preset', 'tiny', '--out', str(T/next(_ids))])
case('--category typo', ['bench', '--data', str(MINI), '--category', 'botle', '--method', 'knn', '--preset', 'tiny', '--out', str(T/next(_ids))])
only_good = T/'onlygood'/'x'; shutil.copytree(MINI/'bottle'/'train', only_good/'train'); (only_good/'test').mkdir(); shutil.copytree(MINI/'bottle'/'test'/'good', only_good/'test'/'good')
case('test split with only good images', ['bench', '--data', str(T/'onlygood'), '--category', 'x', '--method', 'fod', '--preset', 'tiny', '--out', str(T/next(_ids))])
(T/'afile').write_text('x')
case('--out is a file', B + ['--method', 'knn', '--out', str(T/'afile')])
ro = T/'ro'; ro.mkdir(); os.chmod(ro, 0o555)
if os.geteuid() != 0: case('--out under a read-only folder', B + ['--method', 'knn', '--out', str(ro/'sub')])
case('bench into a fresh folder (reference)', B + ['--method', 'knn', '--out', str(T/'run1')])
case('bench again into the same folder', B + ['--method', 'fod', '--out', str(T/'run1')], check=lambda: f"old metrics method: {json.loads((T/'run1'/'metrics.json').read_text())['method']}")
case('same with --overwrite', B + ['--method', 'fod', '--out', str(T/'run1'), '--overwrite'], check=lambda: f"metrics method now: {json.loads((T/'run1'/'metrics.json').read_text())['method']}")
case('test --out into the bench folder', ['test', '--checkpoint', str(T/'run1'/'model.safetensors'), '--data', str(MINI), '--category', 'bottle', '--out', str(T/'run1')])
case('test --out elsewhere', ['test', '--checkpoint', str(T/'run1'/'model.safetensors'), '--data', str(MINI), '--category', 'bottle', '--out', str(T/'t1')], check=lambda: f"wrote {sorted(p.name for p in (T/'t1').iterdir())}")
# 3. checkpoints
(T/'junk.safetensors').write_bytes(b'junk')
case('test with a junk checkpoint', ['test', '--checkpoint', str(T/'junk.safetensors'), '--data', str(MINI), '--category', 'bottle', '--out', str(T/'tj')])
case('test with a missing checkpoint', ['test', '--checkpoint', str(T/'none.safetensors'), '--data', str(MINI), '--category', 'bottle', '--out', str(T/'tn')])
# 4. predict
imgs = T/'imgs'; (imgs/'a').mkdir(parents=True); (imgs/'b').mkdir()
src = sorted((MINI/'bottle'/'test'/'broken_large').glob('*.png'))[0]
shutil.copy(src, imgs/'a'/'x.png'); shutil.copy(src, imgs/'b'/'x.png'); (imgs/'a'/'broken.png').write_bytes(b'nope')
Image.fromarray(np.zeros((1, 1, 3), np.uint8)).save(imgs/'a'/'dot.png')
Image.fromarray(np.zeros((40, 400, 3), np.uint8)).save(imgs/'a'/'wide.png')
case('predict a/x.png b/x.png + unreadable + 1x1 + very wide', ['predict', '--checkpoint', str(T/'run1'/'model.safetensors'), str(imgs/'a'/'x.png'), str(imgs/'b'/'x.png'), str(imgs/'a'/'broken.png'), str(imgs/'a'/'dot.png'), str(imgs/'a'/'wide.png'), '--out', str(T/'pred')],
     check=lambda: f"overlays {sorted(p.name for p in (T/'pred').glob('*.png'))}; scores.json entries {len(json.loads((T/'pred'/'scores.json').read_text()) if (T/'pred'/'scores.json').exists() else [])}")
case('predict a folder', ['predict', '--checkpoint', str(T/'run1'/'model.safetensors'), str(imgs/'b'), '--out', str(T/'pred2')])
case('predict with no images', ['predict', '--checkpoint', str(T/'run1'/'model.safetensors'), str(T/'ro'), '--out', str(T/'pred3')])
# 5. offline hub
case('--backbone resnet18 (no installed weights), HF_HUB_OFFLINE=1', B + ['--method', 'knn', '--backbone', 'resnet18', '--out', str(T/next(_ids))], env={'HF_HUB_OFFLINE': '1'})
case('--weights missing file', B + ['--method', 'knn', '--weights', str(T/'nope.pth'), '--out', str(T/next(_ids))])
case('--backbone typo', B + ['--method', 'knn', '--backbone', 'tf_efficientnet_lite9', '--out', str(T/next(_ids))])
os.chmod(ro, 0o755)
print('\n| case | exit | what the user sees |\n|---|---|---|')
for n, rc, o in rows: print(f'| {n} | {rc} | {o.replace(str(T) + "/", "…/")} |')
shutil.rmtree(T, ignore_errors=True)
