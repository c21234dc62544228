"""The data sets of Lesson 4, read the way the Swift code reads them, for train_simclr.py.

Every set is a list-like object: `len(images)`, `images[i]` a uint8 tensor [3, H, W], and
`images.labels` (-1 where there is none). "The first k per class" means what it means in
Swift (`firstIndicesPerClass`): walk the set in its order and keep an image while its
class has fewer than k, so the same recipe pretrains on the same images in both trainers.

| recipe "dataset" | looked for (in this order)                                          |
|------------------|---------------------------------------------------------------------|
| cifar10          | --data DIR; data/cifar-10-batches-bin; data/cifar10; data/cifar10-sample |
| stl10            | --data DIR or data/stl10_binary (train_X.bin, unlabeled_X.bin, ...)  |
| food101          | --data DIR or data/food-101 (images/<class>/<id>.jpg, meta/*.txt)    |

CIFAR-10 comes as the official binary batches or as JPEG folders train/<class>/*.jpg;
STL-10 pretrains on its unlabelled split (the first 10 x imagesPerClass images); Food-101
is decoded one image at a time (75,750 images at 256 px do not fit in memory), its shorter
side resized to the recipe's image size and centre-cropped, as Lesson 4 does.
"""
import os

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class DataError(Exception):
    """A data set that is missing or malformed; the message is one line."""


class TensorImages:
    """Images held in memory as one uint8 tensor [N, 3, H, W]."""

    def __init__(self, pixels, labels, description):
        self.pixels = pixels
        self.labels = list(labels)
        self.description = description

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return self.pixels[i]

    def subset(self, indices, description):
        return TensorImages(self.pixels[indices], [self.labels[i] for i in indices], description)


class FileImages:
    """Images decoded from files when asked for, each resized (shorter side) and centre-cropped to `size` if given."""

    def __init__(self, paths, labels, description, size=None):
        self.paths = list(paths)
        self.labels = list(labels)
        self.description = description
        self.size = size

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        from torchvision.io import ImageReadMode, read_image
        from torchvision.transforms.v2 import functional as F

        image = read_image(self.paths[i], ImageReadMode.RGB)
        if self.size is not None:
            image = F.center_crop(F.resize(image, self.size, antialias=True), self.size)
        return image

    def subset(self, indices, description):
        return FileImages([self.paths[i] for i in indices], [self.labels[i] for i in indices], description, self.size)


def first_per_class(images, k):
    """The first k images of every class, in the set's order (Swift's `firstPerClass`)."""
    taken, keep = {}, []
    for i, label in enumerate(images.labels):
        if taken.get(label, 0) < k:
            taken[label] = taken.get(label, 0) + 1
            keep.append(i)
    return images.subset(keep, f"{images.description}, first {k:,} per class")


def _cifar10_binary(folder, split):
    if split == "train":
        files = [os.path.join(folder, f"data_batch_{i}.bin") for i in range(1, 6)]
    else:
        files = [os.path.join(folder, "test_batch.bin")]
        while os.path.exists(os.path.join(folder, f"test_batch_{len(files) + 1}.bin")):
            files.append(os.path.join(folder, f"test_batch_{len(files) + 1}.bin"))
    chunks = []
    for path in files:
        if not os.path.exists(path):
            raise DataError(f"{path}: missing (a CIFAR-10 binary folder holds data_batch_1.bin ... data_batch_5.bin "
                            f"and test_batch.bin)")
        raw = np.fromfile(path, dtype=np.uint8)
        if raw.size % 3073:
            raise DataError(f"{path}: {raw.size} bytes is not a whole number of 3,073-byte CIFAR-10 records")
        chunks.append(raw.reshape(-1, 3073))
    records = np.concatenate(chunks)
    pixels = torch.from_numpy(records[:, 1:].reshape(-1, 3, 32, 32).copy())
    return TensorImages(pixels, records[:, 0].astype(int).tolist(), f"CIFAR-10 {split} ({folder})")


def _image_folder(root, split):
    folder = os.path.join(root, split)
    classes = sorted(d for d in os.listdir(folder) if os.path.isdir(os.path.join(folder, d)) and not d.startswith("."))
    paths, labels = [], []
    for label, name in enumerate(classes):
        files = sorted(f for f in os.listdir(os.path.join(folder, name))
                       if f.lower().endswith((".jpg", ".jpeg", ".png")) and not f.startswith("."))
        paths += [os.path.join(folder, name, f) for f in files]
        labels += [label] * len(files)
    return FileImages(paths, labels, f"CIFAR-10 {split} ({folder})")


def _decoded(images):
    """A folder of small images decoded into memory once (CIFAR-10's 60,000 JPEGs take seconds)."""
    pixels = torch.stack([images[i] for i in range(len(images))])
    return TensorImages(pixels, images.labels, images.description)


