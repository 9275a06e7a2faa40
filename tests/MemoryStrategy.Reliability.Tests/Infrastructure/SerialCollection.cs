namespace MemoryStrategy.Reliability.Tests.Infrastructure;

/// <summary>
/// Tests that must not overlap: the load tests (each already oversubscribes the machine) and the tests that create
/// native handles or count them (<see cref="NativeStrategyHandle.LiveBlocks"/> is process-wide).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial";
}
