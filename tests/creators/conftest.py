import pytest

from creators.services import creator_recompute_audience
from marketplace.models import Role
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
