"""Percentiles read from the duration buckets stay within the stated bound of the exact
nearest-rank percentiles, and the buckets are fixed, log-spaced and cover every duration."""
import math
import random

import pytest

from balai.figures.period import percentile as exact
from balai.tally import buckets


def test_each_bucket_holds_what_its_middle_stands_for():
    for seconds in [0, 59.9, 60, 61, 3600, 86400, 30 * 86400, 10 ** 9]:
        bucket = buckets.bucket_of(seconds)
        assert 0 <= bucket <= buckets.LAST
        if 60 <= seconds < 3 * 365 * 86400:
            assert abs(buckets.middle(bucket) / seconds - 1) <= buckets.ERROR_BOUND + 1e-9
    assert buckets.bucket_of(59) == 0 and buckets.bucket_of(60) == 1
    assert math.isclose(buckets.ERROR_BOUND, 0.0905, abs_tol=1e-4)


@pytest.mark.parametrize("seed", range(5))
def test_median_and_p90_from_buckets_are_within_the_bound(seed):
    rng = random.Random(seed)
    durations = [rng.lognormvariate(math.log(6 * 3600), 1.5) + 60 for _ in range(2000)]
    counts = {}
    for seconds in durations:
        counts[buckets.bucket_of(seconds)] = counts.get(buckets.bucket_of(seconds), 0) + 1
    for share in (0.5, 0.9):
        truth, estimate = exact(durations, share), buckets.percentile(counts, share)
        assert abs(estimate / truth - 1) <= buckets.ERROR_BOUND + 1e-9, (share, truth, estimate)


def test_an_empty_histogram_has_no_percentile():
    assert buckets.percentile({}, 0.5) is None
