using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ContactCenter.Tests.Http;

/// <summary>
/// The real server, the built <c>ContactCenter.Server.dll</c>, as a child process on a loopback
/// port of its own and a data folder of its own: for load and crash runs, where the server's CPU
/// and memory are read from <c>/proc</c> and a <c>kill -9</c> must hit a real process.
/// Linked into tests/ContactCenter.Benchmarks and tests/ContactCenter.Server.Tests.
/// </summary>
/// <remarks>
/// Kestrel is given port 0 and the port it took is read from the "Now listening on" log line, so
/// two runs (or a run and a developer's server on 5080) never race for a port. The child's output
/// is drained continuously (a full pipe would block the server's console logging) and its last
/// lines are kept for error messages.
/// </remarks>
internal sealed partial class ServerProcess : IDisposable
{
    private const int KeptLines = 200;
    private readonly Queue<string> _lastLines = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process, ServerProcessOptions options)
    {
        Process = process;
        Options = options;
    }

    public Process Process { get; }

    public ServerProcessOptions Options { get; }

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public int Id => Process.Id;

    /// <summary>The server's last lines of output (console log), for an error message.</summary>
    public string LastOutput
    {
        get
        {
            lock (_lastLines)
            {
                return string.Join('\n', _lastLines);
            }
        }
    }

    /// <summary>The built server assembly for a build configuration (Release for benchmarks, the tests' own configuration for tests).</summary>
    public static string ServerDll(string configuration) =>
        Path.Combine(RepoPaths.Root, "src", "ContactCenter.Server", "bin", configuration, "net10.0", "ContactCenter.Server.dll");

    /// <summary>Starts the server and waits until <c>/health/ready</c> answers 200.</summary>
    public static async Task<ServerProcess> StartAsync(ServerProcessOptions options, CancellationToken cancellationToken = default)
    {
        var dll = ServerDll(options.Configuration);
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the server first (dotnet build src/ContactCenter.Server -c {options.Configuration})");
        }

        Directory.CreateDirectory(options.DataFolder);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            // A folder without appsettings.json: the one beside the binary is read (BaseDirectorySettings).
            WorkingDirectory = options.DataFolder,
        };
        foreach (var argument in new[]
        {
            // The demo's settings (demo users, the simulator, the routing agents) are Development's.
            dll, "--environment", "Development", "--urls", "http://127.0.0.1:0",
            "--ContactCenter:DataFolder", options.DataFolder,
            "--ContactCenter:WorkflowsFolder", options.WorkflowsFolder,
            "--Channels:Webhook:Secret", options.WebhookSecret,
        }.Concat(options.ExtraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var server = new ServerProcess(process, options);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync(options.StartTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            server.Kill();
            server.Dispose();
            throw;
        }

        return server;
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a power cut of the process.</summary>
    public void Kill()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
        }
    }

    /// <summary>SIGTERM and wait: the host stops cleanly (SQLite checkpoints its WAL, logs are flushed).</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (Process.HasExited)
        {
            return;
        }

        using (var signal = System.Diagnostics.Process.Start("kill", ["-TERM", Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync().ConfigureAwait(false);
        }

        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await Process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    /// <summary>The server's resident set size in bytes (<c>VmRSS</c> of <c>/proc/&lt;pid&gt;/status</c>).</summary>
    public long ResidentBytes() => StatusBytes("VmRSS:");

    /// <summary>The server's largest resident set size so far, in bytes (<c>VmHWM</c>).</summary>
    public long PeakResidentBytes() => StatusBytes("VmHWM:");

    /// <summary>CPU time the server used so far, user plus system (<c>utime + stime</c> of <c>/proc/&lt;pid&gt;/stat</c>).</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{Id}/stat");
        // Field 2 is "(comm)" and may hold spaces: count fields after its closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond.Value);
    }

    /// <summary>The demo users' passwords the first start wrote to <c>demo-users.json</c>.</summary>
    public string PasswordOf(string userName)
    {
        using var users = JsonDocument.Parse(File.ReadAllText(Path.Combine(Options.DataFolder, "demo-users.json")));
        return users.RootElement.EnumerateArray().Single(u => u.GetProperty("userName").GetString() == userName).GetProperty("password").GetString()!;
    }

    /// <summary>An HTTP client signed in as a demo user (bearer token); its handler allows many connections.</summary>
    public async Task<HttpClient> ClientForAsync(string userName, CancellationToken cancellationToken = default)
    {
        var client = NewClient();
        using var login = await client.PostAsJsonAsync("/api/auth/login", new { userName, password = PasswordOf(userName) }, cancellationToken).ConfigureAwait(false);
        login.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await login.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        client.DefaultRequestHeaders.Authorization = new("Bearer", body.RootElement.GetProperty("accessToken").GetString());
        return client;
    }

    /// <summary>A client without sign-in (health, the signed webhook).</summary>
    public HttpClient NewClient() =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }, disposeHandler: true)
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };

    public void Dispose()
    {
        Kill();
        Process.Dispose();
    }

    private long StatusBytes(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{Id}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(field.Length).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var exited = Process.WaitForExitAsync(deadline.Token);
            if (await Task.WhenAny(_listening.Task, exited).ConfigureAwait(false) != _listening.Task)
            {
                throw new InvalidOperationException($"the server exited before listening (exit code {(Process.HasExited ? Process.ExitCode : -1)}):\n{LastOutput}");
            }

            BaseAddress = await _listening.Task.ConfigureAwait(false);
            using var client = NewClient();
            while (true)
            {
                try
                {
                    using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), deadline.Token).ConfigureAwait(false);
                    if (ready.IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // Listening but not yet answering: poll again.
                }

                await Task.Delay(50, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the server was not ready within {timeout.TotalSeconds:N0} s:\n{LastOutput}");
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (!_listening.Task.IsCompleted && ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value + "/"));
        }

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > KeptLines)
            {
                _lastLines.Dequeue();
            }
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();

    private static readonly Lazy<long> ClockTicksPerSecond = new(() =>
    {
        try
        {
            using var getconf = System.Diagnostics.Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true })!;
            var text = getconf.StandardOutput.ReadToEnd().Trim();
            getconf.WaitForExit();
            return long.TryParse(text, CultureInfo.InvariantCulture, out var ticks) && ticks > 0 ? ticks : 100;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 100; // Linux's USER_HZ almost everywhere.
        }
    });
}

