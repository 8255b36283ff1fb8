from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreatorsConfig(AppConfig):
    name = "creators"
    verbose_name = _("Creators")

    def ready(self) -> None:
        # The statistics admin lives in its own module (creators/admin.py is the profiles' admin).
        from . import stats_admin

        stats_admin.register()
