import pytest

from cordon.core.pages import CappedPaginator
from cordon.people.factories import PersonFactory
from cordon.people.models import Person

pytestmark = pytest.mark.django_db


def test_the_pager_counts_only_up_to_its_cap(city, monkeypatch):
    for _ in range(7):
        PersonFactory(grid=city.a_grid)
    monkeypatch.setattr(CappedPaginator, "cap", 5)
    capped = CappedPaginator(Person.objects.order_by("pk"), 2)
    assert capped.count == 5 and capped.capped and capped.num_pages == 3
    assert len(capped.get_page(3).object_list) == 1
    monkeypatch.setattr(CappedPaginator, "cap", 50)
    full = CappedPaginator(Person.objects.order_by("pk"), 2)
    assert full.count == Person.objects.count() and not full.capped
