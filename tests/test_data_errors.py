"Data-loading errors on broken folders, and the real MVTec AD bottle counts (skipped when ../shared is absent)."
from pathlib import Path
import numpy as np, pytest, torch
from PIL import Image
from fod_dadf.data import DataError, MVTecDataset, demo_root, DEMO_CATEGORY

SHARED = Path(__file__).parents[1].parent/'shared'

def _save(path, arr):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(arr).save(path)
    return path

@pytest.fixture
def toy(tmp_path):
    "A tiny valid category `tmp_path/toy`: 2 train, 1 good test, 1 defective test image with its mask."
    cat, img = tmp_path/'toy', np.full((40, 60), 128, np.uint8)
    for p in ('train/good/000.png', 'train/good/001.png', 'test/good/000.png', 'test/crack/000.png'): _save(cat/p, img)
    mask = np.zeros((40, 60), np.uint8); mask[10:20, 10:30] = 255
    _save(cat/'ground_truth/crack/000_mask.png', mask)
    return cat

def _raises(path, f, *args, **kw):
    with pytest.raises(DataError) as e: f(*args, **kw)
    msg = str(e.value)
    assert str(path) in msg and '\n' not in msg and ' — ' in msg, msg

def test_toy_ok(toy):
    ds = MVTecDataset(toy.parent, 'toy', 'test', size=32)
    assert ds.counts() == {'good': 1, 'crack': 1} and ds.labels == [0, 1]
    x = ds[1]
    assert x['image'].shape == (3, 32, 32) and x['mask'].shape == (1, 32, 32)
    assert set(x['mask'].unique().tolist()) == {0.0, 1.0}

def test_missing_folders(tmp_path, toy):
    _raises(tmp_path/'nope', MVTecDataset, tmp_path/'nope', 'toy')
    _raises(tmp_path/'other', MVTecDataset, tmp_path, 'other')
    (tmp_path/'bare'/'test').mkdir(parents=True)
    _raises(tmp_path/'bare'/'train'/'good', MVTecDataset, tmp_path, 'bare')
    _raises(tmp_path/'bare'/'test', MVTecDataset, tmp_path, 'bare', 'test')
    (tmp_path/'bare'/'train'/'good').mkdir(parents=True)
    _raises(tmp_path/'bare'/'train'/'good', MVTecDataset, tmp_path, 'bare')

def test_missing_mask(toy):
    (toy/'ground_truth/crack/000_mask.png').unlink()
    _raises(toy/'test/crack/000.png', MVTecDataset, toy, split='test')
    with pytest.warns(UserWarning, match='no ground-truth mask'):
        ds = MVTecDataset(toy, split='test', missing_mask='empty')
    assert ds[1]['label'] == 1 and ds[1]['mask'].sum() == 0

