"""The custom user: email login and the side of the marketplace the person is on."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import F
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CREATOR = "creator", _("Creator")
    BRAND = "brand", _("Brand")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", "")
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    """A person who signs in. Staff are admins; others are on the creator or the brand side."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, blank=True)
    # The language of what we send this person (emails); blank: the site's LANGUAGE_CODE.
    language = models.CharField(_("language"), max_length=16, blank=True, default="", db_default="")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(models.functions.Lower("email"), name="user_email_ci_unique"),
        ]
        indexes = [
            # The admin's users list at 1M (issue 13): newest first without sorting the table, and its search
            # (Django's icontains: UPPER(col::text) LIKE UPPER('%term%')) through trigram indexes, not a scan.
            models.Index(F("date_joined").desc(), F("id").desc(), name="user_joined"),
            GinIndex(OpClass(Upper("email"), name="gin_trgm_ops"), name="user_email_trgm"),
            GinIndex(OpClass(Upper("full_name"), name="gin_trgm_ops"), name="user_name_trgm"),
        ]

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    @property
    def display_name(self) -> str:
        """The one name other people see: a creator's profile name, else the full name, else the email.

        The sign-up name (full_name) is private bookkeeping once a creator has chosen how brands know them.
        Select ``creator`` with the user (``select_related("author__creator")``) to keep this free.
        """
        if self.role == Role.CREATOR:
            from django.core.exceptions import ObjectDoesNotExist

            try:
                return self.creator.display_name  # reverse one-to-one from creators.Creator
            except ObjectDoesNotExist:
                pass
        return self.get_full_name()

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_creator(self) -> bool:
        return self.role == Role.CREATOR

    @property
    def is_brand(self) -> bool:
        return self.role == Role.BRAND


class VettingDigest(models.Model):
    """The daily vetting digest to staff was sent for ``day`` (core/vetting_queue.py): one per day."""

    day = models.DateField(unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"vetting digest {self.day}"
