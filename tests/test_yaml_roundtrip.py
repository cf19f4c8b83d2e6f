"""YAML → model → YAML round trips, for any valid dataset and for both examples."""

from hypothesis import HealthCheck, given, settings

from juesuan.readers.loader import load_dataset
from juesuan.readers.yaml_io import dump_yaml, load_yaml
from tests.conftest import EXAMPLES
from tests.strategies import datasets


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(datasets())
def test_any_dataset_round_trips(tmp_path, ds):
    path = tmp_path / "ds.yaml"
    text = dump_yaml(ds)
    path.write_text(text, encoding="utf-8")
    again, prov = load_yaml(path)
    assert again == ds
    assert dump_yaml(again) == text
    # every amount keeps its written precision (its rounding tolerance)
    assert [str(i.basic) for i in again.expenditure] == [str(i.basic) for i in ds.expenditure]
    assert prov.get("year").line is not None


def test_examples_round_trip(tmp_path):
    for folder in sorted(EXAMPLES.iterdir()):
        ds, _ = load_dataset(folder)
        path = tmp_path / f"{folder.name}.yaml"
        path.write_text(dump_yaml(ds), encoding="utf-8")
        again, _ = load_dataset(path)  # the loader: a budget example (kind: 预算) reads back as a budget
        assert again == ds, folder.name
