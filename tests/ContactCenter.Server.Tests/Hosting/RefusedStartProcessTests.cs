using System.Diagnostics;
using ContactCenter.Tests.Http;
using FluentAssertions;

namespace ContactCenter.Server.Tests.Hosting;

/// <summary>
/// The built server as an operator starts it, a process of its own in Production: a refused
/// configuration ends it with exit code 1 and one log line per problem, no stack trace.
/// </summary>
public sealed class RefusedStartProcessTests
{
    [Fact]
    public async Task Production_RefusedStart_ExitsWithCode1_AndOneLinePerProblem()
    {
        var folder = Directory.CreateTempSubdirectory("cc-refused-").FullName;
        try
        {
            var workflows = Path.Combine(folder, "no-such-workflows");
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = folder,
            };
            foreach (var argument in new[]
            {
                ServerProcess.ServerDll(Configuration), "--environment", "Production", "--urls", "http://127.0.0.1:0",
                "--ContactCenter:DataFolder", Path.Combine(folder, "data"), "--ContactCenter:WorkflowsFolder", workflows,
                "--ContactCenter:Retention:KeepDays", "30",
            })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await process.WaitForExitAsync(timeout.Token);

            process.ExitCode.Should().Be(1);
            var lines = (await output + await errors).Split('\n').Where(l => l.Contains("refuses to start", StringComparison.Ordinal)).ToList();
            lines.Should().HaveCount(3);
            lines[0].Should().Contain("refuses to start in Production: Channels:Webhook:Secret is not set");
            lines[1].Should().Contain($"refuses to start in Production: The workflows folder {workflows} does not exist");
            lines[2].Should().Contain("refuses to start: ContactCenter:Retention:Mode is Archive but ContactCenter:Retention:ArchiveFolder is not set");
            (await output + await errors).Should().NotContain("Unhandled exception").And.NotContain("   at ");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The tests' own build configuration: bin/&lt;Configuration&gt;/net10.0.</summary>
    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
}
