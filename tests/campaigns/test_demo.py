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
        Application.objects.values_list("status", flat=True)
    )
    casey = Application.objects.filter(creator__handle="casey")
    assert casey.filter(status=A.ACCEPTED).exists()
    demo.seed(log=lambda line: None)
    assert (Campaign.objects.count(), Application.objects.count()) == counts


def test_demo_pitches_fit_their_creators_and_completed_campaigns_are_in_the_past():
    """Issue 14 point 10: a pitch names the creator's own niche and a platform they have an account on; a
    completed campaign's deadlines are behind it."""
    import datetime as dt

    from django.utils import timezone

    _niches()
    demo.seed(log=lambda line: None)
    pitched = (
        Application.objects.exclude(pitch="")
        .exclude(creator__handle="casey")
        .select_related("creator")
        .prefetch_related("creator__niches", "creator__accounts")
    )
    assert pitched.count() >= 5
    for app in pitched:
        niches = [n.name.lower() for n in app.creator.niches.all()]
        platforms = [a.get_platform_display() for a in app.creator.accounts.all()]
        assert any(n in app.pitch for n in niches), (app.pitch, niches)
        assert any(f"on {p}." in app.pitch for p in platforms), (app.pitch, platforms)
    today = timezone.localdate()
    completed = Campaign.objects.filter(status=C.COMPLETED)
    assert completed.exists()
    for campaign in completed:
        assert campaign.application_deadline < today and campaign.content_due_date < today
    assert today - dt.timedelta(days=400) < completed.first().content_due_date
