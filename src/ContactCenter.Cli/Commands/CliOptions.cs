using System.CommandLine;

namespace ContactCenter.Cli.Commands;

/// <summary>Options shared by the commands that read a data folder.</summary>
internal static class CliOptions
{
    public static Option<string> Data() => new("--data")
    {
        Description = "The server's data folder, holding contactcenter.db (never created here).",
        DefaultValueFactory = _ => "./data",
    };
}
