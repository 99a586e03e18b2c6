using System.Xml;
using System.Xml.Linq;

namespace ContactCenter.Workflows.Tests;

/// <summary>The workflows/*.bpmn files, loaded the way the engine must load them: no DTD, no resolver.</summary>
internal static class WorkflowFiles
{
    public static readonly XNamespace Bpmn = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    public static readonly XNamespace BpmnDi = "http://www.omg.org/spec/BPMN/20100524/DI";
    public static readonly XNamespace Dc = "http://www.omg.org/spec/DD/20100524/DC";
    public static readonly XNamespace Di = "http://www.omg.org/spec/DD/20100524/DI";
    public static readonly XNamespace Cc = "https://contactcenter.pegadaian.co.id/schema/bpmn/1.0";
    public static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    /// <summary>The definition keys every build must ship.</summary>
    public static readonly string[] ExpectedKeys =
    [
        "still-connected", "ticket-escalation", "inbound-call", "social-media", "email", "whatsapp", "live-chat",
        "outlet-reservation",
    ];

    public static IEnumerable<string> Keys() =>
        Directory.EnumerateFiles(RepoPaths.Workflows, "*.bpmn")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Order(StringComparer.Ordinal);

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var key in Keys())
        {
            data.Add(key);
        }

        return data;
    }

    public static string PathOf(string key) => Path.Combine(RepoPaths.Workflows, key + ".bpmn");

    public static XDocument Load(string key)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = 4 * 1024 * 1024,
        };
        using var reader = XmlReader.Create(PathOf(key), settings);
        return XDocument.Load(reader, LoadOptions.SetLineInfo);
    }
}
