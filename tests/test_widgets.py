"The explorers in fod_dadf.widgets, driven through their public methods and controls (no browser): state changes and the picture updates."
from pathlib import Path
from unittest import mock

import pytest
import torch
from torch.utils.data import Subset

from fod_dadf.backbone import Backbone, extract_features
from fod_dadf.data import MVTecDataset, demo_root, DEMO_CATEGORY
from fod_dadf.learner import Learner, detector_class
from fod_dadf.widgets import (AnomalyMapBrowser, FODExplorer, DADFExplorer, WidgetError, pixel_threshold,
                              image_threshold, figure_png)

BOTTLE = Path(__file__).parents[1].parent/'shared'/'data'/'mvtec_ad'/'bottle'
PNG = b'\x89PNG\r\n\x1a\n'


def _fit(method, train, bb):
    cls = detector_class(method)
    det = cls(cls.Config.preset('tiny'), bb.channels, [f.shape[-2:] for f in train.feats], train.masks.shape[-2:])
    return Learner(det, train, progress=False).fit().det


def _setup(root, category, n_train_step, picks, size=128):
    bb = Backbone()
    tr = MVTecDataset(root, category, 'train', size=size)
    te = MVTecDataset(root, category, 'test', size=size)
    sel = [i for d in picks for i in [j for j, x in enumerate(te.defects) if x == d][:picks[d]]]
    train = extract_features(bb, Subset(tr, range(0, len(tr), n_train_step)), progress=False)
    test = extract_features(bb, Subset(te, sel), progress=False)
    dets = {m: _fit(m, train, bb) for m in ('knn', 'fod', 'dadf')}
    results = {m: Learner(d, None, progress=False).predict(test) for m, d in dets.items()}
    return test, dets, results


@pytest.fixture(scope='module')
def demo():
    torch.manual_seed(0)
    return _setup(demo_root(), DEMO_CATEGORY, 2, {'good': 2, 'defective': 4})


def test_browser_methods_change_state_and_picture(demo):
    test, dets, results = demo
    b = AnomalyMapBrowser(test, results)
    assert b.png.startswith(PNG) and b.view.value == b.png
    assert b.index == 2 and int(test.labels[b.index]) == 1          # starts on the first defective image
    assert b.slider.value == pytest.approx(b.pixel_thresholds['knn'])
    seen = {b.png}
    b.select(4); assert b.image_picker.value == 4; seen.add(b.png)
    b.set_threshold(b.ranges['knn'][1]); assert b.slider.value == pytest.approx(b.ranges['knn'][1]); seen.add(b.png)
    b.set_method('dadf'); assert b.method_picker.value == 'dadf'
    assert (b.slider.min, b.slider.max) == pytest.approx(b.ranges['dadf']); seen.add(b.png)
    b.set_side_by_side(True); assert b.side.value is True; seen.add(b.png)
    assert len(seen) == 5
    b.set_method('knn'); assert b.slider.value == pytest.approx(b.ranges['knn'][1])   # thresholds kept per method
    b.reset_threshold(); assert b.thresholds['knn'] == pytest.approx(b.pixel_thresholds['knn'])
    b.set_threshold(1e9); assert b.thresholds['knn'] == b.ranges['knn'][1]             # clipped to the map range
    v = b.verdict('fod'); assert set(v) == {'score', 'threshold', 'predicted'}
    assert '<td>fod</td>' in b.info.value


def test_browser_controls_call_methods(demo):
    test, dets, results = demo
    b = AnomalyMapBrowser(test, results, index=0, method='fod')
    p = b.png
    b.image_picker.value = 3; assert b.index == 3 and b.png != p
    p = b.png
    b.slider.value = b.ranges['fod'][0]; assert b.thresholds['fod'] == pytest.approx(b.ranges['fod'][0]) and b.png != p
    b.method_picker.value = 'knn'; assert b.method == 'knn'
    b.side.value = True; assert b.side_by_side
    b.set_threshold(b.ranges['knn'][1])
    p = b.png; b.reset.click(); assert b.png != p and b.thresholds['knn'] == pytest.approx(b.pixel_thresholds['knn'])


def test_browser_inputs(demo):
    test, dets, results = demo
    runs = {m: dict(maps=mp, scores=sc, report={}) for m, (mp, sc) in results.items()}   # pipeline.run-like dicts
    b = AnomalyMapBrowser(test, runs, method='dadf', side_by_side=True)
    assert b.methods == ['knn', 'fod', 'dadf'] and b.method == 'dadf'
    with pytest.raises(WidgetError, match='do not fit'): AnomalyMapBrowser(test, {'x': (results['knn'][0][:2], results['knn'][1][:2])})
    with pytest.raises(WidgetError, match='non-empty dict'): AnomalyMapBrowser(test, {})
    with pytest.raises(WidgetError, match='no maps/scores'): AnomalyMapBrowser(test, {'x': dict(maps=None, scores=None)})
    with pytest.raises(WidgetError, match='not an index'): b.select(len(test))
    with pytest.raises(WidgetError, match='choose one of'): b.set_method('nope')


