#!/usr/bin/env python3
"""Export a PyTorch model's penultimate features for `dr import`, or the model itself as ONNX.

Features go to PREFIX.features.npy (float32, n x d, row-major) and PREFIX.labels.npy (int32, n),
plus PREFIX.json describing model, layer, dataset, split and preprocessing. Then:

    dr import --features PREFIX.features.npy --labels PREFIX.labels.npy ...

Models (--model):
  resnet50, vgg16_bn, wide_resnet50_2, ...   torchvision (ImageNet weights; needs torchvision)
  timm:NAME                                  timm, e.g. timm:vit_small_patch16_224.augreg_in21k
  robust-resnet50 --checkpoint FILE          madrylab robustness checkpoint (e.g. imagenet_l2_3_0.pt)
  mrl-resnet50 --checkpoint FILE             Matryoshka ResNet50 checkpoint (RAIVNLab/MRL)
  tiny-cnn                                   small random CNN (seeded), for tests
  fake-linear  (or --fake-model)             numpy only, no torch: features = relu(x . R) with
                                             R ~ N(0, 1/p) from --seed; exercises the I/O path
Penultimate = input of the final classifier: ResNets' pooled 2048-d output (fc removed), VGG's
fc7 after ReLU (4096), a timm model with num_classes=0 (ViT: CLS token after the final norm).

Datasets (--dataset): cifar10, cifar100, flowers102, pets (torchvision.datasets, --root, --download),
folder:PATH (ImageFolder layout), npy:IMAGES.npy,LABELS.npy (n x h x w x c, float in [0,1] or uint8).

--onnx FILE writes the feature network as ONNX (input `input` NCHW, output `features`, dynamic
batch) for `dr extract --model FILE`. The export is three lines of PyTorch:

    m = torchvision.models.resnet50(weights="IMAGENET1K_V1").eval(); m.fc = torch.nn.Identity()
    torch.onnx.export(m, torch.randn(1, 3, 224, 224), "resnet50.onnx", input_names=["input"],
                      output_names=["features"], dynamic_axes={"input": {0: "N"}, "features": {0: "N"}})
"""
import argparse
import json
import math
import os
import sys

import numpy as np

PRESETS = {
    # name: (resize shorter side or None = straight to size, crop size, mean, std)
    "imagenet": (256, 224, (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)),
    "imagenet-upsample": (None, 224, (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)),
    "half": (224, 224, (0.5, 0.5, 0.5), (0.5, 0.5, 0.5)),
    "half-upsample": (None, 224, (0.5, 0.5, 0.5), (0.5, 0.5, 0.5)),
    "none": (None, None, (0.0, 0.0, 0.0), (1.0, 1.0, 1.0)),
}


def fail(msg):
    sys.stderr.write(f"export_pytorch_features: {msg}\n")
    sys.exit(2)


def save_npy_atomic(path, array):
    tmp = f"{path}.tmp-{os.getpid()}.npy"
    np.save(tmp, array)
    os.replace(tmp, path)


def load_npy_dataset(spec):
    try:
        images_path, labels_path = spec.split(",")
    except ValueError:
        fail(f"--dataset npy:IMAGES.npy,LABELS.npy expected, got 'npy:{spec}'")
    images = np.load(images_path)
    labels = np.load(labels_path).astype(np.int32)
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or images.shape[0] != labels.shape[0]:
        fail(f"{images_path}: expected n x h x w x c images matching {labels.shape[0]} labels, got {images.shape}")
    if images.dtype == np.uint8:
        images = images.astype(np.float32) / 255.0
    return images.astype(np.float32), labels


def progress(done, total, start):
    import time
    elapsed = time.time() - start
    rate = done / elapsed if elapsed > 0 else 0.0
    eta = (total - done) / rate if rate > 0 else float("nan")
    sys.stderr.write(f"export {done}/{total} images ({rate:.1f} images/s, ETA {eta:.1f}s)\n")


def fake_linear_features(images, args):
    """relu(x . R), x = normalised NCHW-flattened images, R ~ N(0, 1/p) from --seed (numpy only)."""
    resize, crop, mean, std = PRESETS[args.preprocess]
    if resize is not None or crop is not None:
        fail("--fake-model supports only --preprocess none (it does not resize)")
    n, h, w, c = images.shape
    mean = np.asarray(args.mean or mean[:c], dtype=np.float32)
    std = np.asarray(args.std or std[:c], dtype=np.float32)
    x = ((images - mean) / std).transpose(0, 3, 1, 2).reshape(n, -1)
    p = x.shape[1]
    rng = np.random.default_rng(args.seed)
    r = (rng.standard_normal((p, args.width)) / math.sqrt(p)).astype(np.float32)
    if args.save_map:
        save_npy_atomic(args.save_map, r)
    return np.maximum(x @ r, 0).astype(np.float32), {"map": "relu(x . R)", "seed": args.seed, "width": args.width}


