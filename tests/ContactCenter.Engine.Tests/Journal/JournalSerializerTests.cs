using System.Collections.Immutable;
using System.Text.Json;
using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Journal;
using FluentAssertions;
using Xunit;

// Not ...Tests.Journal: that namespace would hide ContactCenter.Engine.Journal from partially qualified names in other test folders.
namespace ContactCenter.Engine.Tests.Journals;

public class JournalSerializerTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 9, 30, 15, 250, TimeSpan.FromHours(7));

    private static readonly ImmutableSortedDictionary<string, Value> Data = new Dictionary<string, Value>
    {
        ["kategori"] = "komplain",
        ["prioritas"] = 2.5m,
        ["eskalasi"] = true,
        ["catatan"] = Value.Null,
        ["pesan"] = "Terima kasih \"Bapak\" — semoga membantu 🙏",
    }.ToImmutableSortedDictionary(StringComparer.Ordinal);

    /// <summary>One populated sample of every event type (nullable members both set and unset somewhere).</summary>
    public static IReadOnlyList<WorkflowEvent> Samples { get; } = Stamp(
    [
        new InstanceStarted("live-chat", 3, Data),
        new ScopeStarted(1, null, null, "live-chat", 3, null),
        new ScopeStarted(5, 1, 4, "live-chat", 3, "Sub_Sla"),
        new ScopeCompleted(5, true),
        new ElementEntered(2, 1, "Task_Greet", "Flow_1"),
        new ElementEntered(2, 1, "Event_Start", null),
        new ElementLeft(2, "Task_Greet", null),
        new TokenEnded(2, "Event_End", false),
        new WorkItemCreated(3, 2, "Gateway_More", "Butuh bantuan lain?", "Agent", "16", "Ada lagi yang bisa dibantu?", ["Ya", "Tidak"], ["kategori"]),
        new WorkItemCreated(6, 2, "Task_X", null, null, null, null, [], []),
        new WorkItemCompleted(3, "Ya", Data),
        new WorkItemCompleted(6, null, ImmutableSortedDictionary<string, Value>.Empty),
        new WorkItemCancelled(3),
        new VariablesSet("Task_Greet", Data),
        new TimerScheduled(7, 2, "Event_Timer", At.AddMinutes(1), "chat-sla"),
        new TimerScheduled(8, 2, "Event_Timer", At.AddDays(10), null),
        new TimerFired(7),
        new TimerCancelled(8),
        new TimerRescheduled(7, At.AddDays(12), "sla-extended"),
        new TimerRescheduled(7, null, "sla-paused"),
        new Annotated("note", Data),
        new MessageSubscribed(9, 2, "Event_Reply", "customer-message"),
        new MessageUnsubscribed(9),
        new MessageReceived("customer-message", "wa-123", "halo, masih?", 9),
        new MessageReceived("customer-message", null, null, null),
        new PromptSent(2, "Task_Prompt", "2a", "Apakah saat ini Bapak/Ibu masih terhubung dengan kami?"),
        new ServiceInvoked(2, "Task_Ticket", "createTicket", Data),
        new InstanceCompleted(),
        new InstanceCancelled("nasabah menutup chat"),
        new InstanceFaulted("Gateway_1", "no outgoing condition is true"),
        new InstanceFaulted(null, "livelock"),
        new InstanceMigrated(
            "live-chat",
            3,
            4,
            new Dictionary<string, int> { ["live-chat"] = 4, ["still-connected"] = 2 }.ToImmutableSortedDictionary(StringComparer.Ordinal),
            new Dictionary<string, string> { ["Task_Greet"] = "Activity_0x9k2m1", ["Flow_1"] = "Flow_1" }.ToImmutableSortedDictionary(StringComparer.Ordinal)),
    ]);

    private static List<WorkflowEvent> Stamp(List<WorkflowEvent> events)
    {
        for (var i = 0; i < events.Count; i++)
        {
            events[i].Sequence = i + 1;
            events[i].At = At.AddSeconds(i);
            events[i].Actor = i % 3 == 0 ? null : "agent1";
        }

        return events;
    }

    public static TheoryData<int> SampleIndexes()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Samples.Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Fact]
    public void Samples_CoverEveryEventType()
    {
        var all = typeof(WorkflowEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(WorkflowEvent)) && !t.IsAbstract);

        Samples.Select(e => e.GetType()).Distinct().Should().BeEquivalentTo(all);
    }

    [Theory]
    [MemberData(nameof(SampleIndexes))]
    public void Serialize_EveryEventType_RoundTripsExactly(int index)
    {
        var original = Samples[index];

        var json = JournalSerializer.Serialize(original);
        var back = JournalSerializer.Deserialize(json);

        back.Should().BeOfType(original.GetType());
        back.Should().BeEquivalentTo(original, o => o.RespectingRuntimeTypes().ComparingByValue<Value>());
        back.Sequence.Should().Be(original.Sequence);
        back.At.Should().Be(original.At);
        back.At.Offset.Should().Be(TimeSpan.FromHours(7));
        back.Actor.Should().Be(original.Actor);
        JournalSerializer.Serialize(back).Should().Be(json);
    }

    [Fact]
    public void Serialize_WritesTheVersionedDiscriminatorFirstAndCamelCase()
    {
        var json = JournalSerializer.Serialize(Samples[1]);

        json.Should().StartWith("{\"type\":\"scope-started@1\",\"sequence\":2,\"at\":\"2026-11-24T09:30:16.25+07:00\",\"actor\":\"agent1\",");
        json.Should().Contain("\"subProcessId\":null", "null members are written, so every row has the same shape");
    }

    [Fact]
    public void Serialize_NullActor_IsLeftOut()
    {
        JournalSerializer.Serialize(Samples[0]).Should().NotContain("\"actor\"");
    }

    [Fact]
    public void Serialize_IndonesianText_StaysReadable()
    {
        var json = JournalSerializer.Serialize(new PromptSent(1, "T", null, "Terima kasih, Bapak/Ibu — \"semoga\" membantu <b>&</b>"));

        json.Should().Contain("Terima kasih, Bapak/Ibu — \\\"semoga\\\" membantu <b>&</b>");
    }

    [Fact]
    public void JsonLines_RoundTrip_KeepsEveryEvent()
    {
        var text = JournalSerializer.ToJsonLines(Samples);

        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(Samples.Count);
        JournalSerializer.ToJsonLines(JournalSerializer.FromJsonLines(text)).Should().Be(text);
    }

    [Fact]
    public void JsonArray_RoundTrip_KeepsEveryEvent()
    {
        var text = JournalSerializer.ToJsonArray(Samples);

        var back = JournalSerializer.FromJsonArray(text);

        back.Select(e => e.GetType()).Should().Equal(Samples.Select(e => e.GetType()));
        JournalSerializer.ToJsonArray(back).Should().Be(text);
    }

    [Fact]
    public void FromJsonLines_BadLine_NamesTheLine()
    {
        var text = JournalSerializer.Serialize(Samples[0]) + "\n\n{\"type\":\"no-such-event@1\",\"sequence\":2}\n";

        var act = () => JournalSerializer.FromJsonLines(text);

        act.Should().Throw<JsonException>().WithMessage("line 3:*");
    }

    [Theory]
    [InlineData("{\"type\":\"instance-started@2\",\"sequence\":1}")]
    [InlineData("{\"sequence\":1}")]
    public void Deserialize_UnknownOrMissingDiscriminator_IsRefused(string json)
    {
        var act = () => JournalSerializer.Deserialize(json);

        act.Should().Throw<Exception>().Which.Should().Match<Exception>(e => e is JsonException || e is NotSupportedException);
    }

    [Fact]
    public void Deserialize_ObjectAsVariableValue_IsRefused()
    {
        var act = () => JournalSerializer.Deserialize("{\"type\":\"variables-set@1\",\"sequence\":1,\"at\":\"2026-11-24T09:30:16+07:00\",\"elementId\":\"T\",\"values\":{\"a\":{\"nested\":1}}}");

        act.Should().Throw<JsonException>();
    }
}
