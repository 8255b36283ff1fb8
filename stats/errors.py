"""The pipeline's domain error."""


class StatsError(Exception):
    """A statistics request refused for a reason the user can act on."""
