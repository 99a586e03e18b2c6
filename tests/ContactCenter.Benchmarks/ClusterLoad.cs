namespace ContactCenter.Benchmarks;

internal static class ClusterLoad
{
    public static Task<int> RunAsync(string[] args) => Task.FromResult(1);
}
