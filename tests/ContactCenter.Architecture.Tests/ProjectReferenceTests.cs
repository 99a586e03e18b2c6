using System.Xml.Linq;
using FluentAssertions;

namespace ContactCenter.Architecture.Tests;

/// <summary>
/// The arrows between the product's projects (docs/architecture.md): a new reference is a change
/// of the architecture, made here and in that page on purpose, not by an IDE quick fix.
/// </summary>
public class ProjectReferenceTests
{
    /// <summary>Each project under src/ and the projects it may reference, exactly.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["ContactCenter.Engine"] = [],
        ["ContactCenter.Runtime"] = ["ContactCenter.Engine"],
        ["ContactCenter.Modules"] = ["ContactCenter.Runtime"],
        ["ContactCenter.Persistence"] = ["ContactCenter.Modules", "ContactCenter.Runtime"],
        ["ContactCenter.Scheduling"] = ["ContactCenter.Runtime"],
        ["ContactCenter.Channels"] = ["ContactCenter.Modules", "ContactCenter.Runtime"],
        ["ContactCenter.Rendering"] = ["ContactCenter.Modules"],
        ["ContactCenter.Hosting"] = ["ContactCenter.Modules", "ContactCenter.Persistence", "ContactCenter.Rendering", "ContactCenter.Runtime", "ContactCenter.Scheduling"],
        ["ContactCenter.Server"] = ["ContactCenter.Channels", "ContactCenter.Hosting"],
        ["ContactCenter.Cli"] = ["ContactCenter.Engine", "ContactCenter.Hosting", "ContactCenter.Modules", "ContactCenter.Persistence", "ContactCenter.Runtime"],
    };

    [Fact]
    public void EveryProject_ReferencesOnlyTheProjectsItsLayerMayUse()
    {
        var actual = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .ToDictionary(
                path => Path.GetFileNameWithoutExtension(path),
                path => XDocument.Load(path).Descendants("ProjectReference")
                    .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
                    .Order(StringComparer.Ordinal)
                    .ToArray(),
                StringComparer.Ordinal);

        actual.Keys.Should().BeEquivalentTo(Allowed.Keys, "a new project needs its place in docs/architecture.md and here");
        foreach (var (project, references) in actual)
        {
            references.Should().Equal(Allowed[project], $"{project} may reference only what its layer may use (docs/architecture.md)");
        }
    }
}
