using System.Text.Json;
using ContactCenter.Engine;
using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Model;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Instances;
using ContactCenter.Runtime.Storage;

namespace ContactCenter.Modules.Quality.WhatIf;

/// <summary>Which stored conversations to replay, and against which versions.</summary>
public sealed record WhatIfRequest
{
    /// <summary>
    /// The versions to try, by key (a draft of <c>still-connected</c>, say); every other key stays
    /// on the version the conversation was pinned to.
    /// </summary>
    public required IReadOnlyDictionary<string, int> Candidate { get; init; }

    /// <summary>Only conversations of this definition; default: all.</summary>
    public string? DefinitionKey { get; init; }

    public string? Channel { get; init; }

    /// <summary>Conversations started at or after this instant.</summary>
    public DateTimeOffset? StartedFrom { get; init; }

    /// <summary>Conversations started before this instant.</summary>
    public DateTimeOffset? StartedTo { get; init; }

    /// <summary>Most conversations replayed. Default is 500.</summary>
    public int Limit { get; init; } = 500;

    /// <summary>How the replays read outcomes; default <see cref="ConversationOutcomes.Options"/>.</summary>
    public WhatIfOptions? Options { get; init; }
}

/// <summary>One stored conversation replayed against the candidate, or why it could not be.</summary>
public sealed record InstanceWhatIf(
    Guid InstanceId,
    string DefinitionKey,
    string Channel,
    string? Agent,
    DateTimeOffset StartedAt,
    IReadOnlyDictionary<string, int> PinnedVersions,
    IReadOnlyDictionary<string, int> CandidateVersions,
    WhatIfReport? Report,
    string? Error);

/// <summary>Every conversation of a period against the candidate, with the counts.</summary>
public sealed record WhatIfBatchReport(IReadOnlyList<InstanceWhatIf> Conversations, WhatIfSummary Summary, int Failed);

/// <summary>
/// What-if over stored histories: reads a conversation's journal, swaps the candidate versions
/// into the versions it was pinned to, and lets <see cref="WhatIfReplay"/> run its recorded
/// customer and agent inputs there; in bulk over a period with a <see cref="WhatIfSummary"/>.
/// Nothing is written: the candidate's run lives only in the report.
/// </summary>
public sealed class WhatIfRunner(DefinitionCatalog catalog, IInstanceStore store, IInstanceQueries queries)
{
    /// <exception cref="InstanceNotFoundException">No such instance.</exception>
    /// <exception cref="CatalogException">A candidate version is not in the catalogue.</exception>
    public async Task<InstanceWhatIf> RunAsync(Guid instanceId, IReadOnlyDictionary<string, int> candidate, WhatIfOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var record = await store.GetAsync(instanceId, cancellationToken).ConfigureAwait(false) ?? throw new InstanceNotFoundException(instanceId);
        await RequireCandidateAsync(candidate, cancellationToken).ConfigureAwait(false);
        return await RunAsync(record, candidate, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every conversation the request selects (oldest first), each against the candidate; a history that cannot be replayed is counted as failed, not thrown.</summary>
    /// <exception cref="CatalogException">A candidate version is not in the catalogue.</exception>
    public async Task<WhatIfBatchReport> RunManyAsync(WhatIfRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await RequireCandidateAsync(request.Candidate, cancellationToken).ConfigureAwait(false);
        var instances = await queries.QueryAsync(
            new InstanceQuery
            {
                DefinitionKey = request.DefinitionKey,
                Channel = request.Channel,
                StartedFrom = request.StartedFrom,
                StartedTo = request.StartedTo,
                Limit = request.Limit,
            },
            cancellationToken).ConfigureAwait(false);
        var results = new List<InstanceWhatIf>();
        foreach (var instance in instances.OrderBy(i => i.StartedAt).ThenBy(i => i.Id))
        {
            results.Add(await RunAsync(instance, request.Candidate, request.Options, cancellationToken).ConfigureAwait(false));
        }

        var reports = results.Select(r => r.Report).OfType<WhatIfReport>().ToList();
        return new WhatIfBatchReport(results, WhatIfSummary.Of(reports), results.Count(r => r.Report is null));
    }

    private async Task<InstanceWhatIf> RunAsync(InstanceRecord record, IReadOnlyDictionary<string, int> candidate, WhatIfOptions? options, CancellationToken cancellationToken)
    {
        var versions = new SortedDictionary<string, int>(StringComparer.Ordinal);
        InstanceWhatIf Result(WhatIfReport? report, string? error) =>
            new(record.Id, record.DefinitionKey, record.Channel, record.Agent, record.StartedAt, record.PinnedVersions, versions, report, error);

        List<WorkflowEvent> journal;
        try
        {
            var rows = await store.ReadJournalAsync(record.Id, cancellationToken).ConfigureAwait(false);
            journal = [.. rows.OrderBy(r => r.Sequence).Select(r => JournalSerializer.Deserialize(r.Json))];
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            return Result(null, $"the journal does not parse: {e.Message}");
        }

        // The versions the conversation started on: its pins now, each move undone (latest first).
        var migrations = journal.OfType<InstanceMigrated>().ToList();
        foreach (var (key, version) in record.PinnedVersions)
        {
            versions[key] = version;
        }

        for (var i = migrations.Count - 1; i >= 0; i--)
        {
            versions[migrations[i].DefinitionKey] = migrations[i].FromVersion;
        }

        foreach (var (key, version) in candidate)
        {
            versions[key] = version;
        }

        try
        {
            var set = await CandidateSetAsync(versions, record.StartedAt, cancellationToken).ConfigureAwait(false);

            // A recorded move is replayed where the candidate still runs the version it left, so
            // the versions it moved to are in the set too (unpinned until the move).
            foreach (var (key, version) in migrations.SelectMany(m => m.Pinned).Distinct())
            {
                if (!set.TryGet(key, version, out _))
                {
                    set.AddVersion(await catalog.LoadAsync(key, version, cancellationToken).ConfigureAwait(false), version);
                }
            }

            return Result(WhatIfReplay.Run(set, journal, options ?? ConversationOutcomes.Options), null);
        }
        catch (CatalogException e)
        {
            return Result(null, e.Message);
        }
    }

    /// <summary>
    /// The engine's set for the candidate: the chosen versions, plus, for a key a candidate newly
    /// calls, the version that was in effect when the conversation started.
    /// </summary>
    private async Task<DefinitionSet> CandidateSetAsync(SortedDictionary<string, int> versions, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        var set = new DefinitionSet();
        var pending = new Queue<string>(versions.Keys);
        var loaded = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryDequeue(out var key))
        {
            if (!loaded.Add(key))
            {
                continue;
            }

            if (!versions.TryGetValue(key, out var version))
            {
                version = (await catalog.GetInEffectAsync(key, startedAt, cancellationToken).ConfigureAwait(false)).Version;
                versions[key] = version;
            }

            var definition = await catalog.LoadAsync(key, version, cancellationToken).ConfigureAwait(false);
            set.Add(definition, version);
            foreach (var call in definition.Nodes.Values.OfType<CallActivity>())
            {
                pending.Enqueue(call.CalledKey);
            }
        }

        return set;
    }

    private async Task RequireCandidateAsync(IReadOnlyDictionary<string, int> candidate, CancellationToken cancellationToken)
    {
        if (candidate.Count == 0)
        {
            throw new CatalogException(CatalogError.NotAllowed, "name at least one candidate version (key and version) to replay against");
        }

        foreach (var (key, version) in candidate)
        {
            await catalog.GetAsync(key, version, cancellationToken).ConfigureAwait(false);
        }
    }
}
