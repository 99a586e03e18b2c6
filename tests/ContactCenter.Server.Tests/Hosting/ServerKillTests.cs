using System.Text.Json;
using ContactCenter.Tests.Http;
using FluentAssertions;

namespace ContactCenter.Server.Tests.Hosting;

/// <summary>
/// The built server as a child process, killed with SIGKILL while simulated customers (signed
/// webhook) and agents (API) run conversations, then started again on the same data folder:
/// what the server acknowledged must be there, every history must replay, and the silence
/// ladders the kill interrupted must go on. The same check, larger, is the benchmark's
/// <c>--crash</c> mode (docs/performance.md).
/// </summary>
/// <remarks>
/// The server's clock is real in a child process (no test clock reaches it), so the server runs
/// on a copy of the workflows whose "masih terhubung?" silence is 5 seconds instead of a minute.
/// </remarks>
public sealed class ServerKillTests : IDisposable
{
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(5);
    private readonly string _root = Directory.CreateTempSubdirectory("cc-server-kill-").FullName;

    [Fact]
    public async Task Sigkill_MidLoad_AcknowledgedCommandsSurviveHistoriesReplayAndSilencePromptsFire()
    {
        var options = new ServerProcessOptions
        {
            DataFolder = Path.Combine(_root, "data"),
            WorkflowsFolder = SilenceWorkflows.CopyWithSilence(Path.Combine(_root, "workflows"), Silence),
            Configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, // bin/<Configuration>/net10.0
        };
        var ledger = new AckLedger();
        var stats = new LoadStats();
        using (var first = await ServerProcess.StartAsync(options))
        {
            using var load = await ConversationLoad.CreateAsync(first, ledger, stats);
            load.QuietEvery = 3;
            using var stop = new CancellationTokenSource();
            var running = load.RunAsync(8, stop.Token);
            (await PollAsync(() => ledger.Commands >= 150 && stats.Count(ConversationEnd.Quiet) >= 4, TimeSpan.FromSeconds(40)))
                .Should().BeTrue($"the load gets going; errors: {string.Join(", ", stats.Errors.Select(e => $"{e.Key}: {e.Value}"))}");
            first.Kill();
            await stop.CancelAsync();
            await running;
        }

        stats.Count(ConversationEnd.ServerGone).Should().BePositive("the kill lands while conversations are in flight");
        using var second = await ServerProcess.StartAsync(options);
        using var leader = await second.ClientForAsync("leader.rina");

        // The ladders go on from the restart: list their timers first, before they run out.
        var timers = await AckLedger.SilenceTimersAsync(leader, ledger.WaitingOnServer);
        (await ledger.MissingAsync(leader)).Should().BeEmpty("every command the server answered was committed before its answer");

        timers.Should().NotBeEmpty("quiet and interrupted conversations wait on their silence ladder across the kill");
        (await AckLedger.UnfiredAfterAsync(leader, timers, TimeSpan.FromSeconds(15))).Should().BeEmpty("the restarted server fires the timers the kill interrupted");
        foreach (var instance in timers.Select(t => t.InstanceId).Distinct())
        {
            using var journal = JsonDocument.Parse(await leader.GetStringAsync(new Uri($"/api/instances/{instance}/journal", UriKind.Relative)));
            journal.RootElement.EnumerateArray().Should().Contain(
                e => e.GetProperty("type").GetString() == "work-item-created@1" && e.GetProperty("script").GetString() == "Apakah saat ini Bapak/Ibu masih terhubung dengan kami?",
                "a fired silence timer gives the agent the question \"masih terhubung?\" ({0})", instance);
        }

        foreach (var batch in ledger.AllInstances.Chunk(16))
        {
            await Task.WhenAll(batch.Select(async id =>
            {
                using var report = JsonDocument.Parse(await leader.GetStringAsync(new Uri($"/api/instances/{id}/replay", UriKind.Relative)));
                report.RootElement.GetProperty("matches").GetBoolean().Should().BeTrue("history {0} replays byte for byte after the kill: {1}", id, report.RootElement.ToString());
            }));
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private static async Task<bool> PollAsync(Func<bool> condition, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }
}
