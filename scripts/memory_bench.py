"""Peak memory of `fod-dadf fit` against the number of training images, with features in memory and on disk.

    python scripts/memory_bench.py [--data ../shared/data/mvtec_ad/bottle] [--sizes 64,512] [--stores memory,disk] [--add]
                                  [--out results/analysis/memory.json]

Builds training sets of each size from the images of one train/good folder (links, repeated as needed), runs
`fod-dadf fit` for knn, FOD and DADF once per feature store in a fresh process, and records the process's peak
resident memory (from fit.json). The schedules are cut to one epoch per stage: memory does not depend on how long
training runs, and the benchmark stays short. Features are cached between the runs of one size (a .pt file for the
in-memory runs, which loads whole as in-memory features do; a disk store for the others). Prints a table and writes JSON;
with --add, the new runs join (or replace) the runs already recorded in --out.
"""
import argparse, json, os, platform, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHORT = {'knn': [], 'fod': ['--set', 'epochs=1', '--set', 'min_steps=0'],
         'dadf': ['--set', 'rec_epochs=1', '--set', 'flow_epochs=1', '--set', 'rec_min_steps=0', '--set', 'flow_min_steps=0']}

def make_set(src, n, dst):
    "An MVTec-layout category `dst` whose train/good holds `n` links to the images of `src`/train/good."
    imgs = sorted(p for p in (Path(src)/'train'/'good').iterdir() if p.suffix.lower() in ('.png', '.jpg', '.jpeg', '.bmp'))
    good = Path(dst)/'train'/'good'; good.mkdir(parents=True)
    for i in range(n): os.symlink(imgs[i % len(imgs)].resolve(), good/f'{i:05d}{imgs[i % len(imgs)].suffix}')

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--data', default=str(ROOT.parent/'shared'/'data'/'mvtec_ad'/'bottle'))
    ap.add_argument('--sizes', default='200,800,1600'); ap.add_argument('--methods', default='knn,fod,dadf')
    ap.add_argument('--stores', default='memory,disk'); ap.add_argument('--add', action='store_true')
    ap.add_argument('--out', default='results/analysis/memory.json')
    a = ap.parse_args(argv)
    rows, tmp = [], Path(tempfile.mkdtemp(prefix='fod_dadf_membench_'))
    old = json.loads((ROOT/a.out).read_text())['rows'] if a.add and (ROOT/a.out).exists() else []
    for n in [int(s) for s in a.sizes.split(',')]:
        make_set(a.data, n, tmp/f'n{n}')
        for m in a.methods.split(','):
            for store in a.stores.split(','):
                out = tmp/'runs'/f'{m}_{n}_{store}'
                cmd = [sys.executable, '-m', 'fod_dadf.cli', 'fit', '--method', m, '--data', str(tmp), '--category', f'n{n}',
                       '--out', str(out), '--feature-store', store, '--cache-dir', str(tmp/'cache'), '--quiet', *SHORT[m]]
                t0 = time.perf_counter(); p = subprocess.run(cmd, capture_output=True, text=True)
                if p.returncode: print(p.stderr[-2000:]); raise SystemExit(f'{m} n={n} {store}: failed')
                fit = json.loads((out/'fit.json').read_text())
                rows.append(dict(method=m, n_train=n, feature_store=store, peak_rss_mb=fit['peak_rss_mb'], seconds=time.perf_counter() - t0))
                print(rows[-1], flush=True)
    new = {(r['method'], r['n_train'], r['feature_store']) for r in rows}
    rows = [r for r in old if (r['method'], r['n_train'], r['feature_store']) not in new] + rows
    sizes = sorted({r['n_train'] for r in rows})
    lines = ['| method | feature store | ' + ' | '.join(f'peak MB, {n} images' for n in sizes) + ' | MB per extra image |',
             '|---|---|' + '---|' * (len(sizes) + 1)]
    for m in dict.fromkeys(r['method'] for r in rows):
        for s in ('memory', 'disk'):
            rs = {r['n_train']: r for r in rows if r['method'] == m and r['feature_store'] == s}
            if not rs: continue
            lo, hi = rs[min(rs)], rs[max(rs)]
            slope = (hi['peak_rss_mb'] - lo['peak_rss_mb']) / max(hi['n_train'] - lo['n_train'], 1)
            lines.append(f"| {m} | {s} | " + ' | '.join(f"{rs[n]['peak_rss_mb']:.0f}" if n in rs else '—' for n in sizes) + f" | {slope:.2f} |")
    print('\n'.join(lines))
    sys.path.insert(0, str(ROOT)); from fod_dadf.pipeline import write_json
    import torch
    write_json(ROOT/a.out, dict(rows=rows, data=a.data, machine=platform.machine(), threads=torch.get_num_threads(),
                                torch=torch.__version__, table='\n'.join(lines)))

if __name__ == '__main__': sys.exit(main())
