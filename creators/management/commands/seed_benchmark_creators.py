"""Insert many synthetic creators fast, for benchmarks: `manage.py seed_benchmark_creators --count 100000`.

Everything is generated inside PostgreSQL (INSERT ... SELECT FROM generate_series),
in chunks, so 100,000 creators with accounts, niches, rates and search
documents take well under a minute and no row crosses the wire. Idempotent:
it tops up to --count benchmark creators (handles ``bench-<n>``) and never
touches other data. The users get an unusable password.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from creators.services import creator_recompute_audience, creator_refresh_search

FIRST = [
    "Mia",
    "Leo",
    "Ava",
    "Noah",
    "Zoe",
    "Omar",
    "Ivy",
    "Luca",
    "Nia",
    "Kai",
    "Emma",
    "Ravi",
    "Sofia",
    "Jonas",
    "Chloe",
    "Mateo",
    "Aisha",
    "Finn",
    "Yuki",
    "Lena",
    "Diego",
    "Maya",
    "Theo",
    "Priya",
    "Elif",
    "Sam",
    "Ines",
    "Hugo",
    "Lara",
    "Tariq",
]
LAST = [
    "Runs",
    "Cooks",
    "Travels",
    "Builds",
    "Plays",
    "Reads",
    "Lifts",
    "Paints",
    "Codes",
    "Grows",
    "Styles",
    "Saves",
    "Bakes",
    "Hikes",
    "Films",
    "Sings",
    "Martin",
    "Garcia",
    "Silva",
    "Novak",
    "Berg",
    "Rossi",
    "Kim",
]
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
COUNTRIES = [
    ("GB", "en"),
    ("US", "en"),
    ("DE", "de"),
    ("FR", "fr"),
    ("ES", "es"),
    ("IT", "it"),
    ("NL", "nl"),
    ("BR", "pt"),
    ("IN", "hi"),
    ("SE", "sv"),
    ("PL", "pl"),
    ("MX", "es"),
    ("JP", "ja"),
    ("CA", "en"),
]
PLATFORMS = ["instagram", "tiktok", "youtube", "linkedin"]


def _array(values: list[str]) -> str:
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]::text[]"


class Command(BaseCommand):
    help = "Seed N synthetic creators (handles bench-<n>) for the directory benchmark."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100_000)
        parser.add_argument("--chunk", type=int, default=20_000)
        parser.add_argument("--reset", action="store_true", help="delete the benchmark creators first")

    def handle(self, *args, count: int, chunk: int, reset: bool = False, **options):
        if reset:
            self._reset()
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM creators_creator WHERE handle LIKE 'bench-%%'")
            have = cursor.fetchone()[0]
        if have >= count:
            self.stdout.write(f"{have:,} benchmark creators already there.")
            return
        started = time.monotonic()
        for start in range(have + 1, count + 1, chunk):
            end = min(start + chunk - 1, count)
            self._chunk(start, end)
            self.stdout.write(f"  creators {start:,}–{end:,} ({time.monotonic() - started:.1f} s)")
        with connection.cursor() as cursor:
            for table in (
                "marketplace_user",
                "creators_creator",
                "creators_socialaccount",
                "creators_creator_niches",
                "creators_ratecardentry",
            ):
                cursor.execute(f"ANALYZE {table}")
        self.stdout.write(
            self.style.SUCCESS(f"{count - have:,} benchmark creators added in {time.monotonic() - started:.1f} s.")
        )

    @transaction.atomic
    def _reset(self) -> None:
        ids = "SELECT id FROM creators_creator WHERE handle LIKE 'bench-%%'"
        with connection.cursor() as cursor:
            for sql in (
                f"DELETE FROM creators_ratecardentry WHERE creator_id IN ({ids})",
                f"DELETE FROM creators_creator_niches WHERE creator_id IN ({ids})",
                f"DELETE FROM creators_statssnapshot WHERE account_id IN "
                f"(SELECT id FROM creators_socialaccount WHERE creator_id IN ({ids}))",
                f"DELETE FROM creators_socialaccount WHERE creator_id IN ({ids})",
                "DELETE FROM audit_auditentry WHERE target_type_id = (SELECT id FROM django_content_type "
                f"WHERE app_label = 'creators' AND model = 'creator') AND target_id IN ({ids})",
                "DELETE FROM creators_creator WHERE handle LIKE 'bench-%%'",
                "DELETE FROM marketplace_user WHERE email LIKE 'bench-%%@bench.example' AND role = 'creator'",
            ):
                cursor.execute(sql, [])
        self.stdout.write("Benchmark creators deleted.")

    @transaction.atomic
    def _chunk(self, start: int, end: int) -> None:
        first, last, topics = _array(FIRST), _array(LAST), _array(TOPICS)
        countries = _array([c for c, _ in COUNTRIES])
        langs = _array([lang for _, lang in COUNTRIES])
        platforms = _array(PLATFORMS)
        params = [start, end]
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(%s)", [(start % 1000) / 1000])
            cursor.execute(
                """
                INSERT INTO marketplace_user (password, is_superuser, is_staff, is_active, date_joined, email,
                                              full_name, role)
                SELECT '!bench', false, false, true, now(), 'bench-' || g || '@bench.example', '', 'creator'
                FROM generate_series(%s, %s) g
                """,
                params,
            )
            # 'zeppelin' appears in 1 bio in 5,000: the rare-match search of the benchmark.
            cursor.execute(
                f"""
                INSERT INTO creators_creator (user_id, display_name, handle, bio, country, languages, status,
                    status_reason, followers, created_at, updated_at, content_formats, avatar, avatar_thumb)
                SELECT u.id,
                    ({first})[1 + (g * 7) %% {len(FIRST)}] || ' ' || ({last})[1 + (g * 13) %% {len(LAST)}],
                    'bench-' || g,
                    'I share ' || ({topics})[1 + floor(random() * {len(TOPICS)})::int] || ' and '
                        || ({topics})[1 + floor(random() * {len(TOPICS)})::int] || ' with a friendly community.'
                        || CASE WHEN g %% 5000 = 1 THEN ' Weekend zeppelin pilot.' ELSE '' END,
                    ({countries})[1 + g %% {len(COUNTRIES)}],
                    ARRAY[({langs})[1 + g %% {len(COUNTRIES)}]]::varchar(8)[],
                    CASE WHEN g %% 10 = 3 THEN 'pending' WHEN g %% 97 = 0 THEN 'suspended' ELSE 'approved' END,
                    '', 0, now() - (g %% 20000) * interval '37 minutes', now(),
                    ARRAY['short_video']::varchar(16)[], '', ''
                FROM generate_series(%s, %s) g
                JOIN marketplace_user u ON u.email = 'bench-' || g || '@bench.example'
                """,
                params,
            )
            cursor.execute(
                "SELECT id FROM creators_creator WHERE handle = ANY(%s)",
                [[f"bench-{g}" for g in range(start, end + 1)]],
            )
            ids = [row[0] for row in cursor.fetchall()]
            # One account each, a second for half of them; followers log-uniform 100 .. ~4M.
            cursor.execute(
                f"""
                INSERT INTO creators_socialaccount (creator_id, platform, handle, external_id, verified, followers,
                    avg_likes, avg_comments, avg_views, engagement_rate, last_refreshed_at, refresh_status,
                    refresh_error, consecutive_failures, created_at, access_token, likes_hidden, self_reported)
                SELECT c.id, ({platforms})[1 + ((c.id + k) %% 4)], c.handle || '.' || k, 'bench-' || c.id || '-' || k,
                    random() < 0.15, f.followers, f.followers * 0.03, f.followers * 0.002, NULL,
                    round((greatest(0.2, 14 / power(f.followers, 0.2) * (0.4 + random() * 1.2)))::numeric, 3),
                    now(), 'ok', '', 0, now(), '', false, false
                FROM creators_creator c
                CROSS JOIN LATERAL generate_series(0, CASE WHEN c.id %% 2 = 0 THEN 1 ELSE 0 END) k
                CROSS JOIN LATERAL (SELECT floor(power(10, 2 + random() * 4.6))::bigint AS followers
                                    WHERE k >= 0) f
                WHERE c.id = ANY(%s)
                """,
                [ids],
            )
            cursor.execute(
                """
                INSERT INTO creators_creator_niches (creator_id, niche_id)
                SELECT DISTINCT c.id, n.id
                FROM creators_creator c
                CROSS JOIN LATERAL generate_series(0, c.id %% 3) k
                JOIN LATERAL (SELECT id FROM creators_niche ORDER BY id
                              OFFSET ((c.id * 7 + k * 5) %% (SELECT count(*) FROM creators_niche)) LIMIT 1) n ON true
                WHERE c.id = ANY(%s)
                """,
                [ids],
            )
            cursor.execute(
                """
                INSERT INTO creators_ratecardentry (creator_id, platform, deliverable, price, currency, note,
                                                    created_at)
                SELECT a.creator_id, a.platform,
                       CASE a.platform WHEN 'youtube' THEN 'video' WHEN 'linkedin' THEN 'article'
                                       WHEN 'tiktok' THEN 'short' ELSE 'post' END,
                       greatest(5, round(a.followers * 0.012 * (0.5 + random()))), 'USD', '', now()
                FROM creators_socialaccount a WHERE a.creator_id = ANY(%s)
                ON CONFLICT DO NOTHING
                """,
                [ids],
            )
        creator_recompute_audience(creator_ids=ids)
        creator_refresh_search(creator_ids=ids)
