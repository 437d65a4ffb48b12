"""How large DADF's discrepancy is on the training normals, against the flow-input noise that training adds to it.

    python scripts/dadf_discrepancy_study.py --runs results/dev/dadf/{bottle,pill,welding,welding_denoised} \
        --out results/analysis/dadf_discrepancy.json

The flows read [prior, local reconstruction, global reconstruction]. With `flow_noise` drawn independently for the three
tensors (× each tensor's own standard deviation), the difference prior − reconstruction carries the noise of both. For
each run folder (written by `fod-dadf benchmark`) the saved model's transformer is run over the category's training
images, and this records, per scale with a flow, the spread (standard deviation over all elements) of the prior, of
each reconstruction and of their differences, next to the spread independent noise adds to those differences. The
transformer is trained before the flows, so these numbers do not depend on the flow-stage settings. Only training
images are read.
"""
import argparse, json, sys
from pathlib import Path
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from fod_dadf.pipeline import load_model, split_features, write_json

class Spread:
    "Running mean and variance of every element seen."
    def __init__(self): self.n, self.s, self.s2 = 0, 0., 0.
    def add(self, x): x = x.double(); self.n += x.numel(); self.s += x.sum().item(); self.s2 += (x * x).sum().item()
    @property
    def std(self): m = self.s / self.n; return (self.s2 / self.n - m * m) ** 0.5

@torch.no_grad()
def study(run_dir, batch_size=16):
    met = json.loads((Path(run_dir)/'metrics.json').read_text())
    det, bb, s = load_model(Path(run_dir)/'model.safetensors')
    tr, _ = split_features(met['data'], met['category'], 'train', bb, s['size'], s['crop'], fit=s['fit'], progress=False)
    det.eval(); names = ('prior', 'local', 'global', 'prior-local', 'prior-global')
    acc = {l: {k: Spread() for k in names} for l in det.flow_levels}
    for i in range(0, len(tr), batch_size):
        prior = det.select([f[i:i + batch_size] for f in tr.feats])
        p, lo, gl = det.flow_inputs(prior, det.vit(prior))
        for l, a, b, c in zip(det.flow_levels, p, lo, gl):
            for k, x in zip(names, (a, b, c, a - b, a - c)): acc[l][k].add(x)
    n = det.cfg.flow_noise
    scales = {}
    for l, d in acc.items():
        sd = {k: v.std for k, v in d.items()}
        noise = {f'noise on prior-{r}': n * (sd['prior'] ** 2 + sd[r] ** 2) ** 0.5 for r in ('local', 'global')}   # independent draws
        scales[str(l)] = dict(std=sd, **noise, **{f'noise / spread, prior-{r}': noise[f'noise on prior-{r}'] / sd[f'prior-{r}'] for r in ('local', 'global')})
    return dict(category=met['category'], run=str(run_dir), n_train=len(tr), flow_noise=n, scales=scales, code=met['config']['code'])

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--runs', nargs='+', required=True, help='DADF run folders with model.safetensors and metrics.json')
    ap.add_argument('--out', required=True)
    a = ap.parse_args(argv)
    rows = [study(r) for r in a.runs]
    for r in rows:
        for l, d in r['scales'].items():
            print(f"{r['category']} stage {l}: spread of prior−local {d['std']['prior-local']:.3f}, of the noise on it {d['noise on prior-local']:.3f} "
                  f"(ratio {d['noise / spread, prior-local']:.2f}); prior {d['std']['prior']:.3f}")
    write_json(a.out, dict(rows=rows))

if __name__ == '__main__': main()
