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
    private static readonly Assembly Modules = typeof(ContactCenter.Modules.Tickets.TicketDesk).Assembly;
    private static readonly Assembly Server = typeof(ContactCenter.Server.Api.JournalEndpoints).Assembly;

    [Theory]
    [InlineData("ContactCenter.Runtime")]
    [InlineData("ContactCenter.Persistence")]
    [InlineData("Microsoft.EntityFrameworkCore")]
    [InlineData("Microsoft.Data.Sqlite")]
    [InlineData("Npgsql")]
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
    [InlineData("ContactCenter.Modules")]
    [InlineData("ContactCenter.Persistence")]
    [InlineData("ContactCenter.Scheduling")]
    [InlineData("ContactCenter.Hosting")]
    [InlineData("ContactCenter.Server")]
    [InlineData("ContactCenter.Channels")]
    [InlineData("ContactCenter.Rendering")]
    [InlineData("Microsoft.EntityFrameworkCore")]
    [InlineData("Microsoft.Data.Sqlite")]
    [InlineData("Npgsql")]
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

    [Theory]
    [InlineData("ContactCenter.Persistence")]
    [InlineData("ContactCenter.Scheduling")]
    [InlineData("ContactCenter.Hosting")]
    [InlineData("ContactCenter.Server")]
    [InlineData("ContactCenter.Channels")]
    [InlineData("ContactCenter.Rendering")]
    [InlineData("ContactCenter.Cli")]
    [InlineData("Microsoft.EntityFrameworkCore")]
    [InlineData("Microsoft.Data.Sqlite")]
    [InlineData("Npgsql")]
    [InlineData("Quartz")]
    [InlineData("Microsoft.AspNetCore")]
    [InlineData("OpenTelemetry")]
    [InlineData("System.Diagnostics.Process")]
    [InlineData("System.IO.File")]
    [InlineData("System.IO.Directory")]
    public void Modules_UseThePlatformAndTheirPortsNotAdaptersOrInfrastructure(string forbidden)
    {
        // The modules decide what the contact center does; drawing, printing, files, databases and
        // HTTP are adapters behind the modules' ports (IDiagramRenderer, IPdfPrinter, IQualityReviewStore, ...).
        var result = Types.InAssembly(Modules).ShouldNot().HaveDependencyOn(forbidden).GetResult();

        result.FailingTypeNames.Should().BeNullOrEmpty($"the modules sit on the platform, under the adapters: no {forbidden}");
    }

    [Theory]
    [InlineData("ContactCenter.Persistence")]
    [InlineData("ContactCenter.Scheduling")]
    [InlineData("Quartz")]
    [InlineData("ContactCenter.Rendering")]
    public void Server_ReachesAdaptersOnlyThroughHosting(string forbidden)
    {
        // Health checks live in their adapters and are registered by Hosting; the PDF printer is a port.
        var result = Types.InAssembly(Server).ShouldNot().HaveDependencyOn(forbidden).GetResult();

        result.FailingTypeNames.Should().BeNullOrEmpty($"the server uses what Hosting composes: no {forbidden}");
    }

    [Fact]
    public void TheModuleRule_SeesWhatARenderingAdapterUses()
    {
        // The module rules pass by finding nothing; this shows the reading finds file and process use where it is.
        var rendering = typeof(ContactCenter.Rendering.ChromiumPdfPrinter).Assembly;

        Types.InAssembly(rendering).That().HaveName("ChromiumPdfPrinter").Should().HaveDependencyOn("System.Diagnostics.Process").GetResult().IsSuccessful.Should().BeTrue();
        Types.InAssembly(rendering).That().HaveName("ChromiumPdfPrinter").Should().HaveDependencyOn("System.IO.File").GetResult().IsSuccessful.Should().BeTrue();
        Types.InAssembly(rendering).That().HaveName("ChromiumPdfPrinter").GetTypes().Should().NotBeEmpty();
    }
}
