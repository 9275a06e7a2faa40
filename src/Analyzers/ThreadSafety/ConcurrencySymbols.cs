using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using MemoryStrategy.SourceGeneration;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// The BCL's synchronisation types, resolved once per compilation, and the questions the thread-safety rules ask
/// about them: is this call an atomic access, a lock acquisition, a hand-off to another thread; is this type safe
/// to share.
/// </summary>
internal sealed class ConcurrencySymbols
{
    // ConcurrentBag/Queue/Stack, IProducerConsumerCollection, BlockingCollection (and its *FromAny), ChannelReader.
    private static readonly ImmutableHashSet<string> TakingMembers = ImmutableHashSet.Create(
        "TryTake", "TryDequeue", "TryPop", "Take", "TryTakeFromAny", "TakeFromAny", "GetConsumingEnumerable",
        "TryRead", "ReadAsync", "ReadAllAsync");

    private readonly ImmutableArray<INamedTypeSymbol> _threadSafeTypes;
    private readonly ImmutableArray<INamedTypeSymbol> _unsafeCollections;
    private readonly ImmutableArray<INamedTypeSymbol> _deferringTypes;
    private readonly ImmutableArray<INamedTypeSymbol> _synchronizationObjects;
    private readonly IAssemblySymbol _assembly;
    private readonly ConcurrentDictionary<IFieldSymbol, bool> _mutexSemaphores = new(SymbolEqualityComparer.Default);
    private readonly SourceImplementations _implementations;
    private readonly ConcurrentDictionary<IFieldSymbol, ImmutableHashSet<string>?> _createdTypes = new(SymbolEqualityComparer.Default);

    public ConcurrencySymbols(Compilation compilation)
    {
        _assembly = compilation.Assembly;
        _implementations = new SourceImplementations(compilation);
        Known = new KnownSymbols(compilation);
        Interlocked = compilation.GetTypeByMetadataName("System.Threading.Interlocked");
        ImmutableInterlocked = compilation.GetTypeByMetadataName("System.Collections.Immutable.ImmutableInterlocked");
        Volatile = compilation.GetTypeByMetadataName("System.Threading.Volatile");
        LazyInitializer = compilation.GetTypeByMetadataName("System.Threading.LazyInitializer");
        Monitor = compilation.GetTypeByMetadataName("System.Threading.Monitor");
        Lock = compilation.GetTypeByMetadataName("System.Threading.Lock");
        SpinLock = compilation.GetTypeByMetadataName("System.Threading.SpinLock");
        ReaderWriterLockSlim = compilation.GetTypeByMetadataName("System.Threading.ReaderWriterLockSlim");
        SemaphoreSlim = compilation.GetTypeByMetadataName("System.Threading.SemaphoreSlim");
        ChannelReader = compilation.GetTypeByMetadataName("System.Threading.Channels.ChannelReader`1");
        ThreadStaticAttribute = compilation.GetTypeByMetadataName("System.ThreadStaticAttribute");
        SystemType = compilation.GetTypeByMetadataName("System.Type");
        ThreadLocal = compilation.GetTypeByMetadataName("System.Threading.ThreadLocal`1");
        StrategyThread = compilation.GetTypeByMetadataName("MemoryStrategy.StrategyThread");
        StatusTracker = compilation.GetTypeByMetadataName("MemoryStrategy.StatusTracker");
        StatusTrackerHandle = compilation.GetTypeByMetadataName("MemoryStrategy.StatusTrackerHandle");
        SingleThreadedAttribute = compilation.GetTypeByMetadataName(MarkerNames.SingleThreadedAttribute);
        Span = compilation.GetTypeByMetadataName("System.Span`1");
        ReadOnlySpan = compilation.GetTypeByMetadataName("System.ReadOnlySpan`1");
        MemoryExtensions = compilation.GetTypeByMetadataName("System.MemoryExtensions");
        InlineArrayAttribute = compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.InlineArrayAttribute");

        _threadSafeTypes = Resolve(
            compilation,
            "System.Threading.ThreadLocal`1",
            "System.Threading.AsyncLocal`1",
            "System.Threading.Lock",
            "System.Threading.SpinLock",
            "System.Threading.SemaphoreSlim",
            "System.Threading.ReaderWriterLockSlim",
            "System.Threading.ManualResetEventSlim",
            "System.Threading.CountdownEvent",
            "System.Threading.Barrier",
            "System.Threading.WaitHandle",
            "System.Threading.CancellationTokenSource",
            "System.Lazy`1",
            MarkerNames.IMemoryStrategy,
            "MemoryStrategy.StatusTracker");

        _unsafeCollections = Resolve(
            compilation,
            "System.Collections.Generic.List`1",
            "System.Collections.Generic.Dictionary`2",
            "System.Collections.Generic.Queue`1",
            "System.Collections.Generic.Stack`1",
            "System.Collections.Generic.HashSet`1",
            "System.Collections.Generic.LinkedList`1",
            "System.Collections.Generic.SortedList`2",
            "System.Collections.Generic.SortedDictionary`2",
            "System.Collections.Generic.SortedSet`1",
            "System.Collections.Generic.PriorityQueue`2");

        // Types whose own methods are the lock: `lock` on one takes its monitor, which those methods never look at.
        // System.Threading.Lock is not here: `lock` on it calls its own EnterScope.
        _synchronizationObjects = Resolve(
            compilation,
            "System.Threading.ReaderWriterLockSlim",
            "System.Threading.ReaderWriterLock",
            "System.Threading.SemaphoreSlim",
            "System.Threading.WaitHandle",
            "System.Threading.ManualResetEventSlim",
            "System.Threading.CountdownEvent",
            "System.Threading.Barrier");

        // Delegates given to these types' members run later, or on other threads: never under the caller's lock.
        _deferringTypes = Resolve(
            compilation,
            "System.Threading.Tasks.Task",
            "System.Threading.Tasks.Task`1",
            "System.Threading.Tasks.TaskFactory",
            "System.Threading.Tasks.TaskFactory`1",
            "System.Threading.Tasks.Parallel",
            "System.Threading.ThreadPool",
            "System.Threading.Thread",
            "System.Threading.Timer",
            "System.Threading.CancellationToken",
            "System.Timers.Timer");
    }

