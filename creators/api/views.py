"""Creators API (PRODUCT §8): the same filters, permissions and services as the pages."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.api_fields import ID_PATH_REGEX

from ..filters import CreatorFilter
from ..models import Creator, RateCardEntry, SocialAccount
from ..permissions import can_list_creators_api, can_view_creator
from ..selectors import creator_for_user, listed_creators
from ..services import CreatorError, creator_update_profile, social_account_link, social_account_unlink
from .cache import cached_representations
from .pagination import DirectoryPagination
from .serializers import CreatorDetailSerializer, CreatorSerializer, CreatorUpdateSerializer, SocialAccountSerializer


class IsCreator(permissions.BasePermission):
    def has_permission(self, request, view):
        return bool(request.user.is_authenticated and request.user.is_creator)


def _with_cards(qs):
    return qs.defer("search_vector").prefetch_related(
        "niches",
        Prefetch("accounts", queryset=SocialAccount.objects.order_by("-followers", "platform")),
        Prefetch("rates", queryset=RateCardEntry.objects.order_by("platform", "price")),
    )


class CreatorViewSet(viewsets.ReadOnlyModelViewSet):
    """List (brands and staff; approved creators; filters and ``q`` search) and detail (public media-kit rules)."""

    serializer_class = CreatorSerializer
    lookup_value_regex = ID_PATH_REGEX
    filter_backends = [DjangoFilterBackend]
    filterset_class = CreatorFilter
    pagination_class = DirectoryPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Creator.objects.none()
        if self.action == "list":
            if not can_list_creators_api(self.request.user):
                raise Http404  # not a capability of this role: nothing to confirm
            return listed_creators()  # ordered, paged and prefetched by DirectoryPagination
        return _with_cards(Creator.objects.all())

    def filter_queryset(self, queryset):
        """The directory's filters on the list (kept for the pagination's plan); none on a detail."""
        if self.action != "list":
            return queryset
        backend = DjangoFilterBackend()
        filterset = backend.get_filterset(self.request, queryset, self)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        self.directory_filterset = filterset
        return filterset.qs

    def get_serializer_class(self):
        return CreatorDetailSerializer if self.action == "retrieve" else CreatorSerializer

    def list(self, request, *args, **kwargs):
        """The directory's page; each creator's representation from the cache when its row is unchanged."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        data = cached_representations(
            page, lambda creators: self.get_serializer(creators, many=True).data, request=request
        )
        return self.get_paginated_response(data)

    def get_object(self):
        obj = super().get_object()
        if not can_view_creator(self.request.user, obj):
            raise Http404
        return obj

    @extend_schema(request=CreatorUpdateSerializer, responses=CreatorSerializer)
    @action(
        detail=False,
        methods=["get", "patch"],
        permission_classes=[IsCreator],
        filter_backends=[],
        pagination_class=None,
    )
    def me(self, request):
        creator = creator_for_user(user=request.user)
        if creator is None:
            raise Http404
        if request.method == "PATCH":
            current = {
                "display_name": creator.display_name,
                "bio": creator.bio,
                "country": creator.country,
                "languages": creator.languages,
                "niches": [n.slug for n in creator.niches.all()],
                "content_formats": creator.content_formats,
            }
            serializer = CreatorUpdateSerializer(data={**current, **request.data})
            serializer.is_valid(raise_exception=True)
            try:
                creator_update_profile(creator=creator, actor=request.user, **serializer.validated_data)
            except CreatorError as exc:
                raise ValidationError({"non_field_errors": [str(exc)]}) from exc
        creator = _with_cards(Creator.objects.filter(pk=creator.pk)).get()
        return Response(CreatorSerializer(creator, context={"request": request}).data)


class SocialAccountViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The signed-in creator's own linked accounts. Another creator's account is a 404."""

    serializer_class = SocialAccountSerializer
    lookup_value_regex = ID_PATH_REGEX
    permission_classes = [IsCreator]
    filter_backends: list = []

    def _creator(self):
        creator = creator_for_user(user=self.request.user)
        if creator is None:
            raise Http404
        return creator

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return SocialAccount.objects.none()
        return SocialAccount.objects.filter(creator__user=self.request.user).order_by("platform", "id")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            account = social_account_link(
                creator=self._creator(),
                actor=request.user,
                platform=serializer.validated_data["platform"],
                handle=serializer.validated_data["handle"],
            )
        except CreatorError as exc:
            raise ValidationError({"non_field_errors": [str(exc)]}) from exc
        return Response(self.get_serializer(account).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        social_account_unlink(account=instance, actor=self.request.user)
