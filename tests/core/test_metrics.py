"""Quality metrics on real MNIST: the sanity checks, every extractor and the evaluator."""

from __future__ import annotations

import numpy as np
import pytest

from ganstudio.core.data import Dataset, load_dataset
from ganstudio.core.metrics import distances as dist
from ganstudio.core.metrics.evaluate import Evaluator, choose_extractor
from ganstudio.core.metrics.extractors import make_extractor
from ganstudio.core.metrics.features import INCEPTION_FILE
from ganstudio.core.monitoring.health import HealthMonitor


@pytest.fixture(scope="module")
def mnist_test(mnist_npz):
    with np.load(mnist_npz) as f:
        return f["x_test"][..., None].astype(np.float32) / 255.0, f["y_test"].astype(np.int32)


@pytest.fixture(scope="module")
def classifier():
    return make_extractor("digit-classifier")


def test_real_vs_real_is_near_zero_and_real_vs_noise_is_large(mnist_test, classifier):
    x, _ = mnist_test
    a, b = classifier.features(x[:1000]), classifier.features(x[1000:2000])
    noise = classifier.features(np.random.default_rng(0).random((1000, 28, 28, 1), np.float32))
    same, far = dist.frechet_features(a, b), dist.frechet_features(a, noise)
    assert same < 0.05 * far and far > 50
    kid_same, kid_far = (
        dist.kernel_inception_distance(a, b)[0],
        dist.kernel_inception_distance(a, noise)[0],
    )
    assert abs(kid_same) < 0.02 * kid_far
    real = dist.prdc(a, b)
    assert min(real.values()) > 0.85  # precision, recall, density, coverage of real data
    fake = dist.prdc(a, noise)
    assert fake["recall"] < 0.05 and fake["coverage"] < 0.05


def test_a_generator_repeating_one_digit_is_flagged_as_collapsed(mnist_test, classifier):
    x, _ = mnist_test
    a = classifier.features(x[:1000])
    healthy = dist.prdc(a, classifier.features(x[1000:2000]))
    repeated = dist.prdc(a, classifier.features(np.repeat(x[2000:2001], 1000, axis=0)))
    assert repeated["recall"] < 0.05 and repeated["coverage"] < 0.05
    assert repeated["precision"] > 0.5  # the one digit it draws is a real-looking one
    monitor = HealthMonitor()
    assert monitor.evaluation(100, {"fd": 2.0, **healthy}) == []
    (warning,) = monitor.evaluation(200, {"fd": 90.0, **repeated})
    assert warning.kind == "collapse" and "recall fell" in warning.message


def test_distances_on_known_gaussians():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(2000, 8)), rng.normal(size=(2000, 8))
    shifted = b + 3.0
    assert dist.frechet_features(a, shifted) == pytest.approx(8 * 9.0, rel=0.05)
    assert abs(dist.kernel_inception_distance(a, b)[0]) < 0.01
    assert dist.kernel_inception_distance(a, shifted)[0] > 1.0
    radii = dist.knn_radii(a, 5)
    assert radii.shape == (2000,) and (radii > 0).all()
    assert dist.prdc(a, b, real_radii=radii) == dist.prdc(a, b)
    assert dist.mean_pairwise_distance(np.zeros((10, 3))) == 0.0


def test_digit_classifier_reads_real_mnist(mnist_test, classifier):
    from ganstudio.core.metrics.digits import read_info

    x, y = mnist_test
    feats, probs = classifier.features_and_probs(x[:2000])
    assert feats.shape == (2000, 128) and probs.shape == (2000, 10)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
    accuracy = float((probs.argmax(axis=1) == y[:2000]).mean())
    assert accuracy > 0.8
    info = read_info()
    assert info["accuracy_mnist_test"] > 0.8 and "built-in digits" in info["trained_on"]


def test_random_cnn_is_fixed_by_its_seed_and_takes_any_size():
    images = np.random.default_rng(1).random((6, 32, 32, 3), np.float32)
    a = make_extractor("random-cnn", channels=3).features(images)
    b = make_extractor("random-cnn", channels=3).features(images)
    assert a.shape == (6, 256) and np.isfinite(a).all()
    np.testing.assert_array_equal(a, b)
    assert make_extractor("random-cnn", 1).features(images[:2, :28, :28, :1]).shape == (2, 256)


