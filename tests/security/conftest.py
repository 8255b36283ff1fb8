from tests.campaigns.world import *  # noqa: F403
