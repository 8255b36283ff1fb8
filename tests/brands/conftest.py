from tests.campaigns.world import *  # noqa: F401,F403
