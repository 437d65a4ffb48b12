"""How close DADF's reconstruction step at the published size is to what the machine's matrix multiplies allow.

    python scripts/dadf_step_bench.py [--out results/analysis/dadf_step.json] [--threads 2] [--steps 2]

Builds the `paper-dims` transformer (width 480 per scale × 3 scales, depth 8, 8 heads, ≈201 M parameters) on the
default lite0 feature shapes at 256 px, and times full training steps (forward, backward, AdamW) at batch 8 on random
features after one warm-up step. Next to it: the dense multiply-adds one step needs (6 × weights × token rows, both
token streams), and the machine's measured fp32 (and bf16) matmul rate at the step's largest shape. The ratio says how
much faster any implementation of the same step could be on this hardware in that precision.
"""
import argparse, platform, statistics, time
import torch
from fod_dadf.dadf import DADFConfig
from fod_dadf.dadf_transformer import DualAttentionViT, reconstruction_loss
from fod_dadf.learner import peak_rss_mb
from fod_dadf.pipeline import write_json

def matmul_rate(dtype, rows=4096, k=1440, n=5760, reps=5):
    "GFLOP/s of an (rows × k) @ (k × n) product."
    a, b = torch.randn(rows, k, dtype=dtype), torch.randn(k, n, dtype=dtype)
    a[:16] @ b; t = time.perf_counter()
    for _ in range(reps): a @ b
    return 2 * rows * k * n * reps / (time.perf_counter() - t) / 1e9

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', default='results/analysis/dadf_step.json'); ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--steps', type=int, default=2); ap.add_argument('--batch', type=int, default=8)
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads); torch.manual_seed(0)
    cfg = DADFConfig.preset('paper-dims')
    ch, sz = [24, 40, 112], [(64, 64), (32, 32), (16, 16)]        # lite0 stages 1-3 at 256 px
    vit = DualAttentionViT(ch, sz, cfg.embed_dim, cfg.depth, cfg.heads, cfg.mlp_ratio)
    opt = torch.optim.AdamW(vit.parameters(), cfg.rec_lr)
    feats = [torch.randn(a.batch, c, *s) for c, s in zip(ch, sz)]
    def step():
        loss = reconstruction_loss(vit(feats), feats)['loss']; opt.zero_grad(); loss.backward(); opt.step()
    step(); ts = []
    for _ in range(a.steps):
        t = time.perf_counter(); step(); ts.append(time.perf_counter() - t)
    D, L = vit.width, vit.embed.n_tokens
    block_weights = sum(p.numel() for b in vit.blocks for p in b.parameters() if p.dim() == 2)
    flops = 6 * block_weights * 2 * a.batch * L                       # patch and memory streams
    fp32 = matmul_rate(torch.float32)
    bf16 = matmul_rate(torch.bfloat16, rows=256, reps=1)               # few rows: without a native bf16 path it is very slow
    sec = statistics.median(ts)
    res = dict(machine=platform.processor() or platform.machine(), threads=a.threads, batch=a.batch, width=D, tokens=L,
               params_m=sum(p.numel() for p in vit.parameters()) / 1e6, step_seconds=sec, step_tflop=flops / 1e12,
               achieved_gflops=flops / sec / 1e9, matmul_gflops_fp32=fp32, matmul_gflops_bf16=bf16,
               share_of_fp32_peak=flops / sec / 1e9 / fp32, fastest_possible_speedup_fp32=sec / (flops / (fp32 * 1e9)),
               peak_rss_mb=peak_rss_mb())
    for k, v in res.items(): print(f'{k:32s} {v:.3f}' if isinstance(v, float) else f'{k:32s} {v}')
    write_json(a.out, res)

if __name__ == '__main__': main()
