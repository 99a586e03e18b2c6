using ContactCenter.Runtime.Storage;

namespace ContactCenter.Modules.Documents;

/// <summary>One signature of the document: who made, checked or approved it.</summary>
/// <param name="Role">"Dibuat oleh", "Diperiksa oleh", "Disetujui oleh".</param>
/// <param name="Name">The person, as the catalogue recorded them.</param>
/// <param name="Position">Their position (<see cref="SopDocumentOptions"/>).</param>
/// <param name="SignedAt">When they signed in the catalogue.</param>
public sealed record SopSignatory(string Role, string? Name, string Position, DateTimeOffset? SignedAt);

/// <summary>The document header, as on the seed SOP's cover.</summary>
public sealed record SopHeader(
    string Title,
    string Subtitle,
    string DocumentCode,
    string? Revision,
    DateTimeOffset? EffectiveFrom,
    SopSignatory Maker,
    SopSignatory Checker,
    SopSignatory Approver);

/// <summary>
/// A numbered step explanation: one element of a flow. <paramref name="Number"/> is its
/// <c>cc:step</c> (null for elements the SOP does not number).
/// </summary>
/// <param name="Number">The SOP step number, e.g. "14a".</param>
/// <param name="ElementId">The BPMN element id, so a step can be traced to the diagram.</param>
/// <param name="Kind">In Indonesian: Tugas, Keputusan, Kirim pesan, ...</param>
/// <param name="Name">The element name.</param>
/// <param name="Lane">Who does it: the lane.</param>
/// <param name="Script">Its <c>cc:script</c>, exactly as in the definition.</param>
/// <param name="Details">Further facts: outcomes, waiting times, data asked for, the flow called.</param>
public sealed record SopStep(string? Number, string ElementId, string Kind, string? Name, string? Lane, string? Script, IReadOnlyList<string> Details);

/// <summary>A flow's section: its diagram and step explanations, from the version in effect.</summary>
/// <param name="Number">"8.1", or "A" for an appendix.</param>
/// <param name="Svg">The diagram, rendered from the definition's BPMN DI.</param>
public sealed record SopFlowSection(
    string Number,
    string Title,
    bool IsAppendix,
    string Key,
    int Version,
    string? Revision,
    DateTimeOffset? EffectiveFrom,
    string ContentHash,
    string? Documentation,
    IReadOnlyList<string> Lanes,
    IReadOnlyList<SopStep> Steps,
    string Svg);

/// <summary>A row of the change log (Catatan Perubahan Dokumen): one published version.</summary>
public sealed record SopChangeLogEntry(
    string Key,
    string FlowName,
    int Version,
    string? Revision,
    DateTimeOffset? EffectiveFrom,
    string? ChangeNote,
    string Maker,
    string? Checker,
    string? Approver,
    VersionStatus Status);

/// <summary>The SOP document built from the definitions in effect at <see cref="AsOf"/>.</summary>
public sealed record SopDocument(SopHeader Header, DateTimeOffset AsOf, IReadOnlyList<SopFlowSection> Sections, IReadOnlyList<SopChangeLogEntry> ChangeLog);