    public KnownSymbols Known { get; }

    public INamedTypeSymbol? Interlocked { get; }

    /// <summary>Compare-and-swap loops over a field holding an immutable collection: atomic updates, as Interlocked's are.</summary>
    public INamedTypeSymbol? ImmutableInterlocked { get; }

    public INamedTypeSymbol? Volatile { get; }

    public INamedTypeSymbol? LazyInitializer { get; }

    public INamedTypeSymbol? Monitor { get; }

    public INamedTypeSymbol? Lock { get; }

    public INamedTypeSymbol? SpinLock { get; }

    public INamedTypeSymbol? ReaderWriterLockSlim { get; }

    public INamedTypeSymbol? SemaphoreSlim { get; }

    public INamedTypeSymbol? ChannelReader { get; }

    public INamedTypeSymbol? ThreadStaticAttribute { get; }

    public INamedTypeSymbol? SystemType { get; }

    public INamedTypeSymbol? ThreadLocal { get; }

    public INamedTypeSymbol? StrategyThread { get; }

    public INamedTypeSymbol? StatusTracker { get; }

    public INamedTypeSymbol? StatusTrackerHandle { get; }

    public INamedTypeSymbol? SingleThreadedAttribute { get; }

    public INamedTypeSymbol? Span { get; }

    public INamedTypeSymbol? ReadOnlySpan { get; }

    public INamedTypeSymbol? MemoryExtensions { get; }

    public INamedTypeSymbol? InlineArrayAttribute { get; }

    /// <summary><c>Span&lt;T&gt;</c> or <c>ReadOnlySpan&lt;T&gt;</c>: a view whose elements are the memory it was made from.</summary>
    public bool IsSpan(ITypeSymbol? type) => Is(type, Span) || Is(type, ReadOnlySpan);

    /// <summary><c>_arr.AsSpan()</c>, <c>_arr.AsSpan(start, length)</c>: a span over its first argument's array.</summary>
    public bool IsSpanView(IMethodSymbol method) => method.Name == "AsSpan" && Is(method.ContainingType, MemoryExtensions);

