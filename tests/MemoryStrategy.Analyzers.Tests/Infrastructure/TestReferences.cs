using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace MemoryStrategy.Analyzers.Tests;

/// <summary>
/// The references every test compilation gets: the .NET 10 reference assemblies shipped inside
/// Basic.Reference.Assemblies.Net100 (nothing is downloaded at test time), MemoryStrategy.Abstractions and .Runtime.
/// </summary>
internal static class TestReferences
{
    /// <summary>A reference set the testing library resolves to nothing: no package, so no NuGet access.</summary>
    public static ReferenceAssemblies None { get; } = new("net10.0");

    public static MetadataReference Abstractions { get; } = MetadataReference.CreateFromFile(typeof(IMemoryStrategy).Assembly.Location);

    /// <summary>MemoryStrategy.Runtime: the generated code uses its registry and native handle.</summary>
    public static MetadataReference Runtime { get; } = MetadataReference.CreateFromFile(typeof(LivePointerRegistry).Assembly.Location);

    public static ImmutableArray<MetadataReference> All { get; } =
        [.. Basic.Reference.Assemblies.Net100.References.All, Abstractions, Runtime];
}
