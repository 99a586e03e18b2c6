using System.Xml;
using System.Xml.Linq;
using static ContactCenter.Workflows.Tests.BpmnModel;
using static ContactCenter.Workflows.Tests.WorkflowFiles;

namespace ContactCenter.Workflows.Tests;

/// <summary>
/// The rules of docs/bpmn-subset.md and of our SOP mapping that can be checked on the XML alone, without the
/// engine: diagram interchange complete and overlap-free, lanes, branching, links, reachability, SOP step numbers
/// and the still-connected ladder.
/// </summary>
public sealed class WorkflowStructureTests
{
    private const string StillConnectedPrompt = "Apakah saat ini Bapak/Ibu masih terhubung dengan kami?";

    private static readonly string[] ChatChannels = ["social-media", "whatsapp", "live-chat"];

    private static readonly string[] Channels = ["inbound-call", "social-media", "email", "whatsapp", "live-chat", "outlet-reservation"];

    /// <summary>cc:step values each file must carry, exactly: the SOP's own numbers (see docs/sop-assumptions.md).</summary>
    private static readonly Dictionary<string, string[]> ExpectedSteps = new(StringComparer.Ordinal)
    {
        ["still-connected"] = ["2a", "2b", "2c"],
        ["ticket-escalation"] = ["12", "13", "14", "14a", "14b", "15", "16", "17", "18", "19"],
        ["inbound-call"] = ["10", "11"],
        ["social-media"] = ["3"],
        ["email"] = [],
        ["whatsapp"] = ["6"],
        ["live-chat"] = [],
        ["outlet-reservation"] = [],
    };

    [Fact]
    public void Workflows_Folder_HoldsEveryExpectedDefinition() =>
        Keys().Should().BeEquivalentTo(ExpectedKeys);

