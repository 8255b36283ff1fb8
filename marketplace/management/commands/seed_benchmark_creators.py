"""Insert many synthetic creators fast, for benchmarks: `manage.py seed_benchmark_creators --count 100000`.

Everything is generated inside PostgreSQL (INSERT ... SELECT FROM generate_series), in chunks, so no row
crosses the wire and 1,000,000 creators take minutes. Idempotent: it tops up to --count benchmark creators
(handles ``bench-<n>``) and never touches other data. The users get an unusable password.

The data is varied at every size (issue 13: the first seed repeated one 20,000-row sample), each draw from a
plausible distribution, reproducible (``setseed`` per chunk):

* country by market size (US a quarter, then GB, BR, IN, DE, ...); languages: the country's, plus English for
  a third of the non-English speakers, plus a third language for a few;
* status: 86 % approved, 8 % pending, 3 % rejected, 3 % suspended; joined over the last three years;
* 1–3 accounts (55/33/12 %) on distinct platforms, weighted Instagram 40, TikTok 30, YouTube 20, LinkedIn 10;
  followers log-normal (median ~4,000, a long tail into the millions), a second account a fraction of the
  first; engagement rate by platform, falling with size, log-normal noise, unknown for 4 %;
* 1–3 niches by popularity (Zipf-like over the 23 niches of the taxonomy); bios from 30 topics and 6 phrasings;
  'zeppelin' in one bio in 5,000 (the directory's rare search);
* a rate card for 3 in 4 creators, one line per account, priced from the followers with noise, USD/EUR/GBP;
* ``--history``: a track record for ~4 % of approved creators: 1–8 completed collaborations with 40 seeded
  brands, a brand review for 4 in 5 (mostly 4–5 stars), one deliverable each, delivered on time 85 % of the
  time, so the reputation signal of matching varies as it does in production.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from creators.services import creator_recompute_audience, creator_refresh_search
from creators.tiers import thresholds

# Bumped whenever what the seed generates changes: benchmarks cache the seeded database per version and size.
SEED_VERSION = 2

FIRST = (
    "Mia Leo Ava Noah Zoe Omar Ivy Luca Nia Kai Emma Ravi Sofia Jonas Chloe Mateo Aisha Finn Yuki Lena Diego Maya "
    "Theo Priya Elif Sam Ines Hugo Lara Tariq Amara Ben Carla Dev Eva Felix Gia Hana Isak Jade Karim Lucia Marco "
    "Nora Oscar Paula Quinn Rosa Sven Tara Umar Vera Wren Xavi Yara Zain Anya Bruno Cleo Dara"
).split()
LAST = (
    "Runs Cooks Travels Builds Plays Reads Lifts Paints Codes Grows Styles Saves Bakes Hikes Films Sings Martin "
    "Garcia Silva Novak Berg Rossi Kim Patel Müller Dubois Santos Jensen Kowalski Tanaka Okafor Haddad Costa Nguyen "
    "Fischer Moreau Lopez Ivanova Andersson Smith Brown Wilson Khan Sato Reyes"
).split()
TOPICS = [
    "running",
    "recipes",
    "skincare",
    "budget travel",
    "retro games",
    "home workouts",
    "parenting hacks",
    "personal finance",
    "street style",
    "indie books",
    "coffee",
    "gardening",
    "cycling",
    "vegan food",
    "smart home",
    "photography",
    "yoga",
    "hiking",
    "makeup",
    "crypto",
    "interior design",
    "dog training",
    "language learning",
    "board games",
    "camping",
    "baking",
    "sneakers",
    "productivity",
    "music production",
    "fishing",
]
PHRASES = [
    "'I share ' || t1 || ' and ' || t2 || ' with a friendly community.'",
    "t1 || ' every week, ' || t2 || ' on Sundays.'",
    "'Honest reviews: ' || t1 || ', ' || t2 || ' and everything in between.'",
    "'Former teacher turned ' || t1 || ' creator. Also into ' || t2 || '.'",
    "'Short videos about ' || t1 || '. DMs open for ' || t2 || ' collabs.'",
    "'Documenting my ' || t1 || ' journey from ' || country || '.'",
]
# (country, language, weight): roughly the creator-economy markets by size.
COUNTRIES = [
    ("US", "en", 25),
    ("GB", "en", 9),
    ("BR", "pt", 8),
    ("IN", "hi", 8),
    ("DE", "de", 7),
    ("FR", "fr", 6),
    ("MX", "es", 5),
    ("ES", "es", 5),
    ("IT", "it", 4),
    ("CA", "en", 4),
    ("JP", "ja", 4),
    ("NL", "nl", 3),
    ("PL", "pl", 3),
    ("SE", "sv", 2),
    ("AU", "en", 3),
    ("ID", "id", 3),
    ("TR", "tr", 2),
    ("NG", "en", 2),
    ("KR", "ko", 2),
    ("AR", "es", 2),
]
THIRD_LANGUAGES = ["es", "fr", "de", "pt", "it"]
STATUSES = [("approved", 86), ("pending", 8), ("rejected", 3), ("suspended", 3)]
# platform, weight, base engagement rate (percent) of a 10K account, its deliverable
PLATFORMS = [
    ("instagram", 40, 3.0, "post"),
    ("tiktok", 30, 6.5, "short"),
    ("youtube", 20, 4.5, "video"),
    ("linkedin", 10, 2.6, "article"),
]
FORMATS = ["photo", "short_video", "long_video", "stories", "live", "ugc", "article", "review"]


def _array(values, kind: str = "text") -> str:
    if kind == "text":
        return "ARRAY[" + ",".join("'" + str(v).replace("'", "''") + "'" for v in values) + "]::text[]"
    return "ARRAY[" + ",".join(str(v) for v in values) + f"]::{kind}[]"


def _weighted(pairs) -> list:
    """A list with each value repeated by its weight: a uniform index into it is a weighted draw."""
    return [value for value, weight in pairs for _ in range(weight)]


class Command(BaseCommand):
    help = "Seed N varied synthetic creators (handles bench-<n>) for the benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100_000)
        parser.add_argument("--chunk", type=int, default=25_000)
        parser.add_argument("--history", action="store_true", help="also seed past collaborations and reviews")
        parser.add_argument("--reset", action="store_true", help="delete the benchmark creators first")

    def handle(self, *args, count: int, chunk: int, history: bool = False, reset: bool = False, **options):
        if reset:
            self._reset()
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM creators_creator WHERE handle LIKE 'bench-%%'")
            have = cursor.fetchone()[0]
        started = time.monotonic()
        if have >= count:
            self.stdout.write(f"{have:,} benchmark creators already there.")
        for start in range(have + 1, count + 1, chunk):
            end = min(start + chunk - 1, count)
            self._chunk(start, end)
            self.stdout.write(f"  creators {start:,}–{end:,} ({time.monotonic() - started:.1f} s)", ending="\n")
            self.stdout.flush()
        if history:
            self._history()
            self.stdout.write(f"  history ({time.monotonic() - started:.1f} s)")
        with connection.cursor() as cursor:
            for table in (
                "marketplace_user",
                "creators_creator",
                "creators_socialaccount",
                "creators_creator_niches",
                "creators_ratecardentry",
                "campaigns_application",
                "campaigns_review",
            ):
                cursor.execute(f"ANALYZE {table}")
        self.stdout.write(
            self.style.SUCCESS(f"benchmark creators up to {count:,} in {time.monotonic() - started:.1f} s.")
        )

    @transaction.atomic
    def _reset(self) -> None:
        ids = "SELECT id FROM creators_creator WHERE handle LIKE 'bench-%%'"
        with connection.cursor() as cursor:
            for sql in (
                f"DELETE FROM campaigns_matchfeatures WHERE creator_id IN ({ids})",
                f"DELETE FROM creators_ratecardentry WHERE creator_id IN ({ids})",
                f"DELETE FROM creators_creator_niches WHERE creator_id IN ({ids})",
                f"DELETE FROM creators_statssnapshot WHERE account_id IN "
                f"(SELECT id FROM creators_socialaccount WHERE creator_id IN ({ids}))",
                f"DELETE FROM creators_socialaccount WHERE creator_id IN ({ids})",
                "DELETE FROM audit_auditentry WHERE target_type_id = (SELECT id FROM django_content_type "
                f"WHERE app_label = 'creators' AND model = 'creator') AND target_id IN ({ids})",
                f"DELETE FROM campaigns_submission WHERE deliverable_id IN (SELECT d.id FROM campaigns_deliverable d "
                f"JOIN campaigns_application a ON a.id = d.application_id WHERE a.creator_id IN ({ids}))",
                "DELETE FROM campaigns_deliverable WHERE application_id IN "
                f"(SELECT id FROM campaigns_application WHERE creator_id IN ({ids}))",
                "DELETE FROM campaigns_review WHERE application_id IN "
                f"(SELECT id FROM campaigns_application WHERE creator_id IN ({ids}))",
                f"DELETE FROM campaigns_application WHERE creator_id IN ({ids})",
                "DELETE FROM campaigns_campaign WHERE brand_id IN "
                "(SELECT id FROM brands_brand WHERE slug LIKE 'bench-history-%%')",
                "DELETE FROM brands_brand WHERE slug LIKE 'bench-history-%%'",
                "DELETE FROM creators_creator WHERE handle LIKE 'bench-%%'",
                "DELETE FROM marketplace_user WHERE email LIKE 'bench-%%@bench.example' AND role = 'creator'",
            ):
                cursor.execute(sql, [])
        self.stdout.write("Benchmark creators deleted.")

    @transaction.atomic
    def _chunk(self, start: int, end: int) -> None:
        first, last, topics = _array(FIRST), _array(LAST), _array(TOPICS)
        countries = _weighted([((c, lang), w) for c, lang, w in COUNTRIES])
        country_arr, lang_arr = _array([c for c, _ in countries]), _array([lang for _, lang in countries])
        statuses = _array(_weighted(STATUSES))
        third = _array(THIRD_LANGUAGES)
        formats = _array(FORMATS)
        phrase = "CASE x.ph " + " ".join(f"WHEN {i} THEN {p}" for i, p in enumerate(PHRASES)) + " END"
        params = [start, end]
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(%s)", [((start * 7919) % 10007) / 10007])
            cursor.execute(
                """
                INSERT INTO marketplace_user (password, is_superuser, is_staff, is_active, date_joined, email,
                                              full_name, role)
                SELECT '!bench', false, false, true, now(), 'bench-' || g || '@bench.example', '', 'creator'
                FROM generate_series(%s, %s) g
                """,
                params,
            )
            # Every random draw of a row is made once in the LATERAL (it mentions g, so it runs per row).
            cursor.execute(
                f"""
                INSERT INTO creators_creator (user_id, display_name, handle, bio, country, languages, status,
                    status_reason, followers, created_at, updated_at, content_formats, avatar, avatar_thumb)
                SELECT u.id,
                    ({first})[x.fi] || ' ' || ({last})[x.li],
                    'bench-' || g,
                    {phrase.replace("t1", "x.t1").replace("t2", "x.t2").replace("country", "x.country")}
                        || CASE WHEN g %% 5000 = 1 THEN ' Weekend zeppelin pilot.' ELSE '' END,
                    x.country,
                    (ARRAY[x.lang]
                        || CASE WHEN x.lang <> 'en' AND x.r_en < 0.35 THEN ARRAY['en'] ELSE ARRAY[]::text[] END
                        || CASE WHEN x.r_third < 0.06 AND ({third})[x.ti] <> x.lang
                                THEN ARRAY[({third})[x.ti]] ELSE ARRAY[]::text[] END)::varchar(8)[],
                    x.status, '', 0,
                    now() - x.r_age * interval '1100 days', now(),
                    ARRAY(SELECT f FROM unnest({formats}) f WHERE random() < 0.3 + 0 * g)::varchar(16)[], '', ''
                FROM generate_series(%s, %s) g
                JOIN marketplace_user u ON u.email = 'bench-' || g || '@bench.example'
                CROSS JOIN LATERAL (
                    SELECT 1 + floor(random() * {len(FIRST)} + 0 * g)::int AS fi,
                           1 + floor(random() * {len(LAST)})::int AS li,
                           ({topics})[1 + floor(random() * {len(TOPICS)})::int] AS t1,
                           ({topics})[1 + floor(random() * {len(TOPICS)})::int] AS t2,
                           floor(random() * {len(PHRASES)})::int AS ph,
                           c.country, c.lang, random() AS r_en, random() AS r_third,
                           1 + floor(random() * {len(THIRD_LANGUAGES)})::int AS ti,
                           ({statuses})[1 + floor(random() * 100)::int] AS status,
                           random() AS r_age
                    FROM (SELECT ({country_arr})[k] AS country, ({lang_arr})[k] AS lang
                          FROM (SELECT 1 + floor(random() * {len(countries)} + 0 * g)::int AS k) kk) c
                ) x
                """,
                params,
            )
            cursor.execute(
                "SELECT id FROM creators_creator WHERE handle = ANY(%s)",
                [[f"bench-{g}" for g in range(start, end + 1)]],
            )
            ids = [row[0] for row in cursor.fetchall()]
            self._accounts(cursor, ids)
            # 1-3 niches drawn by popularity without replacement (weight 1 / rank^0.9; -ln(u)/w sampling).
            cursor.execute(
                """
                INSERT INTO creators_creator_niches (creator_id, niche_id)
                SELECT c.id, n.id
                FROM creators_creator c
                CROSS JOIN LATERAL (SELECT CASE WHEN r < 0.45 THEN 1 WHEN r < 0.85 THEN 2 ELSE 3 END AS k
                                    FROM (SELECT random() + 0 * c.id AS r) rr) kk
                CROSS JOIN LATERAL (
                    SELECT n.id FROM creators_niche n
                    ORDER BY -ln(1 - random()) * power(n.id - (SELECT min(id) FROM creators_niche) + 1, 0.9)
                             + 0 * c.id
                    LIMIT kk.k
                ) n
                WHERE c.id = ANY(%s)
                """,
                [ids],
            )
            currencies = _array(_weighted([("USD", 85), ("EUR", 10), ("GBP", 5)]))
            cursor.execute(
                f"""
                INSERT INTO creators_ratecardentry (creator_id, platform, deliverable, price, currency, note,
                                                    created_at)
                SELECT a.creator_id, a.platform,
                       CASE a.platform WHEN 'youtube' THEN 'video' WHEN 'linkedin' THEN 'article'
                                       WHEN 'tiktok' THEN 'short' ELSE 'post' END,
                       greatest(10, round(power(coalesce(a.followers, 1000), 0.9) * 0.02
                                          * exp(0.5 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())))),
                       ({currencies})[1 + floor(random() * 100)::int], '', now()
                FROM creators_socialaccount a
                WHERE a.creator_id = ANY(%s) AND (hashint4(a.creator_id::int) %% 4) <> 0
                ON CONFLICT DO NOTHING
                """,
                [ids],
            )
        creator_recompute_audience(creator_ids=ids)
        creator_refresh_search(creator_ids=ids)

    def _accounts(self, cursor, ids: list[int]) -> None:
        plats = _array([p for p, *_ in PLATFORMS])
        weights = _array([w for _, w, *_ in PLATFORMS], "float8")
        base_er = _array([er for *_, er, _d in PLATFORMS], "float8")
        tiers = " ".join(f"WHEN f.followers >= {int(b)} THEN '{t.value}'" for b, t in thresholds())
        # normal(0,1) by Box-Muller from two uniforms
        normal = "(sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))"
        cursor.execute(
            f"""
            INSERT INTO creators_socialaccount (creator_id, platform, handle, external_id, verified, followers,
                avg_likes, avg_comments, avg_views, engagement_rate, tier, last_refreshed_at, refresh_status,
                refresh_error, consecutive_failures, created_at, access_token, likes_hidden, self_reported)
            SELECT c.id, p.platform, c.handle || '.' || p.rank, 'bench-' || c.id || '-' || p.rank,
                random() < 0.04 + 0.3 * (f.followers > 500000)::int, f.followers,
                round(f.followers * e.er / 100 * 0.95), round(f.followers * e.er / 100 * 0.05),
                CASE WHEN p.platform IN ('tiktok', 'youtube') THEN round(f.followers * 0.4) END,
                CASE WHEN e.unknown THEN NULL ELSE round(least(e.er, 60)::numeric, 3) END,
                CASE {tiers} ELSE NULL END,
                now() - random() * interval '30 hours', 'ok', '', 0, c.created_at, '', e.unknown, false
            FROM creators_creator c
            CROSS JOIN LATERAL (SELECT CASE WHEN r < 0.55 THEN 1 WHEN r < 0.88 THEN 2 ELSE 3 END AS n,
                                       {normal} AS size
                                FROM (SELECT random() + 0 * c.id AS r) rr) s
            CROSS JOIN LATERAL (
                SELECT platform, row_number() OVER (ORDER BY key) AS rank, base_er
                FROM (SELECT pl.platform, pl.base_er, -ln(1 - random()) / pl.w + 0 * c.id AS key
                      FROM unnest({plats}, {weights}, {base_er}) AS pl(platform, w, base_er)) z
                ORDER BY key LIMIT s.n
            ) p
            CROSS JOIN LATERAL (
                SELECT greatest(20, least(90000000, floor(exp(8.3 + 1.75 * s.size
                    + CASE WHEN p.rank > 1 THEN -1.2 + 1.0 * {normal} ELSE 0 END))))::bigint AS followers
            ) f
            CROSS JOIN LATERAL (
                SELECT p.base_er * power(f.followers / 10000.0, -0.17) * exp(0.45 * {normal}) AS er,
                       random() < 0.04 AS unknown
            ) e
            WHERE c.id = ANY(%s)
            """,
            [ids],
        )

    @transaction.atomic
    def _history(self) -> None:
        """Past collaborations for ~4 % of approved benchmark creators (idempotent: only once)."""
        from brands.models import Brand
        from campaigns.models import Campaign, CampaignStatus

        if Brand.objects.filter(slug__startswith="bench-history-").exists():
            return
        import datetime as dt

        from django.utils import timezone

        brands = Brand.objects.bulk_create(
            Brand(name=f"History brand {i}", slug=f"bench-history-{i}", status="approved") for i in range(40)
        )
        today = timezone.localdate()
        Campaign.objects.bulk_create(
            Campaign(
                brand=brands[i % 40],
                title=f"Past campaign {i}",
                product_description="A finished benchmark campaign.",
                slots=50,
                application_deadline=today - dt.timedelta(days=400 - i % 300),
                content_due_date=today - dt.timedelta(days=370 - i % 300),
                status=CampaignStatus.COMPLETED,
                published_at=timezone.now() - dt.timedelta(days=420 - i % 300),
            )
            for i in range(400)
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.4242)")
            cursor.execute(
                """
                INSERT INTO campaigns_application (campaign_id, creator_id, status, pitch, sample_links,
                    decline_message, created_at, updated_at, ended_at)
                SELECT DISTINCT ON (camp.id, c.id) camp.id, c.id, 'completed', 'Past work.', '{}', '',
                       now() - interval '400 days', now() - interval '300 days', now() - interval '300 days'
                FROM creators_creator c
                CROSS JOIN LATERAL generate_series(1, 1 + floor(power(random() + 0 * c.id, 2) * 8)::int) k
                JOIN LATERAL (SELECT cc.id FROM campaigns_campaign cc JOIN brands_brand b ON b.id = cc.brand_id
                              WHERE b.slug LIKE 'bench-history-%%' ORDER BY random() + 0 * k LIMIT 1) camp ON true
                WHERE c.handle LIKE 'bench-%%' AND c.status = 'approved' AND hashint4(c.id::int + 17) %% 25 = 0
                """,
                [],
            )
            cursor.execute(
                """
                INSERT INTO campaigns_review (application_id, side, overall, communication, quality, timeliness,
                    text, reply, window_closes_at, published_at, hidden_reason, created_at)
                SELECT a.id, 'brand', r.overall, r.overall, r.overall, greatest(1, r.overall - 1), 'Good work.', '',
                       now() - interval '280 days', now() - interval '290 days', '', now() - interval '295 days'
                FROM campaigns_application a
                JOIN campaigns_campaign cc ON cc.id = a.campaign_id
                JOIN brands_brand b ON b.id = cc.brand_id AND b.slug LIKE 'bench-history-%%'
                CROSS JOIN LATERAL (SELECT CASE WHEN u < 0.5 THEN 5 WHEN u < 0.8 THEN 4 WHEN u < 0.92 THEN 3
                                                WHEN u < 0.97 THEN 2 ELSE 1 END AS overall
                                    FROM (SELECT random() + 0 * a.id AS u) uu) r
                WHERE random() < 0.8
                """,
                [],
            )
            cursor.execute(
                """
                INSERT INTO campaigns_deliverable (application_id, platform, format, status, live_url, due_date)
                SELECT a.id, 'instagram', 'post', 'approved', '', (now() - interval '330 days')::date
                FROM campaigns_application a
                JOIN campaigns_campaign cc ON cc.id = a.campaign_id
                JOIN brands_brand b ON b.id = cc.brand_id AND b.slug LIKE 'bench-history-%%'
                """,
                [],
            )
            cursor.execute(
                """
                INSERT INTO campaigns_submission (deliverable_id, file, link, note, status, brand_comment, created_at)
                SELECT d.id, '', 'https://example.com/draft', '', 'approved', '',
                       d.due_date + CASE WHEN random() < 0.85 THEN -2 ELSE 4 END * interval '1 day'
                FROM campaigns_deliverable d
                JOIN campaigns_application a ON a.id = d.application_id
                JOIN campaigns_campaign cc ON cc.id = a.campaign_id
                JOIN brands_brand b ON b.id = cc.brand_id AND b.slug LIKE 'bench-history-%%'
                """,
                [],
            )
            # the planner must know the rows just written before the correlated lookups below
            for table in ("campaigns_application", "campaigns_review", "campaigns_deliverable", "campaigns_submission"):
                cursor.execute(f"ANALYZE {table}", [])
            # the raw writes above bypass the services: rewrite the match features of the creators they touched
            cursor.execute(
                "SELECT DISTINCT a.creator_id FROM campaigns_application a JOIN campaigns_campaign cc "
                "ON cc.id = a.campaign_id JOIN brands_brand b ON b.id = cc.brand_id "
                "WHERE b.slug LIKE 'bench-history-%%'",
                [],
            )
            ids = [row[0] for row in cursor.fetchall()]
        from campaigns.match_features import match_features_refresh

        for start in range(0, len(ids), 20_000):
            match_features_refresh(ids[start : start + 20_000])
