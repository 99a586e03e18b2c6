using System.Diagnostics.Metrics;
using ContactCenter.Engine;
using ContactCenter.Modules.Tickets;
using ContactCenter.Runtime.Diagnostics;
using ContactCenter.Runtime.Storage;
using ContactCenter.Runtime.Tests.Integration;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Runtime.Tests.Diagnostics;

/// <summary>
/// The database gauges on the real SQLite store: what they count, and that a burst of observations
/// within the cache period reads the database once (the figures do not move until it has passed).
/// </summary>
#pragma warning disable CA1001 // The fixture is disposed by xunit's IAsyncLifetime.DisposeAsync.
public sealed class RuntimeGaugesTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
    private readonly RuntimeFixture fixture = new();
    private readonly FakeTimeProvider clock = new(T0);

    public Task InitializeAsync() => fixture.StartAsync(scheduler: false);

    public async Task DisposeAsync() => await fixture.DisposeAsync();

    [Fact]
    public async Task Gauges_CountTimersOutboxAndRunningPerChannel_AndReadTheStoreOncePerPeriod()
    {
        await CommitAsync("whatsapp", timers: 2);
        await CommitAsync("live-chat", timers: 1, outboxCreatedAt: T0.AddSeconds(-30));
        await CommitAsync("ticket", timers: 0);
        using var gauges = NewGauges();

        var first = Observe(gauges);
        first[("contactcenter.timers.armed", "")].Should().Be(3);
        first[("contactcenter.outbox.depth", "")].Should().Be(1);
        first[("contactcenter.outbox.oldest.age", "")].Should().Be(30);
        first[("contactcenter.outbox.dead_letters", "")].Should().Be(0);
        first[("contactcenter.conversations.running", "whatsapp")].Should().Be(1);
        first[("contactcenter.conversations.running", "live-chat")].Should().Be(1);
        first.Keys.Should().NotContain(("contactcenter.conversations.running", "ticket"), "a ticket's instance is not a conversation");

        await CommitAsync("whatsapp", timers: 1);
        clock.Advance(gauges.StoreMaxAge - TimeSpan.FromMilliseconds(1));
        var cached = Observe(gauges);
        cached[("contactcenter.timers.armed", "")].Should().Be(3, "within the period the last read is reported again");
        cached[("contactcenter.outbox.oldest.age", "")].Should().Be(30, "the age is as of the read");

        clock.Advance(TimeSpan.FromMilliseconds(1));
        var fresh = Observe(gauges);
        fresh[("contactcenter.timers.armed", "")].Should().Be(4);
        fresh[("contactcenter.conversations.running", "whatsapp")].Should().Be(2);
        fresh[("contactcenter.outbox.oldest.age", "")].Should().Be(35);
    }

    [Fact]
    public async Task TicketGauge_CountsTheTicketQueueRowsPerLaneAndSlaStatus()
    {
        var now = fixture.Clock.GetUtcNow();
        await fixture.Host!.Services.GetRequiredService<IReadModelStore>().ApplyReadModelsAsync(new ReadModelChanges
        {
            Upserts =
            [
                TicketRow(TicketQueue.Tier2, deadline: now.AddHours(4), warning: now.AddHours(2)),
                TicketRow(TicketQueue.Tier2, deadline: now.AddHours(1), warning: now.AddMinutes(-5)),
                TicketRow(TicketQueue.Tier2, deadline: now.AddHours(3), warning: now.AddHours(1)),
                TicketRow(TicketQueue.RelatedTeam, deadline: now.AddMinutes(-1), warning: now.AddHours(-1)),
                TicketRow(TicketQueue.RelatedTeam, deadline: null, warning: null),
            ],
        });
        using var gauges = NewTicketGauges();

        var tickets = ObserveTickets(gauges);

        tickets.Should().BeEquivalentTo(new Dictionary<(string, string), long>
        {
            [("tier2", "on_track")] = 2,
            [("tier2", "at_risk")] = 1,
            [("tier2", "breached")] = 0,
            [("tier2", "none")] = 0,
            [("related_team", "on_track")] = 0,
            [("related_team", "at_risk")] = 0,
            [("related_team", "breached")] = 1,
            [("related_team", "none")] = 1,
        });
    }

    /// <summary>Gauges over the fixture's real store, observed on this test's clock.</summary>
    private RuntimeGauges NewGauges() => new RuntimeGauges(
            fixture.Queries,
            fixture.Timers,
            fixture.Host!.Services.GetRequiredService<IOutboxStore>(),
            clock,
            NullLogger<RuntimeGauges>.Instance,
            new HashSet<string> { "ticket" });

    /// <summary>The ticket desk's gauge over the fixture's real store, observed on this test's clock.</summary>
    private TicketGauges NewTicketGauges() => new TicketGauges(
            fixture.Host!.Services.GetRequiredService<TicketDesk>(),
            clock,
            NullLogger<TicketGauges>.Instance);

    /// <summary>A ticket-queue row as the ticket projection writes it: the gauge reads only its lane and clock columns.</summary>
    private static ReadModelRow TicketRow(TicketQueue lane, DateTimeOffset? deadline, DateTimeOffset? warning) => new()
    {
        Model = TicketQueueProjection.Model,
        InstanceId = Guid.CreateVersion7(),
        InstanceVersion = 1,
        Queue = TicketQueueProjection.QueueName(lane),
        HasDeadline = deadline is not null,
        DeadlineAt = deadline ?? DateTimeOffset.MaxValue,
        WarningAt = warning ?? DateTimeOffset.MaxValue,
        EnqueuedAt = T0,
        Summary = "{}",
    };

    /// <summary>One observation of <c>contactcenter.tickets.open</c>: (lane, SLA status) → open tickets.</summary>
    private static Dictionary<(string Lane, string Sla), long> ObserveTickets(TicketGauges gauges)
    {
        var values = new Dictionary<(string, string), long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, gauges.Meter) && instrument.Name == "contactcenter.tickets.open")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string lane = "", sla = "";
            foreach (var tag in tags)
            {
                if (tag.Key == Telemetry.Tags.Lane)
                {
                    lane = (string)tag.Value!;
                }
                else
                {
                    sla = (string)tag.Value!;
                }
            }

            values[(lane, sla)] = value;
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }

    /// <summary>One observation of this host's gauges: (instrument, channel tag or "") → value.</summary>
    private static Dictionary<(string Name, string Channel), double> Observe(RuntimeGauges gauges)
    {
        var values = new Dictionary<(string, string), double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, gauges.Meter))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => values[(instrument.Name, ChannelOf(tags))] = value);
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => values[(instrument.Name, ChannelOf(tags))] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return values;

        static string ChannelOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == Telemetry.Tags.Channel)
                {
                    return (string)tag.Value!;
                }
            }

            return "";
        }
    }

    /// <summary>A bare running instance with timer rows and, when given, one undelivered outbox row.</summary>
    private async Task CommitAsync(string channel, int timers, DateTimeOffset? outboxCreatedAt = null)
    {
        var id = Guid.CreateVersion7();
        await fixture.Store.CommitAsync(new InstanceCommit
        {
            Instance = new InstanceRecord
            {
                Id = id,
                DefinitionKey = "gauges-test",
                DefinitionVersion = 1,
                Channel = channel,
                Status = InstanceStatus.Running,
                Version = 0,
                Snapshot = InstanceState.Empty.ToJson(),
                PinnedVersions = new Dictionary<string, int> { ["gauges-test"] = 1 },
                StartedAt = T0,
                UpdatedAt = T0,
            },
            ExpectedVersion = 0,
            Events = [],
            TimersArmed = [.. Enumerable.Range(1, timers).Select(t => new TimerRecord(id, t, "Event_Timer", T0.AddMinutes(1)))],
            Outbox = outboxCreatedAt is { } created
                ? [new OutboxRecord { Id = Guid.CreateVersion7(), IdempotencyKey = $"{id:N}:1", Kind = "prompt", InstanceId = id, Payload = "{}", CreatedAt = created, NextAttemptAt = created }]
                : [],
        });
    }
}
