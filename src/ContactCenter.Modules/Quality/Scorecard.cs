namespace ContactCenter.Modules.Quality;

/// <summary>How a conversation fared on one rule.</summary>
public enum RuleOutcome
{
    Passed,
    Failed,

    /// <summary>The rule does not apply: the flow has no such step, the situation never arose, or the conversation has not got there yet.</summary>
    NotApplicable,
}

/// <summary>One journal event a rule looked at, and what it saw there.</summary>
/// <param name="Sequence">The journal sequence number.</param>
/// <param name="At">The event's instant.</param>
/// <param name="What">What the rule saw, in words.</param>
public sealed record ScorecardEvidence(long Sequence, DateTimeOffset At, string What);

/// <summary>A rule of the scorecard and the SOP text it comes from.</summary>
/// <param name="Id">Stable id, e.g. <c>closing-greeting</c>: what aggregates and the API name it by.</param>
/// <param name="Title">What the rule checks.</param>
/// <param name="SopSource">The section and step numbers of SOP OCC.PGDN.01.01 rev. 02 (and the project's assumptions) it rests on.</param>
public sealed record ScorecardRule(string Id, string Title, string SopSource);

/// <summary>The result of one rule on one conversation.</summary>
public sealed record RuleResult(ScorecardRule Rule, RuleOutcome Outcome, string Summary, IReadOnlyList<ScorecardEvidence> Evidence)
{
    public string RuleId => Rule.Id;
}

/// <summary>The SOP scorecard of one conversation: every rule, with its outcome and evidence.</summary>
/// <param name="DefinitionKey">The conversation's flow (channel), e.g. <c>whatsapp</c>.</param>
/// <param name="DefinitionVersion">The version it ran on.</param>
/// <param name="EventsRead">How many journal events were read.</param>
/// <param name="Rules">One result per rule, in <see cref="ScorecardRules.All"/> order.</param>
public sealed record Scorecard(string DefinitionKey, int DefinitionVersion, int EventsRead, IReadOnlyList<RuleResult> Rules)
{
    public int Passed => Rules.Count(r => r.Outcome == RuleOutcome.Passed);

    public int Failed => Rules.Count(r => r.Outcome == RuleOutcome.Failed);

    public int NotApplicable => Rules.Count(r => r.Outcome == RuleOutcome.NotApplicable);

    /// <summary>Passed rules as a percentage (0–100, rounded to one decimal) of the rules that apply; null when none applies.</summary>
    public decimal? Score => Passed + Failed == 0 ? null : Math.Round(100m * Passed / (Passed + Failed), 1);

    /// <summary>The result of the rule with this id.</summary>
    /// <exception cref="KeyNotFoundException">No such rule.</exception>
    public RuleResult this[string ruleId] => Rules.FirstOrDefault(r => r.RuleId == ruleId) ?? throw new KeyNotFoundException($"no scorecard rule '{ruleId}'");
}

/// <summary>The rules of the scorecard, each citing the SOP (OCC.PGDN.01.01 rev. 02) section or step it comes from.</summary>
public static class ScorecardRules
{
    public static ScorecardRule OpeningGreeting { get; } = new(
        "opening-greeting",
        "Opening greeting given, as the agent's first step",
        "§2.1 and §3 Ruang Lingkup: \"mulai dari salam pembuka\"; domain stage 1 (no step number survives, A13)");

    public static ScorecardRule DataVerified { get; } = new(
        "data-verified",
        "Customer data verified before a solution is given",
        "§3 Ruang Lingkup: \"salam pembuka, verifikasi data nasabah, identifikasi kebutuhan nasabah, memberikan solusi\" (in that order); domain stage 2");

    public static ScorecardRule NeedIdentified { get; } = new(
        "need-identified",
        "The customer's need identified before each solution",
        "§3 Ruang Lingkup: \"identifikasi kebutuhan nasabah\"; §2.2 \"Memastikan nasabah ditangani sesuai permasalahan\"; §7.2");

    public static ScorecardRule MoreHelpAsked { get; } = new(
        "more-help-asked",
        "\"Butuh bantuan lain?\" asked before each closing",
        "§8.1 E → \"Butuh bantuan lain?\" Tidak → 10 → 11; §8.4 D → \"Butuh bantuan lain?\" Tidak → 6; §3 \"menawarkan bantuan lain\"");

    public static ScorecardRule CrossSelling { get; } = new(
        "cross-selling",
        "Cross selling offered before the conversation closes",
        "§8.1 step 10 \"Cross Selling\"; §8.4 step 6 \"Salam penutup dan informasi cross selling\"; §6.10 definition of cross selling");

    public static ScorecardRule ClosingGreeting { get; } = new(
        "closing-greeting",
        "Closing greeting right for the time and day",
        "§8.1 step 11 \"Mengucapkan salam penutup\" (Keterangan: Selamat beraktifitas 06.00 – 18.00, Selamat beristirahat 18.01 – 06.00, Selamat berakhir pekan hari sabtu, minggu, dan long weekend, hari libur nasional di hari kerja); §8.4 step 6; assumptions A3–A6");

    public static ScorecardRule StillConnectedPrompts { get; } = new(
        "still-connected-prompts",
        "\"Apakah saat ini Bapak/Ibu masih terhubung dengan kami?\" after one and again after two minutes of silence (non-voice)",
        "§8.2 steps 3a/3b; §8.4 steps 2a/2b; §8.5 steps 2a/2b (\"Apabila 1 menit tidak ada respon dari nasabah ... apabila 1 menit kemudian belum ada respon tanyakan kembali\"); A7");

    public static ScorecardRule SilenceClose { get; } = new(
        "silence-close",
        "A silent chat closed one minute after the second prompt (non-voice)",
        "§8.5 step 2c (\"Menunggu 1 menit apabila tidak ada respon maka dapat di akhiri/closing\"); §8.2 and §8.4 3b/2b → G (A8, A9)");

    public static ScorecardRule ComplaintTicket { get; } = new(
        "complaint-ticket",
        "A complaint became a ticket escalated to Tier 2",
        "§8.1 step 12 \"Tiem Tier 2 menerima tiket pengaduan yang harus di eskalasi\" (§8.4 step 8); §5.3 eskalasi to Tier 2; domain stage 5; A15");

    public static ScorecardRule Documentation { get; } = new(
        "documentation",
        "Documentation in the Omni Channel application done",
        "§6.5 Aplikasi Omni Channel (\"membuat laporan dan dokumentasi data chat nasabah\"); §8.4 F → \"Dokumentasi pada aplikasi Omni Channel\"; A12 (voice too)");

    /// <summary>Every rule, in the order of the SOP's stages.</summary>
    public static IReadOnlyList<ScorecardRule> All { get; } =
    [
        OpeningGreeting, DataVerified, NeedIdentified, ComplaintTicket, MoreHelpAsked, CrossSelling, ClosingGreeting, StillConnectedPrompts, SilenceClose, Documentation,
    ];
}
