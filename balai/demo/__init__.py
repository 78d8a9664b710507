"""The demo village (seed) and a large made-up one (bulk) for load tests."""
