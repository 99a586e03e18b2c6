namespace ContactCenter.Workflows.Tests;

/// <summary>Paths inside the repository, found by walking up from the test binaries to ContactCenter.sln.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string Workflows => Path.Combine(Root, "workflows");

    public static string TestProject => Path.Combine(Root, "tests", "ContactCenter.Workflows.Tests");

    public static string Screenshots => Path.Combine(Root, "tests", "results", "screenshots");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ContactCenter.sln")))
            {
                return dir.FullName;
            }

            dir = dir.Parent;
        }

        throw new InvalidOperationException(
            $"ContactCenter.sln not found above {AppContext.BaseDirectory}; run the tests from inside the repository.");
    }
}
