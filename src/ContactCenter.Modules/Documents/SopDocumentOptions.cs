namespace ContactCenter.Modules.Documents;

/// <summary>What the generated SOP document says beyond the definitions: titles, positions, section order.</summary>
public sealed record SopDocumentOptions
{
    /// <summary>Default is the seed's "Prosedur Operasi Standar CC Pegadaian".</summary>
    public string Title { get; init; } = "Prosedur Operasi Standar CC Pegadaian";

    /// <summary>Default is "Customer Handling".</summary>
    public string Subtitle { get; init; } = "Customer Handling";

    /// <summary>Used when no version in effect names a document code. Default is OCC.PGDN.01.01.</summary>
    public string DefaultDocumentCode { get; init; } = "OCC.PGDN.01.01";

    /// <summary>The maker's position. Default is the seed's "Staff".</summary>
    public string MakerPosition { get; init; } = "Staff";

    /// <summary>The checker's position. Default is the seed's "Kepala Departemen Contact Center".</summary>
    public string CheckerPosition { get; init; } = "Kepala Departemen Contact Center";

    /// <summary>The approver's position. Default is the seed's "Kepala Divisi Jaringan &amp; Operasional".</summary>
    public string ApproverPosition { get; init; } = "Kepala Divisi Jaringan & Operasional";

    /// <summary>The channel flows of chapter 8 (8.1, 8.2, ...), in the seed's order.</summary>
    public IReadOnlyList<string> ChannelFlows { get; init; } = ["inbound-call", "social-media", "email", "whatsapp", "live-chat", "outlet-reservation"];

    /// <summary>The shared flows, as appendices A, B, ...; any other published key follows them.</summary>
    public IReadOnlyList<string> AppendixFlows { get; init; } = ["still-connected", "ticket-escalation"];

    /// <summary>Dates are printed in this offset. Default is WIB, UTC+07:00.</summary>
    public TimeSpan DisplayOffset { get; init; } = TimeSpan.FromHours(7);

    /// <summary>The box a diagram must fit (CSS pixels) when choosing how many strips to cut it into. Default is 690 × 560 (A4 portrait inside the margins, under the header and the section title).</summary>
    public (double Width, double Height) DiagramBox { get; init; } = (690, 560);
}