def test_bad_files(toy):
    ds = MVTecDataset(toy, split='test')
    _save(toy/'ground_truth/crack/000_mask.png', np.zeros((20, 60), np.uint8))
    _raises(toy/'ground_truth/crack/000_mask.png', ds.__getitem__, 1)
    raw = (toy/'test/good/000.png').read_bytes()
    (toy/'test/good/000.png').write_bytes(raw[:len(raw)//2])
    _raises(toy/'test/good/000.png', ds.__getitem__, 0)
    (toy/'test/good/000.png').write_bytes(b'not an image')
    _raises(toy/'test/good/000.png', ds.check)

@pytest.mark.parametrize('kw', [dict(split='val'), dict(size=0), dict(size=(10, 20, 30)), dict(size=32, crop=40),
                                dict(missing_mask='skip')])
def test_bad_settings(toy, kw):
    with pytest.raises(DataError): MVTecDataset(toy, **kw)

def test_demo_data():
    tr, te = (MVTecDataset(demo_root(), DEMO_CATEGORY, s, size=64) for s in ('train', 'test'))
    assert (len(tr), te.counts()) == (37, {'good': 35, 'defective': 93})
    x = te[-1]
    assert x['label'] == 1 and x['mask'].any() and x['image'].dtype == torch.float32

def test_mvtec_bottle_counts():
    bottle = SHARED/'data'/'mvtec_ad'/'bottle'
    if not bottle.exists(): pytest.skip(f'{bottle} not found (real MVTec AD data lives beside the repo, not in it)')
    tr, te = MVTecDataset(bottle.parent, 'bottle', 'train'), MVTecDataset(bottle.parent, 'bottle', 'test')
    assert len(tr) == 209
    assert te.counts() == {'good': 20, 'broken_large': 20, 'broken_small': 22, 'contamination': 21}
    assert sum(te.labels) == 63 and sum(m is not None for m in te.mask_paths) == 63
    x = te[20]
    assert x['defect'] == 'broken_large' and x['image'].shape == (3, 256, 256) and x['mask'].any()

def test_root_is_not_a_category(toy):
    _raises(toy.parent, MVTecDataset, toy.parent)          # category=None, but root holds category folders

def test_empty_mask_warns(toy):
    _save(toy/'ground_truth/crack/000_mask.png', np.zeros((40, 60), np.uint8))
    ds = MVTecDataset(toy, split='test')
    with pytest.warns(UserWarning, match='mask of defective image 000.png is empty'): ds[1]

def test_checkpoint_backbone_must_match(tmp_path):
    "A checkpoint's backbone must be the one it was trained with; paths and downloads it names are not used unless the user passes the weights."
    import json as _json
    from safetensors import safe_open
    from safetensors.torch import save_file
    from fod_dadf.pipeline import run, load_model
    from fod_dadf.learner import ConfigError
    run('knn', preset='tiny', out=tmp_path/'run', progress=False, figures=False, evaluate=False)
    ck = tmp_path/'run'/'model.safetensors'
    with safe_open(str(ck), 'pt') as f: meta, tensors = f.metadata(), {k: f.get_tensor(k) for k in f.keys()}
    def crafted(**spec):
        extra = _json.loads(meta['extra']); extra['backbone'].update(spec)
        p = tmp_path/f'crafted{len(spec)}.safetensors'; save_file(tensors, str(p), metadata={**meta, 'extra': _json.dumps(extra)}); return p
    load_model(ck)                                                              # the genuine one loads
    with pytest.raises(ConfigError, match='differ from the ones it was trained with'): load_model(crafted(fingerprint='0' * 16))
    with pytest.raises(ConfigError, match=r'was trained with backbone weights from a file .* pass that file with --weights FILE'):
        load_model(crafted(weights='/etc/passwd'))                              # a path in a checkpoint is never opened on its own
    with pytest.raises(ConfigError, match='has no installed weights here — pass them with --weights FILE'):
        load_model(crafted(name='resnet18'))                                    # nor does a checkpoint make anything download

def test_predict_warns_on_foreign_aspect(tmp_path):
    "An image far wider or taller than any training image is scored, with a warning that says why the score may mislead."
    from fod_dadf.pipeline import run, predict_images
    run('knn', preset='tiny', out=tmp_path/'run', progress=False, figures=False, evaluate=False)
    src = sorted((demo_root()/DEMO_CATEGORY/'test'/'good').iterdir())[0]
    im = Image.open(src); im.resize((im.width * 6, im.height)).save(tmp_path/'wide.png')
    same, wide = predict_images(tmp_path/'run'/'model.safetensors', [src, tmp_path/'wide.png'])
    assert 'warning' not in same and 'score' in wide
    assert 'far from the training images' in wide['warning']

def test_run_folder_is_not_overwritten(tmp_path):
    "A folder holding another run is refused before training unless overwrite is asked for; --debug shows the traceback."
    from fod_dadf.pipeline import run
    from fod_dadf.cli import main
    run('knn', preset='tiny', out=tmp_path/'run', progress=False, figures=False, evaluate=False)
    before = (tmp_path/'run'/'model.safetensors').read_bytes()
    with pytest.raises(DataError, match='holds another run .* pass --overwrite'):
        run('knn', preset='tiny', out=tmp_path/'run', progress=False, figures=False, evaluate=False)
    assert (tmp_path/'run'/'model.safetensors').read_bytes() == before                   # untouched
    run('knn', preset='tiny', out=tmp_path/'run', progress=False, figures=False, evaluate=False, overwrite=True)
    args = ['fit', '--method', 'knn', '--preset', 'tiny', '--data', str(demo_root()), '--category', DEMO_CATEGORY, '--out', str(tmp_path/'run'), '--quiet']
    assert main(args) == 2                                                                  # one-line error, exit 2
    with pytest.raises(DataError): main(['--debug', *args])                                 # the traceback, on request
