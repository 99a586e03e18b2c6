using ContactCenter.Engine;
using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Model;
using ContactCenter.Modules.Flows;
using ContactCenter.Modules.Quality;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Storage;
using NodaTime;

namespace ContactCenter.Modules.Dashboard;

/// <summary>
/// The dashboard's counters, added to in each commit: conversations started and ended per local
/// hour and channel (and started per agent), conversations closed by silence (SOP step 2c), and per
/// definition key and version how often each element was entered, by how many instances, and how
/// often each sequence flow was taken. The day activity and the flow heatmap read only these.
/// </summary>
/// <remarks>
/// <para>An hour bucket is the start of a local hour in <paramref name="zone"/>, so a local day is
/// exactly its 24 (23, 25) buckets in any zone.</para>
/// <para>Element, flow and closed-by-silence counts go to the bucket of the hour the instance
/// started, not of the event: a period's figures are those of the instances started in it, as the
/// heatmap asks, and "instances" stays exact when summed over buckets. An instance is counted once
/// per element at its first entry; which elements it entered is remembered in memory per running
/// instance (as of its last commit here), and read from its journal when not (after a restart,
/// another process's commit, a lost race): no row is read or written for it.</para>
/// </remarks>
public sealed class DashboardCounterProjection(DefinitionCatalog catalog, DateTimeZone zone, string closePurpose, IInstanceStore store) : ICommitProjection
{
    /// <summary>Conversations started; dimension the channel, bucket the start hour.</summary>
    public const string Started = "conversations-started";

    /// <summary>Conversations ended; dimension the channel, bucket the end hour.</summary>
    public const string Ended = "conversations-ended";

    /// <summary>Conversations started; dimension the agent (empty for none), bucket the start hour.</summary>
    public const string StartedByAgent = "conversations-started-by-agent";

    /// <summary>Instances closed at the close step (2c); dimension the channel, bucket the start hour.</summary>
    public const string ClosedBySilence = "closed-by-silence";

    /// <summary>Conversations documented (the documentation step completed); dimension <c>channel|category</c>, bucket the start hour.</summary>
    public const string ContactReasons = "contact-reasons";

    /// <summary>Documented conversations marked out of topic (OOT, SOP §6.11); dimension the channel, bucket the start hour.</summary>
    public const string OutOfTopic = "out-of-topic";

    /// <summary>Most running instances whose entered elements are remembered; past it the memory starts again (and each instance's journal is read once more).</summary>
    public const int MaxRemembered = 100_000;

    private static readonly long NanosecondsPerHour = Duration.FromHours(1).ToInt64Nanoseconds();

    /// <summary>
    /// What each running instance entered so far, as of its last commit through this process (its
    /// version, update instant and a hash of its snapshot, not the snapshot: thousands of running
    /// conversations): a later commit decided on that record builds on it; any other (another
    /// process wrote, a commit that lost its race, a restart) reads the journal once.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, (long Version, DateTimeOffset UpdatedAt, int SnapshotHash, HashSet<string> Visited)> _visited = new();

    /// <summary>About how many instances <see cref="_visited"/> holds (a clear racing a commit may leave it off by a few).</summary>
    private int _remembered;

    public string Name => "dashboard-counters";

    /// <summary>Entries of an element; dimension <c>version|elementId</c>.</summary>
    public static string Entered(string definitionKey) => "element-entered:" + definitionKey;

    /// <summary>Instances that entered an element (first entry); dimension <c>version|elementId</c>.</summary>
    public static string EnteredBy(string definitionKey) => "element-instances:" + definitionKey;

    /// <summary>Passages over a sequence flow; dimension <c>version|flowId</c>.</summary>
    public static string FlowTaken(string definitionKey) => "flow-taken:" + definitionKey;

    /// <summary>Instances that entered any element of a version; dimension <c>version</c>.</summary>
    public static string VersionInstances(string definitionKey) => "version-instances:" + definitionKey;

    /// <summary>The start of the local hour (in the projection's zone) <paramref name="at"/> is in: its counters' bucket.</summary>
    public DateTimeOffset HourOf(DateTimeOffset at) => HourOf(zone, at);

    /// <summary>The start of the local hour in <paramref name="zone"/> that <paramref name="at"/> is in.</summary>
    public static DateTimeOffset HourOf(DateTimeZone zone, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var instant = Instant.FromDateTimeOffset(at);
        var intoHour = instant.InZone(zone).TimeOfDay.NanosecondOfDay % NanosecondsPerHour;
        return (instant - Duration.FromNanoseconds(intoHour)).ToDateTimeOffset();
    }

