using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ContactCenter.Engine;
using ContactCenter.Engine.Model;
using ContactCenter.Engine.Parsing;
using ContactCenter.Runtime.Storage;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Runtime.Definitions;

/// <summary>Why the catalogue refused a request.</summary>
public enum CatalogError
{
    NotFound,
    InvalidDefinition,
    WrongStatus,
    SamePerson,
    NotAllowed,
    Conflict,
}

public sealed class CatalogException(CatalogError error, string message, IReadOnlyList<DefinitionProblem>? problems = null) : Exception(message)
{
    public CatalogError Error { get; } = error;

    /// <summary>For <see cref="CatalogError.InvalidDefinition"/>: every problem, with element and line.</summary>
    public IReadOnlyList<DefinitionProblem> Problems { get; } = problems ?? [];
}

/// <summary>The SOP document's header for versions created by the start-up import.</summary>
public sealed record ImportHeader
{
    /// <summary>Default is the seed SOP's code, OCC.PGDN.01.01.</summary>
    public string DocumentCode { get; init; } = "OCC.PGDN.01.01";

    /// <summary>Default is revision 02.</summary>
    public string Revision { get; init; } = "02";

    /// <summary>Default is the seed SOP's maker, Gadhong Pangenggar.</summary>
    public string Maker { get; init; } = "Gadhong Pangenggar";

    /// <summary>Default is the seed SOP's checker, Franskel Wawan Ardiansyah.</summary>
    public string Checker { get; init; } = "Franskel Wawan Ardiansyah";

    /// <summary>Default is the seed SOP's approver, Rosyid Hamidi.</summary>
    public string Approver { get; init; } = "Rosyid Hamidi";

    /// <summary>When the first imported version takes effect. Default is the seed's 25 September 2025, 00:00 WIB.</summary>
    public DateTimeOffset FirstEffectiveFrom { get; init; } = new(2025, 9, 25, 0, 0, 0, TimeSpan.FromHours(7));
}

/// <summary>What an import did with one file.</summary>
public sealed record ImportResult(string Source, string? Key, int? Version, bool Imported, IReadOnlyList<DefinitionProblem> Problems);

/// <summary>
/// Definitions, versioned like the SOP document: draft → in review → approved → published
/// (with an effective date) → retired. New instances bind to the version in effect at their
/// start; running instances keep theirs.
/// </summary>
public sealed class DefinitionCatalog(IDefinitionStore store, TimeProvider clock, ILogger<DefinitionCatalog> logger, IEnumerable<IDefinitionCheck>? checks = null)
{
    private readonly ConcurrentDictionary<(string Key, int Version), WorkflowDefinition> _parsed = new();

    private readonly IDefinitionCheck[] _checks = [.. checks ?? []];

    /// <summary>What the registered checks (<see cref="IDefinitionCheck"/>) find in a valid definition.</summary>
    public IReadOnlyList<DefinitionProblem> Check(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return [.. _checks.SelectMany(c => c.Check(definition))];
    }

    /// <summary>
    /// What the catalogue refuses in a valid draft beyond the parser: the registered checks; a
    /// <c>cc:flowKind</c> other than the one the key's latest published version declares (the
    /// code that reads the flow relies on it); a called definition never published.
    /// </summary>
    public async Task<IReadOnlyList<DefinitionProblem>> DraftProblemsAsync(WorkflowDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var problems = Check(definition).ToList();
        var source = definition.SourceName;
        var published = (await store.ListAsync(definition.Key, cancellationToken).ConfigureAwait(false))
            .Where(v => v.Status is VersionStatus.Published or VersionStatus.Retired).MaxBy(v => v.Version);
        if (published is not null && (await LoadAsync(published.Key, published.Version, cancellationToken).ConfigureAwait(false)).FlowKind is { } kind && kind != definition.FlowKind)
        {
            problems.Add(new DefinitionProblem(source, definition.Key, definition.Process.Line, $"cc:flowKind must stay '{kind}', as version {published.Version} declares it: the code that reads a {kind} flow relies on what that kind must have"));
        }

        foreach (var call in definition.Nodes.Values.OfType<CallActivity>().DistinctBy(c => c.CalledKey, StringComparer.Ordinal))
        {
            // An instance pins the called flow's version in effect at its start, so a flow that
            // exists only as drafts could never run: it must have been published at least once.
            if (call.CalledKey != definition.Key && !(await store.ListAsync(call.CalledKey, cancellationToken).ConfigureAwait(false)).Any(v => v.Status is VersionStatus.Published or VersionStatus.Retired))
            {
                problems.Add(new DefinitionProblem(source, call.Id, call.Line, $"calledElement '{call.CalledKey}' has no published version in the catalogue"));
            }
        }

        return problems;
    }

