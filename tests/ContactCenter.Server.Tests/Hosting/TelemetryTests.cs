using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ContactCenter.Persistence;
using ContactCenter.Runtime.Diagnostics;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Timers;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Server.Tests.Hosting;

/// <summary>
/// Telemetry tests run alone: the meter and activity source are process-wide, and another test's
/// server running at the same time would move the figures and spans these tests read.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "telemetry";
}

[Collection(TelemetryCollection.Name)]
public sealed partial class TelemetryTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Metrics_AfterAConversation_ScrapeShowsCommandsCommitsTimersAndChannels()
    {
        using var scraper = _server.Anonymous();
        var before = await ScrapeAsync(scraper);

        using var sari = await _server.ClientForAsync("agent.sari");
        var chat = await Conversation.StartAsync(sari, "whatsapp", "+62-metrics");
        await chat.CompleteAsync("Task_SalamPembuka"); // arms the one-minute silence timer
        var webhook = await sari.PostAsync("/api/simulator/live-chat/metrics-visitor/messages", System.Net.Http.Json.JsonContent.Create(new { text = "Halo" }));
        webhook.StatusCode.Should().Be(HttpStatusCode.Accepted, await webhook.Content.ReadAsStringAsync());
        foreach (var channel in new[] { "whatsapp", "no-such-channel-" + Guid.NewGuid().ToString("N") })
        {
            var unsigned = await scraper.PostAsync($"/api/channels/{channel}/messages", System.Net.Http.Json.JsonContent.Create(new { messageId = "m-1", customerRef = "+62-1", text = "Halo" }));
            unsigned.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        // The database figures are reused for a few seconds (by the server's clock): move past that.
        _server.Clock.Advance(TimeSpan.FromSeconds(6));
        var after = await ScrapeAsync(scraper);

        Sum(after, "contactcenter_commands_total", ("contactcenter_command", "start"), ("contactcenter_outcome", "committed"), ("contactcenter_channel", "whatsapp"))
            .Should().BeGreaterThan(Sum(before, "contactcenter_commands_total", ("contactcenter_command", "start"), ("contactcenter_outcome", "committed"), ("contactcenter_channel", "whatsapp")));
        Sum(after, "contactcenter_commands_total", ("contactcenter_command", "complete_work_item"), ("contactcenter_channel", "whatsapp"))
            .Should().BeGreaterThan(Sum(before, "contactcenter_commands_total", ("contactcenter_command", "complete_work_item"), ("contactcenter_channel", "whatsapp")));
        Sum(after, "contactcenter_command_commit_duration_seconds_count").Should().BeGreaterThanOrEqualTo(Sum(before, "contactcenter_command_commit_duration_seconds_count") + 3);
        Sum(after, "contactcenter_command_commit_duration_seconds_sum").Should().BeGreaterThan(Sum(before, "contactcenter_command_commit_duration_seconds_sum"));
        Sum(after, "contactcenter_command_events_sum").Should().BeGreaterThan(Sum(before, "contactcenter_command_events_sum"));
        Sum(before, "contactcenter_timers_armed").Should().Be(0, "a new server has no timer armed");
        Sum(after, "contactcenter_timers_armed").Should().BeGreaterThanOrEqualTo(1, "the greeting armed the silence timer");
        Sum(after, "contactcenter_conversations_running", ("contactcenter_channel", "whatsapp")).Should().BeGreaterThanOrEqualTo(1);
        Sum(after, "contactcenter_conversations_running", ("contactcenter_channel", "live-chat")).Should().BeGreaterThanOrEqualTo(1);
        Sum(after, "contactcenter_webhook_messages_total", ("contactcenter_channel", "live-chat"), ("contactcenter_outcome", "started"))
            .Should().Be(Sum(before, "contactcenter_webhook_messages_total", ("contactcenter_channel", "live-chat"), ("contactcenter_outcome", "started")) + 1);
        Sum(after, "contactcenter_webhook_messages_total", ("contactcenter_channel", "whatsapp"), ("contactcenter_outcome", "unauthorized"))
            .Should().Be(Sum(before, "contactcenter_webhook_messages_total", ("contactcenter_channel", "whatsapp"), ("contactcenter_outcome", "unauthorized")) + 1);
        Sum(after, "contactcenter_webhook_messages_total", ("contactcenter_channel", "unknown"), ("contactcenter_outcome", "unauthorized"))
            .Should().Be(Sum(before, "contactcenter_webhook_messages_total", ("contactcenter_channel", "unknown"), ("contactcenter_outcome", "unauthorized")) + 1, "a channel nobody configured is not a series of its own");
        after["contactcenter_webhook_messages_total"].Should().NotContain(s => s.Labels["contactcenter_channel"].StartsWith("no-such-channel", StringComparison.Ordinal));
        Sum(after, "contactcenter_outbox_depth").Should().BeGreaterThanOrEqualTo(0);
        after.Should().ContainKey("contactcenter_outbox_oldest_age_seconds").And.ContainKey("contactcenter_outbox_dead_letters")
            .And.ContainKey("contactcenter_tickets_open").And.ContainKey("http_server_request_duration_seconds_count")
            .And.ContainKey("dotnet_process_cpu_time_seconds_total", "the .NET runtime's instruments are exported too");

        // The timer fires late by however far the clock is moved past its due time.
        var timer = (await _server.Services.GetRequiredService<InstanceRuntime>().GetStateAsync(chat.Id)).Timers.Single();
        _server.Clock.AdvanceTo(timer.DueAt.AddSeconds(3));
        await FireAllDueAsync();
        var fired = await ScrapeAsync(scraper);
        Sum(fired, "contactcenter_timer_firings_total", ("contactcenter_outcome", "fired")).Should().BeGreaterThanOrEqualTo(1);
        Sum(fired, "contactcenter_timer_lateness_seconds_count").Should().BeGreaterThanOrEqualTo(1);
        Sum(fired, "contactcenter_timer_lateness_seconds_sum").Should().BeGreaterThanOrEqualTo(3);
    }

    [Fact]
    public async Task Traces_RequestCommandCommitAndTimer_AreParentAndChild_AndTheFiringLinksToTheArmingCommand()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is Telemetry.Name or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        using var sari = await _server.ClientForAsync("agent.sari");
        var chat = await Conversation.StartAsync(sari, "whatsapp", "+62-traces");
        await chat.CompleteAsync("Task_SalamPembuka");

        var command = spans.Single(s => s.OperationName == InstanceRuntime.CommandSpan && s.DisplayName == "command complete_work_item" && Equals(s.GetTagItem(Telemetry.Tags.InstanceId), chat.Id));
        command.GetTagItem(Telemetry.Tags.Outcome).Should().Be("committed");
        command.GetTagItem(Telemetry.Tags.Channel).Should().Be("whatsapp");
        // The parent as the command saw it: the request's own span stops only after the client has
        // its answer, so it may not be among the stopped spans yet.
        var request = command.Parent!;
        request.SpanId.Should().Be(command.ParentSpanId);
        request.Source.Name.Should().Be("Microsoft.AspNetCore", "the command runs inside the HTTP request's span");
        request.Parent.Should().BeNull();
        var commit = spans.Single(s => s.OperationName == EfInstanceStore.CommitSpan && s.ParentSpanId == command.SpanId);
        commit.TraceId.Should().Be(request.TraceId);
        commit.Duration.Should().BePositive();
        var armed = command.Events.Should().ContainSingle(e => e.Name == "timer armed").Subject;
        var timerId = (long)armed.Tags.Single(t => t.Key == Telemetry.Tags.TimerId).Value!;

        // The request's log events carry its trace and span (the compact log files' @tr and @sp).
        _server.Logs.OfRequest(request.TraceId.ToHexString()).Should().NotBeEmpty("the request log line of the completion carries the request's trace id");

        // A webhook message (here the simulator's, through the same pipeline) starts its command inside its request too.
        var webhook = await sari.PostAsync("/api/simulator/email/traces-visitor@example.com/messages", System.Net.Http.Json.JsonContent.Create(new { text = "Halo" }));
        webhook.StatusCode.Should().Be(HttpStatusCode.Accepted, await webhook.Content.ReadAsStringAsync());
        var started = spans.Single(s => s.DisplayName == "command start" && Equals(s.GetTagItem(Telemetry.Tags.Channel), "email"));
        var webhookRequest = started.Parent!;
        webhookRequest.SpanId.Should().Be(started.ParentSpanId);
        webhookRequest.Source.Name.Should().Be("Microsoft.AspNetCore");
        webhookRequest.TraceId.Should().NotBe(request.TraceId, "another request, another trace");

        var timer = (await _server.Services.GetRequiredService<InstanceRuntime>().GetStateAsync(chat.Id)).Timers.Single();
        timer.Id.Should().Be(timerId);
        _server.Clock.AdvanceTo(timer.DueAt);
        await FireAllDueAsync();

        var firing = spans.Single(s => s.OperationName == TimerDrain.FiringSpan && Equals(s.GetTagItem(Telemetry.Tags.InstanceId), chat.Id));
        firing.Parent.Should().BeNull();
        firing.ParentSpanId.Should().Be(default(ActivitySpanId), "a firing is a trace of its own");
        firing.TraceId.Should().NotBe(request.TraceId);
        firing.Links.Should().ContainSingle().Which.Context.Should().Match<ActivityContext>(c => c.TraceId == command.TraceId && c.SpanId == command.SpanId);
        firing.GetTagItem(Telemetry.Tags.Outcome).Should().Be("fired");
        var fire = spans.Single(s => s.DisplayName == "command fire_timer" && s.ParentSpanId == firing.SpanId);
        fire.TraceId.Should().Be(firing.TraceId);
        spans.Should().Contain(s => s.OperationName == EfInstanceStore.CommitSpan && s.ParentSpanId == fire.SpanId);
    }

    [Fact]
    public async Task Metrics_TurnedOff_NoScrapeEndpoint()
    {
        await using var off = await StartedAsync(new Dictionary<string, string?> { ["ContactCenter:Telemetry:Prometheus"] = "false" });
        using var client = off.Factory.CreateClient();
        var response = await client.GetAsync("/metrics");
        var body = await response.Content.ReadAsStringAsync();

        // Like any path the server does not have: an anonymous caller is asked to sign in, not scraped.
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, body);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        body.Should().NotContain("contactcenter_");
        (await client.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK, "the server itself runs");
    }

    [Fact]
    public async Task Otlp_Configured_SpansAreRecorded_AndATimerRowKeepsItsArmingTraceparent_OtherwiseNothingIsStored()
    {
        // Nothing listens on port 9 of the loopback: the export fails quietly, the spans are still recorded.
        await using (var traced = await StartedAsync(new Dictionary<string, string?> { ["ContactCenter:Telemetry:OtlpEndpoint"] = "http://127.0.0.1:9" }))
        {
            (await ArmedTraceParentAsync(traced)).Should().MatchRegex("^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$");
        }

        // This fixture's server exports to Prometheus only (and the traced one, whose tracer listened
        // to the whole process, is gone): no span is recorded, no byte stored.
        using var sari = await _server.ClientForAsync("agent.sari");
        var chat = await Conversation.StartAsync(sari, "whatsapp", "+62-untraced");
        await chat.CompleteAsync("Task_SalamPembuka");
        var rows = await _server.Services.GetRequiredService<ContactCenter.Runtime.Storage.IInstanceQueries>().ListPendingTimersAsync();
        rows.Single(r => r.InstanceId == chat.Id).TraceParent.Should().BeNull();
    }

    [Fact]
    public async Task Otlp_MalformedEndpoint_StopsTheStartWithTheSettingsName()
    {
        var start = async () => await StartedAsync(new Dictionary<string, string?> { ["ContactCenter:Telemetry:OtlpEndpoint"] = "collector:4317" });
        (await start.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>()).Which.Message.Should().Contain("ContactCenter:Telemetry:OtlpEndpoint").And.Contain("collector:4317");
    }

    /// <summary>A server of its own with <paramref name="settings"/>, started, on a temporary folder deleted with it.</summary>
    private static async Task<OwnServer> StartedAsync(Dictionary<string, string?> settings)
    {
        var folder = Path.Combine(Path.GetTempPath(), "cc-server-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var server = new OwnServer(new ServerFactory(folder, runScheduler: false) { Settings = settings }, folder);
        try
        {
            _ = server.Factory.Server;
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Signs in as agent.sari, starts a WhatsApp chat, arms its silence timer: the row's traceparent.</summary>
    private static async Task<string?> ArmedTraceParentAsync(OwnServer server)
    {
        using var anonymous = server.Factory.CreateClient();
        var password = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(server.Folder, "demo-users.json"))).RootElement
            .EnumerateArray().Single(u => u.GetProperty("userName").GetString() == "agent.sari").GetProperty("password").GetString();
        var login = await anonymous.PostJsonAsync("/api/auth/login", new { userName = "agent.sari", password });
        using var sari = server.Factory.CreateClient();
        sari.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", login.GetProperty("accessToken").GetString());
        var chat = await Conversation.StartAsync(sari, "whatsapp", "+62-traced");
        await chat.CompleteAsync("Task_SalamPembuka");
        var rows = await server.Factory.Services.GetRequiredService<ContactCenter.Runtime.Storage.IInstanceQueries>().ListPendingTimersAsync();
        return rows.Single(r => r.InstanceId == chat.Id).TraceParent;
    }

    private sealed class OwnServer(ServerFactory factory, string folder) : IAsyncDisposable
    {
        public ServerFactory Factory { get; } = factory;

        public string Folder { get; } = folder;

        public async ValueTask DisposeAsync()
        {
            await ServerFixture.StopAsync(Factory);
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
                // Left to the OS's temp cleaning.
            }
        }
    }

    private async Task FireAllDueAsync()
    {
        var drain = _server.Services.GetRequiredService<TimerDrain>();
        var shards = _server.Services.GetRequiredService<TimerOptions>().Shards;
        for (var shard = 0; shard < shards; shard++)
        {
            await drain.FireDueAsync(shard);
        }
    }

    /// <summary>A scrape as series → value, the series written as Prometheus writes it (name{labels}).</summary>
    private static async Task<Dictionary<string, List<(Dictionary<string, string> Labels, double Value)>>> ScrapeAsync(HttpClient client)
    {
        var response = await client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        var series = new Dictionary<string, List<(Dictionary<string, string>, double)>>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var match = SeriesLine().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
            var value = double.Parse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (!series.TryGetValue(match.Groups["name"].Value, out var list))
            {
                series[match.Groups["name"].Value] = list = [];
            }

            list.Add((labels, value));
        }

        return series;
    }

    /// <summary>The sum of a metric's series that have every given label; 0 when there is none.</summary>
    private static double Sum(Dictionary<string, List<(Dictionary<string, string> Labels, double Value)>> scrape, string name, params (string Key, string Value)[] labels) =>
        scrape.TryGetValue(name, out var list)
            ? list.Where(s => labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value)
            : 0;

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \d+)?$")]
    private static partial Regex SeriesLine();

    [GeneratedRegex("""([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"[,]?""")]
    private static partial Regex LabelPair();
}
