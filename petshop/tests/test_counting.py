from petshop.counting import count_hit


def test_each_hit_counts_under_its_own_key():
    assert [count_hit("a", 60) for _ in range(3)] == [1, 2, 3]
    assert count_hit("b", 60) == 1


def test_on_redis_too(redis_cache):
    assert [count_hit("shared", 60, cache=redis_cache) for _ in range(2)] == [1, 2]
    assert redis_cache.get("shared") == 2