    public static string HashOf(string bpmn) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(bpmn)));

    /// <summary>
    /// Seeds the catalogue from files (the repo's <c>workflows/*.bpmn</c>): a file whose content
    /// matches no stored version of its key becomes a new published version. The very first
    /// version of a key takes effect at <see cref="ImportHeader.FirstEffectiveFrom"/>, later
    /// ones at once. Invalid files are reported and skipped; the rest still import.
    /// </summary>
    public async Task<IReadOnlyList<ImportResult>> ImportAsync(IEnumerable<(string Source, string Bpmn)> files, ImportHeader? header = null, CancellationToken cancellationToken = default)
    {
        header ??= new ImportHeader();
        var results = new List<ImportResult>();
        var parsed = new List<(string Source, string Bpmn, WorkflowDefinition Definition)>();
        foreach (var (source, bpmn) in files)
        {
            var result = BpmnParser.Parse(bpmn, source);
            if (!result.IsValid)
            {
                results.Add(new ImportResult(source, result.Definition?.Key, null, false, result.Problems));
                continue;
            }

            parsed.Add((source, bpmn, result.Definition!));
        }

        var setProblems = DefinitionValidator.ValidateSet(parsed.Select(p => p.Definition));
        foreach (var (source, bpmn, definition) in parsed)
        {
            var problems = setProblems.Where(p => p.Source == source).Concat(Check(definition)).ToList();
            if (problems.Count > 0)
            {
                results.Add(new ImportResult(source, definition.Key, null, false, problems));
                continue;
            }

            var versions = await store.ListAsync(definition.Key, cancellationToken).ConfigureAwait(false);
            var latest = versions.MaxBy(v => v.Version);
            var hash = HashOf(bpmn);

            // Content the catalogue already holds, in any version and state, is not imported again:
            // otherwise a file still holding v1 would, at the next start, publish over a v2 that
            // went through review and approval in the designer.
            if (versions.Where(v => v.ContentHash == hash).MaxBy(v => v.Version) is { } known)
            {
                results.Add(new ImportResult(source, definition.Key, known.Version, false, []));
                continue;
            }

            var now = clock.GetUtcNow();
            var record = new DefinitionVersionRecord
            {
                Key = definition.Key,
                Version = (latest?.Version ?? 0) + 1,
                Status = VersionStatus.Published,
                Name = definition.Name ?? definition.Key,
                Bpmn = bpmn,
                ContentHash = hash,
                DocumentCode = header.DocumentCode,
                Revision = header.Revision,
                EffectiveFrom = latest is null ? header.FirstEffectiveFrom : now,
                Maker = header.Maker,
                Checker = header.Checker,
                Approver = header.Approver,
                ChangeNote = latest is null ? $"Imported from {source}" : $"Re-imported from {source}: content changed",
                CreatedAt = now,
                SubmittedAt = now,
                CheckedAt = now,
                ApprovedAt = now,
                PublishedAt = now,
            };
            await store.AddAsync(record, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Imported {DefinitionKey} v{DefinitionVersion} from {Source} ({ContentHash})", record.Key, record.Version, source, hash);
            results.Add(new ImportResult(source, record.Key, record.Version, true, []));
        }

        return results;
    }

    public Task<IReadOnlyList<DefinitionVersionRecord>> ListAsync(string? key = null, CancellationToken cancellationToken = default) =>
        store.ListAsync(key, cancellationToken);

    public async Task<DefinitionVersionRecord> GetAsync(string key, int version, CancellationToken cancellationToken = default) =>
        await store.GetAsync(key, version, cancellationToken).ConfigureAwait(false)
        ?? throw new CatalogException(CatalogError.NotFound, $"definition {key} has no version {version}");

    /// <summary>Creates the next version of a key as a draft, after parsing and validating it.</summary>
    public async Task<DefinitionVersionRecord> CreateDraftAsync(string bpmn, string maker, string? changeNote = null, string? documentCode = null, string? revision = null, CancellationToken cancellationToken = default)
    {
        RequirePerson(maker, "maker");
        var result = BpmnParser.Parse(bpmn, "draft.bpmn");
        if (!result.IsValid)
        {
            throw new CatalogException(CatalogError.InvalidDefinition, $"the definition has {result.Problems.Count} problem(s): {string.Join("; ", result.Problems.Take(5))}", result.Problems);
        }

        var definition = result.Definition!;
        var problems = await DraftProblemsAsync(definition, cancellationToken).ConfigureAwait(false);
        if (problems.Count > 0)
        {
            throw new CatalogException(CatalogError.InvalidDefinition, problems.Count == 1 ? problems[0].ToString() : $"the definition has {problems.Count} problem(s): {string.Join("; ", problems.Take(5))}", problems);
        }

        var versions = await store.ListAsync(definition.Key, cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var record = new DefinitionVersionRecord
        {
            Key = definition.Key,
            Version = versions.Count == 0 ? 1 : versions.Max(v => v.Version) + 1,
            Status = VersionStatus.Draft,
            Name = definition.Name ?? definition.Key,
            Bpmn = bpmn,
            ContentHash = HashOf(bpmn),
            DocumentCode = documentCode ?? versions.MaxBy(v => v.Version)?.DocumentCode,
            Revision = revision,
            Maker = maker,
            ChangeNote = changeNote,
            CreatedAt = now,
        };
        await store.AddAsync(record, cancellationToken).ConfigureAwait(false);
        return record;
    }

    /// <summary>The maker hands a draft in for review.</summary>
    public Task<DefinitionVersionRecord> SubmitAsync(string key, int version, string user, CancellationToken cancellationToken = default) =>
        TransitionAsync(key, version, VersionStatus.Draft, v =>
        {
            if (!SamePerson(v.Maker, user))
            {
                throw new CatalogException(CatalogError.NotAllowed, $"only the maker ({v.Maker}) submits a draft for review");
            }

            return v with { Status = VersionStatus.InReview, SubmittedAt = clock.GetUtcNow() };
        }, cancellationToken);

    /// <summary>The checker reviews a version in review; it stays in review until approved.</summary>
    public Task<DefinitionVersionRecord> CheckAsync(string key, int version, string checker, CancellationToken cancellationToken = default) =>
        TransitionAsync(key, version, VersionStatus.InReview, v =>
        {
            RequirePerson(checker, "checker");
            if (SamePerson(v.Maker, checker))
            {
                throw new CatalogException(CatalogError.SamePerson, $"{checker} made this version and cannot also check it");
            }

            if (v.Checker is not null)
            {
                // Checking twice by the same person changes nothing; a second checker must not
                // silently replace the first one's signature.
                return SamePerson(v.Checker, checker)
                    ? v
                    : throw new CatalogException(CatalogError.WrongStatus, $"{key} v{version} was already checked by {v.Checker}");
            }

            return v with { Checker = checker, CheckedAt = clock.GetUtcNow() };
        }, cancellationToken);

    /// <summary>
    /// A checker or approver sends a version in review back to its maker as a draft, with a note
    /// saying what to change; the check, if any, is cleared.
    /// </summary>
    public Task<DefinitionVersionRecord> ReturnToDraftAsync(string key, int version, string reviewer, string note, CancellationToken cancellationToken = default) =>
        TransitionAsync(key, version, VersionStatus.InReview, v =>
        {
            RequirePerson(reviewer, "reviewer");
            if (SamePerson(v.Maker, reviewer))
            {
                throw new CatalogException(CatalogError.SamePerson, $"{reviewer} made this version; the maker withdraws nothing by review");
            }

            if (string.IsNullOrWhiteSpace(note))
            {
                throw new CatalogException(CatalogError.NotAllowed, "a version goes back to its maker with a note saying what to change");
            }

            var changeNote = string.IsNullOrWhiteSpace(v.ChangeNote) ? $"[{reviewer}] {note.Trim()}" : $"{v.ChangeNote}\n[{reviewer}] {note.Trim()}";
            return v with { Status = VersionStatus.Draft, Checker = null, CheckedAt = null, SubmittedAt = null, ChangeNote = changeNote };
        }, cancellationToken);

    /// <summary>The approver approves a checked version; maker, checker and approver are three people.</summary>
    public Task<DefinitionVersionRecord> ApproveAsync(string key, int version, string approver, CancellationToken cancellationToken = default) =>
        TransitionAsync(key, version, VersionStatus.InReview, v =>
        {
            RequirePerson(approver, "approver");
            if (v.Checker is null)
            {
                throw new CatalogException(CatalogError.WrongStatus, $"{key} v{version} has not been checked yet; a checker reviews it before approval");
            }

            if (SamePerson(v.Maker, approver) || SamePerson(v.Checker, approver))
            {
                throw new CatalogException(CatalogError.SamePerson, $"{approver} is already the maker or checker of this version; the approver must be a third person");
            }

            return v with { Status = VersionStatus.Approved, Approver = approver, ApprovedAt = clock.GetUtcNow() };
        }, cancellationToken);

    /// <summary>Publishes an approved version; new instances bind to it from <paramref name="effectiveFrom"/> on.</summary>
    public Task<DefinitionVersionRecord> PublishAsync(string key, int version, DateTimeOffset effectiveFrom, CancellationToken cancellationToken = default) =>
        TransitionAsync(key, version, VersionStatus.Approved, v =>
            v with { Status = VersionStatus.Published, EffectiveFrom = effectiveFrom, PublishedAt = clock.GetUtcNow() }, cancellationToken);

    /// <summary>Retires a published version: no new instance binds to it; running ones go on.</summary>
    public Task<DefinitionVersionRecord> RetireAsync(string key, int version, CancellationToken cancellationToken = default) =>
        TransitionAsync(key, version, VersionStatus.Published, v =>
            v with { Status = VersionStatus.Retired, RetiredAt = clock.GetUtcNow() }, cancellationToken);

    /// <summary>The published version in effect at <paramref name="at"/>: the latest effective date not after it.</summary>
    public async Task<DefinitionVersionRecord> GetInEffectAsync(string key, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var versions = await store.ListAsync(key, cancellationToken).ConfigureAwait(false);
        return versions
            .Where(v => v.Status == VersionStatus.Published && v.EffectiveFrom <= at)
            .OrderByDescending(v => v.EffectiveFrom)
            .ThenByDescending(v => v.Version)
            .FirstOrDefault()
            ?? throw NoneInEffect(key, at);
    }

    private static CatalogException NoneInEffect(string key, DateTimeOffset at) =>
        new(CatalogError.NotFound, $"no published version of '{key}' is in effect at {at:O}");

    /// <summary>The parsed definition of a version (cached: versions never change once created).</summary>
    public async Task<WorkflowDefinition> LoadAsync(string key, int version, CancellationToken cancellationToken = default)
    {
        if (_parsed.TryGetValue((key, version), out var cached))
        {
            return cached;
        }

        var record = await GetAsync(key, version, cancellationToken).ConfigureAwait(false);
        var result = BpmnParser.Parse(record.Bpmn, $"{key} v{version}");
        var definition = result.Definition ?? throw new CatalogException(CatalogError.InvalidDefinition, $"stored {key} v{version} no longer parses: {string.Join("; ", result.Problems)}", result.Problems);
        return _parsed.GetOrAdd((key, version), definition);
    }

    /// <summary>
    /// Pins a definition and everything it calls (transitively) to the versions in effect at
    /// <paramref name="at"/>, so an instance keeps running on exactly those.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, int>> PinAsync(string key, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var pinned = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var pending = new Queue<string>([key]);
        while (pending.TryDequeue(out var next))
        {
            if (pinned.ContainsKey(next))
            {
                continue;
            }

            // The number only: listing the versions would read every one's BPMN at every start.
            var version = await store.GetVersionInEffectAsync(next, at, cancellationToken).ConfigureAwait(false) ?? throw NoneInEffect(next, at);
            pinned[next] = version;
            var definition = await LoadAsync(next, version, cancellationToken).ConfigureAwait(false);
            foreach (var call in definition.Nodes.Values.OfType<CallActivity>())
            {
                pending.Enqueue(call.CalledKey);
            }
        }

        return pinned;
    }

    /// <summary>The engine's definition set for pinned versions.</summary>
    public async Task<DefinitionSet> DefinitionSetAsync(IReadOnlyDictionary<string, int> pinned, CancellationToken cancellationToken = default)
    {
        var set = new DefinitionSet();
        foreach (var (key, version) in pinned)
        {
            set.Add(await LoadAsync(key, version, cancellationToken).ConfigureAwait(false), version);
        }

        return set;
    }

    /// <summary>
    /// <paramref name="pinned"/> (an instance's versions now), plus every other version its
    /// <paramref name="journal"/> names, unpinned: what a reader needs to name each event's element
    /// in the version in effect when it happened, before and after a migration.
    /// </summary>
    public async Task<DefinitionSet> DefinitionSetAsync(IReadOnlyDictionary<string, int> pinned, IReadOnlyList<Engine.Journal.WorkflowEvent> journal, CancellationToken cancellationToken = default)
    {
        var set = await DefinitionSetAsync(pinned, cancellationToken).ConfigureAwait(false);
        foreach (var (key, version) in Engine.Journal.JournalReplay.VersionsOf(journal))
        {
            if (!set.TryGet(key, version, out _))
            {
                set.AddVersion(await LoadAsync(key, version, cancellationToken).ConfigureAwait(false), version);
            }
        }

        return set;
    }

    /// <summary>
    /// The set a journal replays on: pinned at the versions it started with, holding every version
    /// it names (a migration's, too), so an exact replay can re-pin where the instance moved.
    /// </summary>
    public async Task<DefinitionSet> ReplaySetAsync(IReadOnlyList<Engine.Journal.WorkflowEvent> journal, CancellationToken cancellationToken = default)
    {
        var set = await DefinitionSetAsync(Engine.Journal.JournalReplay.PinnedVersionsOf(journal), cancellationToken).ConfigureAwait(false);
        foreach (var (key, version) in Engine.Journal.JournalReplay.VersionsOf(journal))
        {
            set.AddVersion(await LoadAsync(key, version, cancellationToken).ConfigureAwait(false), version);
        }

        return set;
    }

    private async Task<DefinitionVersionRecord> TransitionAsync(string key, int version, VersionStatus from, Func<DefinitionVersionRecord, DefinitionVersionRecord> change, CancellationToken cancellationToken)
    {
        var current = await GetAsync(key, version, cancellationToken).ConfigureAwait(false);
        if (current.Status != from)
        {
            throw new CatalogException(CatalogError.WrongStatus, $"{key} v{version} is {current.Status}, not {from}");
        }

        var next = change(current);
        if (!await store.UpdateAsync(next, from, cancellationToken).ConfigureAwait(false))
        {
            throw new CatalogException(CatalogError.Conflict, $"{key} v{version} changed while this request was handled; reload and try again");
        }

        logger.LogInformation("{DefinitionKey} v{DefinitionVersion}: {From} -> {To}", key, version, from, next.Status);
        return next;
    }

    private static bool SamePerson(string? a, string? b) => a is not null && b is not null && string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    private static void RequirePerson(string? name, string role)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new CatalogException(CatalogError.NotAllowed, $"a {role} must be named");
        }
    }
}
