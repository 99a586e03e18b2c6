namespace ContactCenter.Tests;

/// <summary>
/// Paths inside the repository, found by walking up from the test binaries to ContactCenter.sln.
/// Linked into every test project (tests/Directory.Build.props), so the lookup is written once.
/// </summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string Workflows => Path.Combine(Root, "workflows");

    /// <summary>Where browser tests keep their screenshots (test output, git-ignored).</summary>
    public static string Screenshots => Path.Combine(Root, "tests", "results", "screenshots");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ContactCenter.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"ContactCenter.sln not found above {AppContext.BaseDirectory}; run the tests from inside the repository.");
    }
}
