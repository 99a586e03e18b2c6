using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using ContactCenter.Cli.Commands;
using ContactCenter.Engine;
using ContactCenter.Engine.Journal;
using ContactCenter.Engine.Model;
using ContactCenter.Engine.Parsing;
using ContactCenter.Engine.Simulation;
using ContactCenter.Modules.Flows;

namespace ContactCenter.Cli;

/// <summary>
/// <c>contactcenter validate | simulate | replay | export | publish</c>. Exit codes: 0 success, 1 the
/// definitions are invalid, the simulation failed, a history diverges or the server refused,
/// 2 a usage error (bad arguments, missing files, unknown ids, no database), 3 an internal error
/// (a bug), reported in one line.
/// </summary>
internal static class CliApp
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int InternalError = 3;

    private const string UsageLine =
        "usage: contactcenter validate <file-or-folder> | simulate <workflow-key-or-file> <script.json> | replay <instance-id | file.jsonl | --all> | export <instance-id | --all> | rebuild-read-models [--data <folder>] [--workflows <folder>] | publish <key> <version> --effective-from <date> --server <url> --user <name> | migrate propose|dry-run|approve|apply|show ... --server <url> --user <name>  (--help for more)";

    /// <summary>The synchronous form, for validate and simulate (which never wait on I/O).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, string currentDirectory) =>
        RunAsync(args, new CliEnvironment { Out = stdout, Error = stderr, CurrentDirectory = currentDirectory }).GetAwaiter().GetResult();

    public static async Task<int> RunAsync(string[] args, CliEnvironment env, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(env);
        var (stdout, stderr, currentDirectory) = (env.Out, env.Error, env.CurrentDirectory);
        var root = new RootCommand("ContactCenter: validate and simulate the Pegadaian contact-center SOP workflows (BPMN), replay and export stored histories, rebuild the read models, publish definition versions.");

        var validatePath = new Argument<string>("path") { Description = "A .bpmn file or a folder of them (all validated together)." };
        var validate = new Command("validate", "Parse and validate BPMN definitions; print each definition or every problem as file:line: elementId: message.");
        validate.Arguments.Add(validatePath);
        validate.SetAction(parse => Validate(parse.GetValue(validatePath)!, stdout, stderr));

        var workflowArgument = new Argument<string>("workflow") { Description = "A workflow key (live-chat) or a .bpmn file." };
        var scriptArgument = new Argument<string>("script") { Description = "The conversation script (JSON, see docs/simulation.md)." };
        var workflowsOption = new Option<string?>("--workflows") { Description = "The folder of workflow definitions (default: workflows/ next to ContactCenter.sln above the current directory)." };
        var journalOption = new Option<string?>("--journal") { Description = "Also write the journal to this file as an indented JSON array (the golden-file form)." };
        var simulate = new Command("simulate", "Run a scripted conversation on a virtual clock; print each step, then the journal as JSON lines.");
        simulate.Arguments.Add(workflowArgument);
        simulate.Arguments.Add(scriptArgument);
        simulate.Options.Add(workflowsOption);
        simulate.Options.Add(journalOption);
        simulate.SetAction(parse => Simulate(
            parse.GetValue(workflowArgument)!,
            parse.GetValue(scriptArgument)!,
            parse.GetValue(workflowsOption),
            parse.GetValue(journalOption),
            currentDirectory,
            stdout,
            stderr));

        root.Subcommands.Add(validate);
        root.Subcommands.Add(simulate);
        root.Subcommands.Add(ReplayCommand.Create(env));
        root.Subcommands.Add(RebuildReadModelsCommand.Create(env));
        root.Subcommands.Add(ExportCommand.Create(env));
        root.Subcommands.Add(PublishCommand.Create(env));
        root.Subcommands.Add(MigrateCommand.Create(env));

        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                stderr.WriteLine($"error: {error.Message}");
            }

            stderr.WriteLine(UsageLine);
            return Usage;
        }

        if (args.Length == 0)
        {
            stderr.WriteLine(UsageLine);
            return Usage;
        }

        return await Guarded(
            () => result.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false }, cancellationToken),
            stderr).ConfigureAwait(false);
    }

    /// <summary>Runs a command; an exception it lets escape becomes one line on stderr and exit 3.</summary>
    /// <remarks>
    /// System.CommandLine's default handler printed the whole stack trace, source paths included,
    /// for any bad input a command did not expect (issue 16). Bad input should be refused by the
    /// command with its own message; whatever still escapes is a bug, said so in one line.
    /// </remarks>
    internal static async Task<int> Guarded(Func<Task<int>> command, TextWriter stderr)
    {
        try
        {
            return await command().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The last line of defence: every exception becomes one line and an exit code.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var message = string.Join(' ', e.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            stderr.WriteLine($"error: internal error ({e.GetType().Name}): {message}");
            return InternalError;
        }
    }

    private static int Validate(string path, TextWriter stdout, TextWriter stderr)
    {
        string[] files;
        if (Directory.Exists(path))
        {
            files = [.. Directory.EnumerateFiles(path, "*.bpmn").Order(StringComparer.Ordinal)];
            if (files.Length == 0)
            {
                stderr.WriteLine($"error: no .bpmn files in {path}");
                return Usage;
            }
        }
        else if (File.Exists(path))
        {
            files = [path];
        }
        else
        {
            stderr.WriteLine($"error: {path} is neither a file nor a folder");
            return Usage;
        }

        var loaded = WorkflowFolder.Load(files);
        foreach (var (file, definition, problems) in loaded.Files)
        {
            if (definition is not null && problems.Count == 0)
            {
                stdout.WriteLine($"OK    {definition.Key,-20} {Quote(definition.Name),-60} {file.Name}  sha256:{loaded.Fingerprints[definition.Key]}");
            }
        }

        var all = loaded.AllProblems;
        foreach (var problem in all)
        {
            stdout.WriteLine(problem.ToString());
        }

        var invalid = loaded.Files.Count(f => f.Definition is null || f.Problems.Count > 0);
        stdout.WriteLine(all.Count == 0
            ? $"{loaded.Files.Count} definition(s) valid"
            : $"{all.Count} problem(s) in {Math.Max(invalid, 1)} of {loaded.Files.Count} file(s)");
        return all.Count == 0 ? Ok : Failed;
    }

    private static string Quote(string? name) => name is null ? "(no name)" : $"\"{name}\"";

    private static int Simulate(string workflow, string scriptPath, string? workflowsFolder, string? journalPath, string currentDirectory, TextWriter stdout, TextWriter stderr)
    {
        if (!File.Exists(scriptPath))
        {
            stderr.WriteLine($"error: script {scriptPath} not found");
            return Usage;
        }

        var folder = workflowsFolder ?? WorkflowFolder.FindDefault(currentDirectory);
        if (folder is null || !Directory.Exists(folder))
        {
            stderr.WriteLine(workflowsFolder is null
                ? $"error: no workflows/ folder found: ContactCenter.sln is not above {currentDirectory}; pass --workflows <folder>"
                : $"error: workflows folder {workflowsFolder} not found");
            return Usage;
        }

        var files = Directory.EnumerateFiles(folder, "*.bpmn").Order(StringComparer.Ordinal).ToList();
        string key;
        if (workflow.EndsWith(".bpmn", StringComparison.OrdinalIgnoreCase))
        {
            if (!File.Exists(workflow))
            {
                stderr.WriteLine($"error: workflow file {workflow} not found");
                return Usage;
            }

            var full = Path.GetFullPath(workflow);
            files = [.. files.Where(f => !string.Equals(Path.GetFullPath(f), full, StringComparison.Ordinal)), full];
            key = string.Empty;
        }
        else
        {
            key = workflow;
        }

        var loaded = WorkflowFolder.Load(files);
        if (loaded.AllProblems.Count > 0)
        {
            stderr.WriteLine($"error: the workflow definitions in {folder} are not valid:");
            foreach (var problem in loaded.AllProblems)
            {
                stderr.WriteLine(problem.ToString());
            }

            return Failed;
        }

        if (key.Length == 0)
        {
            var full = Path.GetFullPath(workflow);
            key = loaded.Files.Single(f => string.Equals(f.File.FullName, full, StringComparison.Ordinal)).Definition!.Key;
        }

        if (!loaded.Set.TryGet(key, out _, out _))
        {
            stderr.WriteLine($"error: no workflow '{key}' in {folder} (known: {string.Join(", ", loaded.Files.Select(f => f.Definition!.Key).Order(StringComparer.Ordinal))})");
            return Usage;
        }

        SimulationScript script;
        try
        {
            script = SimulationScript.Parse(File.ReadAllText(scriptPath, Encoding.UTF8), scriptPath);
        }
        catch (SimulationScriptException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return Failed;
        }

        if (!string.Equals(script.Workflow, key, StringComparison.Ordinal))
        {
            stderr.WriteLine($"error: {scriptPath} is a script for '{script.Workflow}', not '{key}'");
            return Failed;
        }

        var result = new Simulator(new WorkflowEngine(loaded.Set)).Run(script);
        stdout.Write(SimulationReport.Format(result));
        stdout.WriteLine();
        stdout.WriteLine($"journal ({result.Journal.Count} events, JSON lines):");
        stdout.Write(JournalSerializer.ToJsonLines(result.Journal));
        if (journalPath is not null)
        {
            File.WriteAllText(journalPath, JournalSerializer.ToJsonArray(result.Journal) + "\n", new UTF8Encoding(false));
            stdout.WriteLine($"journal written to {journalPath}");
        }

        if (!result.Succeeded)
        {
            stderr.WriteLine(result.Error is { } error ? $"error: {error}" : $"error: {result.Expectations.Count(e => !e.Passed)} expectation(s) not met");
            return Failed;
        }

        return Ok;
    }
}

