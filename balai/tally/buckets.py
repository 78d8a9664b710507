"""Durations in fixed log-spaced buckets, so that a median or a 90th percentile comes from bucket
counts that can be added up across villages and months.

Bucket 0 holds durations under a minute; bucket k >= 1 holds [1 min * RATIO**(k-1),
1 min * RATIO**k); the last bucket also holds everything longer. A bucket stands for its
geometric middle, so a percentile read from the buckets is within a factor sqrt(RATIO) of the
exact nearest-rank percentile: at most ERROR_BOUND (9.05%) off, or 30 seconds under a minute
(below LAST's lower edge, about 3 years)."""
import math

RATIO = 2 ** 0.25
ERROR_BOUND = math.sqrt(RATIO) - 1
MINUTE = 60.0
LAST = 85  # 1 min * RATIO**84: about 3.9 years


def bucket_of(seconds):
    """The bucket a duration in seconds falls in."""
    if seconds < MINUTE:
        return 0
    return min(1 + math.floor(math.log(seconds / MINUTE, RATIO)), LAST)


def middle(bucket):
    """The duration in seconds a bucket stands for."""
    return MINUTE / 2 if bucket == 0 else MINUTE * RATIO ** (bucket - 0.5)


def percentile(counts, share):
    """The nearest-rank percentile, in seconds, of {bucket: count}; None when empty."""
    total = sum(counts.values())
    if not total:
        return None
    rank, seen = max(math.ceil(share * total), 1), 0
    for bucket in sorted(counts):
        seen += counts[bucket]
        if seen >= rank:
            return middle(bucket)