    public async Task<ReadModelChanges> ProjectAsync(ProjectedCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var record = commit.After;
        var counters = new List<ReadModelCounter>();
        var startHour = HourOf(record.StartedAt);
        var conversation = record.Channel != TeamDashboard.TicketChannel;
        if (conversation && commit.Before.Version == 0)
        {
            counters.Add(new ReadModelCounter(Started, record.Channel, startHour, 1));
            counters.Add(new ReadModelCounter(StartedByAgent, record.Agent ?? string.Empty, startHour, 1));
        }

        var ended = commit.StateAfter.EndedAt;
        if (conversation && ended is { } end && commit.StateBefore.EndedAt is null)
        {
            counters.Add(new ReadModelCounter(Ended, record.Channel, HourOf(end), 1));
        }

        if (conversation)
        {
            await CountDocumentationAsync(commit, startHour, counters, cancellationToken).ConfigureAwait(false);
        }

        var entries = commit.Events.OfType<ElementEntered>().Any();
        var visited = entries || _visited.ContainsKey(record.Id) ? await VisitedBeforeAsync(commit, cancellationToken).ConfigureAwait(false) : null;
        if (entries)
        {
            var before = visited!.Count;
            var grown = new HashSet<string>(visited, StringComparer.Ordinal); // the remembered set is never changed in place
            var scopes = commit.StateBefore.Scopes.ToDictionary(s => s.Id, s => (s.DefinitionKey, s.DefinitionVersion));
            foreach (var e in commit.Events)
            {
                if (e is ScopeStarted started)
                {
                    scopes[started.ScopeId] = (started.DefinitionKey, started.DefinitionVersion);
                }
                else if (e is ElementEntered entered && scopes.TryGetValue(entered.ScopeId, out var scope))
                {
                    await CountEntryAsync(record, startHour, scope.DefinitionKey, scope.DefinitionVersion, entered, grown, counters, cancellationToken).ConfigureAwait(false);
                }
            }

            visited = grown.Count > before ? grown : visited;
        }

        Remember(record, commit.StateAfter.IsRunning ? visited : null);
        return counters.Count == 0 ? ReadModelChanges.None : new ReadModelChanges { Counters = counters };
    }

    /// <summary>Remembers what a running instance entered as of <paramref name="record"/>; forgets an ended one.</summary>
    private void Remember(InstanceRecord record, HashSet<string>? visited)
    {
        if (visited is null)
        {
            if (_visited.TryRemove(record.Id, out _))
            {
                Interlocked.Decrement(ref _remembered);
            }

            return;
        }

        // Counted on the side: ConcurrentDictionary.Count takes every lock of the map, once per commit.
        if (Volatile.Read(ref _remembered) >= MaxRemembered && !_visited.ContainsKey(record.Id))
        {
            _visited.Clear();
            Volatile.Write(ref _remembered, 0);
        }

        var entry = (record.Version, record.UpdatedAt, StringComparer.Ordinal.GetHashCode(record.Snapshot), visited);
        if (_visited.TryAdd(record.Id, entry))
        {
            Interlocked.Increment(ref _remembered);
        }
        else
        {
            _visited[record.Id] = entry;
        }
    }

    /// <summary>Counts one entry; whether it was the instance's first of the element (the visited set grew).</summary>
    private async Task<bool> CountEntryAsync(InstanceRecord record, DateTimeOffset startHour, string key, int version, ElementEntered entered, HashSet<string> visited, List<ReadModelCounter> counters, CancellationToken cancellationToken)
    {
        var element = $"{version}|{entered.ElementId}";
        counters.Add(new ReadModelCounter(Entered(key), element, startHour, 1));
        if (entered.FlowId is { } flow)
        {
            counters.Add(new ReadModelCounter(FlowTaken(key), $"{version}|{flow}", startHour, 1));
        }

        if (visited.Add($"{key}|{version}"))
        {
            counters.Add(new ReadModelCounter(VersionInstances(key), version.ToString(System.Globalization.CultureInfo.InvariantCulture), startHour, 1));
        }

        if (!visited.Add($"{key}|{element}"))
        {
            return false;
        }

        counters.Add(new ReadModelCounter(EnteredBy(key), element, startHour, 1));
        if (await IsCloseAsync(key, version, entered.ElementId, cancellationToken).ConfigureAwait(false))
        {
            counters.Add(new ReadModelCounter(ClosedBySilence, record.Channel, startHour, 1));
        }

        return true;
    }

