using System.Collections.Immutable;

namespace MemoryStrategy.Analyzers;

/// <summary>A field access in code that runs concurrently, with every lock held there (its method's and its callers').</summary>
internal sealed class SharedAccess
{
    public SharedAccess(FieldAccess access, CodeNode node, ImmutableHashSet<LockId> locks, AccessKind kind, string path, int hops)
    {
        Access = access;
        Node = node;
        Locks = locks;
        Kind = kind;
        Path = path;
        Hops = hops;
    }

    public FieldAccess Access { get; }

    public CodeNode Node { get; }

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
}
