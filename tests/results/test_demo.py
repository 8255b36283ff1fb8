import pytest

from marketplace import demo
from results.models import ClickDay, Conversion, TrackedLink
from tests.campaigns.test_demo import _niches

pytestmark = pytest.mark.django_db


def test_demo_hires_have_links_codes_clicks_and_orders_once(settings):
    settings.PAYMENTS_PROVIDER = "offline"
    _niches()
    demo.seed(log=lambda line: None)
    links = TrackedLink.objects.count()
    assert links >= 1
    assert TrackedLink.objects.filter(promo_code="").count() == 0
    assert ClickDay.objects.count() == links * 14
    assert Conversion.objects.count() >= links * 2
    counts = (ClickDay.objects.count(), Conversion.objects.count())
    demo.seed(log=lambda line: None)
    assert (ClickDay.objects.count(), Conversion.objects.count()) == counts