/// <summary>How <see cref="ServerProcess"/> starts the server.</summary>
internal sealed class ServerProcessOptions
{
    /// <summary>The server's data folder (databases, logs, keys, demo users). Required.</summary>
    public required string DataFolder { get; init; }

    /// <summary>The workflows folder the server imports. Default is the repository's <c>workflows/</c>.</summary>
    public string WorkflowsFolder { get; init; } = RepoPaths.Workflows;

    /// <summary>The webhook's HMAC secret, so that the client can sign. Default is a fixed test secret.</summary>
    public string WebhookSecret { get; init; } = "load-test-webhook-secret";

    /// <summary>Which build of the server to run. Default is Release.</summary>
    public string Configuration { get; init; } = "Release";

    /// <summary>More command-line settings, e.g. <c>--Serilog:MinimumLevel:Default Warning</c>. Default is none.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>How long start-up may take (migrations, workflow import, Quartz). Default is 90 seconds.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(90);
}

/// <summary>A copy of the repository's workflows with another "masih terhubung?" silence than one minute.</summary>
/// <remarks>
/// The server reads its flows from a configurable folder, so a load or crash run that must see
/// silence prompts fire within its few seconds runs on such a copy; everything else in the flows
/// is the repository's. The one-minute timers are the three <c>PT1M</c> durations of
/// <c>still-connected.bpmn</c>.
/// </remarks>
internal static class SilenceWorkflows
{
    public static string CopyWithSilence(string folder, TimeSpan silence)
    {
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(RepoPaths.Workflows, "*.bpmn"))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)), overwrite: true);
        }

        var ladder = Path.Combine(folder, "still-connected.bpmn");
        var text = File.ReadAllText(ladder);
        if (!text.Contains(">PT1M<", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{ladder} has no PT1M silence timer any more; update {nameof(SilenceWorkflows)}");
        }

        File.WriteAllText(ladder, text.Replace(">PT1M<", string.Create(CultureInfo.InvariantCulture, $">PT{silence.TotalSeconds:0.###}S<"), StringComparison.Ordinal));
        return folder;
    }
}
