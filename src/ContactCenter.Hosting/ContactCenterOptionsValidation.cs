using ContactCenter.Persistence;
using ContactCenter.Runtime.Retention;
using Microsoft.Extensions.Options;

namespace ContactCenter.Hosting;

/// <summary>
/// Checks <see cref="ContactCenterOptions"/> when the host starts (<c>ValidateOnStart</c>), every
/// problem listed at once: a retention policy that would fail at its first run, an outbox or timer
/// setting that would stall delivery, is refused before anything runs.
/// </summary>
internal sealed class ContactCenterOptionsValidation : IValidateOptions<ContactCenterOptions>
{
    public ValidateOptionsResult Validate(string? name, ContactCenterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataFolder))
        {
            problems.Add("ContactCenter:DataFolder is empty.");
        }

        problems.AddRange(DatabaseProblems(options.Database));

        if (string.IsNullOrWhiteSpace(options.WorkflowsFolder))
        {
            problems.Add("ContactCenter:WorkflowsFolder is empty.");
        }

        if (string.IsNullOrWhiteSpace(options.Pdf.ExecutablePath) || options.Pdf.Timeout <= TimeSpan.Zero)
        {
            problems.Add($"ContactCenter:Pdf:ExecutablePath must be set and Pdf:Timeout positive (they are '{options.Pdf.ExecutablePath}' and {options.Pdf.Timeout}).");
        }

        var outbox = options.Outbox;
        if (outbox.BatchSize < 1 || outbox.MaxAttempts < 1)
        {
            problems.Add($"ContactCenter:Outbox:BatchSize and MaxAttempts must be at least 1 (they are {outbox.BatchSize} and {outbox.MaxAttempts}).");
        }

        if (outbox.PollInterval <= TimeSpan.Zero || outbox.FirstRetryDelay <= TimeSpan.Zero || outbox.MaxRetryDelay < outbox.FirstRetryDelay)
        {
            problems.Add("ContactCenter:Outbox:PollInterval and FirstRetryDelay must be positive, and MaxRetryDelay at least FirstRetryDelay.");
        }

        try
        {
            options.Timers.Validate();
        }
        catch (ArgumentException e)
        {
            problems.Add($"ContactCenter:Timers: {e.Message}");
        }

        var retention = options.Retention;
        if (retention.KeepDays is { } days)
        {
            if (days < 0)
            {
                problems.Add($"ContactCenter:Retention:KeepDays must be 0 or more, not {days}.");
            }

            if (retention.Mode == RetentionMode.Archive && string.IsNullOrWhiteSpace(retention.ArchiveFolder))
            {
                problems.Add("ContactCenter:Retention:Mode is Archive but ContactCenter:Retention:ArchiveFolder is not set: the first retention run would fail.");
            }

            if (retention.BatchSize < 1 || retention.Interval <= TimeSpan.Zero)
            {
                problems.Add("ContactCenter:Retention:BatchSize must be at least 1 and Interval positive.");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>What is wrong with <c>ContactCenter:Database</c>, each naming its key; none when it can be used.</summary>
    internal static IEnumerable<string> DatabaseProblems(DatabaseOptions database)
    {
        if (!Enum.IsDefined(database.Provider))
        {
            yield return $"ContactCenter:Database:Provider must be Sqlite or PostgreSql, not {database.Provider}.";
            yield break;
        }

        if (database.Provider == DatabaseProvider.Sqlite)
        {
            if (!string.IsNullOrWhiteSpace(database.ConnectionString))
            {
                yield return "ContactCenter:Database:ConnectionString is set, but ContactCenter:Database:Provider is Sqlite, whose file is contactcenter.db in ContactCenter:DataFolder: set Provider to PostgreSql, or remove the connection string.";
            }

            yield break;
        }

        if (string.IsNullOrWhiteSpace(database.ConnectionString))
        {
            yield return "ContactCenter:Database:ConnectionString must be set when ContactCenter:Database:Provider is PostgreSql (e.g. Host=db;Database=contactcenter;Username=cc;Password=…).";
            yield break;
        }

        string? problem = null;
        try
        {
            ContactCenterDatabase.ConnectionString(new ContactCenterPersistenceOptions { Provider = database.Provider, ConnectionString = database.ConnectionString });
        }
        catch (ArgumentException e)
        {
            problem = e.Message;
        }

        if (problem is not null)
        {
            yield return problem;
        }
    }
}
