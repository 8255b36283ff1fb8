"""Demo brands: the demo login's approved brand with a teammate, another approved brand and a pending one."""

from __future__ import annotations

from collections.abc import Callable

from core.models import Role, User
from core.vetting import VettingStatus

from .models import Brand, BrandMember, MemberRole

BRANDS = [
    # slug, name, website, industry, description, status
    (
        "trailmix-co",
        "Trailmix Co.",
        "https://trailmix.example",
        "Food & drink",
        "Small-batch energy snacks for people who move.",
        VettingStatus.APPROVED,
    ),
    (
        "lumen-skin",
        "Lumen Skin",
        "https://lumen.example",
        "Beauty",
        "Fragrance-free skincare for sensitive skin, made in Leeds.",
        VettingStatus.APPROVED,
    ),
    (
        "northwind-bikes",
        "Northwind Bikes",
        "https://northwind.example",
        "Sport",
        "Commuter e-bikes that fold into a backpack-sized box.",
        VettingStatus.PENDING,
    ),
]


def _user(email: str, name: str) -> User:
    from core.demo import demo_user

    return demo_user(email, role=Role.BRAND, full_name=name)


def seed(log: Callable[[str], None]) -> None:
    from core.demo import DEMO_LOGINS

    owners = {
        "trailmix-co": _user(DEMO_LOGINS["brand"], "Blake Brand"),
        "lumen-skin": _user("owner@lumen.example", "Lena Lumen"),
        "northwind-bikes": _user("owner@northwind.example", "Noah North"),
    }
    for slug, name, website, industry, description, status in BRANDS:
        brand, created = Brand.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "website": website,
                "industry": industry,
                "description": description,
                "status": status,
            },
        )
        BrandMember.objects.get_or_create(brand=brand, user=owners[slug], defaults={"role": MemberRole.OWNER})
        if created:
            log(f"Demo brand {name} created.")
    for brand, colour in zip(
        Brand.objects.filter(slug__in=[b[0] for b in BRANDS]).order_by("slug"),
        ["#2f6f4e", "#c0392b", "#5b3cc4"],
        strict=False,
    ):
        if not brand.logo:  # through the one upload policy, like a logo a person uploads
            from core import uploads

            from .services import LOGO_SIZES

            logo = uploads.accept_image(_draw_logo(brand.name, colour), sizes=LOGO_SIZES, crop=False)["logo"]
            brand.logo.save(logo.name, logo, save=True)
    teammate = _user("team@trailmix.example", "Tess Teammate")
    BrandMember.objects.get_or_create(
        brand=Brand.objects.get(slug="trailmix-co"), user=teammate, defaults={"role": MemberRole.MEMBER}
    )


def _draw_logo(name: str, colour: str):
    """A simple generated logo (initial on a coloured tile), so demo brands do not look empty."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (256, 256), colour)
    draw = ImageDraw.Draw(img)
    try:
        font = ImageFont.load_default(size=150)
    except TypeError:  # Pillow < 10.1
        font = ImageFont.load_default()
    draw.text((128, 128), name[:1].upper(), fill="white", font=font, anchor="mm")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return ContentFile(buf.getvalue(), name="logo.png")
