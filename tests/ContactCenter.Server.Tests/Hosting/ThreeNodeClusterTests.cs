using System.Text.Json;
using ContactCenter.Runtime.Timers;
using ContactCenter.Scheduling.Cluster;
using ContactCenter.Tests.Http;
using FluentAssertions;
using Npgsql;

namespace ContactCenter.Server.Tests.Hosting;

/// <summary>
/// Three built servers as child processes on loopback, one throwaway PostgreSQL database: load
/// through all three (signed webhook, agents' API), one node killed with SIGKILL mid-load. Its
/// timer shards go to the others, whose drains fire the silence timers that were waiting there;
/// none fires twice; every acknowledged command is in the database; the CLI's <c>replay --all</c>,
/// pointed at the database as a node is, finds every history OK.
/// </summary>
/// <remarks>
/// Which shards the killed node owned is read from PostgreSQL (the advisory locks of its lease
/// session, which vanish with it), so the test checks that timers of exactly those shards fired.
/// </remarks>
public sealed class ThreeNodeClusterTests : IDisposable
{
    private const int Shards = 8;
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(4);
    private readonly string _root = Directory.CreateTempSubdirectory("cc-three-nodes-").FullName;
    private readonly List<ServerProcess> _nodes = [];

    [Fact]
    public async Task ThreeNodes_OneKilledMidLoad_ItsTimersFireOnTheOthersOnce_AndNothingAcknowledgedIsLost()
    {
        var database = await (await ThrowawayPostgres.SharedAsync()).CreateDatabaseAsync("threenodes");
        var workflows = SilenceWorkflows.CopyWithSilence(Path.Combine(_root, "workflows"), Silence);
        var first = await StartNodeAsync("a", database, workflows);
        // The demo users are in the shared database now; the others sign in with the same passwords.
        foreach (var name in new[] { "b", "c" })
        {
            Directory.CreateDirectory(Path.Combine(_root, name));
            File.Copy(Path.Combine(_root, "a", "demo-users.json"), Path.Combine(_root, name, "demo-users.json"));
        }

        var others = await Task.WhenAll(StartNodeAsync("b", database, workflows), StartNodeAsync("c", database, workflows));
        var (victim, survivor) = (others[0], first);
        (await PollAsync(async () => (await ShardLeaseProbe.ReadAsync(database)).Select(l => l.Shard).Distinct().Count() == Shards && (await ShardLeaseProbe.ReadAsync(database)).Select(l => l.Pid).Distinct().Count() == 3, TimeSpan.FromSeconds(30)))
            .Should().BeTrue("the three nodes share the eight shards");

        await WebhookAcrossNodesAsync(survivor, others[1]);

        // A browser on the survivor sees the conversations that start on the third node (live updates across nodes).
        using var watcher = await survivor.ClientForAsync("leader.rina");
        using var live = new LiveStreamReader(watcher);
        await live.ConnectedAsync();

        var ledgers = _nodes.ToDictionary(n => n, _ => new AckLedger());
        var stats = new LoadStats();
        var loads = new List<ConversationLoad>();
        foreach (var node in _nodes)
        {
            var load = await ConversationLoad.CreateAsync(node, ledgers[node], stats);
            load.QuietEvery = 2;
            loads.Add(load);
        }

        using var stop = new CancellationTokenSource();
        var running = loads.Select(l => l.RunAsync(3, stop.Token)).ToList();
        (await PollAsync(() => Task.FromResult(ledgers.Values.Sum(l => l.Commands) >= 150 && stats.Count(ConversationEnd.Quiet) >= 9), TimeSpan.FromSeconds(40)))
            .Should().BeTrue($"the load gets going on three nodes; errors: {string.Join(", ", stats.Errors.Select(e => $"{e.Key}: {e.Value}"))}");

        var before = await ShardLeaseProbe.ReadAsync(database);
        victim.Kill();
        var after = await PollUntilAsync(() => ShardLeaseProbe.ReadAsync(database), l => l.Select(x => x.Pid).Distinct().Count() == 2 && l.Select(x => x.Shard).Distinct().Count() == Shards, TimeSpan.FromSeconds(20));
        after.Should().NotBeNull("the two survivors take all eight shards");
        var victimShards = before.Where(l => !after!.Any(a => a.Pid == l.Pid)).Select(l => l.Shard).ToHashSet();
        victimShards.Should().NotBeEmpty("the killed node owned shards");

        await stop.CancelAsync();
        await Task.WhenAll(running);
        stats.Count(ConversationEnd.ServerGone).Should().BePositive("the kill lands while conversations are in flight on it");

        using var leader = await survivor.ClientForAsync("leader.rina");
        var timers = await AckLedger.SilenceTimersAsync(leader, ledgers.Values.SelectMany(l => l.WaitingOnServer));
        foreach (var ledger in ledgers.Values)
        {
            (await ledger.MissingAsync(leader)).Should().BeEmpty("every command a node answered was committed before its answer");
        }

        var third = others[1];
        (await PollAsync(() => Task.FromResult(ledgers[third].AllInstances.All(live.Started.ContainsKey)), TimeSpan.FromSeconds(10))).Should().BeTrue(
            "the survivor's live stream shows every conversation started on the third node ({0} of {1} seen)",
            ledgers[third].AllInstances.Count(live.Started.ContainsKey), ledgers[third].Instances);
        timers.Where(t => victimShards.Contains(TimerShards.Of(t.InstanceId, Shards))).Should().NotBeEmpty(
            "silence timers were waiting in the killed node's shards {0}", string.Join(",", victimShards));
        // Due within seconds; a survivor's next lease round (500 ms) and drain (250 ms) take them.
        (await AckLedger.UnfiredAfterAsync(leader, timers, TimeSpan.FromSeconds(5))).Should().BeEmpty("the survivors fire the timers of the killed node's shards");

        foreach (var batch in ledgers.Values.SelectMany(l => l.AllInstances).Chunk(16))
        {
            await Task.WhenAll(batch.Select(async id =>
            {
                using var journal = JsonDocument.Parse(await leader.GetStringAsync(new Uri($"/api/instances/{id}/journal", UriKind.Relative)));
                var fired = journal.RootElement.EnumerateArray().Where(e => e.GetProperty("type").GetString() == "timer-fired@1").Select(e => e.GetProperty("timerId").GetInt64()).ToList();
                fired.Should().OnlyHaveUniqueItems("no timer of {0} fires twice", id);
            }));
        }

        // The survivors are stopped first (SIGTERM): ladders still running would commit between the
        // CLI's read of an instance and of its journal.
        await Task.WhenAll(_nodes.Where(n => !n.Process.HasExited).Select(n => n.StopAsync(TimeSpan.FromSeconds(30))));
        var (code, output) = await ReplayAllAsync(database);
        code.Should().Be(0, "replay --all finds every history OK:\n{0}", output);
        output.Should().MatchRegex(@"(\d+) instance\(s\), \d+ event\(s\) checked in [\d.]+ s: \1 OK, 0 diverge");
        int.Parse(System.Text.RegularExpressions.Regex.Match(output, @"(\d+) instance\(s\)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeGreaterThanOrEqualTo(ledgers.Values.Sum(l => l.Instances), "every conversation of the load is in the database");
    }

    /// <summary>
    /// The webhook across two nodes: a first message delivered to both at once (the sender's retry
    /// racing its original) starts one conversation; new conversations started through the two
    /// nodes in turn get the agents in turn (one counter, not one per node).
    /// </summary>
    private static async Task WebhookAcrossNodesAsync(ServerProcess one, ServerProcess two)
    {
        using var leader = await one.ClientForAsync("leader.rina");
        for (var customer = 0; customer < 5; customer++)
        {
            var customerRef = $"+6281{Environment.ProcessId}{customer}";
            var answers = await Task.WhenAll(PostAsync(one, "whatsapp", customerRef, "first"), PostAsync(two, "whatsapp", customerRef, "first"));
            answers.Select(a => a.InstanceId).Distinct().Should().ContainSingle("one message on two nodes is one conversation ({0})", customerRef);
            answers.Count(a => a.Started).Should().Be(1, "and one of the two deliveries started it");
        }

        var agents = new List<string>();
        for (var customer = 0; customer < 6; customer++)
        {
            var answer = await PostAsync(customer % 2 == 0 ? one : two, "live-chat", $"+6282{Environment.ProcessId}{customer}", "halo");
            using var state = JsonDocument.Parse(await leader.GetStringAsync(new Uri($"/api/instances/{answer.InstanceId}", UriKind.Relative)));
            agents.Add(state.RootElement.GetProperty("agent").GetString()!);
        }

        agents.Zip(agents.Skip(1)).Should().OnlyContain(pair => pair.First != pair.Second, "round robin across nodes gives the agents in turn: {0}", string.Join(", ", agents));
    }

    private static async Task<(Guid InstanceId, bool Started)> PostAsync(ServerProcess node, string channel, string customerRef, string messageId)
    {
        using var client = node.NewClient();
        var body = JsonSerializer.SerializeToUtf8Bytes(new { messageId, customerRef, text = "Halo" });
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/channels/{channel}/messages") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-CC-Timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("X-CC-Signature", ConversationLoad.Sign(node.Options.WebhookSecret, timestamp, body));
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue("the webhook takes the message: {0}", text);
        using var answer = JsonDocument.Parse(text);
        return (answer.RootElement.GetProperty("instanceId").GetGuid(), answer.RootElement.GetProperty("started").GetBoolean());
    }

    /// <summary>The built CLI's <c>replay --all</c>, given the database the way a node is (environment variables).</summary>
    private static async Task<(int Code, string Output)> ReplayAllAsync(string database)
    {
        var dll = Path.Combine(RepoPaths.Root, "src", "ContactCenter.Cli", "bin", new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "contactcenter.dll");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { dll, "replay", "--all" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ContactCenter__Database__Provider"] = "PostgreSql";
        start.Environment["ContactCenter__Database__ConnectionString"] = database;
        using var cli = System.Diagnostics.Process.Start(start)!;
        var output = cli.StandardOutput.ReadToEndAsync();
        var error = cli.StandardError.ReadToEndAsync();
        await cli.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var text = await output;
        // A failure message names the histories that were not OK, and the totals line (the last).
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (cli.ExitCode, string.Join('\n', lines.Where(l => !l.StartsWith("OK ", StringComparison.Ordinal)).Take(20)) + await error);
    }

    private async Task<ServerProcess> StartNodeAsync(string name, string database, string workflows)
    {
        var node = await ServerProcess.StartAsync(new ServerProcessOptions
        {
            DataFolder = Path.Combine(_root, name),
            WorkflowsFolder = workflows,
            Configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, // bin/<Configuration>/net10.0
            ExtraArguments = ["--ContactCenter:Database:Provider", "PostgreSql", "--ContactCenter:Database:ConnectionString", database],
        });
        lock (_nodes)
        {
            _nodes.Add(node);
        }

        return node;
    }

    public void Dispose()
    {
        foreach (var node in _nodes)
        {
            node.Dispose();
        }

        NpgsqlConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private static async Task<bool> PollAsync(Func<Task<bool>> condition, TimeSpan timeout) =>
        await PollUntilAsync(async () => await condition(), ok => ok, timeout);

    private static async Task<T?> PollUntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > until)
            {
                return default;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>A browser's <c>/api/live</c> stream, read in the background: the instances whose <c>instance-started</c> it saw.</summary>
    private sealed class LiveStreamReader : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Task _reading;

        public LiveStreamReader(HttpClient client) => _reading = Task.Run(() => ReadAsync(client));

        public System.Collections.Concurrent.ConcurrentDictionary<Guid, bool> Started { get; } = new();

        public Task ConnectedAsync() => _connected.Task.WaitAsync(TimeSpan.FromSeconds(20));

        private async Task ReadAsync(HttpClient client)
        {
            try
            {
                using var response = await client.GetAsync(new Uri("/api/live", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, _stop.Token);
                response.EnsureSuccessStatusCode();
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
                string? name = null;
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    if (line.StartsWith(": connected", StringComparison.Ordinal))
                    {
                        _connected.TrySetResult();
                    }
                    else if (line.StartsWith("event: ", StringComparison.Ordinal))
                    {
                        name = line["event: ".Length..];
                    }
                    else if (line.StartsWith("data: ", StringComparison.Ordinal) && name == "instance-started")
                    {
                        using var data = JsonDocument.Parse(line["data: ".Length..]);
                        Started[data.RootElement.GetProperty("instanceId").GetGuid()] = true;
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
            {
                _connected.TrySetException(e);
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            try
            {
                _reading.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // Stopped.
            }

            _stop.Dispose();
        }
    }
}
