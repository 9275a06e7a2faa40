namespace MemoryStrategy.Runtime.Tests.Native;

/// <summary>
/// Tests that count native handles run alone, after the parallel ones: <see cref="NativeStrategyHandle"/> counts its
/// structs process-wide, and the zlib tests create handles too.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeCollection
{
    public const string Name = "Native vtable";
}
