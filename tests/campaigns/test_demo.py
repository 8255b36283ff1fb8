import pytest

from campaigns.models import Application, ApplicationStatus as A, Campaign, CampaignStatus as C
from marketplace import demo

pytestmark = pytest.mark.django_db


def _niches():
    """The taxonomy from the data migration (transactional tests elsewhere may have flushed it)."""
    import importlib

    from creators.models import Niche

    for slug, name in importlib.import_module("creators.migrations.0002_seed_niches").NICHES:
        Niche.objects.get_or_create(slug=slug, defaults={"name": name})


def test_demo_seed_shows_every_state_and_is_idempotent():
    _niches()
    demo.seed(log=lambda line: None)
    counts = (Campaign.objects.count(), Application.objects.count())
    assert set(Campaign.objects.values_list("status", flat=True)) == set(C.values)
    assert {A.SUBMITTED, A.SHORTLISTED, A.ACCEPTED, A.DECLINED, A.WITHDRAWN, A.COMPLETED, A.INVITED} <= set(
        Application.objects.values_list("status", flat=True))
    casey = Application.objects.filter(creator__handle="casey")
    assert casey.filter(status=A.ACCEPTED).exists()
    demo.seed(log=lambda line: None)
    assert (Campaign.objects.count(), Application.objects.count()) == counts