def test_thresholds():
    maps = torch.rand(4, 32, 32); masks = torch.zeros(4, 1, 32, 32)
    t = pixel_threshold(masks, maps)                         # no defect marked: 99th percentile
    assert t == pytest.approx(float(torch.quantile(maps.flatten(), .99)), abs=1e-6)
    masks[0, 0, :8, :8] = 1; maps[0, :8, :8] += 2
    assert 1 < pixel_threshold(masks, maps) <= 3             # F1-max separates the marked square
    assert image_threshold(torch.tensor([0, 1]), torch.tensor([.1, .9])) == pytest.approx(.9)
    assert image_threshold(torch.tensor([1, 1]), torch.tensor([.1, .9])) is None


def test_fod_explorer(demo):
    test, dets, results = demo
    fx = FODExplorer(dets['fod'], test)
    s = fx.explanation()['levels'][0]['scores']['score']
    assert s[fx.patch] == s.max()
    seen = {fx.png}
    for step in (lambda: fx.set_patch(0, 0), lambda: fx.set_head(1), lambda: fx.set_level(1), lambda: fx.select(0)):
        step(); seen.add(fx.png)
    assert len(seen) == 5
    assert fx.row.max == fx.hw[0] - 1 and fx.level_picker.value == 1 and fx.image_picker.value == 0
    fx.col.value = 2; assert fx.patch[1] == 2
    fx.head_slider.value = 0; assert fx.head == 0
    pv = fx.patch_maps()
    assert pv['inter_corr'].shape == fx.hw and len(pv['intra_sigma']) == 2
    assert 'learned σ' in fx.info.value
    with pytest.raises(WidgetError, match='needs a trained FOD'): FODExplorer(dets['dadf'], test)
    with pytest.raises(WidgetError, match='layer 5'): fx.set_layer(5)


def test_dadf_explorer(demo):
    test, dets, results = demo
    dx = DADFExplorer(dets['dadf'], test, index=1, cell=(1, 1))
    assert dx.cell == (1, 1) and dx.block == dx.depth - 1
    cm = dx.cell_maps()
    assert all(v.shape == dx.grid for v in cm.values())
    assert float(cm['memory_to_patches'].sum()) == pytest.approx(1., abs=1e-3)
    seen = {dx.png}
    dx.set_cell(0, 2); seen.add(dx.png)
    dx.select(3); seen.add(dx.png)
    dx.row.value = 2; assert dx.cell == (2, 2); seen.add(dx.png)
    assert len(seen) == 4
    dx.most.click()
    d = dx.internals()
    assert d['scales'].shape[0] == len(dets['dadf'].cfg.levels) and d['local'].shape[-2:] == test.images.shape[-2:]
    with pytest.raises(WidgetError, match='needs a trained DADF'): DADFExplorer(dets['knn'], test)
    with pytest.raises(WidgetError, match='token row'): dx.set_cell(99, 0)


def test_display_bundle_needs_no_widget_state(demo):
    test, dets, results = demo
    b = AnomalyMapBrowser(test, results)
    with mock.patch('IPython.display.display') as disp:
        b._ipython_display_()
    bundle = disp.call_args.args[0]
    assert disp.call_args.kwargs.get('raw') is True
    assert 'application/vnd.jupyter.widget-view+json' in bundle           # the live widget
    import base64
    assert base64.b64decode(bundle['image/png']) == b.png                 # and a static picture of it
    assert bundle['text/plain'].startswith('AnomalyMapBrowser(')


def test_figure_png_palette():
    from matplotlib.figure import Figure
    fig = Figure(figsize=(2, 2)); fig.subplots().imshow(torch.rand(16, 16).numpy())
    small, full = figure_png(fig), figure_png(fig, colors=0)
    assert small.startswith(PNG) and full.startswith(PNG) and len(small) < len(full)


@pytest.mark.skipif(not BOTTLE.exists(), reason=f'{BOTTLE} not present (real MVTec AD data lives outside the repository)')
def test_explorers_on_mvtec_bottle():
    test, dets, results = _setup(BOTTLE, None, 30, {'good': 1, 'broken_small': 1, 'contamination': 1})
    b = AnomalyMapBrowser(test, results, side_by_side=True)
    assert b.index == 1 and test.defects[b.index] == 'broken_small'
    p = b.png; b.set_threshold(b.ranges['knn'][0]); assert b.png != p
    fx = FODExplorer(dets['fod'], test)
    p = fx.png; fx.set_level(1); assert fx.png != p
    dx = DADFExplorer(dets['dadf'], test)
    p = dx.png; dx.select(2); assert dx.png != p and dx.image_picker.value == 2