    /// <summary>A struct marked <c>[InlineArray(n)]</c>: its elements are the struct's own memory, as an array's are the array's.</summary>
    public bool IsInlineArray(ITypeSymbol? type) =>
        type is { IsValueType: true } && InlineArrayAttribute is not null && KnownSymbols.HasAttribute(type, InlineArrayAttribute);

    /// <summary>
    /// A property whose value each thread has its own of: <c>ThreadLocal&lt;T&gt;.Value</c>,
    /// <c>StrategyThread.State</c> (the per-thread slot the framework gives each thread of a strategy) and
    /// <c>StatusTracker.CurrentThread</c> (the calling thread's <c>StrategyThread</c>, of the strategy's own type when
    /// its tracker has a thread factory; also through the <c>StatusTrackerHandle</c> a generated strategy holds).
    /// </summary>
    public bool IsThreadConfinedSlot(IPropertySymbol property) =>
        (property.Name == "Value" && Is(property.ContainingType, ThreadLocal))
        || (property.Name == "State" && Is(property.ContainingType, StrategyThread))
        || (property.Name == "CurrentThread"
            && (Is(property.ContainingType, StatusTracker) || Is(property.ContainingType, StatusTrackerHandle)));

    /// <summary>
    /// A member that takes items out of a thread-safe collection, handing each to one caller: what it gives (its
    /// <c>out</c> argument, its result, the items it enumerates) is the caller's own. A dictionary's lookups and
    /// any <c>TryPeek</c> hand out an item that stays in the collection, for every caller alike: not these.
    /// </summary>
    public bool TakesItems(IMethodSymbol method)
    {
        if (!TakingMembers.Contains(method.Name))
        {
            return false;
        }

        INamedTypeSymbol type = method.ContainingType;
        return type.ContainingNamespace?.ToDisplayString() == "System.Collections.Concurrent"
            || IsOrDerivesFromAny(type, ChannelReader is null ? ImmutableArray<INamedTypeSymbol>.Empty : ImmutableArray.Create(ChannelReader));
    }

