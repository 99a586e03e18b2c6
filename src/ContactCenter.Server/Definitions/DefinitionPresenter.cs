using ContactCenter.Runtime.Storage;

namespace ContactCenter.Server.Definitions;

/// <summary>A definition version's metadata: the SOP header, its status and who made, checked and approved it.</summary>
public sealed record DefinitionVersionView(
    string Key,
    int Version,
    VersionStatus Status,
    string Name,
    string ContentHash,
    string? DocumentCode,
    string? Revision,
    DateTimeOffset? EffectiveFrom,
    bool InEffect,
    string Maker,
    string? Checker,
    string? Approver,
    string? ChangeNote,
    DateTimeOffset CreatedAt,
    DateTimeOffset? SubmittedAt,
    DateTimeOffset? CheckedAt,
    DateTimeOffset? ApprovedAt,
    DateTimeOffset? PublishedAt,
    DateTimeOffset? RetiredAt);

/// <summary>A definition key with its versions, newest first, and the version new instances start on now.</summary>
public sealed record DefinitionSummary(string Key, string Name, int? VersionInEffect, IReadOnlyList<DefinitionVersionView> Versions);

/// <summary>Maps catalogue records to API views.</summary>
public sealed class DefinitionPresenter(TimeProvider clock)
{
    public IReadOnlyList<DefinitionSummary> Summaries(IEnumerable<DefinitionVersionRecord> records)
    {
        var now = clock.GetUtcNow();
        return [.. records
            .GroupBy(r => r.Key, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var inEffect = InEffect(g, now);
                var versions = g.OrderByDescending(r => r.Version).Select(r => View(r, inEffect)).ToList();
                return new DefinitionSummary(g.Key, versions[0].Name, inEffect, versions);
            })];
    }

    public DefinitionVersionView View(DefinitionVersionRecord record, IEnumerable<DefinitionVersionRecord> siblings) =>
        View(record, InEffect(siblings, clock.GetUtcNow()));

    private static DefinitionVersionView View(DefinitionVersionRecord r, int? inEffect) => new(
        r.Key, r.Version, r.Status, r.Name, r.ContentHash, r.DocumentCode, r.Revision, r.EffectiveFrom, r.Version == inEffect,
        r.Maker, r.Checker, r.Approver, r.ChangeNote, r.CreatedAt, r.SubmittedAt, r.CheckedAt, r.ApprovedAt, r.PublishedAt, r.RetiredAt);

    /// <summary>The catalogue's rule (latest effective date not after now, then highest version), over records already loaded.</summary>
    private static int? InEffect(IEnumerable<DefinitionVersionRecord> versions, DateTimeOffset now) =>
        versions
            .Where(v => v.Status == VersionStatus.Published && v.EffectiveFrom <= now)
            .OrderByDescending(v => v.EffectiveFrom)
            .ThenByDescending(v => v.Version)
            .FirstOrDefault()?.Version;
}
