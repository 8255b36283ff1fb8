"""Money settled outside the platform (bank transfer, invoice): the ledger is the same, an admin marks each step."""

from __future__ import annotations


class OfflineProvider:
    name = "offline"

    def start_checkout(self, funding, *, success_url: str, cancel_url: str):
        return None  # the brand pays by invoice; an admin marks the funding paid (admin action)

    def transfer(self, funding, *, destination: str, amount: int | None = None):
        return None  # an admin pays the creator and marks the payout paid

    def refund(self, funding, amount: int | None = None) -> str:
        return "offline"  # the refund is settled by hand; the ledger records it now

    def create_account(self, creator) -> str:
        return ""

    def account_link(self, account_id: str, *, refresh_url: str, return_url: str):
        return None

    def payouts_enabled(self, account_id: str) -> bool:
        return True
