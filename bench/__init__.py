"""`make bench`: page speed against a trivial view, and query counts, measured in one run."""
