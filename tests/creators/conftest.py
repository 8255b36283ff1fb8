import pytest

from core.models import Role
from creators.services import creator_recompute_audience
from tests.factories import BrandMemberFactory, CreatorFactory, SocialAccountFactory, UserFactory


@pytest.fixture
def brand_user(db):
    return BrandMemberFactory().user


@pytest.fixture
def staff_user(db):
    return UserFactory(is_staff=True, is_superuser=True, role="")


@pytest.fixture
def creator_user(db):
    return UserFactory(role=Role.CREATOR)


@pytest.fixture
def make_creator(db):
    """A creator with linked accounts (platform -> followers) and the derived audience computed."""

    def make(accounts: dict | None = None, **kwargs):
        creator = CreatorFactory(**kwargs)
        for platform, followers in (accounts or {}).items():
            extra = {}
            if isinstance(followers, tuple):
                followers, extra = followers
            SocialAccountFactory(creator=creator, platform=platform, followers=followers, **extra)
        creator_recompute_audience(creator_ids=[creator.pk])
        creator.refresh_from_db()
        return creator

    return make


@pytest.fixture(autouse=True)
def _niche_taxonomy(db):
    """The niches come from a data migration; a transactional (e2e) test elsewhere flushes them."""
    from importlib import import_module

    from creators.models import Niche

    seed = import_module("creators.migrations.0002_seed_niches")
    if Niche.objects.count() < len(seed.NICHES):
        for slug, name in seed.NICHES:
            Niche.objects.update_or_create(slug=slug, defaults={"name": name})
