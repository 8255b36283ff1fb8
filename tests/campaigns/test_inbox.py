"""The messages inbox (issue 14): one row per conversation, unread state per person, live rows for the thread
and the inbox, tenancy and constant query counts."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from brands.models import MemberRole
from campaigns import services
from campaigns.models import Message, ThreadReadMarker
from campaigns.selectors import conversations_of, header_counts, inbox_rows
from tests.campaigns.world import make_creator, make_open_campaign
from tests.factories import BrandMemberFactory, UserFactory

pytestmark = pytest.mark.django_db

INBOX = "/messages/"


def _apply(campaign, creator):
    return services.application_submit(campaign=campaign, creator=creator, actor=creator.user, pitch="Hello.")


def _say(application, user, body):
    return services.message_post(application=application, actor=user, body=body)


def _rows(user):
    return inbox_rows(user=user, applications=conversations_of(user=user))


def _badge(response) -> str:
    """The Messages link's badge in the header: its number, or "hidden"."""
    html = response.content.decode()
    found = re.search(r'<span id="nav-messages-count" class="nav-count"( hidden)?>(\d+)<', html)
    assert found, "no Messages badge in the header"
    return "hidden" if found.group(1) else found.group(2)


def _thread_new(client, application, after):
    return client.get(reverse("campaigns:thread_new", args=[application.pk]), {"after": after})


# --- What the inbox lists --------------------------------------------------------------------------------------


def test_a_creator_sees_each_application_most_recent_activity_first_with_the_brand_and_last_message(creator):
    oats = BrandMemberFactory(brand__name="Oat Co")
    trail = BrandMemberFactory(brand__name="Trail Co")
    first = _apply(make_open_campaign(oats, title="Oat bars"), creator)
    second = _apply(make_open_campaign(trail, title="Trail mix"), creator)
    _apply(make_open_campaign(trail, title="Hiking socks"), creator)  # no message yet: a thread all the same
    _say(first, oats.user, "Could you film on Friday?\n\nThanks!")
    _say(second, creator.user, "Here is my idea.")

    rows = _rows(creator.user)

    assert [(r.other_name, r.campaign_title) for r in rows] == [
        ("Trail Co", "Trail mix"),
        ("Oat Co", "Oat bars"),
        ("Trail Co", "Hiking socks"),
    ]
    assert [(r.excerpt, r.last_is_mine, r.unread) for r in rows] == [
        ("Here is my idea.", True, 0),
        ("Could you film on Friday? Thanks!", False, 1),
        ("", False, 0),
    ]


def test_a_brand_member_sees_their_brands_threads_that_have_messages_with_the_creators_display_name(member):
    campaign = make_open_campaign(member, title="Oat bars")
    talking = make_creator(display_name="Rae Lens")
    silent = make_creator(display_name="Quiet One")
    app = _apply(campaign, talking)
    _apply(campaign, silent)
    _say(app, talking.user, "When do you need it?")
    teammate = BrandMemberFactory(brand=member.brand, role=MemberRole.MEMBER)

    for user in (member.user, teammate.user):
        assert [(r.other_name, r.campaign_title, r.excerpt, r.unread) for r in _rows(user)] == [
            ("Rae Lens", "Oat bars", "When do you need it?", 1)
        ]


def test_other_tenants_conversations_never_appear(member, other_member, creator, other_creator):
    mine = _apply(make_open_campaign(member, title="Ours"), creator)
    theirs = _apply(make_open_campaign(other_member, title="Theirs"), other_creator)
    _say(mine, creator.user, "Hi from us")
    _say(theirs, other_creator.user, "Hi from them")

    assert [r.campaign_title for r in _rows(member.user)] == ["Ours"]
    assert [r.campaign_title for r in _rows(creator.user)] == ["Ours"]
    assert [r.campaign_title for r in _rows(other_member.user)] == ["Theirs"]
    assert [r.campaign_title for r in _rows(other_creator.user)] == ["Theirs"]


