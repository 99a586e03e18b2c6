using ContactCenter.Engine.Expressions;
using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Tests.Support;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Execution;

/// <summary>
/// The semantics of each element through <see cref="WorkflowEngine.Decide"/>. Every command goes
/// through <see cref="Driver"/>, which also checks that Decide leaves its input alone and that the
/// folded journal equals the live state after each command.
/// </summary>
public partial class WorkflowEngineTests
{
    private static readonly string TaskFlow = Bpmn.Process(Bpmn.Chain("S", "T", "Svc", "Send", "E") + """
        <bpmn:startEvent id="S" cc:assign="mulai = true" />
        <bpmn:userTask id="T" name="Catat keluhan" cc:step="14a" cc:script="Selamat {salam}, {nama}! {tidakAda}" cc:fields="kategori, prioritas" cc:assign="berat = prioritas &gt;= 3" />
        <bpmn:serviceTask id="Svc" cc:serviceKind="createTicket" cc:fields="kategori, prioritas, catatan" />
        <bpmn:sendTask id="Send" cc:step="15" cc:script="Tiket {kategori} dibuat (prioritas {prioritas}, berat {berat})" />
        <bpmn:endEvent id="E" cc:assign="selesai = true" />
        """);

    [Fact]
    public void UserTask_Entered_CreatesAWorkItemForTheLane()
    {
        var run = Driver.For(TaskFlow).Start(variables: Driver.Vars(("salam", "pagi"), ("nama", "Budi")));

        var item = run.Item("T");
        item.Name.Should().Be("Catat keluhan");
        item.Lane.Should().Be("Agent");
        item.Step.Should().Be("14a");
        item.Script.Should().Be("Selamat pagi, Budi! {tidakAda}", "known placeholders are filled, unknown ones stay visible");
        item.Fields.Should().Equal("kategori", "prioritas");
        item.Outcomes.Should().BeEmpty();
        item.CreatedAt.Should().Be(Driver.T0);
        run.State.Status.Should().Be(InstanceStatus.Running);
        run.State.Get("mulai").Should().Be(Value.True, "the start event's cc:assign ran when it was left");
        run.Last.Should().AllSatisfy(e => e.Actor.Should().Be("agent1"));
        run.Last.Should().AllSatisfy(e => e.At.Should().Be(Driver.T0));
    }

    [Fact]
    public void CompleteWorkItem_MissingFields_IsRejectedWithMissingFields()
    {
        var run = Driver.For(TaskFlow).Start();

        var rejected = run.Reject(new CompleteWorkItem(run.Item("T").Id, Data: Driver.Vars(("kategori", "komplain"), ("prioritas", Value.Null))));

        rejected.Reason.Should().Be(RejectionReason.MissingFields);
        rejected.Message.Should().Contain("needs prioritas");
    }

    [Fact]
    public void CompleteWorkItem_FieldAlreadyAVariable_IsAccepted()
    {
        var run = Driver.For(TaskFlow).Start(variables: Driver.Vars(("prioritas", 1)));

        run.Complete("T", data: Driver.Vars(("kategori", "info")));

        run.State.Status.Should().Be(InstanceStatus.Completed);
    }

    [Fact]
    public void CompleteWorkItem_WithData_SetsVariablesThenAssignsThenRunsServiceAndSendTasks()
    {
        var run = Driver.For(TaskFlow).Start();
        var itemId = run.Item("T").Id;

        var events = run.Complete("T", data: Driver.Vars(("kategori", "komplain"), ("prioritas", 3)));

        events.Select(e => e.GetType().Name).Should().StartWith(["WorkItemCompleted", "VariablesSet", "VariablesSet", "ElementLeft"]);
        events.OfType<WorkItemCompleted>().Single().Should().Match<WorkItemCompleted>(c => c.WorkItemId == itemId && c.Outcome == null && c.Data.Count == 2);
        events.OfType<VariablesSet>().Select(v => (v.ElementId, string.Join(",", v.Values.Keys))).Should().Equal(("T", "kategori,prioritas"), ("T", "berat"), ("E", "selesai"));

        var service = events.OfType<ServiceInvoked>().Should().ContainSingle().Subject;
        service.ElementId.Should().Be("Svc");
        service.ServiceKind.Should().Be("createTicket");
        service.Data.Should().Equal(new Dictionary<string, Value> { ["catatan"] = Value.Null, ["kategori"] = "komplain", ["prioritas"] = 3 });

        var prompt = events.OfType<PromptSent>().Should().ContainSingle().Subject;
        prompt.ElementId.Should().Be("Send");
        prompt.Step.Should().Be("15");
        prompt.Text.Should().Be("Tiket komplain dibuat (prioritas 3, berat true)");

        events.OfType<InstanceCompleted>().Should().ContainSingle();
        run.State.Status.Should().Be(InstanceStatus.Completed);
        run.State.Get("selesai").Should().Be(Value.True);
        run.State.WorkItems.Should().BeEmpty();
        run.State.Tokens.Should().BeEmpty();
        run.State.Scopes.Should().BeEmpty();
        run.State.EndedAt.Should().Be(Driver.T0);
    }

