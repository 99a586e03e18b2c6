namespace ContactCenter.Runtime.Storage;

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
