"""The municipal-scale benchmark (``bin/bench``; docs/performance.md). Not part of the tests."""
