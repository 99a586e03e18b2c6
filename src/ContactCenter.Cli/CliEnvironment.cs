namespace ContactCenter.Cli;

/// <summary>What a command may touch outside its arguments; the tests replace each part.</summary>
internal sealed class CliEnvironment
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    /// <summary>Relative paths (<c>--data ./data</c>, files) resolve against this folder.</summary>
    public required string CurrentDirectory { get; init; }

    /// <summary>Reads an environment variable (CONTACTCENTER_PASSWORD). Default is the process environment.</summary>
    public Func<string, string?> GetVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>
    /// The HTTP handler for calls to a server; null (the default) for a plain
    /// <see cref="HttpClientHandler"/>. Tests pass an in-memory server's handler.
    /// </summary>
    public Func<HttpMessageHandler>? HttpHandler { get; init; }

    public string FullPath(string path) => Path.GetFullPath(path, CurrentDirectory);
}
