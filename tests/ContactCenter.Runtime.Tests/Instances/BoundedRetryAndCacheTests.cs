using ContactCenter.Runtime.Instances;
using FluentAssertions;

namespace ContactCenter.Runtime.Tests.Instances;

/// <summary>The engine cache is bounded (least recently used goes first); conflict retries pause, growing and capped.</summary>
public sealed class BoundedRetryAndCacheTests
{
    [Fact]
    public void LruCache_Full_DropsTheLeastRecentlyUsed_AndNeverExceedsItsCapacity()
    {
        var cache = new LruCache<string, int>(2, StringComparer.Ordinal);
        cache.GetOrAdd("a", 1);
        cache.GetOrAdd("b", 2);
        cache.TryGet("a", out _).Should().BeTrue(); // a is now the more recently used

        cache.GetOrAdd("c", 3);

        cache.Count.Should().Be(2);
        cache.TryGet("b", out _).Should().BeFalse("b was the least recently used");
        cache.TryGet("a", out var a).Should().BeTrue();
        a.Should().Be(1);
        cache.GetOrAdd("c", 30).Should().Be(3, "an entry already cached is kept, not replaced");
    }

    [Fact]
    public void LruCache_ManySignatures_StaysAtItsCapacity()
    {
        var cache = new LruCache<string, int>(16, StringComparer.Ordinal);
        for (var i = 0; i < 10_000; i++)
        {
            cache.GetOrAdd($"live-chat={i};ticket-escalation=1", i);
        }

        cache.Count.Should().Be(16);
    }

    [Fact]
    public void ConflictBackOff_CeilingDoublesAndIsCapped_AndAPauseIsWithinIt()
    {
        ConflictBackOff.Ceiling(1).Should().Be(ConflictBackOff.First);
        ConflictBackOff.Ceiling(3).Should().Be(4 * ConflictBackOff.First);
        ConflictBackOff.Ceiling(1_000).Should().Be(ConflictBackOff.Max);

        var random = new Random(17);
        var pauses = Enumerable.Range(0, 200).Select(_ => ConflictBackOff.Pause(4, random)).ToList();
        pauses.Should().OnlyContain(p => p >= TimeSpan.Zero && p <= ConflictBackOff.Ceiling(4));
        pauses.Distinct().Should().HaveCountGreaterThan(100, "racers are spread apart, not sent back in step");
    }
}