    /// <summary>
    /// The contact reason (category) and OOT of each documentation step the commit completed: what
    /// the agent recorded (<see cref="ContactDocumentation"/>), found by the step's purpose.
    /// </summary>
    private async Task CountDocumentationAsync(ProjectedCommit commit, DateTimeOffset startHour, List<ReadModelCounter> counters, CancellationToken cancellationToken)
    {
        Dictionary<long, string>? created = null;
        foreach (var e in commit.Events)
        {
            if (e is WorkItemCreated item)
            {
                // A rebuild sees the whole journal as one commit from the empty state: the item was created in it.
                (created ??= [])[item.WorkItemId] = item.ElementId;
                continue;
            }

            if (e is not WorkItemCompleted completed
                || (commit.StateBefore.WorkItems.FirstOrDefault(w => w.Id == completed.WorkItemId)?.ElementId ?? created?.GetValueOrDefault(completed.WorkItemId)) is not { } elementId
                || !await IsDocumentationAsync(commit.After.PinnedVersions, elementId, cancellationToken).ConfigureAwait(false)
                || ContactDocumentation.Of(completed.Data) is not { } documentation)
            {
                continue;
            }

            var channel = commit.After.Channel;
            counters.Add(new ReadModelCounter(ContactReasons, $"{channel}|{documentation.Category ?? string.Empty}", startHour, 1));
            if (documentation.OutOfTopic == true)
            {
                counters.Add(new ReadModelCounter(OutOfTopic, channel, startHour, 1));
            }
        }
    }

    /// <summary>Whether the element is a documentation step in one of the instance's pinned versions.</summary>
    private async Task<bool> IsDocumentationAsync(IReadOnlyDictionary<string, int> pinned, string elementId, CancellationToken cancellationToken)
    {
        foreach (var (key, version) in pinned)
        {
            if (await NodeAsync(key, version, elementId, cancellationToken).ConfigureAwait(false) is { } node && node.HasPurpose(StepPurposes.Documentation))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the element is an end event with the close purpose (still-connected-close, 2c: "tidak ada respon: chat diakhiri").</summary>
    private async Task<bool> IsCloseAsync(string key, int version, string elementId, CancellationToken cancellationToken) =>
        await NodeAsync(key, version, elementId, cancellationToken).ConfigureAwait(false) is { Kind: NodeKind.EndEvent } node && node.HasPurpose(closePurpose);

    /// <summary>The element of a definition version; null when the version or the element is gone.</summary>
    private async Task<FlowNode?> NodeAsync(string key, int version, string elementId, CancellationToken cancellationToken)
    {
        try
        {
            var definition = await catalog.LoadAsync(key, version, cancellationToken).ConfigureAwait(false);
            return definition.Nodes.GetValueOrDefault(elementId);
        }
        catch (CatalogException)
        {
            return null;
        }
    }

    private async Task<HashSet<string>> VisitedBeforeAsync(ProjectedCommit commit, CancellationToken cancellationToken)
    {
        if (commit.Before.Version == 0)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }

        if (_visited.TryGetValue(commit.Before.Id, out var remembered) && remembered.Version == commit.Before.Version
            && remembered.UpdatedAt == commit.Before.UpdatedAt && remembered.SnapshotHash == StringComparer.Ordinal.GetHashCode(commit.Before.Snapshot))
        {
            return remembered.Visited;
        }

        // Not remembered at this version: its journal up to it says what it entered.
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var scopes = new Dictionary<long, (string Key, int Version)>();
        foreach (var e in await ReadableJournal.ReadAsync(store, commit.Before.Id, cancellationToken).ConfigureAwait(false))
        {
            if (e.Sequence > commit.Before.Version)
            {
                break;
            }

            if (e is ScopeStarted started)
            {
                scopes[started.ScopeId] = (started.DefinitionKey, started.DefinitionVersion);
            }
            else if (e is ElementEntered entered && scopes.TryGetValue(entered.ScopeId, out var scope))
            {
                visited.Add($"{scope.Key}|{scope.Version}");
                visited.Add($"{scope.Key}|{scope.Version}|{entered.ElementId}");
            }
        }

        return visited;
    }
}
