"Fast checks of fod_dadf.metrics against scikit-learn and a brute-force PRO computation (the notebook holds the full set)."
import numpy as np, pytest
from scipy import ndimage
from skimage.measure import label
from sklearn.metrics import roc_auc_score
from fod_dadf.metrics import MetricError, aupro, image_auroc, pixel_auroc, pro_curve, f1_max


def _toy(seed=0, n=5, size=20):
    "Random blob masks (one image left good) and maps that are higher on the blobs."
    rng = np.random.default_rng(seed)
    masks = np.stack([ndimage.gaussian_filter(rng.normal(size=(size, size)), 1.5) for _ in range(n)])
    masks = (masks > np.quantile(masks, 0.9)).astype(np.float32); masks[0] = 0
    maps = masks + rng.normal(size=masks.shape)
    return masks, maps


def _brute_aupro(maps, masks, limit=0.3):
    "PRO/FPR at every distinct threshold (flag map >= t), skimage 8-connected regions, segment-wise integration."
    masks = masks > 0.5
    regions = [(i, lab == r) for i, m in enumerate(masks) for lab in [label(m, connectivity=2)] for r in range(1, lab.max() + 1)]
    pts = [(0.0, 0.0)]
    for t in np.unique(maps)[::-1]:
        hit = maps >= t
        pts.append(((hit & ~masks).sum() / (~masks).sum(), np.mean([hit[i][r].sum() / r.sum() for i, r in regions])))
    area = 0.0
    for (x0, y0), (x1, y1) in zip(pts[:-1], pts[1:]):
        if x0 >= limit: break
        if x1 > limit: y1, x1 = y0 + (y1 - y0) * (limit - x0) / (x1 - x0), limit
        area += (x1 - x0) * (y0 + y1) / 2
    return np.array(pts), area / limit


@pytest.mark.parametrize('seed', [0, 1])
def test_aupro_matches_brute_force(seed):
    masks, maps = _toy(seed)
    pts, ref = _brute_aupro(maps, masks)
    fpr, pro = pro_curve(maps, masks)
    np.testing.assert_allclose(np.stack([fpr, pro], 1), pts, atol=1e-6)
    assert abs(aupro(maps, masks) - ref) < 1e-6
    maps_q = np.round(maps, 1)                       # ties
    assert abs(aupro(maps_q, masks) - _brute_aupro(maps_q, masks)[1]) < 1e-6


def test_perfect_and_inverted():
    masks, _ = _toy(2)
    assert abs(aupro(masks, masks) - 1) < 1e-9 and aupro(1 - masks, masks) == 0.0


def test_diagonal_pixels_are_one_region():
    masks = np.zeros((1, 6, 6)); masks[0, 1, 1] = masks[0, 2, 2] = masks[0, 4, 4] = 1
    maps = np.zeros((1, 6, 6)); maps[0, 1, 1] = 1            # flags half of the diagonal pair, none of the lone pixel
    fpr, pro = pro_curve(maps, masks)
    np.testing.assert_allclose(pro, [0, 0.25, 1])            # 8-connected: (1/2 + 0) / 2; 4-connected would give 1/3
    np.testing.assert_allclose(fpr, [0, 0, 1])


def test_auroc_matches_sklearn():
    masks, maps = _toy(3)
    assert abs(pixel_auroc(masks[:, None], maps[:, None]) - roc_auc_score(masks.ravel(), maps.ravel())) < 1e-12
    y, s = masks.reshape(len(masks), -1).max(1), maps.reshape(len(maps), -1).max(1)
    assert abs(image_auroc(y, s) - roc_auc_score(y, s)) < 1e-12


def test_one_class_errors():
    with pytest.raises(MetricError, match='only good images'): image_auroc([0, 0, 0], [0.1, 0.2, 0.3])
    with pytest.raises(MetricError, match='only good pixels'): pixel_auroc(np.zeros((2, 4, 4)), np.random.rand(2, 4, 4))
    with pytest.raises(MetricError, match='no defect pixels'): aupro(np.random.rand(2, 4, 4), np.zeros((2, 4, 4)))
    with pytest.raises(MetricError, match='only good'): f1_max([0, 0], [0.2, 0.3])
