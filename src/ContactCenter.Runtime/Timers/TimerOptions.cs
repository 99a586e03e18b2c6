namespace ContactCenter.Runtime.Timers;

/// <summary>How committed timers are split into shards and drained.</summary>
public sealed class TimerOptions
{
    /// <summary>
    /// How many shards the timer rows are split into. Each shard is drained by one job at a time,
    /// so shards are the unit several nodes can later share. Changing it reassigns every row at the
    /// next start. Default is 8.
    /// </summary>
    public int Shards { get; set; } = 8;

    /// <summary>How many due rows one drain reads at a time. Default is 256.</summary>
    public int BatchSize { get; set; } = 256;

    /// <summary>How many firings of one batch run at once. Default is 16.</summary>
    public int FiringConcurrency { get; set; } = 16;

    /// <summary>
    /// How often each shard's drain looks for due rows: the most a timer can be late on an idle
    /// node, besides the firing itself. Default is 250 ms.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The wait before a failed firing is tried again; it doubles per attempt, up to <see cref="RetryMaxDelay"/>. Default is 1 s.</summary>
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two attempts of a failing firing. Default is 5 minutes.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    public void Validate()
    {
        if (Shards is < 1 or > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(Shards), Shards, "timer shards must be between 1 and 1024");
        }

        if (BatchSize < 1 || FiringConcurrency < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), "timer batch size and firing concurrency must be at least 1");
        }

        if (PollInterval <= TimeSpan.Zero || RetryInitialDelay <= TimeSpan.Zero || RetryMaxDelay < RetryInitialDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(PollInterval), "timer intervals must be positive, and the retry maximum at least the first retry");
        }
    }
}

/// <summary>Which shard an instance's timers belong to: a stable hash of the instance id, so all its timers share one.</summary>
public static class TimerShards
{
    public static int Of(Guid instanceId, int shards)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        Span<byte> bytes = stackalloc byte[16];
        instanceId.TryWriteBytes(bytes);
        // FNV-1a over the 16 bytes: version-7 ids share their leading (time) bytes, so a hash of
        // all of them spreads instances started in the same millisecond over every shard.
        var hash = 2166136261u;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % (uint)shards);
    }
}
