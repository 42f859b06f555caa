# Search statistics (aggregate only) live here.
