"Training features on disk (`--feature-store disk`) give exactly the numbers of features in memory, and are chosen by size."
from pathlib import Path
import pytest, torch

MINI = Path(__file__).resolve().parent.parent.parent/'shared'/'data'/'mvtec_ad_mini'
needs_mini = pytest.mark.skipif(not (MINI/'bottle').is_dir(), reason=f'the mini fixture {MINI} is not here (it lives beside the repository, not in it)')

@needs_mini
@pytest.mark.parametrize('method', ['knn', 'fod', 'dadf'])
def test_disk_store_same_numbers(method, tmp_path):
    from fod_dadf.pipeline import run
    from fod_dadf.backbone import RowStore
    kw = dict(root=MINI, category='bottle', preset='tiny', size=128, progress=False, figures=False)
    mem = run(method, feature_store='memory', **kw)
    disk = run(method, feature_store='disk', cache_dir=tmp_path/'cache', **kw)
    assert disk['report']['config']['feature_store'] == 'disk' and mem['report']['config']['feature_store'] == 'memory'
    assert isinstance(disk['learner'].train.feats[0], RowStore)
    assert list((tmp_path/'cache'/'stores').glob('*.store/stage0.npy'))          # the store lives under the cache folder
    for k in ('image_auroc', 'pixel_auroc', 'aupro'): assert mem['report'][k] == disk['report'][k], k
    assert [h.get('loss') for h in mem['report']['history']] == [h.get('loss') for h in disk['report']['history']]
    assert torch.equal(mem['maps'], disk['maps'])

@needs_mini
def test_auto_store_by_size():
    from fod_dadf.pipeline import make_backbone, choose_store
    from fod_dadf.data import MVTecDataset
    from fod_dadf.learner import ConfigError
    bb, ds = make_backbone(), MVTecDataset(MINI, 'bottle', 'train', size=128)
    assert choose_store(bb, ds, 'auto', budget=1) == 'disk'
    assert choose_store(bb, ds, 'auto', budget=2**40) == 'memory'
    assert choose_store(bb, ds, 'memory', budget=1) == 'memory'
    with pytest.raises(ConfigError, match="feature store 'ram' is not known"): choose_store(bb, ds, 'ram')

@needs_mini
def test_data_is_the_category_folder():
    "`--data` may name the category folder itself (no `--category`): the same numbers as root + category."
    from fod_dadf.pipeline import run
    kw = dict(preset='tiny', size=128, progress=False, figures=False)
    a = run('knn', root=MINI/'bottle', category=None, **kw)['report']
    b = run('knn', root=MINI, category='bottle', **kw)['report']
    for k in ('image_auroc', 'pixel_auroc', 'aupro'): assert a[k] == b[k], k
