using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ContactCenter.Tests;

/// <summary>
/// A PostgreSQL server of its own, from Debian's packages, for a test process or a benchmark:
/// <c>initdb</c> into a temporary folder, <c>pg_ctl start</c> on a free loopback port, gone when
/// disposed. No Docker engine runs here, and a real server is what the tests must talk to.
/// <see cref="SharedAsync"/> gives one server per process (about two seconds to start), stopped at
/// process exit; each test takes a fresh database from it with <see cref="CreateDatabaseAsync"/>,
/// which costs tens of milliseconds.
/// </summary>
/// <remarks>
/// PostgreSQL refuses to run as root, so as root the server runs as the <c>postgres</c> user that
/// Debian's package creates. A server left behind by a killed process (its folder names the
/// process id) is stopped and removed by the next start.
/// </remarks>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private const string FolderPrefix = "cc-pg-";
    private static readonly Lazy<Task<ThrowawayPostgres>> Shared = new(() => StartSharedAsync());
    private readonly string binaries;
    private int stopped;

    private ThrowawayPostgres(string binaries, string dataDirectory, int port)
    {
        this.binaries = binaries;
        DataDirectory = dataDirectory;
        Port = port;
    }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The server's data folder (its log is <c>server.log</c> beside the data).</summary>
    public string DataDirectory { get; }

    /// <summary>The server's log file, for a failing test's message.</summary>
    public string LogFile => Path.Combine(DataDirectory, "..", "server.log");

    /// <summary>The process-wide server, started on first use and stopped when the process exits.</summary>
    public static Task<ThrowawayPostgres> SharedAsync() => Shared.Value;

    /// <summary>An Npgsql connection string to <paramref name="database"/> on this server as the superuser.</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database={database}";

    /// <summary>Creates an empty database with a fresh name and returns the connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "cc", CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefix.Length, 30, nameof(prefix));
        var name = $"{prefix}_{Guid.NewGuid():N}";
        await ExecuteAsync($"CREATE DATABASE \"{name}\"", cancellationToken: cancellationToken);
        return ConnectionString(name);
    }

    /// <summary>Drops <paramref name="database"/>, closing whatever connections are still open to it.</summary>
    public Task DropDatabaseAsync(string database, CancellationToken cancellationToken = default) =>
        ExecuteAsync($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", cancellationToken: cancellationToken);

    /// <summary>Runs <paramref name="sql"/> with <c>psql</c> (stops at the first error) and returns what it printed.</summary>
    public Task<string> ExecuteAsync(string sql, string database = "postgres", CancellationToken cancellationToken = default) =>
        RunAsync(
            Path.Combine(binaries, "psql"),
            ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-d", database,
             "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql],
            asPostgres: false,
            TimeSpan.FromSeconds(60),
            cancellationToken);

    /// <summary>
    /// Starts a server of its own. <paramref name="durable"/> keeps <c>fsync</c> on (a benchmark's
    /// ceiling); tests turn it off, since a lost test database is no loss.
    /// </summary>
    public static async Task<ThrowawayPostgres> StartAsync(bool durable = false, CancellationToken cancellationToken = default)
    {
        var binaries = FindBinaries();
        RemoveLeftovers(binaries);
        Exception? last = null;
        // A free port can be taken between asking for it and the server binding it: try a few.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            // Short: the server's Unix socket lives in it, and socket paths are limited to about 100 bytes.
            var folder = Path.Combine(Path.GetTempPath(), $"{FolderPrefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
            Directory.CreateDirectory(folder);
            var data = Path.Combine(folder, "data");
            var port = FreeLoopbackPort();
            try
            {
                if (IsRoot)
                {
                    await RunAsync("chown", ["postgres:", folder], asPostgres: false, TimeSpan.FromSeconds(10), cancellationToken);
                }

                await RunAsync(Path.Combine(binaries, "initdb"),
                    ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"],
                    asPostgres: true, TimeSpan.FromSeconds(120), cancellationToken);
                var settings = string.Join(' ',
                    $"-p {port.ToString(CultureInfo.InvariantCulture)}",
                    $"-k {folder}",
                    "-c listen_addresses=127.0.0.1",
                    // Three server nodes with their pools, plus Quartz's, plus the test's own.
                    "-c max_connections=400",
                    durable ? "-c fsync=on" : "-c fsync=off -c synchronous_commit=off -c full_page_writes=off");
                await RunAsync(Path.Combine(binaries, "pg_ctl"),
                    ["-D", data, "-o", settings, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "start"],
                    asPostgres: true, TimeSpan.FromSeconds(90), cancellationToken);
                return new ThrowawayPostgres(binaries, data, port);
            }
            catch (InvalidOperationException ex) when (!cancellationToken.IsCancellationRequested)
            {
                last = new InvalidOperationException($"{ex.Message}\n{ReadLog(folder)}", ex);
                await StopFolderAsync(binaries, folder);
            }
        }

        throw last!;
    }

    /// <summary>Stops the server at once (no checkpoint: its data is thrown away) and removes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref stopped, 1) == 0)
        {
            await StopFolderAsync(binaries, Path.GetDirectoryName(DataDirectory)!);
        }
    }

    private static async Task<ThrowawayPostgres> StartSharedAsync()
    {
        var server = await StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static string FindBinaries()
    {
        var configured = Environment.GetEnvironmentVariable("CONTACTCENTER_PG_BIN");
        if (!string.IsNullOrEmpty(configured) && File.Exists(Path.Combine(configured, "pg_ctl")))
        {
            return configured;
        }

        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "pg_ctl")) && File.Exists(Path.Combine(bin, "initdb")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
        return installed ?? throw new InvalidOperationException(
            "PostgreSQL's server binaries were not found under /usr/lib/postgresql/<version>/bin (or CONTACTCENTER_PG_BIN): " +
            "install Debian's package with `apt-get install postgresql` (tests/run.sh does it through the test projects' setup.sh).");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Stops and removes servers whose owning process is gone (killed before its exit handler ran).</summary>
    private static void RemoveLeftovers(string binaries)
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var owner = Path.GetFileName(folder)[FolderPrefix.Length..].Split('-')[0];
            if (int.TryParse(owner, out var pid) && !IsAlive(pid))
            {
                StopFolderAsync(binaries, folder).GetAwaiter().GetResult();
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task StopFolderAsync(string binaries, string folder)
    {
        var data = Path.Combine(folder, "data");
        if (File.Exists(Path.Combine(data, "postmaster.pid")))
        {
            try
            {
                await RunAsync(Path.Combine(binaries, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"],
                    asPostgres: true, TimeSpan.FromSeconds(30), CancellationToken.None);
            }
            catch (InvalidOperationException)
            {
                // Already stopped: the folder goes all the same.
            }
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string ReadLog(string folder)
    {
        var log = Path.Combine(folder, "server.log");
        return File.Exists(log) ? File.ReadAllText(log) : "(no server log)";
    }

    private static async Task<string> RunAsync(string file, IReadOnlyList<string> arguments, bool asPostgres, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo
        {
            FileName = asPostgres && IsRoot ? "runuser" : file,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres && IsRoot)
        {
            foreach (var argument in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} did not finish within {timeout}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(file)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        }

        return await output;
    }
}