    [Fact]
    public void CompleteWorkItem_OutcomeOnATask_IsRejected()
    {
        var run = Driver.For(TaskFlow).Start();

        run.Reject(new CompleteWorkItem(run.Item("T").Id, "Ya", Driver.Vars(("kategori", "a"), ("prioritas", 1))))
            .Reason.Should().Be(RejectionReason.OutcomeNotAllowed);
    }

    [Fact]
    public void CompleteWorkItem_UnknownWorkItem_IsRejected()
    {
        var run = Driver.For(TaskFlow).Start();

        run.Reject(new CompleteWorkItem(9999)).Reason.Should().Be(RejectionReason.UnknownWorkItem);
    }

    [Theory]
    [InlineData("1abc")]
    [InlineData("nama lengkap")]
    [InlineData("and")]
    public void CompleteWorkItem_InvalidVariableName_IsRejectedWithInvalidData(string name)
    {
        var run = Driver.For(TaskFlow).Start();

        run.Reject(new CompleteWorkItem(run.Item("T").Id, Data: Driver.Vars(("kategori", "a"), ("prioritas", 1), (name, "x"))))
            .Reason.Should().Be(RejectionReason.InvalidData);
    }

    [Fact]
    public void StartInstance_UnknownDefinition_IsRejected()
    {
        var run = Driver.For(TaskFlow);

        run.Reject(new StartInstance("nope")).Reason.Should().Be(RejectionReason.UnknownDefinition);
    }

    [Fact]
    public void StartInstance_InvalidVariableName_IsRejected()
    {
        var run = Driver.For(TaskFlow);

        run.Reject(new StartInstance("p", Driver.Vars(("bad-name", 1)))).Reason.Should().Be(RejectionReason.InvalidData);
    }

    [Fact]
    public void StartInstance_Twice_IsRejectedAsAlreadyStarted()
    {
        var run = Driver.For(TaskFlow).Start();

        run.Reject(new StartInstance("p")).Reason.Should().Be(RejectionReason.AlreadyStarted);
    }

    [Fact]
    public void StartInstance_RecordsDefinitionVersionAndVariables()
    {
        var definition = Driver.Parse(TaskFlow);
        var run = new Driver(new WorkflowEngine(new DefinitionSet().Add(definition, version: 7)));

        run.Start(variables: Driver.Vars(("salam", "siang")));

        var started = run.Last.OfType<InstanceStarted>().Should().ContainSingle().Subject;
        started.DefinitionKey.Should().Be("p");
        started.DefinitionVersion.Should().Be(7);
        run.State.DefinitionVersion.Should().Be(7);
        run.State.StartedAt.Should().Be(Driver.T0);
        run.State.Scopes.Should().ContainSingle().Which.DefinitionVersion.Should().Be(7);
        run.State.Get("salam").Should().Be(Value.From("siang"));
    }

    [Fact]
    public void ManualTask_IsAWorkItemLikeAUserTask()
    {
        var run = Driver.For(Bpmn.Process(Bpmn.Chain("S", "M", "E") + """
            <bpmn:startEvent id="S" />
            <bpmn:manualTask id="M" cc:script="Baca salam" />
            <bpmn:endEvent id="E" />
            """)).Start();

        run.Item("M").Script.Should().Be("Baca salam");
        run.Complete("M");
        run.State.Status.Should().Be(InstanceStatus.Completed);
    }

    [Fact]
    public void SendTask_WithoutScript_SendsItsName()
    {
        var run = Driver.For(Bpmn.Process(Bpmn.Chain("S", "Send", "E") + """
            <bpmn:startEvent id="S" />
            <bpmn:sendTask id="Send" name="Terima kasih" />
            <bpmn:endEvent id="E" />
            """)).Start();

        run.Last.OfType<PromptSent>().Should().ContainSingle().Which.Text.Should().Be("Terima kasih");
    }

    private static readonly string ReceiveFlow = Bpmn.Process(Bpmn.Chain("S", "R", "T", "E") + """
        <bpmn:startEvent id="S" />
        <bpmn:receiveTask id="R" messageRef="Msg_confirm" />
        <bpmn:userTask id="T" />
        <bpmn:endEvent id="E" />
        """);

    [Fact]
    public void ReceiveTask_WaitsForItsMessage()
    {
        var run = Driver.For(ReceiveFlow).Start();
        var subscription = run.State.Subscriptions.Should().ContainSingle().Subject;
        subscription.ElementId.Should().Be("R");
        subscription.MessageName.Should().Be("confirmation");

        var other = run.Deliver("customer-message", "halo");
        other.Should().ContainSingle().Which.Should().BeOfType<MessageReceived>().Which.SubscriptionId.Should().BeNull();
        run.TokenPositions.Should().Equal("R");

        var events = run.Deliver("confirmation", "ya", "m-1");

        var received = events.OfType<MessageReceived>().Should().ContainSingle().Subject;
        received.Should().Match<MessageReceived>(m => m.SubscriptionId == subscription.Id && m.Text == "ya" && m.MessageId == "m-1" && m.MessageName == "confirmation");
        events[0].Actor.Should().Be("customer-1");
        run.State.Subscriptions.Should().BeEmpty();
        run.Item("T");
    }
}
