import pytest

from cordon.cases import demo as case_demo
from cordon.cases.tests.test_demo import demo_city
from cordon.contacts import demo
from cordon.contacts.models import RiskPerson

pytestmark = pytest.mark.django_db


def test_the_demo_identifies_the_demo_cases_contacts_and_confirms_some(city):
    ctx = demo_city(city)
    case_demo.seed(ctx)
    demo.seed(ctx)
    assert RiskPerson.objects.filter(status="under_measures").exists()
    assert "5 cases" in ctx.log[-1] and "confirmed" in ctx.log[-1]
