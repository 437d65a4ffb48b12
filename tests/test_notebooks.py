"Every notebook in nbs/ runs top to bottom as one pytest test (cells flagged `#| slow` are skipped)."
from pathlib import Path
import os, pytest
from nbdev.test import test_nb as run_notebook

NBS = sorted(p for p in (Path(__file__).parent.parent/'nbs').glob('*.ipynb') if not p.name.startswith(('_', '.')))

@pytest.mark.parametrize('nb', NBS, ids=[p.stem for p in NBS])
def test_notebook(nb):
    os.environ.setdefault('MPLBACKEND', 'Agg')
    ok, secs = run_notebook(nb, skip_flags=['slow'], showerr=True)
    assert ok, f'{nb.name} failed (see the cell error printed above)'