def test_inception_is_used_only_when_its_weights_are_on_the_machine(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    with pytest.raises(FileNotFoundError) as missing:
        make_extractor("inception-v3")
    assert INCEPTION_FILE in str(missing.value) and str(tmp_path / "keras" / "models") in str(
        missing.value
    )
    import h5py
    import keras
    from keras.src.legacy.saving.legacy_h5_format import save_weights_to_hdf5_group

    model = keras.applications.InceptionV3(include_top=False, weights=None, pooling="avg")
    (tmp_path / "keras" / "models").mkdir(parents=True)
    with h5py.File(tmp_path / "keras" / "models" / INCEPTION_FILE, "w") as f:
        save_weights_to_hdf5_group(f, model)  # the layout of Keras's published file
    feats = make_extractor("inception-v3").features(np.random.default_rng(0).random((2, 28, 28, 1)))
    assert feats.shape == (2, 2048) and np.isfinite(feats).all()
    data = Dataset("noise", "images", np.random.default_rng(0).random((60, 32, 32, 3), np.float32))
    assert choose_extractor(data)[0] == "inception-v3"


def test_the_extractor_follows_the_data(mnist_npz, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("KERAS_HOME", raising=False)
    mnist = load_dataset(f"npz:{mnist_npz}", limit=600)
    assert choose_extractor(mnist)[0] == "digit-classifier"
    shuffled = Dataset("x", "images", mnist.x, np.roll(mnist.y, 1), mnist.class_names)
    name, why = choose_extractor(shuffled)  # labels the classifier cannot read: not digits
    assert name == "random-cnn" and "only between runs on this data set" in why
    assert choose_extractor(load_dataset("toy:ring", limit=100))[0] == "toy-modes"
    with pytest.raises(FileNotFoundError, match="InceptionV3"):
        choose_extractor(mnist, "inception-v3")


def test_evaluator_measures_digits_per_class_and_caches_its_reference(
    mnist_npz, mnist_test, tmp_path
):
    data = load_dataset(f"npz:{mnist_npz}", limit=3000)
    x, y = mnist_test
    ev = Evaluator(data, "digit-classifier", samples=1000, cache_dir=tmp_path)
    good = ev.evaluate(x[:1000], y[:1000])
    assert good["fd"] < 10 and good["digits_covered"] == 10 and good["class_accuracy"] > 0.8
    assert len(good["class_accuracy_by_class"]) == 10 and good["classifier_score"] > 5
    wrong = ev.evaluate(x[:1000], (y[:1000] + 1) % 10)  # asked for other classes
    assert wrong["class_accuracy"] < 0.2
    assert ev.evaluate(x[y == 1])["digits_covered"] == 1  # a generator of ones only
    (cached,) = tmp_path.glob("reference-digit-classifier-*-n1000-s0.npz")
    again = Evaluator(data, "digit-classifier", samples=1000, cache_dir=tmp_path)
    assert again.evaluate(x[:1000])["fd"] == pytest.approx(good["fd"])
    assert again.reference_seconds == 0.0 and cached.is_file()  # read, not computed


def test_toy_sets_are_measured_by_modes():
    data = load_dataset("toy:ring", limit=4000)
    ev = Evaluator(data, "toy-modes", samples=500)
    assert ev.evaluate(data.x[:1000])["modes_covered"] == 8
    half = data.x[data.y < 4][:500]
    record = ev.evaluate(half)
    assert (record["modes_covered"], record["modes_total"]) == (4, 8)
    assert record["high_quality_share"] > 0.9


def test_point_sets_without_modes_are_their_own_features():
    rng = np.random.default_rng(0)
    data = Dataset("moons", "points", rng.normal(size=(3000, 2)).astype(np.float32))
    assert choose_extractor(data)[0] == "points"
    ev = Evaluator(data, "points", samples=1000)
    same = ev.evaluate(rng.normal(size=(1000, 2)))
    moved = ev.evaluate(rng.normal(size=(1000, 2)) + 4.0)
    assert same["fd"] < 0.05 and moved["fd"] > 30 and moved["coverage"] < 0.05