    /// <summary>Whether <paramref name="type"/> is a strategy (<c>IMemoryStrategy</c>): thread-safe by contract.</summary>
    public bool IsStrategyType(ITypeSymbol? type)
    {
        if (type is null || Known.IMemoryStrategy is not { } contract)
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, contract) || (type is INamedTypeSymbol named && Known.IsStrategy(named)))
        {
            return true;
        }

        foreach (INamedTypeSymbol implemented in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented, contract))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The bodies a call of <paramref name="method"/> may run besides its own, when it is declared in this compilation
    /// and dispatched (see <see cref="SourceImplementations"/>): a helper kept behind an interface of the user's own
    /// (<c>IFreeList _list = new PlainFreeList()</c>) is analysed through every implementation it could be.
    /// </summary>
    public ImmutableArray<IMethodSymbol> ImplementationsOf(IMethodSymbol method) => _implementations.Of(method);

    /// <summary>
    /// <see cref="ImplementationsOf(IMethodSymbol)"/> for a call on <paramref name="receiver"/>: when the receiver is a
    /// field (or auto-property) that the class only ever fills with <c>new</c> objects (<c>private readonly IFreeList
    /// _list = new PlainList();</c>), the implementations of those types alone, so that another implementation in the
    /// project that this field never holds (a test double) is not judged as reached from here. Otherwise, or when no
    /// implementation carries a name made there, all of them.
    /// </summary>
    public ImmutableArray<IMethodSymbol> ImplementationsOf(IMethodSymbol method, IOperation? receiver)
    {
        ImmutableArray<IMethodSymbol> all = ImplementationsOf(method);
        if (all.Length < 2 || FieldOf(receiver) is not { } field || CreatedTypeNames(field) is not { } names)
        {
            return all;
        }

        ImmutableArray<IMethodSymbol> narrowed = all.RemoveAll(implementation => !names.Contains(implementation.ContainingType.Name));
        return narrowed.IsEmpty ? all : narrowed;

        static IFieldSymbol? FieldOf(IOperation? operation) => operation?.WithoutConversions() switch
        {
            IFieldReferenceOperation reference => reference.Field.OriginalDefinition,
            IPropertyReferenceOperation { Property: { IsIndexer: false } property } => AutoProperties.BackingField(property),
            _ => null,
        };
    }

    /// <summary>
    /// The names of the types a field is filled with, when its initializer and every assignment to it in its class's
    /// source (<see cref="FieldWrites"/>) make a new object (<c>new PlainList()</c>; a target-typed <c>new()</c> makes
    /// the field's own type); null when one assigns anything else, or nothing does. Once per field.
    /// </summary>
    private ImmutableHashSet<string>? CreatedTypeNames(IFieldSymbol field) => _createdTypes.GetOrAdd(field, static field =>
    {
        var names = ImmutableHashSet.CreateBuilder<string>();
        foreach (Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionSyntax value in FieldWrites.ValuesOf(field))
        {
            switch (FieldWrites.Creation(value))
            {
                case Microsoft.CodeAnalysis.CSharp.Syntax.ObjectCreationExpressionSyntax { Type: var type }:
                    names.Add(type switch
                    {
                        Microsoft.CodeAnalysis.CSharp.Syntax.QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
                        Microsoft.CodeAnalysis.CSharp.Syntax.SimpleNameSyntax simple => simple.Identifier.ValueText,
                        _ => type.ToString(),
                    });
                    break;
                case Microsoft.CodeAnalysis.CSharp.Syntax.ImplicitObjectCreationExpressionSyntax:
                    names.Add(field.Type.Name);
                    break;
                default:
                    return null;
            }
        }

        return names.Count == 0 ? null : names.ToImmutable();
    });

    /// <summary>
    /// A method whose body is in this compilation: the analysis follows a call into it and sees what it does, so
    /// its name says nothing (a helper's own <c>Push</c> that locks is not a <c>Stack&lt;T&gt;.Push</c>).
    /// </summary>
    public bool HasBodyHere(IMethodSymbol method) =>
        !method.IsAbstract && !method.IsExtern && SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _assembly);

    /// <summary>
    /// <c>Interlocked.Exchange(ref _f, v)</c>, <c>Interlocked.CompareExchange(ref _f, v, c)</c>, <c>Volatile.Read(ref _f)</c>:
    /// the location whose value the call returns (the old value, for an exchange), or null for any other call.
    /// </summary>
    public IOperation? AtomicallyReadLocation(IInvocationOperation invocation)
    {
        IMethodSymbol method = invocation.TargetMethod;
        bool returnsLocation = (method.Name is "Exchange" or "CompareExchange" && Is(method.ContainingType, Interlocked)) || IsVolatileRead(method);
        if (!returnsLocation)
        {
            return null;
        }

        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter is { Ordinal: 0, RefKind: not RefKind.None })
            {
                return argument.Value;
            }
        }

        return null;
    }

    /// <summary>Interlocked's members, and ImmutableInterlocked's: each updates its <c>ref</c> argument atomically.</summary>
    public bool IsInterlocked(IMethodSymbol method) => Is(method.ContainingType, Interlocked) || Is(method.ContainingType, ImmutableInterlocked);

    public bool IsLazyInitializer(IMethodSymbol method) => Is(method.ContainingType, LazyInitializer);

    public bool IsVolatileRead(IMethodSymbol method) => Is(method.ContainingType, Volatile) && method.Name == "Read";

    public bool IsVolatileWrite(IMethodSymbol method) => Is(method.ContainingType, Volatile) && method.Name == "Write";

    /// <summary>Types whose instances synchronise themselves (Concurrent*, <c>ThreadLocal</c>, locks, strategies).</summary>
    public bool IsThreadSafeType(ITypeSymbol type)
    {
        if (type.ContainingNamespace?.ToDisplayString() == "System.Collections.Concurrent")
        {
            return true;
        }

        return IsOrDerivesFromAny(type, _threadSafeTypes) || ImplementsAny(type, _threadSafeTypes);
    }

    /// <summary>The non-thread-safe collection <paramref name="type"/> is, or derives from; null when none.</summary>
    public INamedTypeSymbol? GetUnsafeCollection(ITypeSymbol type)
    {
        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            foreach (INamedTypeSymbol collection in _unsafeCollections)
            {
                if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, collection))
                {
                    return collection;
                }
            }
        }

        return null;
    }

    /// <summary>Whether a delegate passed to <paramref name="method"/> runs later or on another thread.</summary>
    public bool IsDeferring(IMethodSymbol method) => IsOrDerivesFromAny(method.ContainingType, _deferringTypes);

    public bool IsMonitor(IMethodSymbol method) => Is(method.ContainingType, Monitor);

    public bool IsLockType(ITypeSymbol? type) => Is(type, Lock);

    public bool IsSpinLockType(ITypeSymbol? type) => Is(type, SpinLock);

    public bool IsReaderWriterLockType(ITypeSymbol? type) => Is(type, ReaderWriterLockSlim);

    /// <summary>
    /// The synchronisation type <paramref name="type"/> is or derives from (<c>ReaderWriterLockSlim</c>,
    /// <c>SemaphoreSlim</c>, <c>Mutex</c> through <c>WaitHandle</c>, ...), whose own methods are its lock; null for any
    /// other type, <c>System.Threading.Lock</c> included (see <see cref="SyncObjectMonitor"/>).
    /// </summary>
    public INamedTypeSymbol? SynchronizationObjectType(ITypeSymbol? type)
    {
        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            foreach (INamedTypeSymbol candidate in _synchronizationObjects)
            {
                if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, candidate))
                {
                    return type as INamedTypeSymbol ?? candidate;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// <paramref name="instance"/> reads a readonly <c>SemaphoreSlim</c> field that only ever holds a
    /// <c>new SemaphoreSlim(1, 1)</c>: a mutex (<see cref="SemaphoreMutex"/>). Answered once per field. The field may
    /// be read directly, through a local that only ever holds it (<c>var gate = _gate;</c>, <see cref="LockAlias"/>) or
    /// through a get-only property that only returns it (<c>Gate =&gt; _gate</c>, <see cref="LockProperty"/>): the same
    /// semaphore whichever way it is reached, so <see cref="LockId"/> names all three by the field.
    /// </summary>
    public bool IsMutexSemaphore(IOperation? instance) =>
        SemaphoreField(instance?.WithoutConversions()) is { } field && IsMutexSemaphoreField(field);

    /// <summary>Whether <paramref name="field"/> is a readonly <c>SemaphoreSlim</c> field that only ever holds a <c>new SemaphoreSlim(1, 1)</c>.</summary>
    public bool IsMutexSemaphoreField(IFieldSymbol field) =>
        Is(field.Type, SemaphoreSlim) && _mutexSemaphores.GetOrAdd(field.OriginalDefinition, SemaphoreMutex.IsMutex);

    private static IFieldSymbol? SemaphoreField(IOperation? instance) => instance switch
    {
        IFieldReferenceOperation reference => reference.Field,
        ILocalReferenceOperation local => LockAlias.FieldOf(local),
        IPropertyReferenceOperation property => LockProperty.FieldOf(property.Property),
        _ => null,
    };

    private static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        expected is not null && SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, expected);

    private static bool IsOrDerivesFromAny(ITypeSymbol? type, ImmutableArray<INamedTypeSymbol> candidates)
    {
        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            foreach (INamedTypeSymbol candidate in candidates)
            {
                if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, candidate))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool ImplementsAny(ITypeSymbol type, ImmutableArray<INamedTypeSymbol> candidates)
    {
        foreach (INamedTypeSymbol candidate in candidates)
        {
            if (candidate.TypeKind != TypeKind.Interface)
            {
                continue;
            }

            if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, candidate))
            {
                return true;
            }

            foreach (INamedTypeSymbol implemented in type.AllInterfaces)
            {
                if (SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, candidate))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static ImmutableArray<INamedTypeSymbol> Resolve(Compilation compilation, params string[] metadataNames)
    {
        ImmutableArray<INamedTypeSymbol>.Builder builder = ImmutableArray.CreateBuilder<INamedTypeSymbol>(metadataNames.Length);
        foreach (string name in metadataNames)
        {
            if (compilation.GetTypeByMetadataName(name) is { } type)
            {
                builder.Add(type);
            }
        }

        return builder.ToImmutable();
    }
}
