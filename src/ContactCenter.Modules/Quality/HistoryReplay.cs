using ContactCenter.Engine;
using ContactCenter.Engine.Journal;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;

namespace ContactCenter.Modules.Quality;

/// <summary>
/// A history as Quality Control steps through it: the instance's facts (pinned versions, tickets
/// raised, what it came to) and every journal event with the state after it.
/// </summary>
public sealed class HistoryReplay(IInstanceStore store, IInstanceQueries queries, DefinitionCatalog catalog)
{
    /// <summary>A definition the instance is pinned to, with its title.</summary>
    public sealed record PinnedDefinition(string Key, int Version, string? Name);

    /// <summary>A ticket (escalation instance) the conversation raised.</summary>
    public sealed record RaisedTicket(Guid Id, InstanceStatus Status, DateTimeOffset StartedAt, DateTimeOffset? EndedAt);

    /// <summary>What the history came to: the what-if outcome reading of its journal.</summary>
    public sealed record HistoryOutcome(bool ClosedBySilence, DateTimeOffset? SilenceClosedAt, int TicketsRaised, int PromptsSent);

    /// <summary>The facts of the instance a QC officer reviews.</summary>
    public sealed record InstanceFacts(
        Guid Id,
        string DefinitionKey,
        int DefinitionVersion,
        string Channel,
        string? CustomerRef,
        string? Agent,
        InstanceStatus Status,
        DateTimeOffset StartedAt,
        DateTimeOffset? EndedAt,
        string? EndReason,
        Guid? ParentInstanceId,
        IReadOnlyList<PinnedDefinition> Definitions,
        IReadOnlyList<RaisedTicket> Tickets,
        HistoryOutcome Outcome);

    /// <summary>The answer of <c>GET /api/instances/{id}/replay/steps</c>.</summary>
    public sealed record InstanceReplaySteps(InstanceFacts Instance, ReplayStepsView Replay);

    /// <exception cref="InstanceNotFoundException">No such instance.</exception>
    public async Task<InstanceReplaySteps> StepsAsync(Guid instanceId, CancellationToken cancellationToken = default)
    {
        var record = await store.GetAsync(instanceId, cancellationToken).ConfigureAwait(false) ?? throw new InstanceNotFoundException(instanceId);
        // The steps stop where the journal stops being readable; the replay verdict names the row.
        var journal = await ReadableJournal.ReadAsync(store, instanceId, cancellationToken).ConfigureAwait(false);

        var definitions = new DefinitionSet();
        var pinned = new List<PinnedDefinition>();
        foreach (var (key, version) in record.PinnedVersions.OrderBy(p => p.Key == record.DefinitionKey ? 0 : 1).ThenBy(p => p.Key, StringComparer.Ordinal))
        {
            try
            {
                var definition = await catalog.LoadAsync(key, version, cancellationToken).ConfigureAwait(false);
                definitions.Add(definition, version);
                pinned.Add(new PinnedDefinition(key, version, definition.Name));
            }
            catch (CatalogException)
            {
                // A version no longer in the catalogue: its elements go without names, the replay verdict says why.
                pinned.Add(new PinnedDefinition(key, version, null));
            }
        }

        // The versions it ran on before a migration, so each step is named as it was then.
        foreach (var (key, version) in JournalReplay.VersionsOf(journal).Where(v => !definitions.TryGet(v.Key, v.Version, out _)))
        {
            try
            {
                definitions.AddVersion(await catalog.LoadAsync(key, version, cancellationToken).ConfigureAwait(false), version);
            }
            catch (CatalogException)
            {
                // Gone from the catalogue: those steps are named by the pinned version, or not at all.
            }
        }

        var tickets = await queries.QueryAsync(new InstanceQuery { ParentInstanceId = instanceId, Limit = 50 }, cancellationToken).ConfigureAwait(false);
        var outcome = ConversationOutcomes.Of(journal);
        var snapshot = InstanceState.FromJson(record.Snapshot);
        var facts = new InstanceFacts(
            record.Id, record.DefinitionKey, record.DefinitionVersion, record.Channel, record.CustomerRef, record.Agent, record.Status,
            record.StartedAt, record.EndedAt, snapshot.EndReason, record.ParentInstanceId, pinned,
            [.. tickets.OrderBy(t => t.StartedAt).Select(t => new RaisedTicket(t.Id, t.Status, t.StartedAt, t.EndedAt))],
            new HistoryOutcome(outcome.ClosedBySilence, outcome.SilenceClosedAt, outcome.TicketsRaised, outcome.PromptsSent));
        return new InstanceReplaySteps(facts, ReplayStepsBuilder.Build(journal, definitions));
    }
}
