using System.Reflection;
using FluentAssertions;
using NetArchTest.Rules;

namespace ContactCenter.Architecture.Tests;

/// <summary>
/// What each layer's compiled code may depend on (docs/architecture.md): the engine is pure, the
/// runtime knows ports, not EF Core, Quartz, ASP.NET Core or OpenTelemetry; those live in the
/// adapters and hosts. Read from the assemblies, so a type used through a transitive package
/// reference is caught too.
/// </summary>
public class DependencyTests
{
    private static readonly Assembly Engine = typeof(ContactCenter.Engine.WorkflowEngine).Assembly;
    private static readonly Assembly Runtime = typeof(ContactCenter.Runtime.Instances.InstanceRuntime).Assembly;

    [Theory]
    [InlineData("ContactCenter.Runtime")]
    [InlineData("ContactCenter.Persistence")]
    [InlineData("Microsoft.EntityFrameworkCore")]
    [InlineData("Microsoft.Data.Sqlite")]
    [InlineData("Quartz")]
    [InlineData("Microsoft.AspNetCore")]
    [InlineData("Microsoft.Extensions.Logging")]
    [InlineData("System.Net.Http")]
    public void Engine_DependsOnNoOuterLayerAndNoInfrastructure(string forbidden)
    {
        var result = Types.InAssembly(Engine).ShouldNot().HaveDependencyOn(forbidden).GetResult();

        result.FailingTypeNames.Should().BeNullOrEmpty($"the engine is a pure decider: no {forbidden}");
    }

    [Theory]
    [InlineData("ContactCenter.Persistence")]
    [InlineData("ContactCenter.Scheduling")]
    [InlineData("ContactCenter.Hosting")]
    [InlineData("ContactCenter.Server")]
    [InlineData("ContactCenter.Channels")]
    [InlineData("Microsoft.EntityFrameworkCore")]
    [InlineData("Microsoft.Data.Sqlite")]
    [InlineData("Quartz")]
    [InlineData("Microsoft.AspNetCore")]
    [InlineData("OpenTelemetry")]
    public void Runtime_DependsOnPortsNotOnAdaptersOrTheirFrameworks(string forbidden)
    {
        var result = Types.InAssembly(Runtime).ShouldNot().HaveDependencyOn(forbidden).GetResult();

        result.FailingTypeNames.Should().BeNullOrEmpty($"the runtime declares ports that adapters implement: no {forbidden}");
    }

    [Fact]
    public void TheDependencyReading_SeesWhatAnAdapterUses()
    {
        // The rules above pass by finding nothing; this shows the reading finds what is there.
        var persistence = typeof(ContactCenter.Persistence.EfInstanceStore).Assembly;

        var result = Types.InAssembly(persistence).That().HaveName("EfInstanceStore").Should().HaveDependencyOn("Microsoft.EntityFrameworkCore").GetResult();

        result.IsSuccessful.Should().BeTrue();
        Types.InAssembly(persistence).That().HaveName("EfInstanceStore").GetTypes().Should().NotBeEmpty();
    }

    [Fact]
    public void RuntimeStoragePorts_SpeakNoContactCenterModule()
    {
        // The ports (Storage) are the platform's: flows, instances, rows and counters, never tickets
        // or dashboards. The other platform folders still reach into modules in places (docs/architecture.md,
        // "where it still differs"); the ports must not start to.
        string[] modules = ["ContactCenter.Modules.Tickets", "ContactCenter.Modules.Dashboard", "ContactCenter.Modules.Quality", "ContactCenter.Modules.Calendar", "ContactCenter.Modules.Greetings", "ContactCenter.Modules.Documents"];

        var result = Types.InAssembly(Runtime).That().ResideInNamespace("ContactCenter.Runtime.Storage")
            .ShouldNot().HaveDependencyOnAny(modules).GetResult();

        result.FailingTypeNames.Should().BeNullOrEmpty("the storage ports are the platform's, free of contact-center words");
    }
}
