"""Execute notebooks in place, keeping their outputs (figures, tables) for readers; cells flagged `#| slow` are skipped.

    python scripts/run_notebooks.py nbs/14_fod.ipynb nbs/22_dadf.ipynb ...

Run `nbdev_clean` afterwards (it keeps outputs, drops execution counts and metadata).
"""
import os, sys, time
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell

SKIP = {'slow'}

def _flags(src):
    "The `#| flag` directives at the top of a cell."
    out = set()
    for line in src.splitlines():
        if not line.startswith('#|'): break
        out.update(line[2:].replace(':', ' ').split()[:1])
    return out

def run(fn):
    fn = Path(fn).resolve(); nb = read_nb(fn); t0 = time.perf_counter()
    sh = CaptureShell(fn)
    cwd = os.getcwd(); os.chdir(fn.parent)
    try:
        sh.run_all(nb, exc_stop=True, preproc=lambda c: c.cell_type != 'code' or bool(_flags(c.source) & SKIP))
    finally: os.chdir(cwd)
    write_nb(nb, fn)
    print(f'{fn.name}: executed in {time.perf_counter() - t0:.0f} s', flush=True)

if __name__ == '__main__':
    os.environ.setdefault('MPLBACKEND', 'Agg')
    for f in sys.argv[1:]: run(f)
