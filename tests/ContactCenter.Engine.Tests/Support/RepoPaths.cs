namespace ContactCenter.Engine.Tests.Support;

/// <summary>Paths inside the repository, found by walking up from the test binaries to ContactCenter.sln.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string Workflows => Path.Combine(Root, "workflows");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ContactCenter.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"ContactCenter.sln not found above {AppContext.BaseDirectory}");
    }
}
