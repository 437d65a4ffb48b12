"""Time one training step and one scoring batch of FOD and DADF per precision, on the backbone's feature shapes.

    python scripts/precision_bench.py [--out results/analysis/precision.json] [--device cpu] [--steps 5]

Random features of the default lite0 backbone's shapes at 256 px (the timing does not depend on their values);
each configuration: 2 warm-up steps, then the median of --steps timed steps. Prints a table and writes JSON.
"""
import argparse, json, platform, statistics, sys, time
from pathlib import Path
import torch
from fod_dadf.learner import autocast, detector_class, default_device, peak_rss_mb
from fod_dadf.pipeline import write_json

SHAPES = dict(channels=[16, 24, 40, 112, 320], sizes=[(128, 128), (64, 64), (32, 32), (16, 16), (8, 8)])  # lite0, 256 px

def _time(fn, steps, device):
    for _ in range(2): fn()
    ts = []
    for _ in range(steps):
        if device.type == 'cuda': torch.cuda.synchronize()
        t = time.perf_counter(); fn()
        if device.type == 'cuda': torch.cuda.synchronize()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)

def bench(method, preset, precision, device, steps):
    cls = detector_class(method); cfg = cls.Config.preset(preset)
    ch, sz = SHAPES['channels'][1:4], SHAPES['sizes'][1:4]          # the stages `make_backbone` returns
    det = cls(cfg, ch, sz, (256, 256)).to(device)
    g = torch.Generator().manual_seed(0)
    stages = det.stages(); rows = []
    bs_max = max(s.batch_size for s in stages)
    feats = [torch.randn(max(bs_max, 8), c, *s, generator=g).to(device) for c, s in zip(ch, sz)]
    det.setup(feats)
    for st in stages:
        if st.begin is not None: st.begin(feats)
        batch = [f[:st.batch_size] for f in feats]
        def step():
            for o in st.optimizers: o.zero_grad(set_to_none=True)
            with autocast(device, precision): out = st.loss(batch)
            out['loss'].backward()
            for o in st.optimizers: o.step()
        rows.append(dict(method=method, preset=preset, precision=precision, part=f'train step ({st.name}, batch {st.batch_size})',
                         seconds=_time(step, steps, device)))
    det.eval(); batch = [f[:8] for f in feats]
    def score():
        with torch.no_grad(), autocast(device, precision): det.predict(batch)
    rows.append(dict(method=method, preset=preset, precision=precision, part='score (batch 8)', seconds=_time(score, steps, device)))
    return rows

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', default='results/analysis/precision.json'); ap.add_argument('--device', default=None)
    ap.add_argument('--steps', type=int, default=5); ap.add_argument('--presets', default='cpu')
    a = ap.parse_args(argv)
    dev = default_device(a.device); rows = []
    for m in ('fod', 'dadf'):
        for pre in a.presets.split(','):
            for prec in ('fp32', 'bf16', 'fp16'):
                rows += bench(m, pre, prec, dev, a.steps)
                print(rows[-1], flush=True)
    base = {(r['method'], r['preset'], r['part']): r['seconds'] for r in rows if r['precision'] == 'fp32'}
    for r in rows: r['vs_fp32'] = r['seconds'] / base[(r['method'], r['preset'], r['part'])]
    lines = ['| method | preset | part | precision | seconds | × fp32 time |', '|---|---|---|---|---|---|']
    lines += [f"| {r['method']} | {r['preset']} | {r['part']} | {r['precision']} | {r['seconds']:.3f} | {r['vs_fp32']:.2f} |" for r in rows]
    print('\n'.join(lines))
    write_json(a.out, dict(rows=rows, device=str(dev), threads=torch.get_num_threads(), machine=platform.machine(),
                           torch=torch.__version__, peak_rss_mb=peak_rss_mb(), table='\n'.join(lines)))

if __name__ == '__main__': sys.exit(main())
