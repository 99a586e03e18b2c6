namespace ContactCenter.Cli;

/// <remarks>
/// A named entry class rather than top-level statements: the tests reference the server too, and
/// two global <c>Program</c> types (the server's is public for WebApplicationFactory) would clash.
/// </remarks>
internal static class Program
{
    public static Task<int> Main(string[] args) =>
        CliApp.RunAsync(args, new CliEnvironment { Out = Console.Out, Error = Console.Error, CurrentDirectory = Directory.GetCurrentDirectory() });
}
