using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using FsCheck;
using FsCheck.Fluent;
using Xunit.Sdk;

namespace ContactCenter.Engine.Tests.Fuzzing;

/// <summary>
/// Runs one fuzz target for a time budget: batches of generated inputs, each checked on its own
/// small-stack thread with a time limit, so a stack overflow or a hang is caught as one, not as
/// a slow or dead test run. See docs/fuzzing.md.
/// </summary>
/// <remarks>
/// <c>FUZZ_SECONDS</c> is the budget per target (default 6, five targets: about half a minute);
/// <c>FUZZ_SEED</c> replays a run. A failure names the target, the seed and the batch, and writes
/// the input to <c>tests/results/fuzz/</c>. Batch <c>b</c> of seed <c>s</c> is always generated the
/// same way, so a seed reproduces a run; the file <c>tests/results/fuzz/&lt;target&gt;.last</c>
/// says which batch ran last, for the case where the process itself died.
/// </remarks>
internal static class Fuzzer
{
    /// <summary>Smaller than any thread the server or CLI runs on (1.5 MB and 8 MB), so deep recursion shows here first.</summary>
    private const int StackBytes = 512 * 1024;

    /// <summary>One input taking longer than this is a hang. Generous: the machine is shared.</summary>
    private static readonly TimeSpan PerInput = TimeSpan.FromSeconds(20);

    public static TimeSpan Budget { get; } = TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable("FUZZ_SECONDS"), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? seconds : 6);

    private static string Folder => Path.Combine(RepoPaths.Root, "tests", "results", "fuzz");

    /// <summary>Checks inputs of <paramref name="gen"/> until the budget is spent; returns how many ran.</summary>
    public static int Run<T>(string target, Gen<T> gen, Func<T, string> show, Action<T> check)
    {
        var seed = ulong.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var fixedSeed)
            ? fixedSeed
            : (ulong)Random.Shared.NextInt64(1, long.MaxValue);
        Directory.CreateDirectory(Folder);
        var clock = Stopwatch.StartNew();
        var inputs = 0;
        for (var batch = 0; batch == 0 || clock.Elapsed < Budget; batch++)
        {
            File.WriteAllText(Path.Combine(Folder, target + ".last"), $"FUZZ_SEED={seed} batch {batch}\n");
            var size = 1 + (batch % 50);
            var samples = gen.Sample(size, new Rnd(seed + ((ulong)batch * 0x9E3779B97F4A7C15UL)), 10);
            foreach (var sample in samples)
            {
                inputs++;
                var failure = Guarded(() => check(sample));
                if (failure is not null)
                {
                    var text = show(sample);
                    var file = Path.Combine(Folder, $"{target}-{seed}-{batch}.txt");
                    File.WriteAllText(file, text);
                    throw new XunitException(
                        $"fuzz target {target} failed (replay: FUZZ_SEED={seed}, batch {batch}; input in {file}): {failure}\ninput (first 2,000 characters):\n{text[..Math.Min(text.Length, 2_000)]}");
                }
            }
        }

        return inputs;
    }

    /// <summary>Null when <paramref name="action"/> ran through; otherwise what went wrong.</summary>
    private static string? Guarded(Action action)
    {
        ExceptionDispatchInfo? caught = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    action();
                }
#pragma warning disable CA1031 // Any exception is a finding, reported with its input.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    caught = ExceptionDispatchInfo.Capture(e);
                }
            },
            StackBytes)
        { IsBackground = true };
        thread.Start();
        if (!thread.Join(PerInput))
        {
            return $"no answer within {PerInput.TotalSeconds} s (a hang)";
        }

        return caught is null ? null : caught.SourceException.ToString();
    }
}
