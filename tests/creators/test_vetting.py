"""Vetting (PRODUCT §3): one service, recorded, emailed after commit; the admin actions call it."""

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import AuditEntry
from creators.filters import search_query
from creators.models import Creator
from creators.services import CreatorError, creator_set_status
from tests.factories import CreatorFactory, UserFactory
from tests.factories.users import login_with_mfa

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/creators/creator/"


def test_approve_records_and_emails_after_commit(staff_user, django_capture_on_commit_callbacks):
    creator = CreatorFactory(status="pending")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        decision = creator_set_status(creator=creator, status="approved", actor=staff_user)
    assert len(callbacks) == 1 and mail.outbox == []  # nothing sent before commit
    callbacks[0]()
    assert (decision.actor, decision.from_state, decision.to_state, decision.action) == (
        staff_user,
        "pending",
        "approved",
        "vetted",
    )
    assert list(Creator.objects.get(pk=creator.pk).audit_entries.all()) == [decision]
    assert Creator.objects.get(pk=creator.pk).status == "approved"
    assert mail.outbox[0].to == [creator.user.email] and "approved" in mail.outbox[0].subject
    assert f"/c/{creator.handle}/" in mail.outbox[0].body


def test_reject_needs_a_reason_which_the_creator_sees(staff_user, django_capture_on_commit_callbacks):
    creator = CreatorFactory(status="pending")
    with pytest.raises(CreatorError, match="reason"):
        creator_set_status(creator=creator, status="rejected", reason="  ", actor=staff_user)
    assert not AuditEntry.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        creator_set_status(
            creator=creator, status="rejected", reason="Accounts could not be confirmed.", actor=staff_user
        )
    creator.refresh_from_db()
    assert creator.status_reason == "Accounts could not be confirmed."
    assert "Accounts could not be confirmed." in mail.outbox[0].body


# PRODUCT §3, written out: (from, to) an admin may decide; every other pair is refused and changes nothing.
# The same table holds for brands (core.vetting is the one service for both).
VETTING_TABLE = {
    ("pending", "approved"),
    ("pending", "rejected"),
    ("pending", "suspended"),
    ("approved", "suspended"),
    ("approved", "rejected"),
    ("rejected", "approved"),
    ("suspended", "approved"),
    ("suspended", "rejected"),
}
STATES = ["pending", "approved", "rejected", "suspended"]
VPAIRS = [(f, t) for f in STATES for t in STATES]


@pytest.mark.parametrize(("start", "target"), VPAIRS, ids=[f"{f}->{t}" for f, t in VPAIRS])
def test_every_vetting_move(staff_user, start, target):
    creator = CreatorFactory(status=start)
    if (start, target) in VETTING_TABLE:
        entry = creator_set_status(creator=creator, status=target, reason="Checked by hand.", actor=staff_user)
        assert Creator.objects.get(pk=creator.pk).status == target
        assert (entry.from_state, entry.to_state, entry.actor, entry.action) == (start, target, staff_user, "vetted")
    else:
        with pytest.raises(CreatorError):
            creator_set_status(creator=creator, status=target, reason="Checked by hand.", actor=staff_user)
        assert Creator.objects.get(pk=creator.pk).status == start and not AuditEntry.objects.exists()


def test_only_staff_can_vet():
    creator = CreatorFactory(status="pending")
    with pytest.raises(CreatorError):
        creator_set_status(creator=creator, status="approved", actor=UserFactory(role="brand"))


def test_bulk_approve_from_the_admin(client, staff_user, django_capture_on_commit_callbacks):
    creators = [CreatorFactory(status="pending") for _ in range(3)]
    already = CreatorFactory(status="approved")
    login_with_mfa(client, staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST, {"action": "approve", "_selected_action": [c.pk for c in [*creators, already]]}, follow=True
        )
    assert response.status_code == 200
    assert set(Creator.objects.values_list("status", flat=True)) == {"approved"}
    assert AuditEntry.objects.filter(action="vetted", to_state="approved", actor=staff_user).count() == 3
    assert len(mail.outbox) == 3
    assert "cannot be moved" in response.content.decode()  # the already-approved one is reported, not re-sent