def test_the_inbox_page_shows_the_rows_and_the_nav_link(client, member, application, creator):
    _say(application, member.user, "Welcome aboard <b>now</b>")
    client.force_login(creator.user)

    response = client.get(INBOX)

    html = response.content.decode()
    assert response.status_code == 200
    assert member.brand.name in html and application.campaign.title in html
    assert "Welcome aboard &lt;b&gt;now&lt;/b&gt;" in html  # escaped
    assert f'href="{INBOX}" aria-current="page"' in html
    assert _badge(response) == "1"


def test_inbox_is_for_creators_and_brand_members_only(client):
    assert client.get(INBOX).status_code == 302  # to log in
    client.force_login(UserFactory(is_staff=True, role=""))  # an admin: no conversations
    assert client.get(INBOX).status_code == 404
    assert client.get(reverse("campaigns:inbox_new"), {"after": 0}).status_code == 404


# --- Unread state ----------------------------------------------------------------------------------------------


def test_unread_counts_per_person_and_opening_the_thread_marks_it_read(client, member, application, creator):
    teammate = BrandMemberFactory(brand=member.brand, role=MemberRole.MEMBER)
    for body in ("One", "Two", "Three"):
        _say(application, member.user, body)
    _say(application, creator.user, "Mine")

    assert header_counts(user=creator.user)["messages"] == 3
    assert header_counts(user=member.user)["messages"] == 1  # the creator's one; their own three never count
    assert header_counts(user=teammate.user)["messages"] == 4  # the owner's three and the creator's one

    client.force_login(creator.user)
    page = client.get(reverse("campaigns:application", args=[application.pk]))
    assert page.status_code == 200
    assert _badge(page) == "hidden"  # read as the page is shown
    assert header_counts(user=creator.user)["messages"] == 0
    assert header_counts(user=teammate.user)["messages"] == 4  # one person's reading is theirs alone

    _say(application, member.user, "Four")
    assert _rows(creator.user)[0].unread == 1
    assert _badge(client.get(INBOX)) == "1"


def test_the_read_marker_never_moves_back(application, creator):
    messages = [_say(application, application.campaign.brand.members.first().user, f"M{i}") for i in range(3)]
    services.thread_mark_read(application=application, actor=creator.user, up_to=messages[2].pk)
    services.thread_mark_read(application=application, actor=creator.user, up_to=messages[0].pk)  # a slower tab

    marker = ThreadReadMarker.objects.get(user=creator.user, application=application)
    assert marker.last_read_message_id == messages[2].pk
    assert header_counts(user=creator.user)["messages"] == 0


def test_a_message_whose_author_was_deleted_still_counts_as_unread(application, creator, member):
    _say(application, member.user, "From someone who leaves")
    member.user.delete()
    assert Message.objects.get().author is None
    assert header_counts(user=creator.user)["messages"] == 1


def test_marking_read_is_refused_to_someone_outside_the_thread(application, other_member):
    with pytest.raises(services.NotPermitted):
        services.thread_mark_read(application=application, actor=other_member.user, up_to=1)


# --- Live rows ---------------------------------------------------------------------------------------------------


def test_the_thread_fragment_returns_only_newer_messages_and_marks_them_read(client, member, application, creator):
    first = _say(application, member.user, "Older")
    _say(application, member.user, "Newer one")
    _say(application, creator.user, "My newest")
    client.force_login(creator.user)

    response = _thread_new(client, application, first.pk)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Older" not in html
    assert html.index("Newer one") < html.index("My newest")
    assert html.count('<li id="message-') == 2
    newest = Message.objects.order_by("-id").first().pk
    assert f'?after={newest}"' in html  # the next poll starts after what was shown
    assert 'id="nav-messages-count" class="nav-count" hx-swap-oob="true" hidden' in html  # all read now
    assert header_counts(user=creator.user)["messages"] == 0


def test_the_thread_fragment_answers_204_when_nothing_is_new_and_400_to_a_bad_after(client, application, creator):
    last = _say(application, creator.user, "Only one")
    client.force_login(creator.user)
    assert _thread_new(client, application, last.pk).status_code == 204
    for bad in ("-1", "abc", "9" * 30):
        response = _thread_new(client, application, bad)
        assert response.status_code == 400
        assert response.content.decode() == "“after” must be a message number."


