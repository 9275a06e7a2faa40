namespace MemoryStrategy.Reliability.Tests.Infrastructure;

/// <summary>
/// One strategy the reliability tests run: how to make it, the sizes the load test asks for, what its documentation
/// says it accepts instead of refusing, and how to tell that every block is back.
/// </summary>
/// <param name="Name">The name tests show.</param>
/// <param name="Create">A new strategy, not yet used.</param>
/// <param name="LoadSize">
/// The largest size the load test requests: <see cref="IMemoryStrategy.MaxAllocationSize"/> when stamping blocks that
/// large 10^6 times per thread stays within the time budget, else a smaller bound (stated in docs/reliability.md).
/// </param>
/// <param name="AllBlocksFree">
/// Called last, once the users have freed everything: null when every block is back in the strategy, else what is
/// still out. It may dispose the strategy to find out.
/// </param>
internal sealed record StrategyCase(string Name, Func<IMemoryStrategy> Create, nuint LoadSize, Func<IMemoryStrategy, string?> AllBlocksFree)
{
    /// <summary>
    /// Hostile requests the strategy documents as accepted rather than refused, with the reason. The hostile-input test
    /// checks that they are accepted harmlessly: no crash, and the strategy still serves and validates.
    /// </summary>
    public IReadOnlyDictionary<string, string> Accepts { get; init; } = new Dictionary<string, string>();

    /// <summary>The strategy the load tests use, when it needs a different shape (more, smaller blocks); else <see cref="Create"/>.</summary>
    public Func<IMemoryStrategy>? CreateForLoad { get; init; }

    public IMemoryStrategy CreateLoaded() => (CreateForLoad ?? Create)();

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
