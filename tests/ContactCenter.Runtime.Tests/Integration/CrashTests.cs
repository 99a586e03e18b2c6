using System.Diagnostics;
using ContactCenter.Engine;
using ContactCenter.Engine.Journal;
using ContactCenter.Runtime.Storage;
using FluentAssertions;

namespace ContactCenter.Runtime.Tests.Integration;

/// <summary>
/// The runtime in a child process (tests/ContactCenter.CrashHost) is killed with SIGKILL while its
/// timers are firing, then started again on the same files. Every timer's effect must happen
/// exactly once, every journal must fold without a gap, and every prompt must be delivered.
/// </summary>
public class CrashTests
{
    private const int Instances = 25;
    private const int PromptsEach = 3;

    [Fact]
    public async Task Sigkill_MidwayThroughFiringTimers_EveryTimerFiresExactlyOnceAfterRestart()
    {
        await using var fixture = new RuntimeFixture();
        // Rungs 2 s apart: after the first prompt is delivered every ladder still has at least 4 s to go.
        fixture.AddWorkflow("crash-ladder.bpmn", TestWorkflows.TimerLadder("crash-ladder", PromptsEach, seconds: 2));
        var delivered = Path.Combine(fixture.Root, "delivered.log");

        using (var first = StartHost(fixture, delivered))
        {
            (await WaitForLineAsync(first, "ARMED", TimeSpan.FromSeconds(90))).Should().BeTrue("the host arms its timers; output: " + first.Output);
            // Killed once timers are firing (a first prompt delivered), not after a fixed delay: on a
            // busy machine a fixed 1.8 s after seeing ARMED could land after every ladder had ended
            // (1 failure in 8 full runs), and the test would no longer test a kill mid-firing.
            (await WaitForFileLinesAsync(delivered, 1, TimeSpan.FromSeconds(60))).Should().BeTrue("the host starts firing its timers; output: " + first.Output);
            first.Process.Kill(entireProcessTree: true); // SIGKILL on Linux: no shutdown code runs
            await first.Process.WaitForExitAsync();
        }

        await fixture.StartAsync(); // read-only look at the files as the kill left them
        var atKill = await fixture.Queries.QueryAsync(new InstanceQuery { DefinitionKey = "crash-ladder", Limit = 1000 });
        atKill.Should().HaveCount(Instances);
        atKill.Should().Contain(i => i.Status == InstanceStatus.Running, "the kill must land while timers are still pending ({0} completed)", atKill.Count(i => i.Status == InstanceStatus.Completed));
        await fixture.StopAsync();

        using (var second = StartHost(fixture, delivered))
        {
            (await WaitForLineAsync(second, "DONE", TimeSpan.FromSeconds(90))).Should().BeTrue("the restarted host finishes every instance; output: " + second.Output);
            await second.Process.WaitForExitAsync();
            second.Process.ExitCode.Should().Be(0);
        }

        await fixture.StartAsync();
        var instances = await fixture.Queries.QueryAsync(new InstanceQuery { DefinitionKey = "crash-ladder", Limit = 1000 });
        instances.Should().HaveCount(Instances).And.OnlyContain(i => i.Status == InstanceStatus.Completed);
        foreach (var instance in instances)
        {
            var rows = await fixture.Store.ReadJournalAsync(instance.Id);
            rows.Select(r => r.Sequence).Should().Equal(Enumerable.Range(1, rows.Count).Select(i => (long)i), "no journal gap in {0}", instance.Id);
            var events = rows.Select(r => JournalSerializer.Deserialize(r.Json)).ToList();
            WorkflowEngine.Fold(events).ToJson().Should().Be(instance.Snapshot);
            var fired = events.OfType<TimerFired>().Select(f => f.TimerId).ToList();
            fired.Should().HaveCount(PromptsEach).And.OnlyHaveUniqueItems("each timer fires exactly once");
            fired.Should().BeEquivalentTo(events.OfType<TimerScheduled>().Select(s => s.TimerId));
            events.OfType<PromptSent>().Should().HaveCount(PromptsEach);
        }

        (await fixture.Queries.ListPendingTimersAsync()).Should().BeEmpty();

        // Delivery is at least once: a prompt delivered just before the kill may be delivered
        // again after it, under the same idempotency key. None may be missing.
        var keys = (await File.ReadAllLinesAsync(delivered)).Where(l => l.Length > 0).ToList();
        keys.Distinct().Should().HaveCount(Instances * PromptsEach);
    }

    private static HostProcess StartHost(RuntimeFixture fixture, string deliveredLog)
    {
        var dll = CrashHostPath();
        var start = new ProcessStartInfo("dotnet", [dll, fixture.DataFolder, fixture.WorkflowsFolder, "crash-ladder", Instances.ToString(System.Globalization.CultureInfo.InvariantCulture), deliveredLog])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        var process = Process.Start(start)!;
        var host = new HostProcess(process);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Waits until <paramref name="path"/> holds at least <paramref name="lines"/> lines (the host appends one per delivered prompt).</summary>
    private static Task<bool> WaitForFileLinesAsync(string path, int lines, TimeSpan timeout) =>
        PollAsync(() => File.Exists(path) && CountLines(path) >= lines, giveUp: () => false, timeout);

    private static int CountLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var count = 0;
        while (reader.ReadLine() is { Length: > 0 })
        {
            count++;
        }

        return count;
    }

    /// <summary>Waits until the host printed <paramref name="line"/>, or has exited without it.</summary>
    private static Task<bool> WaitForLineAsync(HostProcess host, string line, TimeSpan timeout) =>
        PollAsync(() => host.HasLine(line), giveUp: () => host.Process.HasExited, timeout);

    /// <summary>Polls <paramref name="done"/> until it holds, <paramref name="giveUp"/> holds, or the timeout passes (false).</summary>
    private static async Task<bool> PollAsync(Func<bool> done, Func<bool> giveUp, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (done())
            {
                return true;
            }

            if (giveUp())
            {
                return done();
            }

            await Task.Delay(20);
        }

        return false;
    }

    private static string CrashHostPath()
    {
        // The test assembly sits in tests/ContactCenter.Runtime.Tests/bin/<Configuration>/net10.0.
        var testBin = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = testBin.Parent!.Name;
        var path = Path.Combine(RuntimeFixture.RepoRoot(), "tests", "ContactCenter.CrashHost", "bin", configuration, testBin.Name, "ContactCenter.CrashHost.dll");
        File.Exists(path).Should().BeTrue($"the crash host is built with the tests ({path})");
        return path;
    }

    private sealed class HostProcess(Process process) : IDisposable
    {
        private readonly Lock _gate = new();
        private readonly List<string> _lines = [];

        public Process Process { get; } = process;

        public string Output
        {
            get
            {
                lock (_gate)
                {
                    return string.Join('\n', _lines);
                }
            }
        }

        public void Append(string? line)
        {
            if (line is not null)
            {
                lock (_gate)
                {
                    _lines.Add(line);
                }
            }
        }

        public bool HasLine(string line)
        {
            lock (_gate)
            {
                return _lines.Contains(line);
            }
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }

            Process.Dispose();
        }
    }
}
