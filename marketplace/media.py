"""Serving user files (issue 8): one view, one map from a stored path to the object that owns it.

Every file under MEDIA_URL is answered by ``serve`` (never by a static file
server that knows nothing about owners):

1. the stored path is mapped to its owner (``resolve``): a creator's avatar or
   portfolio image, a brand's logo, a campaign's reference image, a deliverable's
   draft. A path no object points to is 404, whatever is on disk.
2. the same predicates the pages use decide who may see it (``can_view``):
   creators.permissions.can_view_creator (approved: everyone; pending: owner and
   staff), campaigns.permissions.can_view_campaign (references), the
   application's two sides and staff (drafts); brand logos are public. Anyone
   else gets 404.
3. every response carries ``X-Content-Type-Options: nosniff``, a sandboxing
   CSP (``default-src 'none'; sandbox``) and ``Content-Disposition: attachment``
   unless the file is an image (by its stored extension, which the upload
   policy took from the content). The bytes come from the storage: streamed by
   Django, handed to the front server with X-Accel-Redirect
   (settings.MEDIA_ACCEL_REDIRECT_PREFIX), or, for a remote storage such as S3,
   a redirect to the storage's short-lived signed URL.

``core.media.media_url(fieldfile, user)`` (template tag ``{% media_url %}``) is
the one place that builds a user file's URL. With MEDIA_URL on a separate host
(a separate media origin, recommended in production) the session cookie does not
reach the media host, so a private file's URL carries a short-lived signature
minted only for a user who passes the same predicate: this module registers
``private_file_viewable`` with core.media (MarketplaceConfig.ready()), so the base
layer prints URLs without importing the apps that own the files.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_safe

from core.media import media_route_prefix, separate_origin, signature_valid
from core.uploads import content_type_for

__all__ = [
    "can_view",
    "clean_name",
    "is_public",
    "media_route_prefix",
    "owner_of",
    "private_file_viewable",
    "resolve",
    "serve",
]

SANDBOX_CSP = "default-src 'none'; sandbox"


@dataclass(frozen=True)
class Owner:
    kind: str  # "creator", "brand", "reference", "draft"
    obj: object  # Creator, Brand, Campaign, Application
    fieldfile: object


# --- Path -> owner ------------------------------------------------------------------------------------------


def clean_name(path: str) -> str | None:
    """The storage name for a requested path, or None for anything odd (.., absolute, backslashes, NUL)."""
    if not path or "\x00" in path or "\\" in path or path.startswith("/"):
        return None
    normal = posixpath.normpath(path)
    if normal != path or normal.startswith("..") or "/../" in f"/{normal}/":
        return None
    return normal


def _first_file(obj, fields: tuple[str, ...], name: str):
    for field in fields:
        fieldfile = getattr(obj, field)
        if fieldfile and fieldfile.name == name:
            return fieldfile
    return None


def resolve(name: str) -> Owner | None:
    """The object that owns the stored file ``name`` (one query), or None."""
    from brands.models import Brand
    from campaigns.models import ReferenceImage, Submission
    from creators.models import Creator, PortfolioItem

    parts = name.split("/")
    if len(parts) == 4 and parts[0] == "creators" and parts[1].isdigit() and parts[2] == "avatar":
        creator = Creator.objects.filter(Q(avatar=name) | Q(avatar_thumb=name), pk=int(parts[1])).first()
        return Owner("creator", creator, _first_file(creator, ("avatar", "avatar_thumb"), name)) if creator else None
    if len(parts) == 4 and parts[0] == "creators" and parts[1].isdigit() and parts[2] == "portfolio":
        item = (
            PortfolioItem.objects.select_related("creator")
            .filter(Q(image=name) | Q(thumb=name), creator_id=int(parts[1]))
            .first()
        )
        return Owner("creator", item.creator, _first_file(item, ("image", "thumb"), name)) if item else None
    if parts[:2] == ["brands", "logos"]:
        brand = Brand.objects.filter(logo=name).first()
        return Owner("brand", brand, brand.logo) if brand else None
    if parts[:2] == ["campaigns", "references"]:
        qs = ReferenceImage.objects.select_related("campaign").filter(image=name)
        if len(parts) == 4 and re.fullmatch(r"c\d+", parts[2]):
            qs = qs.filter(campaign_id=int(parts[2][1:]))
        ref = qs.first()
        return Owner("reference", ref.campaign, ref.image) if ref else None
    if parts[:2] == ["campaigns", "drafts"]:
        qs = Submission.objects.select_related(
            "deliverable__application__campaign", "deliverable__application__creator"
        ).filter(file=name)
        if len(parts) == 4 and re.fullmatch(r"d\d+", parts[2]):
            qs = qs.filter(deliverable_id=int(parts[2][1:]))
        submission = qs.first()
        return Owner("draft", submission.deliverable.application, submission.file) if submission else None
    return None


def owner_of(fieldfile) -> Owner | None:
    """The owner of a file already loaded on a model instance (no lookup by path)."""
    from brands.models import Brand
    from campaigns.models import ReferenceImage, Submission
    from creators.models import Creator, PortfolioItem

    instance = getattr(fieldfile, "instance", None)
    if isinstance(instance, Creator):
        return Owner("creator", instance, fieldfile)
    if isinstance(instance, PortfolioItem):
        return Owner("creator", instance.creator, fieldfile)
    if isinstance(instance, Brand):
        return Owner("brand", instance, fieldfile)
    if isinstance(instance, ReferenceImage):
        return Owner("reference", instance.campaign, fieldfile)
    if isinstance(instance, Submission):
        return Owner("draft", instance.deliverable.application, fieldfile)
    return None


# --- Who may see it: the pages' own predicates ------------------------------------------------------------------


def is_public(owner: Owner) -> bool:
    """Visible to anyone, signed in or not (so servable without a session, e.g. from a separate media origin)."""
    from core.vetting import VettingStatus

    if owner.kind == "brand":
        return True
    if owner.kind == "creator":
        return owner.obj.status == VettingStatus.APPROVED
    return False


def can_view(user, owner: Owner) -> bool:
    from campaigns import permissions as campaign_permissions
    from creators import permissions as creator_permissions

    if owner.kind == "brand":
        return True  # logos are shown wherever the brand's name is
    if owner.kind == "creator":
        return creator_permissions.can_view_creator(user, owner.obj)
    if owner.kind == "reference":
        return campaign_permissions.can_view_campaign(user, owner.obj)
    if owner.kind == "draft":
        return bool(getattr(user, "is_staff", False)) or campaign_permissions.can_view_application(user, owner.obj)
    return False


def private_file_viewable(fieldfile, user) -> bool:
    """For core.media.media_url: is this file private, and may ``user`` see it (so its URL gets a signature)?"""
    owner = owner_of(fieldfile)
    return owner is not None and not is_public(owner) and can_view(user, owner)


# --- The view --------------------------------------------------------------------------------------------------------


def _local_path(storage, name: str) -> str | None:
    try:
        return storage.path(name)
    except NotImplementedError:
        return None


def _headers(response: HttpResponse, name: str, *, public: bool) -> HttpResponse:
    content_type, inline = content_type_for(name)
    basename = name.rsplit("/", 1)[-1]
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{basename}"'
    response["Cross-Origin-Resource-Policy"] = "same-site" if not separate_origin() else "cross-origin"
    response["Cache-Control"] = "public, max-age=3600" if public else "private, max-age=300"
    if not public:
        response["Vary"] = "Cookie"
    return response


@require_safe
def serve(request, path: str):
    name = clean_name(path)
    owner = resolve(name) if name else None
    if owner is None:
        raise Http404
    public = is_public(owner)
    allowed = public or can_view(request.user, owner) or signature_valid(name, request.GET.get("sig", ""))
    if not allowed:
        raise Http404
    storage = owner.fieldfile.storage
    local = _local_path(storage, name)
    if local is None:  # remote storage (S3): the storage's own short-lived signed URL
        content_type, inline = content_type_for(name)
        disposition = f'{"inline" if inline else "attachment"}; filename="{name.rsplit("/", 1)[-1]}"'
        try:
            target = storage.url(
                name,
                parameters={"ResponseContentType": content_type, "ResponseContentDisposition": disposition},
                expire=settings.MEDIA_SIGNED_URL_MAX_AGE,
            )
        except TypeError:
            target = storage.url(name)
        response = _headers(HttpResponseRedirect(target), name, public=False)
        response["Cache-Control"] = "private, no-store"
        return response
    if not storage.exists(name):
        raise Http404
    prefix = getattr(settings, "MEDIA_ACCEL_REDIRECT_PREFIX", "")
    if prefix:  # the front server (nginx) sends the bytes from an internal location
        response = HttpResponse()
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
        return _headers(response, name, public=public)
    return _headers(FileResponse(open(local, "rb")), name, public=public)
