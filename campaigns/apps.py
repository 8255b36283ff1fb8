from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        from creators import (
            cards,
            changes,
            collaborations,
            reputation as kit_reputation,
            track_record as kit_track_record,
        )
        from stats import live_work

        from . import badges, cards as _campaign_cards, for_you  # noqa: F401 - cards connects niche-change signals
        from .collaborations import completed_collaborations
        from .invites import invite_control
        from .live_work import creators_with_live_work
        from .match_features import match_features_refresh
        from .reputation import media_kit_reputation
        from .track_record import media_kit_track_record

        collaborations.register(completed_collaborations)
        cards.register(invite_control)
        live_work.register(creators_with_live_work)
        kit_reputation.register(media_kit_reputation)
        kit_track_record.register(media_kit_track_record)
        changes.register(match_features_refresh)  # issue 13: the match-features row follows the creator
        badges.connect()  # issue 13: the header's unread counts kept per user, dropped by the writes that move them
        for_you.connect()  # issue 13: "Campaigns for you" kept a minute, moved on by every write matching reads