def build_torch_model(args):
    import torch
    from torch import nn

    name = args.model
    if name == "tiny-cnn":
        torch.manual_seed(args.seed)
        c = args.channels
        net = nn.Sequential(
            nn.Conv2d(c, 4, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
            nn.Linear(4, args.width), nn.ReLU(),
        )
        return net.eval(), f"penultimate ReLU ({args.width})"
    if name.startswith("timm:"):
        import timm
        return timm.create_model(name[5:], pretrained=True, num_classes=0).eval(), "pre-logits (num_classes=0)"
    import torchvision

    if name in ("robust-resnet50", "mrl-resnet50"):
        if not args.checkpoint:
            fail(f"--model {name} needs --checkpoint FILE")
        net = torchvision.models.resnet50()
        ckpt = torch.load(args.checkpoint, map_location="cpu")
        state = ckpt.get("model", ckpt.get("state_dict", ckpt)) if isinstance(ckpt, dict) else ckpt
        prefixes = ("module.model.", "module.", "model.")
        cleaned = {}
        for k, v in state.items():
            if k.startswith("module.attacker.") or k.startswith("module.normalizer.") or k.startswith("attacker.") or k.startswith("normalizer."):
                continue
            for p in prefixes:
                if k.startswith(p):
                    k = k[len(p):]
                    break
            if not k.startswith("fc."):
                cleaned[k] = v
        missing, unexpected = net.load_state_dict(cleaned, strict=False)
        missing = [k for k in missing if not k.startswith("fc.")]
        if missing:
            fail(f"{args.checkpoint}: missing trunk weights {missing[:5]}...")
        net.fc = nn.Identity()
        return net.eval(), "avgpool (fc removed)"
    ctor = getattr(torchvision.models, name, None)
    if ctor is None:
        fail(f"unknown torchvision model '{name}'")
    net = ctor(weights="DEFAULT")
    if hasattr(net, "fc"):
        net.fc = nn.Identity()
        return net.eval(), "avgpool (fc removed)"
    if hasattr(net, "classifier") and isinstance(net.classifier, nn.Sequential):
        net.classifier = net.classifier[:-1]
        return net.eval(), "classifier input (last Linear removed)"
    if hasattr(net, "heads"):
        net.heads = nn.Identity()
        return net.eval(), "pre-logits (heads removed)"
    fail(f"do not know where the penultimate layer of '{name}' is; use timm:NAME with num_classes=0")


def torch_dataset(args):
    import torch
    if args.dataset.startswith("npy:"):
        images, labels = load_npy_dataset(args.dataset[4:])
        return torch.from_numpy(images).permute(0, 3, 1, 2).contiguous(), torch.from_numpy(labels), True
    import torchvision
    from torchvision import transforms as T
    resize, crop, mean, std = PRESETS[args.preprocess]
    tf = [T.Resize(resize if resize else (crop, crop))] if crop else []
    tf += ([T.CenterCrop(crop)] if crop else []) + [T.ToTensor(), T.Normalize(mean, std)]
    tf = T.Compose(tf)
    root, dl = args.root, args.download
    train = args.split == "train"
    if args.dataset == "cifar10":
        ds = torchvision.datasets.CIFAR10(root, train=train, transform=tf, download=dl)
    elif args.dataset == "cifar100":
        ds = torchvision.datasets.CIFAR100(root, train=train, transform=tf, download=dl)
    elif args.dataset == "flowers102":
        ds = torchvision.datasets.Flowers102(root, split=args.split, transform=tf, download=dl)
    elif args.dataset == "pets":
        ds = torchvision.datasets.OxfordIIITPet(root, split="trainval" if train else "test", transform=tf, download=dl)
    elif args.dataset.startswith("folder:"):
        ds = torchvision.datasets.ImageFolder(args.dataset[7:], transform=tf)
    else:
        fail(f"unknown dataset '{args.dataset}'")
    return ds, None, False


def preprocess_tensor(x, args):
    """Same steps as torchvision's eval transform, on a float NCHW batch in [0, 1]."""
    import torch.nn.functional as F
    import torch
    resize, crop, mean, std = PRESETS[args.preprocess]
    c = x.shape[1]
    if crop:
        h, w = x.shape[2], x.shape[3]
        if resize:
            size = (resize, int(resize * w / h)) if h <= w else (int(resize * h / w), resize)
        else:
            size = (crop, crop)
        x = F.interpolate(x, size=size, mode="bilinear", align_corners=False)
        top, left = int(round((size[0] - crop) / 2)), int(round((size[1] - crop) / 2))
        x = x[:, :, top:top + crop, left:left + crop]
    mean = torch.tensor(args.mean or mean[:c]).view(1, c, 1, 1)
    std = torch.tensor(args.std or std[:c]).view(1, c, 1, 1)
    return (x - mean) / std


def run_torch(args):
    import time
    import torch
    net, layer = build_torch_model(args)
    device = torch.device(args.device)
    net = net.to(device)
    if args.onnx:
        s = 224 if PRESETS[args.preprocess][1] else args.input_size
        dummy = torch.randn(1, args.channels, s, s, device=device)
        tmp = f"{args.onnx}.tmp-{os.getpid()}"
        torch.onnx.export(net, dummy, tmp, input_names=["input"], output_names=["features"],
                          dynamic_axes={"input": {0: "N"}, "features": {0: "N"}}, opset_version=13)
        os.replace(tmp, args.onnx)
        sys.stderr.write(f"wrote {args.onnx} (output 'features' = {layer})\n")
        if not args.out:
            return None
    data, labels, in_memory = torch_dataset(args)
    feats, labs = [], []
    start = time.time()
    with torch.no_grad():
        if in_memory:
            n = data.shape[0] if args.limit is None else min(args.limit, data.shape[0])
            for s in range(0, n, args.batch):
                x = preprocess_tensor(data[s:s + args.batch].float(), args).to(device)
                feats.append(net(x).flatten(1).cpu().numpy())
                labs.append(labels[s:s + args.batch].numpy())
                progress(min(s + args.batch, n), n, start)
        else:
            loader = torch.utils.data.DataLoader(data, batch_size=args.batch, shuffle=False, num_workers=args.workers)
            n = len(data) if args.limit is None else min(args.limit, len(data))
            done = 0
            for x, y in loader:
                take = min(len(y), n - done)
                feats.append(net(x[:take].to(device)).flatten(1).cpu().numpy())
                labs.append(y[:take].numpy())
                done += take
                progress(done, n, start)
                if done >= n:
                    break
    return np.concatenate(feats).astype(np.float32), np.concatenate(labs).astype(np.int32), {"layer": layer}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", help="model name (see above); not needed with --fake-model")
    ap.add_argument("--fake-model", action="store_true", help="same as --model fake-linear (numpy only)")
    ap.add_argument("--checkpoint")
    ap.add_argument("--dataset")
    ap.add_argument("--split", default="test")
    ap.add_argument("--root", default="data/datasets")
    ap.add_argument("--download", action="store_true")
    ap.add_argument("--out", help="output prefix: PREFIX.features.npy, PREFIX.labels.npy, PREFIX.json")
    ap.add_argument("--onnx", help="also write the feature network as ONNX to this file")
    ap.add_argument("--preprocess", default="imagenet", choices=sorted(PRESETS))
    ap.add_argument("--mean", type=float, nargs="+")
    ap.add_argument("--std", type=float, nargs="+")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--device", default="cuda" if os.environ.get("CUDA_VISIBLE_DEVICES") else "cpu")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--width", type=int, default=16, help="feature width of tiny-cnn / fake-linear")
    ap.add_argument("--channels", type=int, default=3, help="input channels of tiny-cnn and the ONNX dummy input")
    ap.add_argument("--input-size", type=int, default=32, help="ONNX dummy input size when --preprocess none")
    ap.add_argument("--save-map", help="fake-linear: also save R (p x width float32) here")
    args = ap.parse_args(argv)
    if args.fake_model:
        args.model = "fake-linear"
    if not args.model:
        fail("give --model NAME (or --fake-model)")
    if not args.out and not args.onnx:
        fail("give --out PREFIX (features) and/or --onnx FILE (model)")
    if args.out and not args.dataset:
        fail("--out needs --dataset")

    if args.model == "fake-linear":
        if not args.dataset or not args.dataset.startswith("npy:"):
            fail("--fake-model reads images from --dataset npy:IMAGES.npy,LABELS.npy")
        images, labels = load_npy_dataset(args.dataset[4:])
        if args.limit is not None:
            images, labels = images[:args.limit], labels[:args.limit]
        features, info = fake_linear_features(images, args)
        info["layer"] = "relu(x . R)"
    else:
        result = run_torch(args)
        if result is None:
            return 0
        features, labels, info = result

    features = np.ascontiguousarray(features, dtype=np.float32)
    labels = np.ascontiguousarray(labels, dtype=np.int32)
    save_npy_atomic(f"{args.out}.features.npy", features)
    save_npy_atomic(f"{args.out}.labels.npy", labels)
    meta = {
        "model": args.model, "checkpoint": args.checkpoint, "dataset": args.dataset, "split": args.split,
        "preprocessing": args.preprocess, "mean": args.mean, "std": args.std, "n": int(features.shape[0]),
        "d": int(features.shape[1]), **info,
    }
    tmp = f"{args.out}.json.tmp-{os.getpid()}"
    with open(tmp, "w") as f:
        json.dump(meta, f, indent=2)
    os.replace(tmp, f"{args.out}.json")
    sys.stderr.write(f"wrote {args.out}.features.npy ({features.shape[0]} x {features.shape[1]}) and {args.out}.labels.npy\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
