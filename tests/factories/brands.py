import factory

from brands.models import Brand, BrandMember, MemberRole
from core.models import Role
from core.vetting import VettingStatus

from .users import UserFactory


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand

    name = factory.Sequence(lambda n: f"Brand {n}")
    slug = factory.Sequence(lambda n: f"brand-{n}")
    website = "https://brand.example"
    status = VettingStatus.APPROVED


class BrandMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BrandMember

    brand = factory.SubFactory(BrandFactory)
    user = factory.SubFactory(UserFactory, role=Role.BRAND)
    role = MemberRole.OWNER
