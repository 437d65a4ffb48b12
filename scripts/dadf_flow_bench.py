"""Time and memory of DADF's flow stage with a flow for every scale, or only for the scale the cpu preset's map reads.

    python scripts/dadf_flow_bench.py [--out results/analysis/dadf_flow_scales.json] [--threads 2] [--steps 4]

For each `flow_scales` setting, a fresh process builds the cpu-preset DADF on the default lite0 feature shapes at
256 px (stages of 24, 40 and 112 channels at strides 4, 8 and 16), starts its flow stage, and runs training steps
(forward, backward, Adam) at the preset's flow batch size on random features after one warm-up step; then it times
scoring (`predict`) of a batch of 8. It records seconds per step, images per second when scoring, the flows'
parameters, and the process's peak resident memory. Prints a table and writes JSON.
"""
import argparse, json, platform, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHANNELS, SIZES = [24, 40, 112], [(64, 64), (32, 32), (16, 16)]   # lite0's stages at a 256-pixel input

def one(flow_scales, steps, threads):
    "Measure one setting in this process; returns a dict."
    import torch
    from fod_dadf.dadf import DADF, DADFConfig
    from fod_dadf.learner import peak_rss_mb
    torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(0)
    feats = lambda n: [torch.randn(n, c, *s, generator=g) for c, s in zip(CHANNELS, SIZES)]
    det = DADF(DADFConfig.preset('cpu', flow_scales=tuple(flow_scales)), CHANNELS, SIZES, (256, 256))
    _, flow_stage = det.stages()
    flow_stage.begin(None)
    (opt,) = flow_stage.optimizers
    def step(x):
        opt.zero_grad(); flow_stage.loss(x)['loss'].backward(); opt.step()
    step(feats(flow_stage.batch_size))                                    # warm-up
    t = time.perf_counter()
    for _ in range(steps): step(feats(flow_stage.batch_size))
    per_step = (time.perf_counter() - t) / steps
    det.eval(); x = feats(8); det.predict(x)
    t = time.perf_counter(); det.predict(x); score_s = time.perf_counter() - t
    return dict(flow_scales=list(flow_scales), flow_levels=det.flow_levels, batch_size=flow_stage.batch_size,
                seconds_per_step=per_step, scored_images_per_second=8 / score_s,
                flow_parameters=sum(p.numel() for p in det.flow.parameters()), peak_rss_mb=peak_rss_mb())

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', default='results/analysis/dadf_flow_scales.json'); ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--steps', type=int, default=4); ap.add_argument('--one', default=None, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.one is not None:                                                 # the child: one setting, JSON on stdout
        print(json.dumps(one(json.loads(a.one), a.steps, a.threads))); return
    rows = []
    for fs in ([], [2]):
        r = subprocess.run([sys.executable, __file__, '--one', json.dumps(fs), '--steps', str(a.steps), '--threads', str(a.threads)],
                           capture_output=True, text=True, cwd=ROOT)
        if r.returncode: sys.exit(f"the run with flow_scales={fs} failed: {r.stderr.strip().splitlines()[-1] if r.stderr.strip() else r.returncode}")
        rows.append(json.loads(r.stdout.strip().splitlines()[-1]))
    from fod_dadf.pipeline import write_json, library_versions
    head = '| flow_scales | flows at stages | s per flow step (batch 16) | images/s scoring | flow parameters | peak MB |'
    lines = [head, '|---|---|---|---|---|---|'] + [
        f"| {tuple(r['flow_scales']) or '() (all)'} | {r['flow_levels']} | {r['seconds_per_step']:.2f} | {r['scored_images_per_second']:.1f} | "
        f"{r['flow_parameters']:,} | {r['peak_rss_mb']:.0f} |" for r in rows]
    print('\n'.join(lines))
    write_json(ROOT/a.out, dict(rows=rows, table='\n'.join(lines), steps=a.steps, threads=a.threads, machine=platform.machine(),
                                libraries=library_versions()))

if __name__ == '__main__':
    main()
