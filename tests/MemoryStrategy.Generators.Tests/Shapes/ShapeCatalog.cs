namespace MemoryStrategy.Generators.Tests.Shapes;

/// <summary>
/// The strategy shapes the generator must complete: every namespace style, nesting, accessibility, each optional
/// marker with and without, TrackAllocations, custom Name and MaxAllocationSize. Each source is clean on its own
/// (documented public members), so any diagnostic after generation comes from the generated code. The shapes
/// live in one file per kind: ShapeCatalog.Declarations.cs, ShapeCatalog.Options.cs, ShapeCatalog.Cores.cs.
/// </summary>
public static partial class ShapeCatalog
{
    public static IEnumerable<Shape> All =>
    [
        GlobalNamespace,
        FileScopedNamespace,
        BlockNamespaceInternalWithOwns,
        NestedInPartialTypes,
        TrackAllocations,
        TrackAllocationsWithOwnsAndCleanup,
        CustomNameAndLargeLimit,
        EscapedIdentifiers,
        NotSealedCleanupOnlyDefaultLimit,
        UnsafeMethodsOnly,
        NativeExport,
        DebugOptions,
        ThreadAwareOwningCores,
        OwningCoreWithPoison,
        WithoutFaultHandlers,
        GuardedWithoutFaultHandlers,
        TrackedOwningCore,
        SplitCoresWithoutFaultHandlers,
        SplitCoresWithFaultHandlers,
    ];

    public static TheoryData<Shape> Cases => [.. All];
}
