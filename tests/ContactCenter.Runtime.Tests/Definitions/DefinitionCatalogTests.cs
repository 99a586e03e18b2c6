using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Storage;
using ContactCenter.Runtime.Tests.Integration;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Runtime.Tests.Definitions;

/// <summary>Small hand-written BPMN documents for catalogue tests.</summary>
internal static class CatalogBpmn
{
    /// <summary>start → user task (named <paramref name="taskName"/>) → send task (<paramref name="prompt"/>) → end.</summary>
    public static string Simple(string key, string taskName = "Langkah", string prompt = "Terima kasih") => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:cc="https://contactcenter.pegadaian.co.id/schema/bpmn/1.0" id="defs-{key}">
          <bpmn:process id="{key}" name="Test {key}" isExecutable="true">
            <bpmn:laneSet id="ls"><bpmn:lane id="Lane_Agent" name="Agent"><bpmn:flowNodeRef>U</bpmn:flowNodeRef><bpmn:flowNodeRef>P</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
            <bpmn:startEvent id="S" />
            <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="U" />
            <bpmn:userTask id="U" name="{taskName}" />
            <bpmn:sequenceFlow id="f2" sourceRef="U" targetRef="P" />
            <bpmn:sendTask id="P" name="Prompt" cc:script="{prompt}" />
            <bpmn:sequenceFlow id="f3" sourceRef="P" targetRef="E" />
            <bpmn:endEvent id="E" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    /// <summary>start → call activity <c>C</c> running <paramref name="calledKey"/> → end.</summary>
    public static string Caller(string key, string calledKey, string name = "Caller") => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="defs-{key}">
          <bpmn:process id="{key}" name="{name}" isExecutable="true">
            <bpmn:startEvent id="S" />
            <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="C" />
            <bpmn:callActivity id="C" name="Panggil {calledKey}" calledElement="{calledKey}" />
            <bpmn:sequenceFlow id="f2" sourceRef="C" targetRef="E" />
            <bpmn:endEvent id="E" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    /// <summary>The 1-based line of the first line of <paramref name="bpmn"/> containing <paramref name="text"/>.</summary>
    public static int LineOf(string bpmn, string text)
    {
        var lines = bpmn.Split('\n');
        var index = Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal));
        index.Should().BeGreaterThanOrEqualTo(0, $"the document contains {text}");
        return index + 1;
    }

    /// <summary>Draft → in review → checked → approved → published, by three different people.</summary>
    public static async Task<DefinitionVersionRecord> PublishNewAsync(DefinitionCatalog catalog, string bpmn, DateTimeOffset effectiveFrom)
    {
        var draft = await catalog.CreateDraftAsync(bpmn, "maker.ani");
        await catalog.SubmitAsync(draft.Key, draft.Version, "maker.ani");
        await catalog.CheckAsync(draft.Key, draft.Version, "checker.budi");
        await catalog.ApproveAsync(draft.Key, draft.Version, "approver.citra");
        return await catalog.PublishAsync(draft.Key, draft.Version, effectiveFrom);
    }
}

