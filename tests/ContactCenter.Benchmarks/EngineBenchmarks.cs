using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using ContactCenter.Engine;

namespace ContactCenter.Benchmarks;

/// <summary>One whole recorded conversation per operation, per flow.</summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private WorkflowEngine _engine = null!;
    private Conversation _conversation = null!;

    [Params("live-chat", "whatsapp", "social-media", "inbound-call", "email", "outlet-reservation", "ticket-escalation")]
    public string Flow { get; set; } = "live-chat";

    [GlobalSetup]
    public void Setup()
    {
        _engine = new WorkflowEngine(Conversations.LoadWorkflows());
        _conversation = Conversations.Record(_engine, Flow);
        TransitionsColumn.Transitions[Flow] = _conversation.Transitions;
    }

    [Benchmark]
    public int Conversation() => Conversations.Run(_engine, _conversation);
}

/// <summary>Turns "per conversation" figures into "per element transition" ones.</summary>
internal sealed class TransitionsColumn(string name, Func<double, double, double?, string> format) : IColumn
{
    // Filled in each benchmark process's GlobalSetup is not visible here (BenchmarkDotNet runs
    // benchmarks out of process), so the host records the counts itself before running.
    public static readonly Dictionary<string, int> Transitions = [];

    public string Id => name;

    public string ColumnName => name;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => name;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var flow = (string)benchmarkCase.Parameters["Flow"];
        var report = summary[benchmarkCase];
        if (report?.ResultStatistics is null || !Transitions.TryGetValue(flow, out var transitions))
        {
            return "-";
        }

        double? bytes = report.GcStats.GetBytesAllocatedPerOperation(benchmarkCase);
        return format(report.ResultStatistics.Mean, transitions, bytes);
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
