using System.Text.Json;
using ContactCenter.Engine;
using ContactCenter.Engine.Journal;
using ContactCenter.Runtime.Definitions;
using ContactCenter.Runtime.Storage;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Runtime.Instances;

/// <summary>Why a migration request was refused.</summary>
public enum MigrationError
{
    NotFound,

    /// <summary>The mapping names an element that does not exist, or one of another kind; or the versions do not fit.</summary>
    InvalidMapping,
    WrongStatus,
    SamePerson,
    NotAllowed,
    Conflict,
}

public sealed class MigrationException(MigrationError error, string message, IReadOnlyList<MigrationProblem>? problems = null) : Exception(message)
{
    public MigrationError Error { get; } = error;

    /// <summary>For <see cref="MigrationError.InvalidMapping"/>: every problem, naming its element.</summary>
    public IReadOnlyList<MigrationProblem> Problems { get; } = problems ?? [];
}

/// <summary>
/// One instance in a dry run or an application: whether it can move (or moved), why not, and the
/// journal sequence it was seen at (an application moves it only if it is still there).
/// </summary>
public sealed record MigrationOutcome(Guid InstanceId, long? JournalVersion, bool CanMove, IReadOnlyList<MigrationProblem> Problems)
{
    /// <summary>After an application: whether it moved.</summary>
    public bool Moved { get; init; }
}

/// <summary>A proposal as the API shows it: the record's JSON columns read back.</summary>
public sealed record MigrationProposal(
    MigrationProposalRecord Record,
    IReadOnlyDictionary<string, string> Mapping,
    IReadOnlyList<Guid> InstanceIds,
    IReadOnlyList<MigrationOutcome>? DryRun,
    IReadOnlyList<MigrationOutcome>? Result);