/// <summary>The definition catalogue over the real EF Core store on SQLite.</summary>
public class DefinitionCatalogTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private static readonly ImportHeader Header = new() { FirstEffectiveFrom = new DateTimeOffset(2025, 9, 25, 0, 0, 0, TimeSpan.FromHours(7)) };

    private static async Task<(RuntimeFixture Fixture, FakeTimeProvider Clock)> StartAsync(bool withRepoWorkflows = false)
    {
        var fixture = new RuntimeFixture(withRepoWorkflows);
        var clock = new FakeTimeProvider(Now);
        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock));
        return (fixture, clock);
    }

    private static async Task<CatalogException> RefusedAsync(Func<Task> act) =>
        (await act.Should().ThrowAsync<CatalogException>()).Which;

    // ---- Lifecycle ----------------------------------------------------------------------------

    [Fact]
    public async Task Lifecycle_MakerCheckerApproverThenPublishAndRetire_MovesThroughEveryStatus()
    {
        var (fixture, clock) = await StartAsync();
        await using var _ = fixture;
        var catalog = fixture.Catalog;

        var draft = await catalog.CreateDraftAsync(CatalogBpmn.Simple("alpha"), "maker.ani", "first cut", "OCC.X.01", "01");
        draft.Status.Should().Be(VersionStatus.Draft);
        draft.Version.Should().Be(1);
        draft.ContentHash.Should().Be(DefinitionCatalog.HashOf(CatalogBpmn.Simple("alpha")));

        clock.Advance(TimeSpan.FromMinutes(1));
        var submitted = await catalog.SubmitAsync("alpha", 1, "maker.ani");
        submitted.Status.Should().Be(VersionStatus.InReview);
        submitted.SubmittedAt.Should().Be(clock.GetUtcNow());

        clock.Advance(TimeSpan.FromMinutes(1));
        var checkedVersion = await catalog.CheckAsync("alpha", 1, "checker.budi");
        checkedVersion.Status.Should().Be(VersionStatus.InReview, "a checked version stays in review until approved");
        checkedVersion.Checker.Should().Be("checker.budi");

        clock.Advance(TimeSpan.FromMinutes(1));
        var approved = await catalog.ApproveAsync("alpha", 1, "approver.citra");
        approved.Status.Should().Be(VersionStatus.Approved);
        approved.Approver.Should().Be("approver.citra");

        var effective = Now.AddDays(7);
        var published = await catalog.PublishAsync("alpha", 1, effective);
        published.Status.Should().Be(VersionStatus.Published);
        published.EffectiveFrom.Should().Be(effective);

        var retired = await catalog.RetireAsync("alpha", 1);
        retired.Status.Should().Be(VersionStatus.Retired);

        var stored = await catalog.GetAsync("alpha", 1);
        stored.Status.Should().Be(VersionStatus.Retired);
        stored.Maker.Should().Be("maker.ani");
        stored.Checker.Should().Be("checker.budi");
        stored.Approver.Should().Be("approver.citra");
        stored.EffectiveFrom.Should().Be(effective);
        stored.DocumentCode.Should().Be("OCC.X.01");
        stored.ChangeNote.Should().Be("first cut");
        stored.CheckedAt.Should().Be(Now.AddMinutes(2));
        stored.ApprovedAt.Should().Be(Now.AddMinutes(3));
        stored.RetiredAt.Should().NotBeNull();
    }

    [Fact]
    public async Task Submit_BySomeoneOtherThanTheMaker_IsRefusedAndStaysDraft()
    {
        var (fixture, _) = await StartAsync();
        await using var _f = fixture;
        await fixture.Catalog.CreateDraftAsync(CatalogBpmn.Simple("alpha"), "maker.ani");

        var refused = await RefusedAsync(() => fixture.Catalog.SubmitAsync("alpha", 1, "checker.budi"));

        refused.Error.Should().Be(CatalogError.NotAllowed);
        (await fixture.Catalog.GetAsync("alpha", 1)).Status.Should().Be(VersionStatus.Draft);
    }

    [Fact]
    public async Task Check_ByTheMaker_IsRefusedAsSamePerson()
    {
        var (fixture, _) = await StartAsync();
        await using var _f = fixture;
        await fixture.Catalog.CreateDraftAsync(CatalogBpmn.Simple("alpha"), "maker.ani");
        await fixture.Catalog.SubmitAsync("alpha", 1, "maker.ani");

        var refused = await RefusedAsync(() => fixture.Catalog.CheckAsync("alpha", 1, " Maker.Ani "));

        refused.Error.Should().Be(CatalogError.SamePerson);
        (await fixture.Catalog.GetAsync("alpha", 1)).Checker.Should().BeNull();
    }

    [Fact]
    public async Task Approve_BeforeAnyChecker_IsRefusedAndStaysInReview()
    {
        var (fixture, _) = await StartAsync();
        await using var _f = fixture;
        await fixture.Catalog.CreateDraftAsync(CatalogBpmn.Simple("alpha"), "maker.ani");
        await fixture.Catalog.SubmitAsync("alpha", 1, "maker.ani");

        var refused = await RefusedAsync(() => fixture.Catalog.ApproveAsync("alpha", 1, "approver.citra"));

        refused.Error.Should().Be(CatalogError.WrongStatus);
        (await fixture.Catalog.GetAsync("alpha", 1)).Status.Should().Be(VersionStatus.InReview);
    }

    [Theory]
    [InlineData("maker.ani")]
    [InlineData("checker.budi")]
    [InlineData("CHECKER.BUDI")]
    public async Task Approve_ByMakerOrChecker_IsRefusedAsSamePerson(string approver)
    {
        var (fixture, _) = await StartAsync();
        await using var _f = fixture;
        await fixture.Catalog.CreateDraftAsync(CatalogBpmn.Simple("alpha"), "maker.ani");
        await fixture.Catalog.SubmitAsync("alpha", 1, "maker.ani");
        await fixture.Catalog.CheckAsync("alpha", 1, "checker.budi");

        var refused = await RefusedAsync(() => fixture.Catalog.ApproveAsync("alpha", 1, approver));

        refused.Error.Should().Be(CatalogError.SamePerson);
        var stored = await fixture.Catalog.GetAsync("alpha", 1);
        stored.Status.Should().Be(VersionStatus.InReview);
        stored.Approver.Should().BeNull();
    }

    [Fact]
    public async Task Transitions_FromTheWrongStatus_AreRefusedWithWrongStatus()
    {
        var (fixture, _) = await StartAsync();
        await using var _f = fixture;
        var catalog = fixture.Catalog;
        await catalog.CreateDraftAsync(CatalogBpmn.Simple("alpha"), "maker.ani");

        // Draft: only submit.
        (await RefusedAsync(() => catalog.CheckAsync("alpha", 1, "checker.budi"))).Error.Should().Be(CatalogError.WrongStatus);
        (await RefusedAsync(() => catalog.PublishAsync("alpha", 1, Now))).Error.Should().Be(CatalogError.WrongStatus);
        (await RefusedAsync(() => catalog.RetireAsync("alpha", 1))).Error.Should().Be(CatalogError.WrongStatus);

        // In review: not submitted again, not published before approval.
        await catalog.SubmitAsync("alpha", 1, "maker.ani");
        (await RefusedAsync(() => catalog.SubmitAsync("alpha", 1, "maker.ani"))).Error.Should().Be(CatalogError.WrongStatus);
        await catalog.CheckAsync("alpha", 1, "checker.budi");
        (await RefusedAsync(() => catalog.PublishAsync("alpha", 1, Now))).Error.Should().Be(CatalogError.WrongStatus);

        // Approved: not checked or approved again, not retired before publishing.
        await catalog.ApproveAsync("alpha", 1, "approver.citra");
        (await RefusedAsync(() => catalog.CheckAsync("alpha", 1, "checker.dedi"))).Error.Should().Be(CatalogError.WrongStatus);
        (await RefusedAsync(() => catalog.ApproveAsync("alpha", 1, "approver.eka"))).Error.Should().Be(CatalogError.WrongStatus);
        (await RefusedAsync(() => catalog.RetireAsync("alpha", 1))).Error.Should().Be(CatalogError.WrongStatus);

        // Published: not published again (its effective date is not moved).
        await catalog.PublishAsync("alpha", 1, Now);
        (await RefusedAsync(() => catalog.PublishAsync("alpha", 1, Now.AddDays(1)))).Error.Should().Be(CatalogError.WrongStatus);

        // Retired: nothing.
        await catalog.RetireAsync("alpha", 1);
        (await RefusedAsync(() => catalog.RetireAsync("alpha", 1))).Error.Should().Be(CatalogError.WrongStatus);
        (await RefusedAsync(() => catalog.PublishAsync("alpha", 1, Now))).Error.Should().Be(CatalogError.WrongStatus);

        var stored = await catalog.GetAsync("alpha", 1);
        stored.Status.Should().Be(VersionStatus.Retired);
        stored.EffectiveFrom.Should().Be(Now);
        stored.Checker.Should().Be("checker.budi");
        stored.Approver.Should().Be("approver.citra");
    }

    [Fact]
    public async Task Transition_UnknownVersion_IsRefusedWithNotFound()
    {
        var (fixture, _) = await StartAsync();
        await using var _f = fixture;
        await fixture.Catalog.CreateDraftAsync(CatalogBpmn.Simple("alpha"), "maker.ani");

        (await RefusedAsync(() => fixture.Catalog.SubmitAsync("alpha", 2, "maker.ani"))).Error.Should().Be(CatalogError.NotFound);
        (await RefusedAsync(() => fixture.Catalog.SubmitAsync("beta", 1, "maker.ani"))).Error.Should().Be(CatalogError.NotFound);
    }

    // ---- CreateDraftAsync -----------------------------------------------------------------

    [Fact]
    public async Task CreateDraft_MalformedXml_IsRefusedWithTheLineOfTheError()
    {
        var (fixture, _) = await StartAsync();
        await using var _f = fixture;
        var bpmn = CatalogBpmn.Simple("alpha").Replace("<bpmn:endEvent id=\"E\" />", "<bpmn:endEvent id=\"E\">", StringComparison.Ordinal);

        var refused = await RefusedAsync(() => fixture.Catalog.CreateDraftAsync(bpmn, "maker.ani"));

        refused.Error.Should().Be(CatalogError.InvalidDefinition);
        var problem = refused.Problems.Should().ContainSingle().Subject;
        problem.Line.Should().BeGreaterThanOrEqualTo(CatalogBpmn.LineOf(bpmn, "<bpmn:endEvent id=\"E\">"), "the error is at or after the unclosed element");
        (await fixture.Catalog.ListAsync("alpha")).Should().BeEmpty();
    }

    [Fact]
    public async Task CreateDraft_InvalidElement_IsRefusedNamingTheElementAndItsLine()
    {
        var (fixture, _) = await StartAsync();
        await using var _f = fixture;
        var bpmn = CatalogBpmn.Simple("alpha").Replace("<bpmn:sequenceFlow id=\"f2\" sourceRef=\"U\" targetRef=\"P\" />", "<bpmn:sequenceFlow id=\"f2\" sourceRef=\"U\" />", StringComparison.Ordinal);

        var refused = await RefusedAsync(() => fixture.Catalog.CreateDraftAsync(bpmn, "maker.ani"));

        refused.Error.Should().Be(CatalogError.InvalidDefinition);
        refused.Problems.Should().Contain(p => p.ElementId == "f2" && p.Line == CatalogBpmn.LineOf(bpmn, "id=\"f2\""));
        (await fixture.Catalog.ListAsync("alpha")).Should().BeEmpty();
    }

    [Fact]
    public async Task CreateDraft_CallingAnUnknownKey_IsRefusedNamingTheCallActivity()
    {
        var (fixture, _) = await StartAsync();
        await using var _f = fixture;
        var bpmn = CatalogBpmn.Caller("alpha", "nowhere");

        var refused = await RefusedAsync(() => fixture.Catalog.CreateDraftAsync(bpmn, "maker.ani"));

        refused.Error.Should().Be(CatalogError.InvalidDefinition);
        var problem = refused.Problems.Should().ContainSingle().Subject;
        problem.ElementId.Should().Be("C");
        problem.Line.Should().Be(CatalogBpmn.LineOf(bpmn, "<bpmn:callActivity"));
        problem.Message.Should().Contain("nowhere");
        (await fixture.Catalog.ListAsync("alpha")).Should().BeEmpty();
    }

    [Fact]
    public async Task CreateDraft_CallingAKnownKey_IsStoredAsTheNextDraftVersion()
    {
        var (fixture, _) = await StartAsync();
        await using var _f = fixture;
        await CatalogBpmn.PublishNewAsync(fixture.Catalog, CatalogBpmn.Simple("beta"), Now);
        var first = await fixture.Catalog.CreateDraftAsync(CatalogBpmn.Caller("alpha", "beta"), "maker.ani", documentCode: "OCC.X.02");

        var second = await fixture.Catalog.CreateDraftAsync(CatalogBpmn.Caller("alpha", "beta", name: "Caller v2"), "maker.ani");

        first.Version.Should().Be(1);
        second.Version.Should().Be(2);
        second.Status.Should().Be(VersionStatus.Draft);
        second.Name.Should().Be("Caller v2");
        second.DocumentCode.Should().Be("OCC.X.02", "a new version carries its key's document code on");
        (await fixture.Catalog.ListAsync("alpha")).Select(v => v.Version).Should().Equal(1, 2);
    }

    [Fact]
    public async Task CreateDraft_WithoutAMaker_IsRefused()
    {
        var (fixture, _) = await StartAsync();
        await using var _f = fixture;

        var refused = await RefusedAsync(() => fixture.Catalog.CreateDraftAsync(CatalogBpmn.Simple("alpha"), "  "));

        refused.Error.Should().Be(CatalogError.NotAllowed);
        (await fixture.Catalog.ListAsync("alpha")).Should().BeEmpty();
    }

    // ---- GetInEffectAsync -----------------------------------------------------------------

    [Fact]
    public async Task GetInEffect_FutureEffectiveVersion_IsNotUsedUntilItsDate()
    {
        var (fixture, _) = await StartAsync();
        await using var _f = fixture;
        var catalog = fixture.Catalog;
        await CatalogBpmn.PublishNewAsync(catalog, CatalogBpmn.Simple("alpha", "v1"), Now);
        var future = Now.AddDays(10);
        await CatalogBpmn.PublishNewAsync(catalog, CatalogBpmn.Simple("alpha", "v2"), future);

        (await catalog.GetInEffectAsync("alpha", Now)).Version.Should().Be(1);
        (await catalog.GetInEffectAsync("alpha", future.AddTicks(-1))).Version.Should().Be(1);
        (await catalog.GetInEffectAsync("alpha", future)).Version.Should().Be(2, "a version is in effect from its effective date on");
        (await catalog.GetInEffectAsync("alpha", future.AddYears(1))).Version.Should().Be(2);
        (await RefusedAsync(() => catalog.GetInEffectAsync("alpha", Now.AddTicks(-1)))).Error.Should().Be(CatalogError.NotFound);
    }

    [Fact]
    public async Task GetInEffect_LaterVersionWithEarlierEffectiveDate_TheLatestEffectiveDateWins()
    {
        var (fixture, _) = await StartAsync();
        await using var _f = fixture;
        var catalog = fixture.Catalog;
        await CatalogBpmn.PublishNewAsync(catalog, CatalogBpmn.Simple("alpha", "v1"), Now.AddDays(5));
        await CatalogBpmn.PublishNewAsync(catalog, CatalogBpmn.Simple("alpha", "v2"), Now);

        (await catalog.GetInEffectAsync("alpha", Now.AddDays(1))).Version.Should().Be(2);
        (await catalog.GetInEffectAsync("alpha", Now.AddDays(6))).Version.Should().Be(1, "v1's effective date is the latest not after the instant");
    }

    [Fact]
    public async Task GetInEffect_RetiredVersion_IsNeverUsed()
    {
        var (fixture, _) = await StartAsync();
        await using var _f = fixture;
        var catalog = fixture.Catalog;
        await CatalogBpmn.PublishNewAsync(catalog, CatalogBpmn.Simple("alpha", "v1"), Now);
        await CatalogBpmn.PublishNewAsync(catalog, CatalogBpmn.Simple("alpha", "v2"), Now.AddDays(1));

        await catalog.RetireAsync("alpha", 2);
        (await catalog.GetInEffectAsync("alpha", Now.AddDays(2))).Version.Should().Be(1, "the retired v2 is skipped, v1 is in effect again");

        await catalog.RetireAsync("alpha", 1);
        (await RefusedAsync(() => catalog.GetInEffectAsync("alpha", Now.AddDays(2)))).Error.Should().Be(CatalogError.NotFound);
    }

    [Fact]
    public async Task GetInEffect_DraftsAndApprovedVersions_AreNotUsed()
    {
        var (fixture, _) = await StartAsync();
        await using var _f = fixture;
        var catalog = fixture.Catalog;
        await CatalogBpmn.PublishNewAsync(catalog, CatalogBpmn.Simple("alpha", "v1"), Now);
        await catalog.CreateDraftAsync(CatalogBpmn.Simple("alpha", "v2"), "maker.ani");
        var v3 = await catalog.CreateDraftAsync(CatalogBpmn.Simple("alpha", "v3"), "maker.ani");
        await catalog.SubmitAsync("alpha", v3.Version, "maker.ani");
        await catalog.CheckAsync("alpha", v3.Version, "checker.budi");
        await catalog.ApproveAsync("alpha", v3.Version, "approver.citra");

        (await catalog.GetInEffectAsync("alpha", Now.AddDays(1))).Version.Should().Be(1);
    }

    // ---- PinAsync -----------------------------------------------------------------------------

    [Fact]
    public async Task Pin_LiveChatFromRepoWorkflows_PinsStillConnectedToo()
    {
        var (fixture, _) = await StartAsync(withRepoWorkflows: true);
        await using var _f = fixture;

        var pinned = await fixture.Catalog.PinAsync("live-chat", Now);

        pinned.Should().BeEquivalentTo(new Dictionary<string, int> { ["live-chat"] = 1, ["still-connected"] = 1 });
    }

    [Fact]
    public async Task Pin_CalledKeyHasANewerVersion_PinsTheCalledVersionInEffectAtTheInstant()
    {
        var (fixture, _) = await StartAsync(withRepoWorkflows: true);
        await using var _f = fixture;
        var stillConnected = await fixture.Catalog.GetAsync("still-connected", 1);
        var changed = stillConnected.Bpmn.Replace("Apakah masih terhubung?", "Apakah masih terhubung? (v2)", StringComparison.Ordinal);
        changed.Should().NotBe(stillConnected.Bpmn);
        await CatalogBpmn.PublishNewAsync(fixture.Catalog, changed, Now.AddDays(3));

        (await fixture.Catalog.PinAsync("live-chat", Now))["still-connected"].Should().Be(1);
        var later = await fixture.Catalog.PinAsync("live-chat", Now.AddDays(3));
        later.Should().BeEquivalentTo(new Dictionary<string, int> { ["live-chat"] = 1, ["still-connected"] = 2 });
    }

    [Fact]
    public async Task Pin_ChainOfCalls_PinsEveryKeyTransitively()
    {
        var (fixture, _) = await StartAsync();
        await using var _f = fixture;
        var results = await fixture.Catalog.ImportAsync(
            [
                ("alpha.bpmn", CatalogBpmn.Caller("alpha", "beta")),
                ("beta.bpmn", CatalogBpmn.Caller("beta", "gamma")),
                ("gamma.bpmn", CatalogBpmn.Simple("gamma")),
                ("delta.bpmn", CatalogBpmn.Simple("delta")),
            ],
            Header);
        results.Should().OnlyContain(r => r.Imported);

        var pinned = await fixture.Catalog.PinAsync("alpha", Now);

        pinned.Should().BeEquivalentTo(new Dictionary<string, int> { ["alpha"] = 1, ["beta"] = 1, ["gamma"] = 1 });
    }

    // ---- ImportAsync ----------------------------------------------------------------------

    [Fact]
    public async Task Import_NewKey_BecomesVersion1PublishedAtTheFirstEffectiveDate()
    {
        var (fixture, _) = await StartAsync();
        await using var _f = fixture;
        var header = Header with { Maker = "m", Checker = "c", Approver = "a", DocumentCode = "OCC.T.01", Revision = "07", FirstEffectiveFrom = Now.AddDays(-30) };

        var results = await fixture.Catalog.ImportAsync([("alpha.bpmn", CatalogBpmn.Simple("alpha"))], header);

        results.Should().ContainSingle().Which.Should().BeEquivalentTo(new ImportResult("alpha.bpmn", "alpha", 1, true, []));
        var stored = (await fixture.Catalog.ListAsync("alpha")).Should().ContainSingle().Subject;
        stored.Status.Should().Be(VersionStatus.Published);
        stored.EffectiveFrom.Should().Be(Now.AddDays(-30));
        stored.ContentHash.Should().Be(DefinitionCatalog.HashOf(CatalogBpmn.Simple("alpha")));
        (stored.Maker, stored.Checker, stored.Approver, stored.DocumentCode, stored.Revision).Should().Be(("m", "c", "a", "OCC.T.01", "07"));
    }

    [Fact]
    public async Task Import_UnchangedContent_IsSkipped()
    {
        var (fixture, clock) = await StartAsync();
        await using var _f = fixture;
        await fixture.Catalog.ImportAsync([("alpha.bpmn", CatalogBpmn.Simple("alpha"))], Header);
        clock.Advance(TimeSpan.FromDays(1));

        var results = await fixture.Catalog.ImportAsync([("alpha.bpmn", CatalogBpmn.Simple("alpha"))], Header);

        results.Should().ContainSingle().Which.Should().BeEquivalentTo(new ImportResult("alpha.bpmn", "alpha", 1, false, []));
        (await fixture.Catalog.ListAsync("alpha")).Should().ContainSingle();
    }

    [Fact]
    public async Task Import_FileStillHoldsV1AfterV2WasApprovedInTheDesigner_DoesNotPublishOverV2()
    {
        var (fixture, clock) = await StartAsync();
        await using var _f = fixture;
        await fixture.Catalog.ImportAsync([("alpha.bpmn", CatalogBpmn.Simple("alpha", "v1"))], Header);
        clock.Advance(TimeSpan.FromDays(1));
        var v2 = await CatalogBpmn.PublishNewAsync(fixture.Catalog, CatalogBpmn.Simple("alpha", "v2"), clock.GetUtcNow());
        clock.Advance(TimeSpan.FromDays(1));

        // The next start-up imports the repo's file, which still holds v1's content.
        var results = await fixture.Catalog.ImportAsync([("alpha.bpmn", CatalogBpmn.Simple("alpha", "v1"))], Header);

        results.Should().ContainSingle().Which.Should().BeEquivalentTo(new ImportResult("alpha.bpmn", "alpha", 1, false, []));
        (await fixture.Catalog.ListAsync("alpha")).Should().HaveCount(2);
        (await fixture.Catalog.GetInEffectAsync("alpha", clock.GetUtcNow())).Version.Should().Be(v2.Version);
    }

    [Fact]
    public async Task Import_ChangedContent_BecomesANewVersionEffectiveNow()
    {
        var (fixture, clock) = await StartAsync();
        await using var _f = fixture;
        await fixture.Catalog.ImportAsync([("alpha.bpmn", CatalogBpmn.Simple("alpha", "v1"))], Header);
        clock.Advance(TimeSpan.FromDays(1));
        var importedAt = clock.GetUtcNow();

        var results = await fixture.Catalog.ImportAsync([("alpha.bpmn", CatalogBpmn.Simple("alpha", "v2"))], Header);

        results.Should().ContainSingle().Which.Should().BeEquivalentTo(new ImportResult("alpha.bpmn", "alpha", 2, true, []));
        var versions = await fixture.Catalog.ListAsync("alpha");
        versions.Select(v => (v.Version, v.Status)).Should().Equal((1, VersionStatus.Published), (2, VersionStatus.Published));
        versions[1].EffectiveFrom.Should().Be(importedAt);
        (await fixture.Catalog.GetInEffectAsync("alpha", importedAt.AddTicks(-1))).Version.Should().Be(1);
        (await fixture.Catalog.GetInEffectAsync("alpha", importedAt)).Version.Should().Be(2);
    }

    [Fact]
    public async Task Import_InvalidFile_IsReportedAndSkippedWhileTheOthersImport()
    {
        var (fixture, _) = await StartAsync();
        await using var _f = fixture;
        var broken = CatalogBpmn.Simple("broken").Replace("isExecutable=\"true\"", "isExecutable=\"false\"", StringComparison.Ordinal);

        var results = await fixture.Catalog.ImportAsync(
            [("alpha.bpmn", CatalogBpmn.Simple("alpha")), ("broken.bpmn", broken), ("garbage.bpmn", "<not-xml"), ("beta.bpmn", CatalogBpmn.Simple("beta"))],
            Header);

        results.Where(r => r.Imported).Select(r => r.Key).Should().BeEquivalentTo(["alpha", "beta"]);
        var failed = results.Where(r => !r.Imported).ToList();
        failed.Select(r => r.Source).Should().BeEquivalentTo(["broken.bpmn", "garbage.bpmn"]);
        failed.Should().OnlyContain(r => r.Problems.Count > 0 && r.Version == null);
        (await fixture.Catalog.ListAsync()).Select(v => v.Key).Should().BeEquivalentTo(["alpha", "beta"]);
    }

    [Fact]
    public async Task Import_CallToAKeyNotInTheSet_IsRefusedWhileTheCalleeInTheSetImports()
    {
        var (fixture, _) = await StartAsync();
        await using var _f = fixture;
        var orphan = CatalogBpmn.Caller("orphan", "nowhere");

        var results = await fixture.Catalog.ImportAsync(
            [("alpha.bpmn", CatalogBpmn.Caller("alpha", "beta")), ("beta.bpmn", CatalogBpmn.Simple("beta")), ("orphan.bpmn", orphan)],
            Header);

        results.Single(r => r.Source == "alpha.bpmn").Imported.Should().BeTrue();
        results.Single(r => r.Source == "beta.bpmn").Imported.Should().BeTrue();
        var refused = results.Single(r => r.Source == "orphan.bpmn");
        refused.Imported.Should().BeFalse();
        refused.Problems.Should().ContainSingle().Which.Should().Match<Engine.Model.DefinitionProblem>(p => p.ElementId == "C" && p.Line == CatalogBpmn.LineOf(orphan, "<bpmn:callActivity"));
        (await fixture.Catalog.ListAsync("orphan")).Should().BeEmpty();
    }

    [Fact]
    public async Task Import_CalleeInvalid_TheCallerIsRefusedToo()
    {
        var (fixture, _) = await StartAsync();
        await using var _f = fixture;

        var results = await fixture.Catalog.ImportAsync(
            [("alpha.bpmn", CatalogBpmn.Caller("alpha", "beta")), ("beta.bpmn", "<bpmn:definitions")],
            Header);

        results.Should().OnlyContain(r => !r.Imported && r.Problems.Count > 0);
        (await fixture.Catalog.ListAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Import_RepoWorkflowsAtStartUp_AreVersion1AndUnchangedAfterARestart()
    {
        await using var fixture = new RuntimeFixture(withRepoWorkflows: true);
        var clock = new FakeTimeProvider(Now);
        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock));
        var first = await fixture.Catalog.ListAsync();
        await fixture.StopAsync();
        var stillConnected = Path.Combine(fixture.WorkflowsFolder, "still-connected.bpmn");
        File.WriteAllText(stillConnected, File.ReadAllText(stillConnected).Replace("Apakah masih terhubung?", "Masih terhubung?", StringComparison.Ordinal));
        clock.Advance(TimeSpan.FromHours(1));

        await fixture.StartAsync(s => s.AddSingleton<TimeProvider>(clock));

        var expectedKeys = Directory.EnumerateFiles(fixture.WorkflowsFolder, "*.bpmn").Select(Path.GetFileNameWithoutExtension).ToList();
        first.Select(v => v.Key).Should().BeEquivalentTo(expectedKeys);
        first.Should().OnlyContain(v => v.Version == 1 && v.Status == VersionStatus.Published && v.EffectiveFrom == new ImportHeader().FirstEffectiveFrom);
        var after = await fixture.Catalog.ListAsync();
        after.Where(v => v.Version > 1).Should().ContainSingle().Which.Should().Match<DefinitionVersionRecord>(v =>
            v.Key == "still-connected" && v.Version == 2 && v.EffectiveFrom == clock.GetUtcNow());
    }

    [Fact]
    public async Task Check_BySecondChecker_IsRefusedAndKeepsTheFirstSignature_SameCheckerAgainChangesNothing()
    {
        var (fixture, _) = await StartAsync();
        await using var _f = fixture;
        var catalog = fixture.Catalog;
        await catalog.CreateDraftAsync(CatalogBpmn.Simple("alpha"), "maker.ani");
        await catalog.SubmitAsync("alpha", 1, "maker.ani");
        var first = await catalog.CheckAsync("alpha", 1, "checker.budi");

        (await RefusedAsync(() => catalog.CheckAsync("alpha", 1, "checker.dedi"))).Error.Should().Be(CatalogError.WrongStatus);
        (await catalog.CheckAsync("alpha", 1, "Checker.Budi")).Should().Be(first);

        var stored = await catalog.GetAsync("alpha", 1);
        stored.Checker.Should().Be("checker.budi");
        stored.CheckedAt.Should().Be(first.CheckedAt);
    }

    [Fact]
    public async Task ReturnToDraft_WithANote_ClearsTheCheckAndLetsTheMakerResubmit()
    {
        var (fixture, _) = await StartAsync();
        await using var _f = fixture;
        var catalog = fixture.Catalog;
        await catalog.CreateDraftAsync(CatalogBpmn.Simple("alpha"), "maker.ani", changeNote: "Skrip penutup baru");
        await catalog.SubmitAsync("alpha", 1, "maker.ani");
        await catalog.CheckAsync("alpha", 1, "checker.budi");

        (await RefusedAsync(() => catalog.ReturnToDraftAsync("alpha", 1, "approver.citra", " "))).Error.Should().Be(CatalogError.NotAllowed);
        (await RefusedAsync(() => catalog.ReturnToDraftAsync("alpha", 1, "maker.ani", "tarik"))).Error.Should().Be(CatalogError.SamePerson);
        var returned = await catalog.ReturnToDraftAsync("alpha", 1, "approver.citra", "Nomor langkah 7 salah");

        returned.Status.Should().Be(VersionStatus.Draft);
        returned.Checker.Should().BeNull();
        returned.CheckedAt.Should().BeNull();
        returned.ChangeNote.Should().Be("Skrip penutup baru\n[approver.citra] Nomor langkah 7 salah");
        (await RefusedAsync(() => catalog.ApproveAsync("alpha", 1, "approver.citra"))).Error.Should().Be(CatalogError.WrongStatus);
        (await catalog.SubmitAsync("alpha", 1, "maker.ani")).Status.Should().Be(VersionStatus.InReview);
    }

    [Fact]
    public async Task CreateDraft_CallingAKeyThatHasOnlyDrafts_IsRefused()
    {
        var (fixture, _) = await StartAsync();
        await using var _f = fixture;
        await fixture.Catalog.CreateDraftAsync(CatalogBpmn.Simple("beta"), "maker.ani");
        var bpmn = CatalogBpmn.Caller("alpha", "beta");

        var refused = await RefusedAsync(() => fixture.Catalog.CreateDraftAsync(bpmn, "maker.ani"));

        refused.Error.Should().Be(CatalogError.InvalidDefinition);
        refused.Problems.Should().ContainSingle().Which.Message.Should().Contain("beta").And.Contain("no published version");
        (await fixture.Catalog.ListAsync("alpha")).Should().BeEmpty();
    }
}
