using System.Text;
using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Tests.Samples;
using ContactCenter.Engine.Tests.Support;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Execution;

/// <summary>
/// The stored snapshot's text may not change by a byte when the way it is written changes (the
/// source-generated serializer): every stored snapshot is compared with a fold of its journal.
/// </summary>
public class SnapshotFormatTests
{
    /// <summary>Written by the reflection-based serializer before the source-generated one replaced it.</summary>
    private const string Golden = """
        {"status":"Running","definitionKey":"p","definitionVersion":1,"version":12,"nextId":7,"startedAt":"2026-11-24T09:00:00+07:00","scopes":[{"id":1,"definitionKey":"p","definitionVersion":1}],"tokens":[{"id":2,"scopeId":1,"elementId":"T","arrivedVia":"f_Fork_T"},{"id":3,"scopeId":1,"elementId":"R","arrivedVia":"f_Fork_R"}],"workItems":[{"id":5,"tokenId":2,"elementId":"T","lane":"Agent","script":"Halo Sari \u0022\u003CBu\u003E\u0022 \u2013 \u00F1","outcomes":[],"fields":["a"],"createdAt":"2026-11-24T09:00:00+07:00"}],"timers":[{"id":4,"tokenId":2,"elementId":"B","dueAt":"2026-11-24T09:05:00+07:00","slaPolicy":"sla","held":false}],"subscriptions":[{"id":6,"tokenId":3,"elementId":"R","messageName":"customer-message"}],"variables":{"kosong":null,"n":1.50,"nama":"Sari \u0022\u003CBu\u003E\u0022 \u2013 \u00F1","ok":true},"messageIds":["seen-1"]}
        """;

    [Fact]
    public void ToJson_OfAStateWithEveryPart_IsTheStoredTextByteForByte()
    {
        var run = Driver.For(InstanceStateTests.Busy).Start(variables: Driver.Vars(("nama", "Sari \"<Bu>\" – ñ"), ("n", 1.50m), ("ok", true), ("kosong", Value.Null)));
        run.Deliver("confirmation", messageId: "seen-1");

        run.State.ToJson().Should().Be(Golden);
        InstanceState.FromJson(Golden).ToJson().Should().Be(Golden);
    }

    public static TheoryData<string> Samples() => SampleCatalog.All();

    [Theory]
    [MemberData(nameof(Samples))]
    public void ToJson_OfEveryStateOfASample_EqualsTheReflectionSerializersText(string name)
    {
        var journal = JournalSerializer.FromJsonArray(File.ReadAllText(SampleCatalog.GoldenPath(name), Encoding.UTF8));
        var state = WorkflowEngine.Fold([]);
        foreach (var e in journal)
        {
            state = WorkflowEngine.Fold([e], state);
            state.ToJson().Should().Be(state.ToJsonByReflection(), $"after event {e.Sequence} of {name}");
        }
    }
}
