using System.Collections.Immutable;

namespace MemoryStrategy.Analyzers;

/// <summary>A field access in code that runs concurrently, with every lock held there (its method's and its callers').</summary>
internal sealed class SharedAccess
{
    public SharedAccess(FieldAccess access, CodeNode node, ImmutableHashSet<LockId> locks, AccessKind kind)
    {
        Access = access;
        Node = node;
        Locks = locks;
        Kind = kind;
    }

    public FieldAccess Access { get; }

    public CodeNode Node { get; }

    public ImmutableHashSet<LockId> Locks { get; }

    /// <summary>
    /// The access's kind as the rules see it: a <c>Volatile.Write</c> that follows a <c>Volatile.Read</c> of the
    /// same field in the same method, outside a lock, is one non-atomic read-modify-write split in two.
    /// </summary>
    public AccessKind Kind { get; }

    public bool IsLocked => !Locks.IsEmpty;
}
