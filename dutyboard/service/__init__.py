"""Every operation a user can do, one transaction each, for the command line and the dashboard."""
