import pytest

from campaigns.models import Application, ApplicationStatus as A, Campaign, CampaignStatus as C
from marketplace import demo

pytestmark = pytest.mark.django_db


def test_demo_seed_shows_every_state_and_is_idempotent():
    demo.seed(log=lambda line: None)
    counts = (Campaign.objects.count(), Application.objects.count())
    assert set(Campaign.objects.values_list("status", flat=True)) == set(C.values)
    assert {A.SUBMITTED, A.SHORTLISTED, A.ACCEPTED, A.DECLINED, A.WITHDRAWN, A.COMPLETED, A.INVITED} <= set(
        Application.objects.values_list("status", flat=True))
    casey = Application.objects.filter(creator__handle="casey")
    assert casey.filter(status=A.ACCEPTED).exists()
    demo.seed(log=lambda line: None)
    assert (Campaign.objects.count(), Application.objects.count()) == counts