def test_the_inbox_fragment_returns_only_conversations_with_newer_messages(client, member, creator):
    quiet = _apply(make_open_campaign(member, title="Quiet brief"), creator)
    busy = _apply(make_open_campaign(member, title="Busy brief"), creator)
    seen = _say(quiet, member.user, "Seen already")
    _say(busy, member.user, "Fresh news")
    client.force_login(creator.user)

    response = client.get(reverse("campaigns:inbox_new"), {"after": seen.pk})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Busy brief" in html and "Fresh news" in html
    assert "Quiet brief" not in html
    assert f'data-conversation="{busy.pk}"' in html
    assert 'id="nav-messages-count" class="nav-count" hx-swap-oob="true">2<' in html
    assert (
        client.get(reverse("campaigns:inbox_new"), {"after": Message.objects.order_by("-id")[0].pk}).status_code == 204
    )


def test_the_pages_carry_their_pollers(client, member, application, creator):
    message = _say(application, member.user, "Hello")
    client.force_login(creator.user)
    thread = client.get(reverse("campaigns:application", args=[application.pk])).content.decode()
    inbox = client.get(INBOX).content.decode()
    assert (
        f'hx-get="{reverse("campaigns:thread_new", args=[application.pk])}?after={message.pk}" hx-trigger="every 5s"'
    ) in thread
    assert f'hx-get="{reverse("campaigns:inbox_new")}?after={message.pk}" hx-trigger="every 5s"' in inbox
    assert "/static/js/messages.js" in thread and "/static/js/messages.js" in inbox


# --- Tenancy ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["other_creator", "other_member"])
def test_another_tenants_thread_answers_404(who, client, application, request):
    _say(application, application.creator.user, "Private")
    client.force_login(request.getfixturevalue(who).user)
    assert _thread_new(client, application, 0).status_code == 404
    assert client.get(reverse("campaigns:application", args=[application.pk])).status_code == 404
    assert "Private" not in client.get(INBOX).content.decode()


# --- Query budgets ----------------------------------------------------------------------------------------------


def _conversations(n, member, creator):
    apps = []
    for i in range(n):
        app = _apply(make_open_campaign(member, title=f"Brief {i}"), creator)
        _say(app, member.user, f"Question {i}")
        _say(app, creator.user, f"Answer {i}")
        apps.append(app)
    return apps


@pytest.mark.parametrize("n", [1, 20])
@pytest.mark.parametrize(
    ("who", "url", "queries"),
    [
        # user, page count, page of rows, header badges (the session comes from the cache: cached_db)
        ("creator", lambda: INBOX, 4),
        ("member", lambda: INBOX, 4),
        # user, rows, badge
        ("creator", lambda: reverse("campaigns:inbox_new") + "?after=0", 3),
        ("member", lambda: reverse("campaigns:inbox_new") + "?after=0", 3),
    ],
    ids=["creator-inbox", "member-inbox", "creator-inbox-rows", "member-inbox-rows"],
)
def test_inbox_queries_do_not_grow_with_conversations(
    n, who, url, queries, member, creator, client, django_assert_num_queries
):
    _conversations(n, member, creator)
    client.force_login(member.user if who == "member" else creator.user)
    target = url()
    with django_assert_num_queries(queries):
        response = client.get(target)
    assert response.status_code == 200
    assert response.content.decode().count("data-conversation=") == n


@pytest.mark.parametrize("n", [1, 20])
def test_thread_rows_queries_do_not_grow_with_messages(n, member, creator, client, django_assert_num_queries):
    app = _apply(make_open_campaign(member), creator)
    for i in range(n):
        _say(app, member.user, f"Note {i}")
    client.force_login(creator.user)
    # user (session: cached), application, messages, brand membership (permission), read marker, header badges
    with django_assert_num_queries(6):
        response = _thread_new(client, app, 0)
    assert response.content.decode().count('<li id="message-') == n


def test_the_inbox_rows_after_0_leave_out_threads_without_messages(client, member, creator):
    _apply(make_open_campaign(member, title="Nothing said yet"), creator)
    client.force_login(creator.user)
    assert client.get(reverse("campaigns:inbox_new"), {"after": 0}).status_code == 204
    assert "Nothing said yet" in client.get(INBOX).content.decode()
