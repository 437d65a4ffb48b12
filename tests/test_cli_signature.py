"The CLI's `bench`/`fit` options and `run()`'s parameters stay in step: every parameter a user can set has an option, and back."
import argparse, inspect
from fod_dadf.cli import build_parser, _run_args
from fod_dadf.pipeline import run

# run() parameters that are not user options on the command line (objects, or decided by the subcommand)
NOT_OPTIONS = {'bb', 'evaluate'}
# CLI options that only change what is printed
PRINT_ONLY = {'help', 'quiet'}

def _sub(name):
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return sub.choices[name]

def test_bench_options_cover_run():
    for cmd in ('bench', 'fit'):
        a = _sub(cmd).parse_args(['--method', 'knn', '--data', 'D', '--category', 'c', '--out', 'O'])
        args = _run_args(a)
        params = set(inspect.signature(run).parameters)
        assert set(args) <= params, f"{cmd}: passes {sorted(set(args) - params)}, which run() does not take"
        missing = params - set(args) - NOT_OPTIONS
        assert not missing, f"{cmd}: run() parameters {sorted(missing)} have no command-line option"
        used = {d for d in vars(a)} - PRINT_ONLY
        # every option of the subcommand reaches run() (under its own or a mapped name)
        mapped = {'data': 'root', 'set': 'overrides', 'random_weights': 'pretrained', 'no_figures': 'figures'}
        assert {mapped.get(d, d) for d in used} - {'progress'} <= params, sorted({mapped.get(d, d) for d in used} - params)

def test_defaults_agree():
    a = _sub('bench').parse_args(['--method', 'knn', '--data', 'D', '--category', 'c', '--out', 'O'])
    args, sig = _run_args(a), inspect.signature(run).parameters
    for k in ('preset', 'size', 'crop', 'fit', 'backbone', 'weights', 'missing_mask', 'eval_every', 'cache_dir', 'device', 'seed'):
        assert args[k] == sig[k].default, f"--{k.replace('_', '-')} defaults to {args[k]!r}, run() to {sig[k].default!r}"
