"""Document numbers under concurrency, on real PostgreSQL connections: 1..N, no gap, no duplicate."""

from __future__ import annotations

import pytest
from django.db import transaction

from payments import documents
from payments.models import DocumentCounter
from tests.campaigns.test_concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)


def test_twelve_concurrent_allocations_get_one_to_twelve():
    # The counter row does not exist yet: the first uses race to create it too.
    results = race([lambda: documents.allocate("receipt", 2031) for _ in range(12)])
    assert sorted(results) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    assert DocumentCounter.objects.get(kind="receipt", year=2031).last == 12


def test_allocations_that_roll_back_leave_no_gap():
    def allocate_then(fail: bool):
        def run():
            try:
                with transaction.atomic():
                    number = documents.allocate("statement", 2031)
                    if fail:
                        raise RuntimeError("the movement failed")
                    return number
            except RuntimeError:
                return None

        return run

    results = race([allocate_then(fail=i % 3 == 0) for i in range(9)])
    assert sorted(r for r in results if r is not None) == [1, 2, 3, 4, 5, 6]
    assert DocumentCounter.objects.get(kind="statement", year=2031).last == 6
