"""Brand profile, team invitations and vetting (PRODUCT §3)."""

from __future__ import annotations

import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from brands.models import Brand, BrandInvitation, BrandMember
from brands.services import BrandError, brand_invitation_accept, brand_invite, brand_set_status
from campaigns import services as campaign_services
from tests.campaigns.world import make_open_campaign
from tests.factories import BrandFactory, BrandMemberFactory, UserFactory
from tests.factories.users import login_with_mfa

pytestmark = pytest.mark.django_db


def png_bytes(size=(600, 300)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 90)).save(buf, format="PNG")
    return buf.getvalue()


def test_profile_edit_with_a_real_logo(member, client):
    client.force_login(member.user)
    logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    response = client.post(
        reverse("brands:edit"),
        {
            "name": "Oat & Co",
            "website": "https://oat.example",
            "industry": "Food",
            "description": "Oats.",
            "logo_upload": logo,
        },
    )
    assert response.status_code == 302
    brand = Brand.objects.get(pk=member.brand_id)
    assert brand.name == "Oat & Co" and brand.logo.name.endswith(".webp")
    with Image.open(brand.logo.path) as img:
        assert img.format == "WEBP" and max(img.size) <= 400 and not img.info.get("exif")


def test_a_fake_logo_is_refused_and_the_text_kept(member, client):
    client.force_login(member.user)
    fake = SimpleUploadedFile("logo.png", b"<?php echo 'hi'; ?>", content_type="image/png")
    response = client.post(
        reverse("brands:edit"),
        {"name": "Typed name", "website": "", "industry": "", "description": "", "logo_upload": fake},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "not a JPEG, PNG or WebP image" in body or "This is not" in body
    assert 'value="Typed name"' in body
    assert Brand.objects.get(pk=member.brand_id).name != "Typed name"


def test_other_people_cannot_edit_a_brand(member, client):
    creator = UserFactory(role="creator")
    client.force_login(creator)
    assert client.get(reverse("brands:edit")).status_code == 404
    assert client.get(reverse("brands:team")).status_code == 404


def test_owner_invites_and_the_invitee_joins_and_sees_campaigns(
    member, client, mailoutbox, django_capture_on_commit_callbacks
):
    campaign = make_open_campaign(member)
    client.force_login(member.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("brands:team"), {"email": "New.Person@Example.com"})
    assert response.status_code == 302
    invitation = BrandInvitation.objects.get()
    assert invitation.email == "new.person@example.com"
    assert reverse("brands:join", args=[invitation.token]) in mailoutbox[0].body

    newcomer = UserFactory(email="new.person@example.com", role="brand")
    client.force_login(newcomer)
    assert client.get(reverse("brands:join", args=[invitation.token])).status_code == 200
    assert client.post(reverse("brands:join", args=[invitation.token])).status_code == 302
    assert BrandMember.objects.get(user=newcomer).role == "member"
    assert campaign.title in client.get(reverse("campaigns:brand_list")).content.decode()
    # a member sees the team but cannot invite
    assert client.post(reverse("brands:team"), {"email": "x@example.com"}).status_code == 404


def test_invitation_is_for_the_invited_address_only(member):
    invitation = brand_invite(brand=member.brand, actor=member.user, email="right@example.com")
    wrong = UserFactory(email="wrong@example.com", role="brand")
    with pytest.raises(BrandError, match="This invitation is for right@example.com"):
        brand_invitation_accept(token=invitation.token, user=wrong)
    right = UserFactory(email="right@example.com", role="brand")
    brand_invitation_accept(token=invitation.token, user=right)
    with pytest.raises(BrandError, match="not valid any more"):
        brand_invitation_accept(token=invitation.token, user=right)


def test_only_the_owner_invites():
    teammate = BrandMemberFactory(role="member")
    with pytest.raises(BrandError):
        brand_invite(brand=teammate.brand, actor=teammate.user, email="a@example.com")


def test_vetting_records_who_when_why_and_emails_the_owner(django_capture_on_commit_callbacks, mailoutbox):
    admin = UserFactory(role="", is_staff=True)
    owners = [BrandMemberFactory(brand__status="pending") for _ in range(2)]
    with pytest.raises(BrandError, match="Give a reason"):
        brand_set_status(brand=owners[0].brand, actor=admin, status="rejected")
    with django_capture_on_commit_callbacks(execute=True):
        for owner in owners:
            brand_set_status(brand=owner.brand, actor=admin, status="rejected", reason="Website is unreachable.")
    for owner in owners:
        brand = Brand.objects.get(pk=owner.brand_id)
        assert (brand.status, brand.status_reason) == ("rejected", "Website is unreachable.")
        decision = brand.audit_entries.get()
        assert (decision.actor, decision.from_state, decision.to_state, decision.note) == (
            admin,
            "pending",
            "rejected",
            "Website is unreachable.",
        )
    assert sorted(m.to[0] for m in mailoutbox) == sorted(o.user.email for o in owners)
    assert "Website is unreachable." in mailoutbox[0].body
    with pytest.raises(BrandError):
        brand_set_status(brand=owners[0].brand, actor=owners[0].user, status="approved")


def test_an_illegal_brand_move_raises_and_changes_nothing():
    """The service raises (the bulk admin action skips with this message instead)."""
    admin = UserFactory(role="", is_staff=True)
    brand = BrandFactory(status="rejected")
    with pytest.raises(BrandError, match="is Rejected; it cannot be moved to Suspended"):
        brand_set_status(brand=brand, actor=admin, status="suspended", reason="x")
    brand.refresh_from_db()
    assert brand.status == "rejected" and not brand.audit_entries.exists()


def test_approved_brand_can_publish_after_vetting():
    admin = UserFactory(role="", is_staff=True)
    owner = BrandMemberFactory(brand__status="pending")
    from tests.factories import CampaignFactory, DeliverableSpecFactory

    campaign = CampaignFactory(brand=owner.brand)
    DeliverableSpecFactory(campaign=campaign)
    with pytest.raises(campaign_services.NotPermitted):
        campaign_services.campaign_publish(campaign=campaign, actor=owner.user)
    brand_set_status(brand=owner.brand, actor=admin, status="approved")
    assert campaign_services.campaign_publish(campaign=campaign, actor=owner.user).status == "open"


def test_admin_bulk_actions_go_through_the_service(client):
    admin = UserFactory(role="", is_staff=True, is_superuser=True)
    brands = [BrandFactory(status="pending") for _ in range(3)]
    login_with_mfa(client, admin)
    url = reverse("admin:brands_brand_changelist")
    ids = [str(b.pk) for b in brands]
    client.post(url, {"action": "approve", ACTION_CHECKBOX_NAME: ids[:2]})
    assert sorted(Brand.objects.filter(status="approved").values_list("pk", flat=True)) == sorted(
        b.pk for b in brands[:2]
    )
    # suspend asks for a reason first, then applies it
    ask = client.post(url, {"action": "suspend", ACTION_CHECKBOX_NAME: ids[:1]})
    assert ask.status_code == 200 and "Reason" in ask.content.decode()
    client.post(url, {"action": "suspend", ACTION_CHECKBOX_NAME: ids[:1], "reason": "Chargebacks"})
    suspended = Brand.objects.get(pk=brands[0].pk)
    assert (suspended.status, suspended.status_reason) == ("suspended", "Chargebacks")
    assert [(e.from_state, e.to_state) for e in suspended.audit_entries.filter(actor=admin)] == [
        ("pending", "approved"),
        ("approved", "suspended"),
    ]
    assert client.get(url, {"status__exact": "suspended"}).status_code == 200


def test_owner_removes_a_member_but_never_the_owner(member, client):
    teammate = BrandMemberFactory(brand=member.brand, role="member")
    client.force_login(teammate.user)
    client.post(reverse("brands:remove_member", args=[member.pk]))
    assert BrandMember.objects.filter(pk=member.pk).exists()
    client.force_login(member.user)
    client.post(reverse("brands:remove_member", args=[member.pk]))
    assert BrandMember.objects.filter(pk=member.pk).exists()
    client.post(reverse("brands:remove_member", args=[teammate.pk]))
    assert not BrandMember.objects.filter(pk=teammate.pk).exists()
    stranger = BrandMemberFactory(role="member")
    assert client.post(reverse("brands:remove_member", args=[stranger.pk])).status_code == 404


def test_a_new_brand_account_with_an_invitation_is_offered_to_join(member, client):
    invitation = brand_invite(brand=member.brand, actor=member.user, email="late@example.com")
    newcomer = UserFactory(email="late@example.com", role="brand")
    client.force_login(newcomer)
    body = client.get(reverse("brands:create")).content.decode()
    assert "invited to join" in body and reverse("brands:join", args=[invitation.token]) in body


def test_vetting_email_is_written_in_each_recipients_language(
    monkeypatch, django_capture_on_commit_callbacks, mailoutbox
):
    from django.utils import translation

    admin = UserFactory(role="", is_staff=True)
    owner = BrandMemberFactory(brand__status="pending", user__language="de")
    BrandMemberFactory(brand=owner.brand, role="owner", user__language="")
    seen = []
    original = Brand.vetting_email

    def spy(self, status, reason):
        seen.append(translation.get_language())
        return original(self, status, reason)

    monkeypatch.setattr(Brand, "vetting_email", spy)
    with django_capture_on_commit_callbacks(execute=True):
        brand_set_status(brand=owner.brand, actor=admin, status="approved")
    assert sorted(seen) == ["de", "en"] and len(mailoutbox) == 2


def test_bulk_admin_vetting_skips_what_cannot_move_with_a_message(client):
    admin = UserFactory(role="", is_staff=True, is_superuser=True)
    pending, rejected = (
        BrandFactory(status="pending", name="Pending Co"),
        BrandFactory(status="rejected", name="Gone Co"),
    )
    login_with_mfa(client, admin)
    response = client.post(
        reverse("admin:brands_brand_changelist"),
        {"action": "suspend", ACTION_CHECKBOX_NAME: [pending.pk, rejected.pk], "reason": "Fraud"},
        follow=True,
    )
    body = response.content.decode()
    assert "Gone Co is Rejected; it cannot be moved to Suspended." in body
    assert (
        Brand.objects.get(pk=pending.pk).status == "suspended"
        and Brand.objects.get(pk=rejected.pk).status == "rejected"
    )