@pytest.mark.parametrize("action,status", [("reject", "rejected"), ("suspend", "suspended")])
def test_reject_and_suspend_ask_for_a_reason_first(
    client, staff_user, action, status, django_capture_on_commit_callbacks
):
    creator = CreatorFactory(status="approved" if action == "suspend" else "pending")
    login_with_mfa(client, staff_user)
    form = client.post(CHANGELIST, {"action": action, "_selected_action": [creator.pk]})
    assert form.status_code == 200 and "Reason (sent to the creator)" in form.content.decode()
    assert Creator.objects.get(pk=creator.pk).status != status
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            CHANGELIST,
            {"action": action, "_selected_action": [creator.pk], "apply": "1", "reason": "Bought followers."},
        )
    creator.refresh_from_db()
    assert (creator.status, creator.status_reason) == (status, "Bought followers.")
    decision = creator.audit_entries.get()
    assert (decision.actor, decision.note) == (staff_user, "Bought followers.")
    assert len(mail.outbox) == 1 and "Bought followers." in mail.outbox[0].body


def test_admin_list_filters_and_search(client, staff_user, make_creator):
    make_creator({"youtube": 50_000}, handle="tuber", country="DE")
    make_creator({"instagram": 5_000}, handle="grammer", country="GB", status="pending")
    login_with_mfa(client, staff_user)
    for params, expected in [
        ({"platform": "youtube"}, "tuber"),
        ({"country": "GB"}, "grammer"),
        ({"tier__exact": "micro"}, "tuber"),
        ({"status__exact": "pending"}, "grammer"),
        ({"q": "grammer"}, "grammer"),
    ]:
        response = client.get(CHANGELIST, params)
        body = response.content.decode()
        other = "grammer" if expected == "tuber" else "tuber"
        assert response.status_code == 200 and expected in body and f">{other}<" not in body, params
    change = client.get(reverse("admin:creators_creator_change", args=[Creator.objects.get(handle="tuber").pk]))
    assert change.status_code == 200 and "tuber" in change.content.decode()


def test_admin_edit_keeps_derived_fields_true(client, staff_user, make_creator):
    creator = make_creator({"instagram": 5_000}, handle="edited", display_name="Old Name")
    account = creator.accounts.get()
    login_with_mfa(client, staff_user)
    url = reverse("admin:creators_creator_change", args=[creator.pk])
    data = {
        "user": creator.user_id,
        "display_name": "Quokka Quest",
        "handle": "edited",
        "bio": "",
        "country": "GB",
        "languages": "en",
        "niches": [],
        "content_formats": "",
        "accounts-TOTAL_FORMS": "1",
        "accounts-INITIAL_FORMS": "1",
        "accounts-MIN_NUM_FORMS": "0",
        "accounts-MAX_NUM_FORMS": "1000",
        "accounts-0-id": account.pk,
        "accounts-0-creator": creator.pk,
        "accounts-0-platform": "instagram",
        "accounts-0-handle": account.handle,
        "accounts-0-DELETE": "on",
        "audit-auditentry-target_type-target_id-TOTAL_FORMS": "0",
        "audit-auditentry-target_type-target_id-INITIAL_FORMS": "0",
        "audit-auditentry-target_type-target_id-MIN_NUM_FORMS": "0",
        "audit-auditentry-target_type-target_id-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    creator.refresh_from_db()
    assert (creator.display_name, creator.followers, creator.tier) == ("Quokka Quest", 0, None)
    assert Creator.objects.filter(pk=creator.pk, search_vector__isnull=False).exists()
    assert Creator.objects.filter(search_vector=search_query("quokka")).get() == creator


def test_a_suspended_creator_can_be_rejected_after_review(staff_user):
    # One vetting table for creators and brands (core.vetting.VETTING_MOVES).
    creator = CreatorFactory(status="suspended")
    creator_set_status(creator=creator, status="rejected", reason="Bought followers confirmed.", actor=staff_user)
    assert Creator.objects.get(pk=creator.pk).status == "rejected"


@pytest.mark.parametrize("rows", [1, 20])
def test_admin_history_inline_queries_do_not_grow(rows, client, staff_user, django_assert_num_queries):
    from audit.services import record

    creator = CreatorFactory(status="pending")
    for i in range(rows):  # a different admin each time: an actor per row would show as N+1
        record(
            creator,
            action="vetted",
            actor=UserFactory(role="", is_staff=True),
            from_state="pending",
            to_state="approved",
            note=f"Reason {i}",
        )
    login_with_mfa(client, staff_user)
    url = reverse("admin:creators_creator_change", args=[creator.pk])
    client.get(url)  # warm the content-type cache the admin's generic inline reads
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200 and f"Reason {rows - 1}" in response.content.decode()
