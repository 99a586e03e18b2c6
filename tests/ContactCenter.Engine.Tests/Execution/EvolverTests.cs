using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Tests.Support;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Execution;

/// <summary>Folding journals: a tampered journal is refused with the sequence number of the first bad event.</summary>
public class EvolverTests
{
    private static readonly string Flow = Bpmn.Process(Bpmn.Chain("S", "T", "EG") + Bpmn.Chain("EG", "Reply", "G") + Bpmn.Chain("EG", "Silence", "E") + $"""
        <bpmn:startEvent id="S" />
        <bpmn:userTask id="T" cc:fields="kategori" />
        <bpmn:eventBasedGateway id="EG" />
        <bpmn:intermediateCatchEvent id="Reply">{Bpmn.Message()}</bpmn:intermediateCatchEvent>
        <bpmn:intermediateCatchEvent id="Silence">{Bpmn.Timer("PT3M")}</bpmn:intermediateCatchEvent>
        <bpmn:exclusiveGateway id="G" />
        {Bpmn.Flow("G", "T", name: "Ya")}
        {Bpmn.Flow("G", "E", name: "Tidak")}
        <bpmn:endEvent id="E" />
        """);

    /// <summary>A journal of a whole conversation: start, task, message, decision, task again, silence.</summary>
    private static Driver Conversation()
    {
        var run = Driver.For(Flow).Start();
        run.Complete("T", data: Driver.Vars(("kategori", "info")));
        run.Now = run.Now.AddMinutes(1);
        run.Deliver(text: "ada lagi", messageId: "m1");
        run.Complete("G", "Ya");
        run.Complete("T", data: Driver.Vars(("kategori", "komplain")));
        run.Fire("Silence");
        run.State.Status.Should().Be(InstanceStatus.Completed);
        return run;
    }

    [Fact]
    public void Fold_WholeJournal_EqualsTheLiveState()
    {
        var run = Conversation();

        WorkflowEngine.Fold(run.Journal).ToJson().Should().Be(run.State.ToJson());
    }

    [Fact]
    public void Fold_JournalReadBackFromJson_EqualsTheLiveState()
    {
        var run = Conversation();

        var back = JournalSerializer.FromJsonLines(JournalSerializer.ToJsonLines(run.Journal));

        WorkflowEngine.Fold(back).ToJson().Should().Be(run.State.ToJson());
    }

    [Fact]
    public void Fold_FromASnapshot_ContinuesTheJournal()
    {
        var run = Conversation();
        var half = run.Journal.Count / 2;
        var snapshot = InstanceState.FromJson(WorkflowEngine.Fold(run.Journal.Take(half)).ToJson());

        WorkflowEngine.Fold(run.Journal.Skip(half), snapshot).ToJson().Should().Be(run.State.ToJson());
    }

    [Fact]
    public void Fold_GapInSequence_ThrowsNamingTheEventAfterTheGap()
    {
        var journal = Conversation().Journal;
        journal.RemoveAt(5);

        var act = () => WorkflowEngine.Fold(journal);

        var error = act.Should().Throw<JournalException>().Which;
        error.Sequence.Should().Be(7);
        error.Message.Should().Be("event 7: expected sequence number 6: the journal has a gap or is out of order");
    }

    [Fact]
    public void Fold_EventsSwapped_ThrowsNamingTheFirstOutOfPlace()
    {
        var journal = Conversation().Journal;
        (journal[8], journal[9]) = (journal[9], journal[8]);

        var act = () => WorkflowEngine.Fold(journal);

        act.Should().Throw<JournalException>().Which.Sequence.Should().Be(10);
    }

    [Fact]
    public void Fold_EventsSwappedAndRenumbered_IsStillCaughtByTheState()
    {
        var journal = Conversation().Journal;
        journal[1].Should().BeOfType<ScopeStarted>();
        journal[2].Should().BeOfType<ElementEntered>();
        (journal[1], journal[2]) = (journal[2] with { Sequence = 2 }, journal[1] with { Sequence = 3 });

        var act = () => WorkflowEngine.Fold(journal);

        var error = act.Should().Throw<JournalException>().Which;
        error.Sequence.Should().Be(2);
        error.Message.Should().Contain("which is not active");
    }

    [Fact]
    public void Fold_EventForAnUnknownToken_ThrowsNamingIt()
    {
        var journal = Conversation().Journal;
        var index = journal.FindIndex(e => e is ElementLeft);
        var left = (ElementLeft)journal[index];
        journal[index] = left with { TokenId = 999 };

        var act = () => WorkflowEngine.Fold(journal);

        var error = act.Should().Throw<JournalException>().Which;
        error.Sequence.Should().Be(left.Sequence);
        error.Message.Should().Contain("names token 999");
    }

    [Fact]
    public void Fold_TamperedJsonText_IsCaught()
    {
        var text = JournalSerializer.ToJsonLines(Conversation().Journal);
        var lines = text.Split('\n').ToList();
        var index = lines.FindIndex(l => l.Contains("timer-fired@1", StringComparison.Ordinal));
        lines[index] = System.Text.RegularExpressions.Regex.Replace(lines[index], "\"timerId\":\\d+", "\"timerId\":4242");

        var act = () => WorkflowEngine.Fold(JournalSerializer.FromJsonLines(string.Join('\n', lines)));

        act.Should().Throw<JournalException>().Which.Sequence.Should().Be(index + 1);
    }

    [Fact]
    public void Fold_EventAfterTheInstanceEnded_Throws()
    {
        var journal = Conversation().Journal;
        journal.Add(new TimerFired(1) { Sequence = journal.Count + 1 });

        var act = () => WorkflowEngine.Fold(journal);

        act.Should().Throw<JournalException>().Which.Message.Should().Be($"event {journal.Count}: TimerFired after the instance is Completed");
    }

    [Fact]
    public void Fold_InstanceStartedTwice_Throws()
    {
        var journal = Conversation().Journal;
        var restart = (InstanceStarted)journal[0] with { Sequence = 2 };

        var act = () => WorkflowEngine.Fold([journal[0], restart]);

        act.Should().Throw<JournalException>().Which.Sequence.Should().Be(2);
    }

    [Fact]
    public void Fold_IdReused_Throws()
    {
        var journal = Conversation().Journal;
        var scheduled = (TimerScheduled)journal.First(e => e is TimerScheduled);
        var index = journal.IndexOf(scheduled);
        journal.Insert(index + 1, scheduled with { Sequence = scheduled.Sequence + 1 });

        var act = () => WorkflowEngine.Fold(journal.Take(index + 2));

        act.Should().Throw<JournalException>().Which.Message.Should().Contain($"reuses id {scheduled.TimerId}");
    }

    [Fact]
    public void Fold_EmptyJournal_IsTheEmptyState()
    {
        WorkflowEngine.Fold([]).ToJson().Should().Be(InstanceState.Empty.ToJson());
    }
}
