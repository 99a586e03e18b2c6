namespace ContactCenter.Runtime.Instances;

/// <summary>
/// The pause before a command that lost a race (<see cref="Storage.ConcurrencyConflictException"/>)
/// tries again: a random wait up to a ceiling that doubles per attempt ("full jitter"), so two
/// racers spread apart instead of reading the same version and colliding again at once.
/// </summary>
/// <remarks>
/// Real time, not the runtime's clock: it only lets the winner's commit land, so it must pass
/// even under a test's fake clock, which moves only when told.
/// </remarks>
public static class ConflictBackOff
{
    /// <summary>The ceiling of the first pause. 5 ms: about one group commit at FULL on this disk.</summary>
    public static readonly TimeSpan First = TimeSpan.FromMilliseconds(5);

    /// <summary>The largest ceiling: a retry never waits more than this.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest pause after failed attempt <paramref name="attempt"/> (1, 2, ...).</summary>
    public static TimeSpan Ceiling(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        return TimeSpan.FromTicks(Math.Min(Max.Ticks, First.Ticks << Math.Min(attempt - 1, 20)));
    }

    /// <summary>A pause between zero and <see cref="Ceiling"/> of <paramref name="attempt"/>.</summary>
    public static TimeSpan Pause(int attempt, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return TimeSpan.FromTicks((long)(random.NextDouble() * Ceiling(attempt).Ticks));
    }

    /// <summary>Waits the pause after failed attempt <paramref name="attempt"/>.</summary>
    public static Task WaitAsync(int attempt, CancellationToken cancellationToken) =>
        Task.Delay(Pause(attempt, Random.Shared), cancellationToken);
}
