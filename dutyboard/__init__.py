"""dutyboard: the duty engineer's board for the county water bureau's service plan."""

__version__ = "0.1.0"
