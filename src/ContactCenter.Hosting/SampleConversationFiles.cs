using System.Text;
using ContactCenter.Modules.Quality.WhatIf;

namespace ContactCenter.Hosting;

/// <summary>The sample conversations as files: <c>&lt;folder&gt;/&lt;flow&gt;/*.json</c>, read when asked (they change with the repository).</summary>
public sealed class SampleConversationFiles(string folder) : ISampleConversations
{
    public IReadOnlyList<SampleConversationText> Of(string workflow)
    {
        var flowFolder = Path.Combine(folder, workflow);
        return Directory.Exists(flowFolder) && !workflow.Contains("..", StringComparison.Ordinal)
            ? [.. Directory.EnumerateFiles(flowFolder, "*.json").Order(StringComparer.Ordinal)
                .Select(f => new SampleConversationText($"{workflow}/{Path.GetFileNameWithoutExtension(f)}", File.ReadAllText(f, Encoding.UTF8)))]
            : [];
    }

    public IReadOnlyList<SampleConversationText> All() =>
        Directory.Exists(folder)
            ? [.. Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal).SelectMany(d => Of(Path.GetFileName(d)))]
            : [];
}
