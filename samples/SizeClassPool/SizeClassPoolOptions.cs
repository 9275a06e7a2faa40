namespace MemoryStrategy.Samples;

/// <summary>
/// How a <see cref="SizeClassPoolStrategy"/> is built. Every property has a default; the parameterless
/// <see cref="SizeClassPoolStrategy()"/> uses them all.
/// </summary>
public sealed class SizeClassPoolOptions
{
    /// <summary>The default <see cref="SmallClassBlocks"/>: 4,096 blocks in each class up to 4 KiB.</summary>
    public const int DefaultSmallClassBlocks = 4096;

    /// <summary>The default <see cref="LargeClassBlocks"/>: 512 blocks in each class above 4 KiB (16 MiB for 32 KiB).</summary>
    public const int DefaultLargeClassBlocks = 512;

    /// <summary>The class size up to which <see cref="SmallClassBlocks"/> applies.</summary>
    public const int SmallClassLimit = 4096;

    /// <summary>
    /// Blocks in each class of at most 4 KiB (16 B .. 4 KiB, 16 classes). Default 4,096. The pools' memory is
    /// reserved up front but touched only as blocks are handed out, so a large count costs address space, not
    /// resident memory.
    /// </summary>
    public int SmallClassBlocks { get; init; } = DefaultSmallClassBlocks;

    /// <summary>Blocks in each class above 4 KiB (6 KiB .. 32 KiB, 6 classes). Default 512.</summary>
    public int LargeClassBlocks { get; init; } = DefaultLargeClassBlocks;

    /// <summary>
    /// The largest request to serve, up to <see cref="SizeClassPoolStrategy.Limit"/>; requests above
    /// <see cref="SizeClasses.Largest"/> go to <see cref="Fallback"/>. Default: the limit (1 GiB).
    /// </summary>
    /// <remarks>
    /// The pool's own <see cref="IMemoryStrategy.MaxAllocationSize"/> is what it can really serve: this value, lowered
    /// to the larger of <see cref="SizeClasses.Largest"/> (32 KiB) and the fallback's
    /// <see cref="IMemoryStrategy.MaxAllocationSize"/>. A request above it is refused as a size the pool does not serve
    /// (a refused allocation; the pool stays Ready) rather than sent to a fallback that would refuse it too, which the
    /// pool would count as exhaustion (a failed allocation, and Degraded). A value above the fallback's limit is lowered,
    /// not refused: the default asks for as much as the fallback serves, and cannot be told from an explicit 1 GiB. The
    /// C calls see the same limit (<c>validate_allocation</c> and the thunks; their size table stops at the classes).
    /// </remarks>
    public nuint MaxAllocationSize { get; init; } = SizeClassPoolStrategy.Limit;

    /// <summary>
    /// Serves requests above the largest class, and requests of a class that is exhausted. The pool takes it over:
    /// it is attached to the pool (<see cref="StatusTracker.AttachTo"/>, so disposing it first is refused) and
    /// disposed with the pool. It is validated first and attached last, so a constructor that fails leaves it as it
    /// was. A fallback that throws is faulted and its request fails (see
    /// <see cref="SizeClassPoolStrategy.FallbackException"/>). Default: a new <see cref="NativePassThroughStrategy"/>
    /// (<c>NativeMemory</c>, with its live-pointer registry refusing double and foreign frees). Its
    /// <see cref="IMemoryStrategy.MaxAllocationSize"/> bounds the pool's above the classes (see <see cref="MaxAllocationSize"/>).
    /// </summary>
    public IMemoryStrategy? Fallback { get; init; }

    /// <summary>
    /// Pay one atomic instruction per free so that two racing frees of one block never both succeed (see
    /// <see cref="MemoryPoolStrategy"/>). Default false: a double free is refused whenever it does not overlap the
    /// first free in time.
    /// </summary>
    public bool StrictDoubleFree { get; init; }

    /// <summary>
    /// Whether each inner strategy (each class pool, and a <see cref="NativePassThroughStrategy"/> fallback, the default
    /// or one supplied: the pool calls those through their nested entry points) also counts the allocations and frees
    /// that reach it, so its statistics (and its series in the meter) show its share of the traffic. A fallback of any
    /// other type is called through its public members, which count everything whatever this says. Default false:
    /// a call pays one statistics record, this strategy's own (what its users asked for), and the inner strategies
    /// count only what goes wrong (exhaustion, refused frees) and report their status; each class pool's
    /// <see cref="MemoryPoolStrategy.LeakedBlocks"/> still counts what was allocated when it was disposed. True adds
    /// the second record to every call (its cost is measured in docs/benchmarks.md): for diagnosing which classes
    /// a program uses.
    /// </summary>
    public bool InnerStatistics { get; init; }

    /// <summary>The slab bytes of each class: its block size times its block count.</summary>
    internal nuint[] SlabBytes()
    {
        var slabs = new nuint[SizeClasses.Count];
        for (int i = 0; i < slabs.Length; i++)
        {
            slabs[i] = MemoryPoolStrategy.SlabBytes(SizeClasses.BlockSize(i), BlocksOf(i), 16);
        }

        return slabs;
    }

    /// <summary>The block count of class <paramref name="index"/>.</summary>
    internal int BlocksOf(int index) => SizeClasses.BlockSize(index) <= SmallClassLimit ? SmallClassBlocks : LargeClassBlocks;
}