    [Theory]
    [MemberData(nameof(All), MemberType = typeof(WorkflowFiles))]
    public void Load_WithDtdProhibited_HasOneExecutableProcessNamedByTheKey(string key)
    {
        var model = new BpmnModel(key);

        model.Process.Attribute("id")!.Value.Should().Be(key);
        ((string?)model.Process.Attribute("isExecutable")).Should().Be("true");
        Name(model.Process).Should().NotBeNullOrWhiteSpace();
        key.Should().MatchRegex("^[a-z0-9-]+$");
        var participants = model.Document.Descendants(Bpmn + "participant").ToList();
        participants.Should().ContainSingle();
        ((string?)participants[0].Attribute("processRef")).Should().Be(key);
        model.Lanes.Should().NotBeEmpty();
        model.Document.Descendants().Select(e => (string?)e.Attribute("id")).OfType<string>()
            .Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Load_FileWithDoctype_IsRefused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dtd-{Environment.ProcessId}.bpmn");
        File.WriteAllText(path, "<!DOCTYPE x [<!ENTITY e \"boom\">]><x>&e;</x>");
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
            var load = () =>
            {
                using var reader = XmlReader.Create(path, settings);
                return XDocument.Load(reader);
            };
            load.Should().Throw<XmlException>();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [MemberData(nameof(All), MemberType = typeof(WorkflowFiles))]
    public void Diagram_EveryNodeLaneAndFlow_HasExactlyOneShapeOrEdge(string key)
    {
        var model = new BpmnModel(key);
        var problems = new List<string>();

        foreach (var node in model.Nodes.Concat(model.Lanes).Concat(model.Document.Descendants(Bpmn + "participant")))
        {
            var count = model.ShapesOf(Id(node)).Count;
            if (count != 1)
            {
                problems.Add($"{Describe(node)} has {count} BPMNShape(s)");
            }
        }

        foreach (var flow in model.Flows)
        {
            var edges = model.EdgesOf(Id(flow));
            if (edges.Count != 1)
            {
                problems.Add($"{Describe(flow)} has {edges.Count} BPMNEdge(s)");
            }
            else if (edges[0].Elements(Di + "waypoint").Count() < 2)
            {
                problems.Add($"{Describe(flow)} has fewer than two waypoints");
            }
        }

        foreach (var shape in model.Shapes.Where(s => s.Attribute("isHorizontal") is not null))
        {
            if ((string?)shape.Attribute("isHorizontal") != "true")
            {
                problems.Add($"shape {(string?)shape.Attribute("id")} is not horizontal");
            }
        }

        problems.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(All), MemberType = typeof(WorkflowFiles))]
    public void Diagram_Shapes_DoNotOverlapAndStayInTheirLane(string key)
    {
        var model = new BpmnModel(key);
        var problems = new List<string>();
        var pool = model.BoundsOf(Id(model.Document.Descendants(Bpmn + "participant").Single()));
        var placed = model.Nodes.Where(n => Kind(n) != "boundaryEvent").ToList();

        for (var i = 0; i < placed.Count; i++)
        {
            var a = model.BoundsOf(Id(placed[i]));
            if (!pool.Contains(a))
            {
                problems.Add($"{Describe(placed[i])} lies outside the pool");
            }

            for (var j = i + 1; j < placed.Count; j++)
            {
                var b = model.BoundsOf(Id(placed[j]));
                var nested = placed[i].Descendants().Contains(placed[j]) || placed[j].Descendants().Contains(placed[i]);
                if (!nested && a.Intersects(b))
                {
                    problems.Add($"{Describe(placed[i])} overlaps {Describe(placed[j])}");
                }
            }
        }

        foreach (var boundary in model.Nodes.Where(n => Kind(n) == "boundaryEvent"))
        {
            var host = model.BoundsOf((string)boundary.Attribute("attachedToRef")!);
            var b = model.BoundsOf(Id(boundary));
            if (!host.Intersects(b))
            {
                problems.Add($"{Describe(boundary)} is not drawn on its activity's border");
            }
        }

        // A node listed in a lane is drawn inside that lane (sub-processes may span lanes).
        foreach (var lane in model.Lanes)
        {
            var laneBounds = model.BoundsOf(Id(lane));
            foreach (var id in lane.Elements(Bpmn + "flowNodeRef").Select(r => r.Value.Trim()))
            {
                if (Kind(model.NodeById[id]) == "subProcess")
                {
                    continue;
                }

                var b = model.BoundsOf(id);
                if (!laneBounds.ContainsPoint(b.CenterX, b.CenterY))
                {
                    problems.Add($"{Describe(model.NodeById[id])} is listed in lane '{Name(lane)}' but drawn outside it");
                }
            }
        }

        problems.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(All), MemberType = typeof(WorkflowFiles))]
    public void Lanes_EveryTaskAndAgentDecidedGateway_SitsInExactlyOneLane(string key)
    {
        var model = new BpmnModel(key);
        var problems = new List<string>();
        var roles = new[] { "Agent", "Tier 2", "Pihak Terkait" };

        model.Lanes.Select(l => Name(l)).Should().OnlyContain(n => roles.Contains(n));
        foreach (var node in model.Nodes)
        {
            var listed = model.LanesListing(node).ToList();
            if (listed.Count > 1)
            {
                problems.Add($"{Describe(node)} is in {listed.Count} lanes");
            }

            if ((IsTask(node) || model.IsAgentDecided(node)) && model.LaneOf(node) is null)
            {
                problems.Add($"{Describe(node)} is in no lane");
            }
        }

        problems.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(All), MemberType = typeof(WorkflowFiles))]
    public void Branching_OnlyGatewaysFork_AndEveryOutcomeIsNamedOrConditioned(string key)
    {
        var model = new BpmnModel(key);
        var problems = new List<string>();

        foreach (var node in model.Nodes)
        {
            var outgoing = model.Outgoing(node).ToList();
            if (!Kind(node).EndsWith("Gateway", StringComparison.Ordinal) && outgoing.Count > 1)
            {
                problems.Add($"{Describe(node)} has {outgoing.Count} outgoing flows; branch with a gateway");
            }

            if (model.IsAgentDecided(node))
            {
                var names = outgoing.Select(f => Name(f)).ToList();
                if (names.Any(string.IsNullOrWhiteSpace) || names.Distinct(StringComparer.Ordinal).Count() != names.Count)
                {
                    problems.Add($"{Describe(node)} is agent-decided but its outcomes are not distinctly named: {string.Join(", ", names)}");
                }
            }

            if (model.IsConditionDecided(node))
            {
                var dflt = (string?)node.Attribute("default");
                foreach (var flow in outgoing.Where(f => !HasCondition(f) && Id(f) != dflt))
                {
                    problems.Add($"{Describe(flow)} leaves condition-decided {Describe(node)} without condition or default");
                }

                foreach (var condition in outgoing.Select(f => f.Element(Bpmn + "conditionExpression")).OfType<XElement>())
                {
                    if ((string?)condition.Attribute(Xsi + "type") != "bpmn:tFormalExpression")
                    {
                        problems.Add($"condition at line {Line(condition)} is not a bpmn:tFormalExpression");
                    }
                }
            }

            if (Kind(node) == "eventBasedGateway")
            {
                foreach (var target in outgoing.Select(model.Target))
                {
                    var isCatch = Kind(target) == "intermediateCatchEvent"
                        && (target.Element(Bpmn + "timerEventDefinition") ?? target.Element(Bpmn + "messageEventDefinition")) is not null;
                    if (!isCatch)
                    {
                        problems.Add($"{Describe(node)} leads to {Describe(target)}, not a timer or message catch");
                    }
                }
            }

            if (Kind(node) == "serviceTask" && string.IsNullOrWhiteSpace(Cc(node, "serviceKind")))
            {
                problems.Add($"{Describe(node)} has no cc:serviceKind");
            }
        }

        problems.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(All), MemberType = typeof(WorkflowFiles))]
    public void Links_EveryThrowHasOneCatchOfItsNameInItsScope(string key)
    {
        var model = new BpmnModel(key);
        var problems = new List<string>();

        foreach (var link in model.Nodes.Where(n => IsLinkThrow(n) || IsLinkCatch(n)))
        {
            if (string.IsNullOrWhiteSpace(Name(link)) || LinkName(link) != Name(link))
            {
                problems.Add($"{Describe(link)} needs a name equal to its link definition's name");
            }
        }

        foreach (var linkCatch in model.Nodes.Where(IsLinkCatch))
        {
            if (model.Incoming(linkCatch).Any())
            {
                problems.Add($"{Describe(linkCatch)} is a link catch with incoming flows");
            }

            if (!model.Nodes.Any(n => IsLinkThrow(n) && Scope(n) == Scope(linkCatch) && LinkName(n) == LinkName(linkCatch)))
            {
                problems.Add($"{Describe(linkCatch)} is never thrown");
            }
        }

        foreach (var linkThrow in model.Nodes.Where(IsLinkThrow))
        {
            var catches = model.Nodes.Count(n => IsLinkCatch(n) && Scope(n) == Scope(linkThrow) && LinkName(n) == LinkName(linkThrow));
            if (catches != 1)
            {
                problems.Add($"{Describe(linkThrow)} has {catches} catches");
            }
        }

        problems.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(All), MemberType = typeof(WorkflowFiles))]
    public void Paths_EveryNodeIsReachableAndCanReachAnEnd(string key)
    {
        var model = new BpmnModel(key);
        var problems = new List<string>();
        var scopes = model.Nodes.Select(Scope).Distinct().ToList();

        foreach (var scope in scopes)
        {
            var nodes = model.Nodes.Where(n => Scope(n) == scope).ToList();
            var next = nodes.ToDictionary(Id, n => Successors(model, n, nodes).Select(Id).ToList(), StringComparer.Ordinal);

            var starts = nodes.Where(n => Kind(n) == "startEvent").ToList();
            if (starts.Count != 1)
            {
                problems.Add($"scope {Id(scope)} has {starts.Count} start events");
                continue;
            }

            var reached = Closure([Id(starts[0])], id => next[id]);
            problems.AddRange(nodes.Where(n => !reached.Contains(Id(n))).Select(n => $"{Describe(n)} is unreachable"));

            var previous = next.SelectMany(kv => kv.Value.Select(to => (to, from: kv.Key)))
                .ToLookup(p => p.to, p => p.from, StringComparer.Ordinal);
            var ending = Closure(nodes.Where(n => Kind(n) == "endEvent").Select(Id), id => previous[id]);
            problems.AddRange(nodes.Where(n => !ending.Contains(Id(n))).Select(n => $"{Describe(n)} cannot reach an end event"));
        }

        problems.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(All), MemberType = typeof(WorkflowFiles))]
    public void Steps_AreExactlyTheSopNumbersPromised(string key)
    {
        var model = new BpmnModel(key);
        ExpectedSteps.Should().ContainKey(key, "every workflow states which SOP step numbers it carries");

        var steps = model.Nodes.Select(n => Cc(n, "step")).OfType<string>().Distinct(StringComparer.Ordinal);

        steps.Should().BeEquivalentTo(ExpectedSteps[key]);
    }

    [Theory]
    [MemberData(nameof(All), MemberType = typeof(WorkflowFiles))]
    public void Messages_CatchEventsUseTheDeclaredCustomerMessage(string key)
    {
        var model = new BpmnModel(key);
        var refs = model.Process.Descendants(Bpmn + "messageEventDefinition").Select(m => (string?)m.Attribute("messageRef")).ToList();
        var declared = model.Document.Root!.Elements(Bpmn + "message")
            .ToDictionary(m => Id(m), m => Name(m), StringComparer.Ordinal);

        foreach (var messageRef in refs)
        {
            declared.Should().ContainKey(messageRef!);
            // A customer's message, or the channel's report that the customer ended the chat (live chat's 2c).
            declared[messageRef!].Should().BeOneOf("customer-message", "customer-ended");
        }
    }

    [Fact]
    public void StillConnected_TotalSilence_TheAgentAsksAtOneAndTwoMinutes_ClosedAtThree()
    {
        var model = new BpmnModel("still-connected");
        var start = model.Nodes.Single(n => Kind(n) == "startEvent");

        // Follow the silence path, the agent asking the moment each step is due: at every
        // event-based gateway take the timer; a step is completed at once.
        var elapsed = TimeSpan.Zero;
        var asked = new List<(TimeSpan At, string? Step, string? Script, string? Purpose)>();
        var node = start;
        while (Kind(node) != "endEvent")
        {
            var outgoing = model.Outgoing(node).ToList();
            if (Kind(node) == "eventBasedGateway")
            {
                outgoing.Select(model.Target).Should().Contain(t => t.Element(Bpmn + "messageEventDefinition") != null,
                    "a customer message must be able to interrupt every wait");
                node = outgoing.Select(model.Target).Single(t => t.Element(Bpmn + "timerEventDefinition") != null);
                Duration(node).Should().Be(TimeSpan.FromMinutes(1), "the SOP waits one minute per rung");
                elapsed += Duration(node);
                continue;
            }

            if (Kind(node) == "userTask")
            {
                asked.Add((elapsed, Cc(node, "step"), Cc(node, "script"), Cc(node, "purpose")));
            }

            node = model.Target(outgoing.Single());
        }

        // The SOP: "agent harus menanyakan" (§8.2 3a, §8.4 2a, §8.5 2a), in its exact words.
        asked.Should().Equal(
            (TimeSpan.FromMinutes(1), "2a", StillConnectedPrompt, "still-connected-prompt-1"),
            (TimeSpan.FromMinutes(2), "2b", StillConnectedPrompt, "still-connected-prompt-2"));
        elapsed.Should().Be(TimeSpan.FromMinutes(3));
        Cc(node, "purpose").Should().Be("still-connected-close");
        Cc(node, "assign").Should().Be("terhubung = false");

        // An agent who does not ask does not hold the customer: each question step moves the
        // ladder on after its minute, and a reply while it waits ends the ladder connected.
        foreach (var step in model.Nodes.Where(n => Kind(n) == "userTask" && Cc(n, "purpose") is "still-connected-prompt-1" or "still-connected-prompt-2"))
        {
            var boundaries = model.Nodes.Where(b => Kind(b) == "boundaryEvent" && (string?)b.Attribute("attachedToRef") == Id(step)).ToList();
            boundaries.Should().Contain(b => b.Element(Bpmn + "timerEventDefinition") != null && Duration(b) == TimeSpan.FromMinutes(1));
            boundaries.Should().Contain(b => b.Element(Bpmn + "messageEventDefinition") != null);
        }

        // Every reply ends the ladder connected.
        var customerMessage = model.Document.Root!.Elements(Bpmn + "message").Single(m => Name(m) == "customer-message");
        foreach (var reply in model.Nodes.Where(n => (string?)n.Element(Bpmn + "messageEventDefinition")?.Attribute("messageRef") == Id(customerMessage)))
        {
            var end = model.Target(model.Outgoing(reply).Single());
            Kind(end).Should().Be("endEvent");
            Cc(end, "assign").Should().Be("terhubung = true");
        }

        model.Nodes.Where(n => n.Element(Bpmn + "timerEventDefinition") != null).Should().OnlyContain(t => Duration(t) == TimeSpan.FromMinutes(1));
    }

    [Theory]
    [InlineData("social-media")]
    [InlineData("whatsapp")]
    [InlineData("live-chat")]
    public void ChatChannel_WaitsForTheCustomerAfterGreetingAndAfterOfferingMoreHelp(string key)
    {
        ChatChannels.Should().Contain(key);
        var model = new BpmnModel(key);
        var calls = model.Nodes.Where(n => Kind(n) == "callActivity").ToList();

        calls.Should().HaveCountGreaterThanOrEqualTo(2);
        foreach (var call in calls)
        {
            ((string?)call.Attribute("calledElement")).Should().Be("still-connected");
            var gateway = model.Target(model.Outgoing(call).Single());
            Name(gateway).Should().Be("Apakah masih terhubung?");
            model.Outgoing(gateway).Select(f => f.Element(Bpmn + "conditionExpression")?.Value.Trim())
                .Should().BeEquivalentTo("terhubung == true", "terhubung == false");
            var lost = model.Outgoing(gateway).Single(f => f.Element(Bpmn + "conditionExpression")!.Value.Contains("false", StringComparison.Ordinal));
            IsLinkThrow(model.Target(lost)).Should().BeTrue("a silent customer goes to the close-the-chat connector");
        }

        var greeting = model.Nodes.Single(n => Name(n) == "Mengucapkan salam pembuka");
        Kind(model.Target(model.Outgoing(greeting).Single())).Should().Be("callActivity", "the agent waits for a reply to the greeting");
        var offer = model.Nodes.Single(n => Name(n) == "Menawarkan bantuan lain");
        Kind(model.Target(model.Outgoing(offer).Single())).Should().Be("callActivity", "the agent waits for a reply to 'Butuh bantuan lain?'");
    }

    [Theory]
    [InlineData("inbound-call")]
    [InlineData("email")]
    [InlineData("outlet-reservation")]
    public void NonChatChannel_HasNoSilenceLadder(string key) =>
        new BpmnModel(key).Nodes.Should().NotContain(n => Kind(n) == "callActivity" || n.Element(Bpmn + "timerEventDefinition") != null);

    [Theory]
    [InlineData("inbound-call")]
    [InlineData("social-media")]
    [InlineData("email")]
    [InlineData("whatsapp")]
    [InlineData("live-chat")]
    [InlineData("outlet-reservation")]
    public void Channel_HasTheCustomerHandlingStages(string key)
    {
        Channels.Should().Contain(key);
        var model = new BpmnModel(key);
        var names = model.Nodes.Select(Name).OfType<string>().ToList();

        var greeting = model.Nodes.Single(n => Name(n) == "Mengucapkan salam pembuka");
        Kind(greeting).Should().Be("userTask");
        Cc(greeting, "script").Should().Contain("{salamPembuka}");
        names.Should().Contain("Verifikasi data nasabah");
        names.Should().Contain("Butuh bantuan lain?");
        var closing = model.Nodes.Where(n => Name(n)?.Contains("alam penutup", StringComparison.Ordinal) == true).ToList();
        closing.Should().ContainSingle().Which.Should().Match<XElement>(c => Cc(c, "script")!.Contains("{salamPenutup}", StringComparison.Ordinal));
        var documentation = model.Nodes.Single(n => Name(n) == "Dokumentasi pada aplikasi Omni Channel");
        Kind(documentation).Should().Be("userTask");
        Kind(model.Target(model.Outgoing(documentation).Single())).Should().Be("endEvent");
        model.IsAgentDecided(model.Nodes.Single(n => Name(n) == "Butuh bantuan lain?")).Should().BeTrue();
        model.Outgoing(model.Nodes.Single(n => Name(n) == "Butuh bantuan lain?")).Select(f => Name(f))
            .Should().BeEquivalentTo("Ya", "Tidak");

        if (key != "outlet-reservation")
        {
            var ticket = model.Nodes.Single(n => Cc(n, "serviceKind") == "createTicket");
            Name(ticket).Should().Be("Eskalasi tiket pengaduan ke Tier 2");
            Cc(ticket, "fields").Should().Be("kategori, prioritas, deskripsi");
            model.Nodes.Should().Contain(n => Name(n) == "Jika nasabah tertarik?" && model.IsAgentDecided(n));
        }
    }

    [Fact]
    public void InboundCall_KeepsTheSopNumbersAndConnectors()
    {
        var model = new BpmnModel("inbound-call");

        Name(model.Nodes.Single(n => Cc(n, "step") == "10")).Should().Be("Cross Selling");
        Name(model.Nodes.Single(n => Cc(n, "step") == "11")).Should().Be("Mengucapkan salam penutup");
        model.Nodes.Where(IsLinkCatch).Select(LinkName).Should().BeEquivalentTo("C", "D", "E");
    }

    [Fact]
    public void TicketEscalation_SubProcessCarriesWarningAndBreachTimers_AndRelatedTeamWorksInItsLane()
    {
        var model = new BpmnModel("ticket-escalation");
        var sub = model.Nodes.Single(n => Kind(n) == "subProcess");
        Name(sub).Should().Be("Penanganan tiket");

        var timers = model.Nodes.Where(n => Kind(n) == "boundaryEvent" && (string?)n.Attribute("attachedToRef") == Id(sub)).ToList();
        timers.Should().HaveCount(2).And.OnlyContain(t => (string?)t.Attribute("cancelActivity") == "false");
        var warning = timers.Single(t => Cc(t, "slaPolicy") == "complaint-warning");
        var breach = timers.Single(t => Cc(t, "slaPolicy") == "complaint-resolution");
        Duration(breach).Should().Be(TimeSpan.FromDays(10));
        (Duration(warning) / Duration(breach)).Should().Be(0.75);
        foreach (var timer in timers)
        {
            var alert = model.Target(model.Outgoing(timer).Single());
            Cc(alert, "serviceKind").Should().Be("slaAlert");
            Kind(model.Target(model.Outgoing(alert).Single())).Should().Be("endEvent");
        }

        var decision = model.Nodes.Single(n => Cc(n, "step") == "14");
        Name(decision).Should().Be("Tiket pelaporan tersebut apakah perlu eskalasi ke tim terkait?");
        model.IsAgentDecided(decision).Should().BeTrue();
        model.LaneOf(decision).Should().Be("Tier 2");

        foreach (var step in new[] { "16", "17", "18", "19" })
        {
            model.LaneOf(model.Nodes.Single(n => Cc(n, "step") == step)).Should().Be("Pihak Terkait", $"step {step} is the related team's");
        }

        foreach (var step in new[] { "12", "13", "15" })
        {
            model.LaneOf(model.Nodes.Single(n => Cc(n, "step") == step)).Should().Be("Tier 2", $"step {step} is Tier 2's");
        }

        Cc(model.Nodes.Single(n => Cc(n, "step") == "15"), "fields").Should().Be("catatan");
        Cc(model.Nodes.Single(n => Cc(n, "step") == "19"), "fields").Should().Be("catatan");
    }

    [Fact]
    public void OutletReservation_AsksTheOutletInThePihakTerkaitLane()
    {
        var model = new BpmnModel("outlet-reservation");

        Cc(model.Nodes.Single(n => Cc(n, "fields") == "outlet, tanggal, jam"), "fields").Should().NotBeNull();
        var request = model.Nodes.Single(n => Cc(n, "serviceKind") == "reservationRequest");
        var outlet = model.Target(model.Outgoing(request).Single());
        Kind(outlet).Should().Be("userTask");
        model.LaneOf(outlet).Should().Be("Pihak Terkait");
        model.IsAgentDecided(model.Target(model.Outgoing(outlet).Single())).Should().BeTrue();
    }

    private static IEnumerable<XElement> Successors(BpmnModel model, XElement node, IReadOnlyList<XElement> scopeNodes)
    {
        foreach (var flow in model.Outgoing(node))
        {
            yield return model.Target(flow);
        }

        if (IsLinkThrow(node))
        {
            foreach (var linkCatch in scopeNodes.Where(n => IsLinkCatch(n) && LinkName(n) == LinkName(node)))
            {
                yield return linkCatch;
            }
        }

        foreach (var boundary in scopeNodes.Where(n => Kind(n) == "boundaryEvent" && (string?)n.Attribute("attachedToRef") == Id(node)))
        {
            yield return boundary;
        }
    }

    private static HashSet<string> Closure(IEnumerable<string> seeds, Func<string, IEnumerable<string>> step)
    {
        var seen = new HashSet<string>(seeds, StringComparer.Ordinal);
        var queue = new Queue<string>(seen);
        while (queue.Count > 0)
        {
            foreach (var next in step(queue.Dequeue()))
            {
                if (seen.Add(next))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return seen;
    }
}
