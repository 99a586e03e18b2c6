namespace ContactCenter.Server.Security;

/// <summary>The roles of the SOP, as ASP.NET Core Identity role names.</summary>
public static class Roles
{
    /// <summary>A contact-center agent: starts and handles their own conversations.</summary>
    public const string Agent = "Agent";

    /// <summary>Tier 2: handles escalated tickets; reads conversations.</summary>
    public const string Tier2 = "Tier2";

    /// <summary>A related team (Pihak Terkait); the user's <see cref="ClaimNames.Unit"/> names the unit, e.g. "Divisi Gadai".</summary>
    public const string RelatedTeam = "RelatedTeam";

    /// <summary>A team leader: reads every conversation and may cancel one.</summary>
    public const string TeamLeader = "TeamLeader";

    /// <summary>Quality control: reads every history, changes nothing.</summary>
    public const string QualityControl = "QualityControl";

    /// <summary>The SOP's maker: drafts and submits definition versions.</summary>
    public const string ProcessOwner = "ProcessOwner";

    /// <summary>The SOP's checker: checks submitted versions.</summary>
    public const string Reviewer = "Reviewer";

    /// <summary>The SOP's approver: approves checked versions.</summary>
    public const string Approver = "Approver";

    /// <summary>Administers the installation: reads everything, publishes and retires versions, cancels conversations.</summary>
    public const string Admin = "Admin";

    /// <summary>Every role, in the order above.</summary>
    public static IReadOnlyList<string> All { get; } = [Agent, Tier2, RelatedTeam, TeamLeader, QualityControl, ProcessOwner, Reviewer, Approver, Admin];
}

/// <summary>The claim types ContactCenter adds to a user.</summary>
public static class ClaimNames
{
    /// <summary>The unit of a related-team user, e.g. "Divisi Gadai".</summary>
    public const string Unit = "contactcenter:unit";

    /// <summary>The name a customer hears (<c>{namaAgent}</c>), e.g. "Sari".</summary>
    public const string DisplayName = "contactcenter:display_name";
}
