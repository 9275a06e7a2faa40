using MemoryStrategy.Generators.Tests.Infrastructure;
using MemoryStrategy.Generators.Tests.Shapes;
using Microsoft.CodeAnalysis;

namespace MemoryStrategy.Generators.Tests.Generation;

/// <summary>Every shape compiles with its generated half with no diagnostic at all, warnings and doc comments included.</summary>
public sealed class CompilationTests
{
    [Theory]
    [MemberData(nameof(ShapeCatalog.Cases), MemberType = typeof(ShapeCatalog))]
    public void Shape_compiles_with_zero_diagnostics(Shape shape)
    {
        GeneratorRun run = GeneratorHarness.Run(shape.Source);

        Assert.Empty(run.DriverDiagnostics);
        Assert.Empty(GeneratorHarness.VisibleDiagnostics(run.Output));
        using var image = new MemoryStream();
        Assert.True(run.Output.Emit(image).Success);
    }

    [Fact]
    public void All_shapes_compile_together()
    {
        GeneratorRun run = GeneratorHarness.Run([.. ShapeCatalog.All.Select(shape => shape.Source)]);

        Assert.Equal(ShapeCatalog.All.Count(), run.Sources.Count);
        Assert.Empty(GeneratorHarness.VisibleDiagnostics(run.Output));
    }

    [Fact]
    public void Generated_class_implements_the_contract_and_exposes_the_native_handle()
    {
        GeneratorRun run = GeneratorHarness.Run(ShapeCatalog.FileScopedNamespace.Source);
        INamedTypeSymbol arena = run.Output.GetTypeByMetadataName("Samples.Arenas.BumpArena")!;
        INamedTypeSymbol contract = run.Output.GetTypeByMetadataName("MemoryStrategy.IMemoryStrategy")!;

        Assert.Contains(contract, arena.AllInterfaces, SymbolEqualityComparer.Default);
        var publicMembers = arena.GetMembers()
            .Where(member => member.DeclaredAccessibility == Accessibility.Public && !member.IsImplicitlyDeclared)
            .Select(member => member.Name)
            .Where(name => name is not (".ctor" or "get_MaxAllocationSize" or "get_StatusTracker"))
            .Order()
            .ToList();
        Assert.Equal(
            ["Allocate", "AllocateNested", "CreateNativeHandle", "Deallocate", "DeallocateNested", "Dispose", "ForCurrentThread", "GetStatus", "MaxAllocationSize", "Owns", "OwnsNested", "StatusTracker", "ThreadScope", "Validate"],
            publicMembers);
    }
}