/// <summary>
/// Moving running instances from one version of a definition to another, with four eyes: a
/// proposer names the versions, the instances and the mapping (derived from ids and declared
/// purposes, completed by hand); a dry run says per instance whether it can move and why not;
/// someone other than the proposer approves; applying it moves each instance that is still where
/// the dry run saw it, each in one commit of its own (all or nothing per instance; the batch is
/// not one transaction, so one instance that changed does not hold the others back).
/// </summary>
public sealed class InstanceMigrations(
    DefinitionCatalog catalog,
    IMigrationProposalStore proposals,
    IInstanceQueries queries,
    InstanceRuntime runtime,
    TimeProvider clock,
    ILogger<InstanceMigrations> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The mapping the two versions suggest (<see cref="InstanceMigration.Derive"/>).</summary>
    public async Task<DerivedMapping> DeriveAsync(string key, int fromVersion, int toVersion, CancellationToken cancellationToken = default)
    {
        var (from, to) = await VersionsAsync(key, fromVersion, toVersion, cancellationToken).ConfigureAwait(false);
        return InstanceMigration.Derive(from, to);
    }

    /// <summary>Running instances that run <paramref name="key"/> at <paramref name="version"/> (as their flow or a flow they call), newest first.</summary>
    public async Task<IReadOnlyList<InstanceRecord>> CandidatesAsync(string key, int version, int limit = 500, CancellationToken cancellationToken = default)
    {
        var running = await queries.QueryAsync(new InstanceQuery { Status = InstanceStatus.Running, Limit = 10_000 }, cancellationToken).ConfigureAwait(false);
        return [.. running.Where(r => r.PinnedVersions.TryGetValue(key, out var pinned) && pinned == version).OrderByDescending(r => r.StartedAt).Take(limit)];
    }

    /// <summary>
    /// Proposes moving <paramref name="instanceIds"/> from <paramref name="fromVersion"/> to
    /// <paramref name="toVersion"/> (a published version): the derived mapping with
    /// <paramref name="overrides"/> over it (an empty target removes an entry). A mapping to an
    /// element that does not exist or is of another kind is refused, naming it.
    /// </summary>
    public async Task<MigrationProposal> ProposeAsync(string key, int fromVersion, int toVersion, IReadOnlyDictionary<string, string>? overrides, IReadOnlyList<Guid> instanceIds, string proposer, string? note = null, CancellationToken cancellationToken = default)
    {
        RequirePerson(proposer, "proposer");
        ArgumentNullException.ThrowIfNull(instanceIds);
        if (instanceIds.Count == 0)
        {
            throw new MigrationException(MigrationError.NotAllowed, "choose at least one instance to move");
        }

        var target = await catalog.GetAsync(key, toVersion, cancellationToken).ConfigureAwait(false);
        if (target.Status != VersionStatus.Published)
        {
            throw new MigrationException(MigrationError.WrongStatus, $"{key} v{toVersion} is {target.Status}: instances move only to a published version");
        }

        var (from, to) = await VersionsAsync(key, fromVersion, toVersion, cancellationToken).ConfigureAwait(false);
        var mapping = new SortedDictionary<string, string>(InstanceMigration.Derive(from, to).Mapping.ToDictionary(), StringComparer.Ordinal);
        foreach (var (source, element) in overrides ?? new Dictionary<string, string>())
        {
            if (string.IsNullOrWhiteSpace(element))
            {
                mapping.Remove(source);
            }
            else
            {
                mapping[source.Trim()] = element.Trim();
            }
        }

        var problems = InstanceMigration.CheckMapping(from, to, mapping);
        if (problems.Count > 0)
        {
            throw new MigrationException(MigrationError.InvalidMapping, problems.Count == 1 ? problems[0].Message : $"the mapping has {problems.Count} problems: {string.Join("; ", problems.Take(5))}", problems);
        }

        var now = clock.GetUtcNow();
        var record = new MigrationProposalRecord
        {
            Id = Guid.CreateVersion7(now),
            DefinitionKey = key,
            FromVersion = fromVersion,
            ToVersion = toVersion,
            Status = MigrationStatus.Proposed,
            Mapping = JsonSerializer.Serialize(mapping, Json),
            InstanceIds = JsonSerializer.Serialize(instanceIds.Distinct().ToList(), Json),
            ProposedBy = proposer.Trim(),
            ProposedAt = now,
            Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(),
        };
        await proposals.AddAsync(record, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Migration {ProposalId} proposed by {Proposer}: {DefinitionKey} v{FromVersion} -> v{ToVersion}, {Count} instance(s)", record.Id, proposer, key, fromVersion, toVersion, instanceIds.Count);
        return Read(record);
    }

    public async Task<MigrationProposal> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        Read(await GetRecordAsync(id, cancellationToken).ConfigureAwait(false));

    public async Task<IReadOnlyList<MigrationProposal>> ListAsync(string? key = null, CancellationToken cancellationToken = default) =>
        [.. (await proposals.ListAsync(key, cancellationToken).ConfigureAwait(false)).Select(Read)];

    /// <summary>
    /// Checks every chosen instance against the proposal, moving nothing, and records what it found
    /// (with the journal sequence each instance was at). Approval clears when it is run again.
    /// </summary>
    public async Task<MigrationProposal> DryRunAsync(Guid id, string user, CancellationToken cancellationToken = default)
    {
        RequirePerson(user, "user");
        var record = await GetRecordAsync(id, cancellationToken).ConfigureAwait(false);
        if (record.Status is not (MigrationStatus.Proposed or MigrationStatus.Approved))
        {
            throw new MigrationException(MigrationError.WrongStatus, $"migration {id} is {record.Status}: a dry run is for a proposal not yet applied");
        }

        var proposal = Read(record);
        var outcomes = new List<MigrationOutcome>();
        foreach (var instanceId in proposal.InstanceIds)
        {
            outcomes.Add(await CheckAsync(record, proposal.Mapping, instanceId, cancellationToken).ConfigureAwait(false));
        }

        // A new dry run is what an approver must look at: any approval given to the old one lapses.
        var next = record with
        {
            Status = MigrationStatus.Proposed,
            DryRun = JsonSerializer.Serialize(outcomes, Json),
            DryRunBy = user.Trim(),
            DryRunAt = clock.GetUtcNow(),
            DecidedBy = null,
            DecidedAt = null,
        };
        await UpdateAsync(next, record, cancellationToken).ConfigureAwait(false);
        return Read(next);
    }

    /// <summary>An approver who is not the proposer approves a proposal that has had a dry run.</summary>
    public async Task<MigrationProposal> ApproveAsync(Guid id, string approver, CancellationToken cancellationToken = default)
    {
        RequirePerson(approver, "approver");
        var record = await GetRecordAsync(id, cancellationToken).ConfigureAwait(false);
        if (record.Status != MigrationStatus.Proposed)
        {
            throw new MigrationException(MigrationError.WrongStatus, $"migration {id} is {record.Status}, not Proposed");
        }

        if (SamePerson(record.ProposedBy, approver))
        {
            throw new MigrationException(MigrationError.SamePerson, $"{approver} proposed this migration and cannot also approve it; the approver must be another person");
        }

        if (record.DryRun is null)
        {
            throw new MigrationException(MigrationError.WrongStatus, $"migration {id} has had no dry run; run one so the approver sees what will move");
        }

        var next = record with { Status = MigrationStatus.Approved, DecidedBy = approver.Trim(), DecidedAt = clock.GetUtcNow() };
        await UpdateAsync(next, record, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Migration {ProposalId} approved by {Approver}", id, approver);
        return Read(next);
    }

    /// <summary>An approver who is not the proposer turns a proposal down; nothing moves.</summary>
    public async Task<MigrationProposal> RejectAsync(Guid id, string approver, CancellationToken cancellationToken = default)
    {
        RequirePerson(approver, "approver");
        var record = await GetRecordAsync(id, cancellationToken).ConfigureAwait(false);
        if (record.Status is not (MigrationStatus.Proposed or MigrationStatus.Approved))
        {
            throw new MigrationException(MigrationError.WrongStatus, $"migration {id} is {record.Status}");
        }

        if (SamePerson(record.ProposedBy, approver))
        {
            throw new MigrationException(MigrationError.SamePerson, $"{approver} proposed this migration; another person decides on it");
        }

        var next = record with { Status = MigrationStatus.Rejected, DecidedBy = approver.Trim(), DecidedAt = clock.GetUtcNow() };
        await UpdateAsync(next, record, cancellationToken).ConfigureAwait(false);
        return Read(next);
    }

    /// <summary>
    /// Applies an approved proposal: claims it (Approved → Applying), then moves every instance
    /// the dry run found movable if its journal is still at the sequence the dry run saw (else it
    /// is refused as changed since the dry run), each in one commit of its own, recording each
    /// outcome on the proposal as it goes; Applied once every instance was tried. Applying a
    /// proposal that is still Applying (a crash, a restart) resumes it: an instance this proposal
    /// already moved is recognised by its journal, so nothing moves twice.
    /// </summary>
    public async Task<MigrationProposal> ApplyAsync(Guid id, string user, CancellationToken cancellationToken = default)
    {
        RequirePerson(user, "user");
        var record = await GetRecordAsync(id, cancellationToken).ConfigureAwait(false);
        if (record.Status == MigrationStatus.Applying)
        {
            return await ContinueApplyingAsync(record, cancellationToken).ConfigureAwait(false);
        }

        if (record.Status != MigrationStatus.Approved)
        {
            throw new MigrationException(MigrationError.WrongStatus, record.Status == MigrationStatus.Proposed
                ? $"migration {id} is not approved yet: someone other than {record.ProposedBy} approves it after a dry run"
                : $"migration {id} is {record.Status}, not Approved");
        }

        // Claimed first, so two applications never both start; Applied only once every instance was tried.
        var claimed = record with { Status = MigrationStatus.Applying, AppliedBy = user.Trim(), AppliedAt = clock.GetUtcNow(), Result = null };
        await UpdateAsync(claimed, record, cancellationToken).ConfigureAwait(false);
        return await ContinueApplyingAsync(claimed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Finishes every proposal a crash or a restart left Applying (run at start). Each is resumed
    /// as its applier started it; what one cannot finish is logged and left Applying for the next try.
    /// </summary>
    public async Task<int> ResumeInterruptedAsync(CancellationToken cancellationToken = default)
    {
        var resumed = 0;
        foreach (var record in (await proposals.ListAsync(null, cancellationToken).ConfigureAwait(false)).Where(r => r.Status == MigrationStatus.Applying))
        {
            try
            {
                await ContinueApplyingAsync(record, cancellationToken).ConfigureAwait(false);
                resumed++;
            }
            catch (Exception e) when (e is MigrationException or CatalogException)
            {
                logger.LogWarning(e, "Migration {ProposalId} is still Applying: resuming it failed", record.Id);
            }
        }

        return resumed;
    }

    private async Task<MigrationProposal> ContinueApplyingAsync(MigrationProposalRecord claimed, CancellationToken cancellationToken)
    {
        var applier = claimed.AppliedBy ?? throw new MigrationException(MigrationError.Conflict, $"migration {claimed.Id} is Applying without an applier");
        var proposal = Read(claimed);
        var results = new List<MigrationOutcome>();
        var current = claimed;
        foreach (var seen in proposal.DryRun ?? [])
        {
            results.Add(await ApplyOneAsync(claimed, proposal.Mapping, seen, applier, cancellationToken).ConfigureAwait(false));

            // The outcome is on the proposal as soon as the instance has moved (or not): a reader
            // sees the progress, and a crash between two instances loses no record of the first.
            var progress = current with { Result = JsonSerializer.Serialize(results, Json) };
            await UpdateAsync(progress, current, cancellationToken).ConfigureAwait(false);
            current = progress;
        }

        var done = current with { Status = MigrationStatus.Applied, Result = JsonSerializer.Serialize(results, Json) };
        await UpdateAsync(done, current, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Migration {ProposalId} applied by {User}: {Moved} of {Count} instance(s) moved", claimed.Id, applier, results.Count(r => r.Moved), results.Count);
        return Read(done);
    }

    private async Task<MigrationOutcome> ApplyOneAsync(MigrationProposalRecord record, IReadOnlyDictionary<string, string> mapping, MigrationOutcome seen, string user, CancellationToken cancellationToken)
    {
        if (!seen.CanMove || seen.JournalVersion is not { } version)
        {
            return seen with { CanMove = false, Moved = false };
        }

        try
        {
            var instance = await runtime.GetAsync(seen.InstanceId, cancellationToken).ConfigureAwait(false);
            var command = new MigrateInstance(record.DefinitionKey, record.FromVersion, mapping) { Actor = user.Trim() };
            var after = await runtime.MigrateAsync(seen.InstanceId, version, command, await PinsAfterAsync(record, instance, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            return new MigrationOutcome(seen.InstanceId, after.Version, true, []) { Moved = true };
        }
        catch (ConcurrencyConflictException conflict)
        {
            // Moved by this very proposal before a crash (or by a node resuming it at the same
            // time)? Its journal says so: the event right after the sequence the dry run saw.
            return await MovedByThisProposalAsync(record, seen.InstanceId, version, cancellationToken).ConfigureAwait(false)
                ?? new MigrationOutcome(seen.InstanceId, version, false, [new(null, conflict.Message)]);
        }
        catch (WorkflowCommandRejectedException refused)
        {
            return new MigrationOutcome(seen.InstanceId, version, false, [new(null, refused.Message)]);
        }
        catch (InstanceNotFoundException missing)
        {
            return new MigrationOutcome(seen.InstanceId, null, false, [new(null, missing.Message)]);
        }
        catch (CatalogException catalogProblem)
        {
            // A version gone or unreadable: this instance stays; the others still move.
            return new MigrationOutcome(seen.InstanceId, version, false, [new(null, catalogProblem.Message)]);
        }
    }

    /// <summary>
    /// The outcome of an instance this proposal already moved, read from its journal: a proposal
    /// moves an instance only at the sequence its dry run saw, so the move is the event right
    /// after it, migrating this key between these versions. Null when the journal shows no such move.
    /// </summary>
    private async Task<MigrationOutcome?> MovedByThisProposalAsync(MigrationProposalRecord record, Guid instanceId, long seenVersion, CancellationToken cancellationToken)
    {
        var journal = await runtime.ReadJournalAsync(instanceId, cancellationToken).ConfigureAwait(false);
        return seenVersion < journal.Count
            && journal[(int)seenVersion] is InstanceMigrated move
            && move.DefinitionKey == record.DefinitionKey && move.FromVersion == record.FromVersion && move.ToVersion == record.ToVersion
            ? new MigrationOutcome(instanceId, seenVersion + 1, true, []) { Moved = true }
            : null;
    }

    private async Task<MigrationOutcome> CheckAsync(MigrationProposalRecord record, IReadOnlyDictionary<string, string> mapping, Guid instanceId, CancellationToken cancellationToken)
    {
        InstanceRecord instance;
        try
        {
            instance = await runtime.GetAsync(instanceId, cancellationToken).ConfigureAwait(false);
        }
        catch (InstanceNotFoundException)
        {
            return new MigrationOutcome(instanceId, null, false, [new(null, $"instance {instanceId} does not exist")]);
        }

        var command = new MigrateInstance(record.DefinitionKey, record.FromVersion, mapping);
        var set = await runtime.MigrationSetAsync(command, await PinsAfterAsync(record, instance, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        var problems = InstanceMigration.Check(set, runtime.StateOf(instance), command);
        return new MigrationOutcome(instanceId, instance.Version, problems.Count == 0, problems);
    }

    /// <summary>
    /// What the instance runs on after the move: its pins, the key at the new version, and every
    /// flow the new version calls that it has not pinned yet at the version in effect now (a flow
    /// with none is left out, and the engine names it as missing).
    /// </summary>
    private async Task<IReadOnlyDictionary<string, int>> PinsAfterAsync(MigrationProposalRecord record, InstanceRecord instance, CancellationToken cancellationToken)
    {
        var pins = new SortedDictionary<string, int>(instance.PinnedVersions.ToDictionary(), StringComparer.Ordinal) { [record.DefinitionKey] = record.ToVersion };
        var pending = new Queue<(string Key, int Version)>([(record.DefinitionKey, record.ToVersion)]);
        var now = clock.GetUtcNow();
        while (pending.TryDequeue(out var next))
        {
            var definition = await catalog.LoadAsync(next.Key, next.Version, cancellationToken).ConfigureAwait(false);
            foreach (var called in definition.Nodes.Values.OfType<Engine.Model.CallActivity>().Select(c => c.CalledKey).Distinct(StringComparer.Ordinal))
            {
                if (pins.ContainsKey(called))
                {
                    continue;
                }

                try
                {
                    var version = (await catalog.GetInEffectAsync(called, now, cancellationToken).ConfigureAwait(false)).Version;
                    pins[called] = version;
                    pending.Enqueue((called, version));
                }
                catch (CatalogException)
                {
                    // Nothing of it is in effect: the engine's check reports the missing flow.
                }
            }
        }

        return pins;
    }

    private async Task<(Engine.Model.WorkflowDefinition From, Engine.Model.WorkflowDefinition To)> VersionsAsync(string key, int fromVersion, int toVersion, CancellationToken cancellationToken)
    {
        if (fromVersion == toVersion)
        {
            throw new MigrationException(MigrationError.InvalidMapping, $"{key}: the versions to move from and to are both {fromVersion}");
        }

        try
        {
            return (await catalog.LoadAsync(key, fromVersion, cancellationToken).ConfigureAwait(false), await catalog.LoadAsync(key, toVersion, cancellationToken).ConfigureAwait(false));
        }
        catch (CatalogException e) when (e.Error == CatalogError.NotFound)
        {
            throw new MigrationException(MigrationError.NotFound, e.Message);
        }
    }

    private async Task<MigrationProposalRecord> GetRecordAsync(Guid id, CancellationToken cancellationToken) =>
        await proposals.GetAsync(id, cancellationToken).ConfigureAwait(false)
        ?? throw new MigrationException(MigrationError.NotFound, $"there is no migration {id}");

    private async Task UpdateAsync(MigrationProposalRecord next, MigrationProposalRecord read, CancellationToken cancellationToken)
    {
        if (!await proposals.UpdateAsync(next, read.Status, read.DryRunAt, cancellationToken).ConfigureAwait(false))
        {
            throw new MigrationException(MigrationError.Conflict, $"migration {next.Id} changed while this request was handled; reload and try again");
        }
    }

    private static MigrationProposal Read(MigrationProposalRecord record) => new(
        record,
        JsonSerializer.Deserialize<SortedDictionary<string, string>>(record.Mapping, Json) ?? [],
        JsonSerializer.Deserialize<List<Guid>>(record.InstanceIds, Json) ?? [],
        record.DryRun is null ? null : JsonSerializer.Deserialize<List<MigrationOutcome>>(record.DryRun, Json),
        record.Result is null ? null : JsonSerializer.Deserialize<List<MigrationOutcome>>(record.Result, Json));

    private static bool SamePerson(string? a, string? b) => a is not null && b is not null && string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    private static void RequirePerson(string? name, string role)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new MigrationException(MigrationError.NotAllowed, $"a {role} must be named");
        }
    }
}
