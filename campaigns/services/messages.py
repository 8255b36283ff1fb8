"""The thread every application has between the brand team and the creator."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from core.models import User

from .. import badges, permissions
from ..models import Application, Message, ThreadReadMarker
from .errors import NotPermitted
from .notifications import _tell_brand, _tell_creator


@transaction.atomic
def message_post(*, application: Application, actor: User, body: str) -> Message:
    """Add a note to the application's thread; the other side is notified."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Write a message first.")]})
    if len(body) > 4000:
        raise ValidationError({"body": [_("Keep a message under 4,000 characters.")]})
    if not permissions.can_message(actor, application):
        raise NotPermitted(_("You are not part of this conversation."))
    message = Message.objects.create(application=application, author=actor, body=body)
    verb = _("New message about “%(t)s”.") % {"t": application.campaign.title}
    if permissions.is_application_creator(actor, application):
        _tell_brand(application, verb)
    else:
        _tell_brand(application, verb, exclude=actor)
        _tell_creator(application, verb)
    return message


def thread_mark_read(*, application: Application, actor: User, up_to: int) -> None:
    """Record that ``actor`` has read ``application``'s thread up to message id ``up_to`` (what they were shown).

    Requires ``actor`` to be on the thread (raises NotPermitted otherwise). One statement, an upsert that only
    moves the marker forwards: a slower request that showed fewer messages never makes read messages unread.
    """
    if not permissions.can_message(actor, application):
        raise NotPermitted(_("You are not part of this conversation."))
    table = ThreadReadMarker._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {table} (user_id, application_id, last_read_message_id, read_at)
                VALUES (%s, %s, %s, now())
                ON CONFLICT (user_id, application_id) DO UPDATE
                SET last_read_message_id = GREATEST({table}.last_read_message_id, EXCLUDED.last_read_message_id),
                    read_at = EXCLUDED.read_at""",
            [actor.pk, application.pk, up_to],
        )
    badges.forget([actor.pk])  # the Messages link's kept count (a raw upsert sends no signal)
