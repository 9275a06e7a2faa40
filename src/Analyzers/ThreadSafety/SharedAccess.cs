using System.Collections.Immutable;

namespace MemoryStrategy.Analyzers;

/// <summary>A field access in code that runs concurrently, with every lock held there (its method's and its callers').</summary>
internal sealed class SharedAccess
{
    public SharedAccess(FieldAccess access, CallContext context, ImmutableHashSet<LockId> locks, AccessKind kind, string path, int hops, bool everyPathLocked, bool instanceLocksOnly)
    {
        Access = access;
        Context = context;
        Locks = locks;
        Kind = kind;
        Path = path;
        Hops = hops;
        EveryPathLocked = everyPathLocked;
        InstanceLocksOnly = instanceLocksOnly;
    }

    public CallContext Context { get; }

    public CodeNode Node => Context.Node;

    public FieldAccess Access { get; }

    public ImmutableHashSet<LockId> Locks { get; }

    /// <summary>
    /// The access's kind as the rules see it: a <c>Volatile.Write</c> that follows a <c>Volatile.Read</c> of the
    /// same field in the same method, outside a lock, is one non-atomic read-modify-write split in two.
    /// </summary>
    public AccessKind Kind { get; }

    /// <summary>How helper code is reached from the strategy, for the message (empty in the strategy's own code).</summary>
    public string Path { get; }

    /// <summary>The number of methods on <see cref="Path"/>: of two paths to one access, the shorter is reported.</summary>
    public int Hops { get; }

    public bool IsLocked => !Locks.IsEmpty;

    /// <summary>
    /// Every path to the access holds a lock, though no lock is common to them (when <see cref="Locks"/> is empty):
    /// a lock each, which exclude nothing of each other.
    /// </summary>
    public bool EveryPathLocked { get; }

    /// <summary>
    /// The object is reached from a static, so every instance of the strategy shares it, and the locks held are all
    /// reached from an instance: each instance excludes only its own users.
    /// </summary>
    public bool InstanceLocksOnly { get; }
}
