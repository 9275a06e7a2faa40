namespace MemoryStrategy.Analyzers;

/// <summary>How one reference to a shared field touches it.</summary>
internal enum AccessKind
{
    /// <summary>A plain load.</summary>
    Read,

    /// <summary>A plain store: assignment, array element store, <c>ref</c>/<c>out</c> argument.</summary>
    Write,

    /// <summary>A load and a store that must be atomic together: <c>++</c>, <c>+=</c>, <c>??=</c>, <c>f = f op x</c>.</summary>
    ReadModifyWrite,

    /// <summary>Passed by reference to <c>Interlocked</c> or <c>LazyInitializer</c>.</summary>
    AtomicUpdate,

    /// <summary><c>Volatile.Read(ref f)</c>.</summary>
    VolatileRead,

    /// <summary><c>Volatile.Write(ref f, v)</c>.</summary>
    VolatileWrite,
}
