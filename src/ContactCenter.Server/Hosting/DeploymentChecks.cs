using ContactCenter.Channels;
using ContactCenter.Hosting;
using Microsoft.Extensions.Options;

namespace ContactCenter.Server.Hosting;

/// <summary>
/// What an installation outside Development must have before it serves anyone: a webhook secret,
/// an outbound secret of its own when prompts leave the process, no demo users, a writable data
/// folder, a workflows folder with flows in it, and calendar files that can be read. Every problem is
/// found in one pass, so an operator fixes them all at once. Outside Development the server refuses
/// to start (the problems are the <see cref="OptionsValidationException"/>'s failures, each also
/// logged as a critical line of its own); in Development each is logged as a warning with the same
/// text and the server starts, since the demo runs without secrets.
/// </summary>
/// <remarks>
/// It validates <see cref="ServerOptions"/>, so <c>ValidateOnStart</c> runs it before any hosted
/// service (migrations, the workflow import, demo users) touches the folders.
/// </remarks>
internal sealed class DeploymentChecks(
    IHostEnvironment environment,
    IEnumerable<IConfigureOptions<ChannelsOptions>> channelsSetups,
    IEnumerable<IPostConfigureOptions<ChannelsOptions>> channelsPostSetups,
    IServiceProvider services,
    ILogger<DeploymentChecks> logger) : IValidateOptions<ServerOptions>
{
    private readonly Lock _gate = new();
    private ValidateOptionsResult? _result;

    /// <summary>
    /// Checks once: <c>IOptions</c> and <c>ValidateOnStart</c>'s <c>IOptionsMonitor</c> each build
    /// the options, and the warnings must not be logged twice (the folders and files are read once).
    /// </summary>
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        lock (_gate)
        {
            return _result ??= Check(options);
        }
    }

    private ValidateOptionsResult Check(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = Find(options);
        if (problems.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }

        if (environment.IsDevelopment())
        {
            foreach (var problem in problems)
            {
                logger.LogWarning("Not ready for production: {Problem}", problem);
            }

            return ValidateOptionsResult.Success;
        }

        foreach (var problem in problems)
        {
            logger.LogCritical("ContactCenter refuses to start in {Environment}: {Problem}", environment.EnvironmentName, problem);
        }

        return ValidateOptionsResult.Fail(problems);
    }

    /// <summary>Every problem of this installation, one message each, in a stable order.</summary>
    public List<string> Find(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        // The channels' settings as configured, not validated: what is wrong there is reported by
        // their own validation, beside these problems, rather than hiding them.
        var channels = new OptionsFactory<ChannelsOptions>(channelsSetups, channelsPostSetups).Create(Options.DefaultName);

        if (string.IsNullOrWhiteSpace(channels.Webhook.Secret))
        {
            problems.Add("Channels:Webhook:Secret is not set: the Omni Channel webhook can verify no signature (without it a random secret is made per process and only the simulator can post).");
        }

        if (channels.Outbound.Url is { } outbound && string.IsNullOrWhiteSpace(channels.Outbound.Secret))
        {
            problems.Add($"Channels:Outbound:Secret is not set while Channels:Outbound:Url is ({outbound}): prompts would be signed with the webhook's inbound secret.");
        }

        if (options.CreateDemoUsers)
        {
            problems.Add($"{ServerOptions.Section}:CreateDemoUsers is true: demo users of every role, Admin included, would be created with their passwords in {options.DemoUsersFile} (demo users belong to the Development environment).");
        }

        if (options.DataPath.Length == 0 || options.WorkflowsPath.Length == 0)
        {
            return problems; // the empty setting itself is refused by its [Required]
        }

        if (DataFolderProblem(options.DataPath) is { } data)
        {
            problems.Add(data);
        }

        if (WorkflowsFolderProblem(options.WorkflowsPath) is { } workflows)
        {
            problems.Add(workflows);
        }
        else if (CalendarProblem(options.WorkflowsPath) is { } calendar)
        {
            problems.Add(calendar);
        }

        return problems;
    }

    private static string? DataFolderProblem(string dataPath)
    {
        // Written as the server will write it: the folder made if missing, a file created and removed.
        var probe = Path.Combine(dataPath, $".write-check-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(dataPath);
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"The data folder {dataPath} is not writable ({e.Message}): the database, logs and keys live there (set {ServerOptions.Section}:DataFolder).";
        }
    }

    private static string? WorkflowsFolderProblem(string workflowsPath)
    {
        var hint = $"(set {ServerOptions.Section}:WorkflowsFolder; a relative path is resolved against the current directory, {Environment.CurrentDirectory})";
        if (!Directory.Exists(workflowsPath))
        {
            return $"The workflows folder {workflowsPath} does not exist: no flow would be imported and no conversation could start {hint}.";
        }

        return Directory.EnumerateFiles(workflowsPath, "*.bpmn").Any()
            ? null
            : $"The workflows folder {workflowsPath} holds no .bpmn file: no flow would be imported and no conversation could start {hint}.";
    }

    /// <remarks>
    /// A missing year is not a reason to refuse: an administrator may have added it in the product
    /// (it lives in the database, read after the migrations), and a centre must not stop answering
    /// on 1 January over holiday data. It is reported instead: a warning at start and a degraded
    /// <c>/health/ready</c> (<see cref="HolidayYearsRefresh"/>, the calendar health check).
    /// </remarks>
    private string? CalendarProblem(string workflowsPath)
    {
        try
        {
            services.GetRequiredService<ContactCenterServiceCollectionExtensions.CalendarData>();
            return null;
        }
        catch (Exception e) when (e is Modules.Calendar.CalendarDataException or IOException)
        {
            return $"The calendar data in {workflowsPath} cannot be read: {e.Message}";
        }
    }
}
