import datetime as dt
import json

import pytest
from django.urls import reverse

from opendata import registry
from opendata.registry import Column, ColumnType, Dataset


@pytest.fixture
def extra_dataset(monkeypatch):
    """A made-up dataset as another app would add it, registered for one test."""
    monkeypatch.setattr(registry, "_datasets", dict(registry._datasets))

    def rows(request, municipality):
        yield {"year": 2025, "measured_on": dt.date(2025, 3, 1), "groups": ["kvinnor", "män"]}

    return registry.register(
        Dataset(
            slug="made-up",
            title="Trygghetsmätning",
            description="Resultat per år.",
            columns=(
                Column("year", ColumnType.INTEGER, "Året."),
                Column("measured_on", ColumnType.DATE, "Mätdagen."),
                Column("groups", ColumnType.LIST, "Grupperna."),
            ),
            rows=rows,
        )
    )


@pytest.mark.django_db
def test_a_registered_dataset_is_documented_and_downloadable(client, extra_dataset):
    assert 'id="made-up"' in client.get(reverse("opendata:schema")).content.decode()
    index = client.get(reverse("opendata:index")).content.decode()
    assert "/oppna-data/made-up.csv" in index
    url = reverse("opendata:download", kwargs={"dataset": "made-up", "fmt": "csv"})
    csv_text = b"".join(client.get(url).streaming_content).decode()
    assert csv_text == "year,measured_on,groups\r\n2025,2025-03-01,kvinnor; män\r\n"
    url = reverse("opendata:download", kwargs={"dataset": "made-up", "fmt": "json"})
    data = json.loads(b"".join(client.get(url).streaming_content))
    row = {"year": 2025, "measured_on": "2025-03-01", "groups": ["kvinnor", "män"]}
    assert data["rows"] == [row]


def test_a_dataset_name_is_registered_once(extra_dataset):
    with pytest.raises(ValueError, match="made-up"):
        registry.register(extra_dataset)