def locate_cifar10(explicit):
    """(kind, folder) of CIFAR-10: the --data folder, else the project's data/ in the lessons' order."""
    def kind(folder):
        if os.path.exists(os.path.join(folder, "data_batch_1.bin")) or os.path.exists(os.path.join(folder, "test_batch.bin")):
            return "binary"
        if os.path.isdir(os.path.join(folder, "train")) and os.path.isdir(os.path.join(folder, "test")):
            return "folders"
        return None

    if explicit:
        if not os.path.isdir(explicit):
            raise DataError(f"{explicit}: --data folder does not exist")
        for folder in (explicit, os.path.join(explicit, "cifar-10-batches-bin"), os.path.join(explicit, "cifar10")):
            if kind(folder):
                return kind(folder), folder
        raise DataError(f"{explicit}: neither CIFAR-10 binary batches nor train/ and test/ image folders")
    for name in ("cifar-10-batches-bin", "cifar10", "cifar10-sample"):
        folder = os.path.join(ROOT, "data", name)
        if os.path.isdir(folder) and kind(folder):
            return kind(folder), folder
    raise DataError(f"{os.path.join(ROOT, 'data')}: no CIFAR-10 found; run swift run Lesson1-Dataset --download, "
                    f"or pass --data DIR")


def _stl10(folder, split):
    images = os.path.join(folder, f"{split}_X.bin")
    if not os.path.exists(images):
        raise DataError(f"{images}: missing (STL-10 binary: train_X.bin, train_y.bin, test_X.bin, test_y.bin, "
                        f"unlabeled_X.bin)")
    raw = np.fromfile(images, dtype=np.uint8).reshape(-1, 3, 96, 96)
    # Stored column-major, as the official stl10_input.py reads it: swap rows and columns.
    pixels = torch.from_numpy(raw.transpose(0, 1, 3, 2).copy())
    if split == "unlabeled":
        labels = [-1] * len(pixels)
    else:
        labels = (np.fromfile(os.path.join(folder, f"{split}_y.bin"), dtype=np.uint8).astype(int) - 1).tolist()
    return TensorImages(pixels, labels, f"STL-10 {split} ({folder})")


def _food101(folder, split, size):
    meta = os.path.join(folder, "meta")
    try:
        with open(os.path.join(meta, "classes.txt")) as f:
            classes = [line.strip() for line in f if line.strip()]
        with open(os.path.join(meta, f"{split}.txt")) as f:
            entries = [line.strip() for line in f if line.strip()]
    except OSError as error:
        raise DataError(f"{folder}: not Food-101 (images/<class>/<id>.jpg and meta/classes.txt, train.txt, "
                        f"test.txt): {error.strerror}")
    index = {name: i for i, name in enumerate(classes)}
    paths = [os.path.join(folder, "images", e + ".jpg") for e in entries]
    labels = [index[e.split("/")[0]] for e in entries]
    return FileImages(paths, labels, f"Food-101 {split} ({folder}), {size} px", size)


def cifar10_split(explicit, split):
    """CIFAR-10's "train" or "test" split, found as `locate_cifar10` finds it."""
    kind, folder = locate_cifar10(explicit)
    return _cifar10_binary(folder, split) if kind == "binary" else _image_folder(folder, split)


def load(recipe, explicit):
    """(pretraining images, kNN memory, kNN queries) for a recipe, as Lesson 4 picks them."""
    dataset, per_class = recipe["dataset"], recipe["imagesPerClass"]
    memory_k, query_k = recipe["monitorMemoryPerClass"], recipe["monitorQueriesPerClass"]
    if dataset == "cifar10":
        kind, folder = locate_cifar10(explicit)
        if kind == "binary":
            train, test = _cifar10_binary(folder, "train"), _cifar10_binary(folder, "test")
            return first_per_class(train, per_class), first_per_class(train, memory_k), first_per_class(test, query_k)
        # JPEG folders: decode only the images the run uses.
        train, test = _image_folder(folder, "train"), _image_folder(folder, "test")
        return (_decoded(first_per_class(train, per_class)), _decoded(first_per_class(train, memory_k)),
                _decoded(first_per_class(test, query_k)))
    name = {"stl10": "stl10_binary", "food101": "food-101"}[dataset]
    folder = explicit or os.path.join(ROOT, "data", name)
    if not os.path.isdir(folder):
        raise DataError(f"{folder}: no such folder; pass --data with the {name} folder")
    if dataset == "stl10":
        unlabelled = _stl10(folder, "unlabeled")
        count = min(len(unlabelled), per_class * 10)
        images = unlabelled.subset(list(range(count)), f"STL-10 unlabelled, first {count:,}")
        return images, first_per_class(_stl10(folder, "train"), memory_k), first_per_class(_stl10(folder, "test"), query_k)
    size = recipe["imageSize"]
    train, test = _food101(folder, "train", size), _food101(folder, "test", size)
    return first_per_class(train, per_class), first_per_class(train, memory_k), first_per_class(test, query_k)
