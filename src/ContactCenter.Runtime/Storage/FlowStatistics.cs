using ContactCenter.Engine;

namespace ContactCenter.Runtime.Storage;

/// <summary>
/// Which journals a flow heatmap counts: those of the instances started in
/// [<see cref="StartedFrom"/>, <see cref="StartedTo"/>) that run <see cref="DefinitionKey"/>, as their
/// own definition or as a called one (a call activity's scope), and only their events before
/// <see cref="StartedTo"/>.
/// </summary>
public sealed record ElementCountQuery
{
    public required string DefinitionKey { get; init; }

    public required DateTimeOffset StartedFrom { get; init; }

    public required DateTimeOffset StartedTo { get; init; }
}

/// <summary>How often the elements of one definition were entered, per version the instances were pinned to.</summary>
public sealed record ElementCounts(string DefinitionKey, IReadOnlyList<VersionElementCounts> Versions);

/// <summary>
/// The counts of one definition version: the instances whose journals entered any of its elements,
/// each element's entries (<c>element-entered@1</c>) and the instances among them, and each
/// sequence flow's passages (the flow named by an entry).
/// </summary>
public sealed record VersionElementCounts(int Version, int Instances, IReadOnlyList<ElementCount> Elements, IReadOnlyList<FlowCount> Flows);

/// <summary>An element entered <paramref name="Entered"/> times by <paramref name="Instances"/> instances.</summary>
public sealed record ElementCount(string ElementId, int Entered, int Instances);

/// <summary>A sequence flow taken <paramref name="Taken"/> times.</summary>
public sealed record FlowCount(string FlowId, int Taken);

/// <summary>An instance as the dashboard counts it: where, whose, and when; no snapshot.</summary>
public sealed record InstanceActivity(
    Guid Id,
    string DefinitionKey,
    string Channel,
    string? Agent,
    InstanceStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt);
