namespace MemoryStrategy.Reliability.Tests.Infrastructure;

/// <summary>
/// One strategy the reliability tests run: how to make it, the sizes it serves, and how to tell that every block is
/// back once the users have freed everything.
/// </summary>
/// <param name="Name">The name tests show.</param>
/// <param name="Create">A new strategy, not yet used.</param>
/// <param name="AllBlocksFree">Null when every block has returned to the strategy, else what is still out.</param>
internal sealed record StrategyCase(string Name, Func<IMemoryStrategy> Create, Func<IMemoryStrategy, string?> AllBlocksFree)
{
    public override string ToString() => Name;

    /// <summary>Sizes in [1, max]: uniform, with each end drawn on purpose one time in 32.</summary>
    public static nuint NextSize(Random random, nuint max) => random.Next(32) switch
    {
        0 => 1,
        1 => max,
        _ => (nuint)random.NextInt64(1, (long)max + 1),
    };
}

/// <summary>The native vtable of any generated strategy.</summary>
internal static class NativeHandles
{
    /// <summary>Calls the generated <c>CreateNativeHandle()</c>, which every generated strategy has.</summary>
    public static NativeStrategyHandle Create(IMemoryStrategy strategy) =>
        (NativeStrategyHandle)strategy.GetType().GetMethod("CreateNativeHandle")!.Invoke(strategy, null)!;
}