/// <summary>Loads a set of .bpmn files: each parsed and validated on its own, then together.</summary>
internal sealed class WorkflowFolder
{
    private WorkflowFolder(List<(FileInfo File, WorkflowDefinition? Definition, IReadOnlyList<DefinitionProblem> Problems)> files, IReadOnlyList<DefinitionProblem> setProblems, Dictionary<string, string> fingerprints)
    {
        Files = files;
        AllProblems = [.. files.SelectMany(f => f.Problems), .. setProblems];
        Fingerprints = fingerprints;
        Set = new DefinitionSet(files.Select(f => f.Definition).OfType<WorkflowDefinition>());
    }

    public IReadOnlyList<(FileInfo File, WorkflowDefinition? Definition, IReadOnlyList<DefinitionProblem> Problems)> Files { get; }

    public IReadOnlyList<DefinitionProblem> AllProblems { get; }

    /// <summary>The first 12 hex digits of each definition file's SHA-256, by key: which revision of the file this is.</summary>
    public IReadOnlyDictionary<string, string> Fingerprints { get; }

    public DefinitionSet Set { get; }

    private static readonly int MaxCharacters = new BpmnParserOptions().MaxCharacters;

    public static WorkflowFolder Load(IEnumerable<string> paths)
    {
        var files = new List<(FileInfo, WorkflowDefinition?, IReadOnlyList<DefinitionProblem>)>();
        var fingerprints = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var file = new FileInfo(path);
            byte[] bytes;
            try
            {
                // Each character takes at most 3 bytes of UTF-8: a file past this cannot be within
                // the parser's character limit, so it is refused before it is read into memory.
                if (file.Length > 3L * MaxCharacters)
                {
                    files.Add((file, null, [new DefinitionProblem(file.Name, null, 0, $"the file is larger than the limit of {MaxCharacters} characters")]));
                    continue;
                }

                bytes = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                files.Add((file, null, [new DefinitionProblem(file.Name, null, 0, $"the file cannot be read: {e.Message}")]));
                continue;
            }

            string text;
            try
            {
                text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                files.Add((file, null, [new DefinitionProblem(file.Name, null, 0, "the file is not UTF-8 text")]));
                continue;
            }

            var parsed = BpmnParser.Parse(text.TrimStart('\uFEFF'), file.Name);

            // The modules' flow contracts, as the catalogue applies them to a draft (FlowContractCheck).
            files.Add((file, parsed.Definition, parsed.IsValid ? [.. FlowContracts.Check(parsed.Definition!)] : parsed.Problems));
            if (parsed.Definition is { } definition)
            {
                fingerprints[definition.Key] = Convert.ToHexStringLower(SHA256.HashData(bytes))[..12];
            }
        }

        var setProblems = DefinitionValidator.ValidateSet(files.Select(f => f.Item2).OfType<WorkflowDefinition>());
        return new WorkflowFolder(files, setProblems, fingerprints);
    }

    /// <summary>workflows/ beside the ContactCenter.sln found by walking up from <paramref name="from"/>.</summary>
    public static string? FindDefault(string from)
    {
        for (var dir = new DirectoryInfo(from); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ContactCenter.sln")))
            {
                return Path.Combine(dir.FullName, "workflows");
            }
        }

        return null;
    }
}
