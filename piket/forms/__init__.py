"""Forms of the piket, one module per part (rosters and duty in `roster.py`)."""
