using System.Diagnostics;
using ContactCenter.Engine.Tests.Support;
using FluentAssertions;
using Xunit;

namespace ContactCenter.Engine.Tests.Build;

/// <summary>
/// The engine's ban on reading the clock, making GUIDs or doing I/O is a build error, not a
/// convention. These tests build a copy of the engine project with a probe file, once with banned
/// calls (must fail with RS0030) and once without (must succeed, so the failure is the ban's).
/// </summary>
public class BannedApiTests
{
    [Fact]
    public void EngineBuild_ProbeReadsClockAndMakesGuid_FailsWithRS0030()
    {
        var (exitCode, output) = BuildProbe("""
            namespace ContactCenter.Engine;
            internal static class Probe
            {
                public static System.DateTimeOffset Now() => System.DateTimeOffset.UtcNow;
                public static System.DateTime Local() => System.DateTime.Now;
                public static System.Guid Id() => System.Guid.NewGuid();
            }
            """);

        exitCode.Should().NotBe(0, output);
        output.Should().Contain("RS0030").And.Contain("DateTimeOffset.UtcNow").And.Contain("DateTime.Now").And.Contain("Guid.NewGuid");
    }

    [Fact]
    public void EngineBuild_ProbeTakesTimeAsArgument_Succeeds()
    {
        var (exitCode, output) = BuildProbe("""
            namespace ContactCenter.Engine;
            internal static class Probe
            {
                public static System.DateTimeOffset Later(System.DateTimeOffset now) => now.AddMinutes(1);
            }
            """);

        exitCode.Should().Be(0, output);
    }

    private static (int ExitCode, string Output) BuildProbe(string source)
    {
        var root = RepoPaths.Root;
        var dir = Directory.CreateTempSubdirectory("cc-banned-probe-").FullName;
        try
        {
            foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json", ".editorconfig" })
            {
                File.Copy(Path.Combine(root, file), Path.Combine(dir, file));
            }

            var project = Path.Combine(dir, "src", "ContactCenter.Engine");
            Directory.CreateDirectory(project);
            var engine = Path.Combine(root, "src", "ContactCenter.Engine");
            File.Copy(Path.Combine(engine, "ContactCenter.Engine.csproj"), Path.Combine(project, "ContactCenter.Engine.csproj"));
            File.Copy(Path.Combine(engine, "BannedSymbols.txt"), Path.Combine(project, "BannedSymbols.txt"));
            File.WriteAllText(Path.Combine(project, "Probe.cs"), source);

            var start = new ProcessStartInfo("dotnet", ["build", Path.Combine(project, "ContactCenter.Engine.csproj"), "-nologo", "-v", "q"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = dir,
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit(TimeSpan.FromMinutes(5)).Should().BeTrue("the probe build should finish");
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
