using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using MemoryStrategy.SourceGeneration;

namespace MemoryStrategy.Analyzers;

/// <summary>What the walker records: which references are field accesses, which calls are followed, and how.</summary>
internal sealed partial class AccessWalker
{
    private void RecordInvocation(IInvocationOperation invocation, CodeNode node, ImmutableHashSet<LockId> locks)
    {
        IMethodSymbol method = invocation.TargetMethod;
        if (IsFollowed(method, invocation.Instance))
        {
            node.Calls.Add(Edge(method, invocation.Instance, invocation.Arguments, invocation.Syntax, locks, deferred: false));
            RecordRefReturn(invocation, method, invocation.Instance, invocation.Arguments, node, locks);
        }

        // A dispatched call (through an interface of this compilation, an abstract or virtual method) may run any of its
        // implementations in this compilation: each is followed as a call would be (a strategy's, by contract, is not).
        foreach (IMethodSymbol implementation in _symbols.ImplementationsOf(method, invocation.Instance))
        {
            if (IsFollowed(implementation, invocation.Instance))
            {
                node.Calls.Add(Edge(implementation, invocation.Instance, invocation.Arguments, invocation.Syntax, locks, deferred: false));
            }
        }

        // Storing a local or a parameter into a collection (_free.Push(chunk)), through Interlocked/Volatile, or handing
        // it to a method that stores it (Publish(n) where Publish does _shared = n) publishes it. Only those have an
        // origin to change.
        if (HandsVariable(invocation))
        {
            foreach ((IOperation value, Origin destination, IOperation? holder) in _callees.StoresBy(invocation, _origins))
            {
                _origins.Publish(value, destination);
                _origins.Hold(holder, value);
            }
        }

        OwnTakenItems(invocation);
    }

    /// <summary>Whether the call is handed an object in a local or a parameter (as its receiver or an argument): the only values a store can publish.</summary>
    private static bool HandsVariable(IInvocationOperation invocation)
    {
        if (IsObjectVariable(invocation.Instance))
        {
            return true;
        }

        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (IsObjectVariable(argument.Value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsObjectVariable(IOperation? value) =>
        value?.WithoutConversions() is ILocalReferenceOperation { Type.IsValueType: false } or IParameterReferenceOperation { Type.IsValueType: false };

    /// <summary>
    /// <c>_bag.TryTake(out Buffer? b)</c>, <c>_queue.TryDequeue(out b)</c>: a thread-safe collection hands the item it
    /// takes to this caller alone, so the local that receives it owns it.
    /// </summary>
    private void OwnTakenItems(IInvocationOperation invocation)
    {
        if (!_symbols.TakesItems(invocation.TargetMethod))
        {
            return;
        }

        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            IOperation value = argument.Value is IDeclarationExpressionOperation declaration ? declaration.Expression : argument.Value;
            if (argument.Parameter?.RefKind == RefKind.Out && value is ILocalReferenceOperation { Local: { IsRef: false } local })
            {
                _origins.Own(local);
            }
        }
    }

    private void RecordProperty(IPropertyReferenceOperation reference, CodeNode node, ImmutableHashSet<LockId> locks)
    {
        IPropertySymbol property = reference.Property;
        if (reference.IsInsideNameOf() || !InCompilation(property))
        {
            return;
        }

        if (KnownSymbols.HasAttribute(property, _symbols.Known.GuardedBy) || IsAutoProperty(property))
        {
            RecordAutoProperty(reference, property, node, locks);
            return;
        }

        // A property with a body is code: follow its getter, its setter, or both (x.P += 1); through an interface or a
        // base class, each implementation's (an auto-property among them is the field it is).
        bool stored = AccessClassifier.IsStoredTo(reference);
        bool read = !stored || reference.Parent is ICompoundAssignmentOperation or IIncrementOrDecrementOperation or ICoalesceAssignmentOperation;
        var autoImplementations = new HashSet<IPropertySymbol>(SymbolEqualityComparer.Default);
        foreach (IMethodSymbol? accessor in new[] { read ? property.GetMethod : null, stored ? property.SetMethod : null })
        {
            if (accessor is null)
            {
                continue;
            }

            if (IsFollowed(accessor, reference.Instance))
            {
                node.Calls.Add(Edge(accessor, reference.Instance, reference.Arguments, reference.Syntax, locks, deferred: false));
                RecordRefReturn(reference, accessor, reference.Instance, reference.Arguments, node, locks);
            }

            foreach (IMethodSymbol implementation in _symbols.ImplementationsOf(accessor, reference.Instance))
            {
                if (implementation.AssociatedSymbol is IPropertySymbol implemented && IsAutoProperty(implemented))
                {
                    if (!IsOtherStrategy(implemented.ContainingType, reference.Instance))
                    {
                        autoImplementations.Add(implemented);
                    }
                }
                else if (IsFollowed(implementation, reference.Instance))
                {
                    node.Calls.Add(Edge(implementation, reference.Instance, reference.Arguments, reference.Syntax, locks, deferred: false));
                }
            }
        }

        // Once each, whichever accessors led to it (x.P++ reads and writes the one field).
        foreach (IPropertySymbol implemented in autoImplementations)
        {
            RecordAutoProperty(reference, implemented, node, locks);
        }
    }

    /// <summary>An auto-property (or a <c>[GuardedBy]</c> one) read or written: an access to the field behind it.</summary>
    private void RecordAutoProperty(IPropertyReferenceOperation reference, IPropertySymbol property, CodeNode node, ImmutableHashSet<LockId> locks)
    {
        Origin receiver = property.IsStatic ? Origin.Global : _origins.Of(reference.Instance);
        // An auto-property of another strategy object (a back-reference to the owner) is a field like any other:
        // the strategy's contract makes its methods thread-safe, not writes to its state from outside.
        if (!receiver.IsConfined)
        {
            Record(reference, property, receiver, node, locks, throughAlias: false);
        }
    }

    /// <summary>
    /// <c>ref int R =&gt; ref _r; ... R++;</c>: what the caller does through a returned reference it does to the field
    /// the callee returned it into, so it is recorded here, as an access to that field (the <c>return ref</c> itself
    /// is not an access: see <see cref="IsRefReturned"/>).
    /// </summary>
    private void RecordRefReturn(IOperation reference, IMethodSymbol method, IOperation? instance, ImmutableArray<IArgumentOperation> arguments, CodeNode node, ImmutableHashSet<LockId> locks)
    {
        if (_origins.RefReturnInto(method, instance, arguments) is { } target && !target.Receiver.IsConfined && !IsGenerated(target.Field))
        {
            Add(node, target.Field, AccessClassifier.Classify(reference, target.Field, _symbols), reference, target.Receiver, locks, target.ThroughElement);
        }
    }

    /// <summary><c>return ref _r;</c>: hands out a reference; what the caller does through it is the access.</summary>
    private static bool IsRefReturned(IOperation reference)
    {
        IOperation current = reference.OutermostConversion();
        while ((current.Parent is IFieldReferenceOperation member && member.Instance == current && current.Type?.IsValueType == true)
            || (current.Parent is IArrayElementReferenceOperation element && element.ArrayReference == current))
        {
            current = current.Parent.OutermostConversion();
        }

        return current.Parent is IReturnOperation && current.Syntax.Parent is RefExpressionSyntax;
    }

    /// <summary>
    /// A lambda or method group used as a value: run in place (an argument to an ordinary call, a local) it is a
    /// helper called with the current locks; handed to a thread, a task, a timer, or stored in a field or returned,
    /// it runs later on another thread, holding nothing. Returns whether it is deferred.
    /// </summary>
    private bool VisitFunctionValue(IMethodSymbol function, IOperation value, IOperation? instance, CodeNode node, ImmutableHashSet<LockId> locks)
    {
        bool deferred = Escapes(value);
        node.Calls.Add(Edge(function, instance, ImmutableArray<IArgumentOperation>.Empty, value.Syntax, deferred ? ImmutableHashSet<LockId>.Empty : locks, deferred));
        return deferred;
    }

    private CallEdge Edge(IMethodSymbol method, IOperation? instance, ImmutableArray<IArgumentOperation> arguments, SyntaxNode syntax, ImmutableHashSet<LockId> locks, bool deferred)
    {
        Origin receiver = method.MethodKind is MethodKind.LocalFunction or MethodKind.AnonymousFunction ? Origin.This
            : method.IsStatic || IsDefensiveCopy(instance) ? Origin.Confined
            : _origins.Of(instance);
        ImmutableArray<Origin> origins = ImmutableArray<Origin>.Empty;
        if (!arguments.IsEmpty)
        {
            Origin[] byOrdinal = new Origin[method.Parameters.Length];
            foreach (IArgumentOperation argument in arguments)
            {
                if (argument.Parameter is { Ordinal: var ordinal } && ordinal < byOrdinal.Length)
                {
                    byOrdinal[ordinal] = byOrdinal[ordinal].Join(_origins.Of(argument.Value));
                }
            }

            origins = ImmutableArray.Create(byOrdinal);
        }

        bool receiverLocked = instance is not null && !method.IsStatic && locks.Contains(LockId.From(instance));
        return new CallEdge(Normalize(method), locks, receiver, origins, deferred, receiverLocked, syntax.GetLocation());
    }

    /// <summary>
    /// <c>private readonly Stats _ro; _ro.Add(1);</c>: C# calls a member of a struct held in a <c>readonly</c> field
    /// on a copy (outside a constructor, which is never concurrent), so what the member writes to the struct is
    /// written to the copy, which no other thread sees. Only for a struct without references: a copy of one that holds
    /// a list or an object still shares them, and what the member does to those stays shared.
    /// </summary>
    private static bool IsDefensiveCopy(IOperation? instance) =>
        instance?.WithoutConversions() is IFieldReferenceOperation { Field: { IsReadOnly: true, Type: { IsValueType: true, IsUnmanagedType: true } } };

    private bool Escapes(IOperation value)
    {
        for (IOperation? current = value.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IDelegateCreationOperation or IConversionOperation or IParenthesizedOperation:
                    continue;
                case IArgumentOperation { Parent: IInvocationOperation invocation }:
                    return _symbols.IsDeferring(invocation.TargetMethod);
                case IArgumentOperation { Parent: IObjectCreationOperation { Constructor: { } constructor } }:
                    return _symbols.IsDeferring(constructor);
                case ISimpleAssignmentOperation assignment:
                    return assignment.Target is not ILocalReferenceOperation;
                case IEventAssignmentOperation or IReturnOperation or IFieldInitializerOperation or IPropertyInitializerOperation:
                    return true;
                default:
                    return false;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a call is followed into its body: local functions and lambdas, and methods with source in this
    /// compilation, except those of another strategy (any <c>IMemoryStrategy</c> is thread-safe by contract: its
    /// own analysis covers its methods). The fields of another strategy object, written from outside it (a helper's
    /// back-reference to its owner, <c>_owner.Count++</c>), are recorded like any field: no contract covers them.
    /// </summary>
    private bool IsFollowed(IMethodSymbol method, IOperation? instance)
    {
        if (method.MethodKind is MethodKind.LocalFunction or MethodKind.AnonymousFunction)
        {
            return true;
        }

        // A strategy's private method, which only its nested helpers can call through a back-reference (_owner.Miss()),
        // is not its contract: it is followed, into the strategy's own summary of it.
        return !method.IsAbstract
            && !method.IsExtern
            && InCompilation(method)
            && (!IsOtherStrategy(method.ContainingType, instance) || method.DeclaredAccessibility == Accessibility.Private);
    }

    private bool IsOtherStrategy(INamedTypeSymbol? type, IOperation? instance) =>
        _symbols.IsStrategyType(type) && !LockId.IsOwnMember(instance);

    private bool InCompilation(ISymbol symbol) =>
        SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, _assembly);

    /// <summary>A field the generator declares (its prefix): the generated code's own state, never judged.</summary>
    private static bool IsGenerated(IFieldSymbol field) => field.Name.StartsWith(MarkerNames.GeneratedPrefix, System.StringComparison.Ordinal);

    private bool IsRecordedField(IFieldReferenceOperation reference, bool throughAlias = false)
    {
        IFieldSymbol field = reference.Field;
        if (field.IsConst
            || !InCompilation(field)
            || IsGenerated(field)
            || reference.IsInsideNameOf()
            || IsRefReturned(reference))
        {
            return false;
        }

        // A member of a struct held in a field or array element is recorded as an access to that field (_stats.Count++).
        IOperation? instance = reference.Instance?.WithoutConversions();
        if (IsNativeMemory(instance))
        {
            return false; // _links[i].Next, p->Next: native memory, outside the analysis as any *p is
        }

        if (instance is IFieldReferenceOperation or IArrayElementReferenceOperation && instance.Type?.IsValueType == true)
        {
            return false;
        }

        // ref Stats s = ref _stats; s.Bytes++: the use of s records it as an access to _stats, the field that owns the
        // memory (as _stats.Bytes++ is), so the member is not reported a second time at the same place.
        if (instance is ILocalReferenceOperation { Type.IsValueType: true } local
            && _origins.TryGetAlias(local.Local, out OriginTracker.FieldAlias alias)
            && alias.IsRef)
        {
            return false;
        }

        // Copying a collection into a local (var list = _list;) is no use of it: the uses of the local are.
        return throughAlias || !(_symbols.GetUnsafeCollection(field.Type) is not null && IsCopiedIntoLocal(reference));
    }

    /// <summary>
    /// <c>class H(int n) { public int Next() =&gt; n++; }</c>: a primary constructor's parameter used in a member is
    /// captured into a field the compiler declares, state of the object like any field. (Used only in initialisers,
    /// it is not captured, and those run at construction.)
    /// </summary>
    private bool IsCapturedPrimaryParameter(IParameterReferenceOperation reference)
    {
        if (reference.Parameter.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.Constructor } constructor
            || !InCompilation(constructor)
            || reference.IsInsideNameOf())
        {
            return false;
        }

        foreach (SyntaxReference declaration in constructor.DeclaringSyntaxReferences)
        {
            if (declaration.GetSyntax(_cancellationToken) is TypeDeclarationSyntax)
            {
                return true; // the constructor is declared by the type's own parameter list
            }
        }

        return false;
    }

    /// <summary>A struct reached through a pointer (<c>p[i]</c>, <c>*p</c>, <c>p-&gt;</c>): Roslyn has no operation for those.</summary>
    private static bool IsNativeMemory(IOperation? instance) =>
        instance is not null && (instance.Kind == OperationKind.None || instance.Type is IPointerTypeSymbol);

    private static bool IsCopiedIntoLocal(IOperation reference)
    {
        IOperation outer = reference.OutermostConversion();
        return outer.Parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation }
            || outer.Parent is ISimpleAssignmentOperation { Target: ILocalReferenceOperation } assignment && assignment.Value == outer;
    }

    private static bool IsAutoProperty(IPropertySymbol property)
    {
        if (property.IsIndexer || property.IsAbstract)
        {
            return false;
        }

        foreach (ISymbol member in property.ContainingType.GetMembers())
        {
            if (member is IFieldSymbol { AssociatedSymbol: { } associated } && SymbolEqualityComparer.Default.Equals(associated, property.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A use of a local copy of a field: through its elements (an array), any use (a collection), or any use of a
    /// <c>ref</c> local, is an access to the field.
    /// </summary>
    private void RecordAliasUse(ILocalReferenceOperation local, OriginTracker.FieldAlias alias, CodeNode node, ImmutableHashSet<LockId> locks)
    {
        IFieldSymbol field = alias.Field;
        AccessClassifier.Result result = WithElementWrites(AccessClassifier.Classify(local, field, _symbols), local, field);
        bool collection = _symbols.GetUnsafeCollection(field.Type) is not null;
        if (alias.IsRef || result.ThroughElement || collection)
        {
            // A ref return's alias: the field's holder as the call gave it (RecordRefReturn's, with the same filter).
            Origin receiver = alias.Reference is not { } reference ? alias.Receiver
                : field.IsStatic ? _origins.Of(reference) : _origins.Of(reference.Instance);
            bool recorded = alias.Reference is { } read ? IsRecordedField(read, throughAlias: true) : !IsGenerated(field);
            if (!receiver.IsConfined && recorded)
            {
                Add(node, field, result, local, receiver, locks, alias.ThroughElement);
            }
        }
    }

    private void Record(IOperation reference, ISymbol member, Origin receiver, CodeNode node, ImmutableHashSet<LockId> locks, bool throughAlias)
    {
        if (receiver.IsConfined)
        {
            return;
        }

        AccessClassifier.Result result = WithElementWrites(AccessClassifier.Classify(reference, member, _symbols), reference, member);
        Add(node, member, result, reference, receiver, locks, throughAlias);
    }

    /// <summary>
    /// <c>Fill.Zero(_arr)</c> where <c>Zero</c> stores <c>a[0] = 0</c>, <c>Array.Clear(_arr)</c>,
    /// <c>src.CopyTo(_arr, 0)</c>: an array handed to a call that stores into its elements is written here, at the
    /// argument, with the locks held here, as <c>_arr[0] = 0</c> would be (<see cref="ElementWriters"/>).
    /// </summary>
    private AccessClassifier.Result WithElementWrites(AccessClassifier.Result result, IOperation reference, ISymbol member) =>
        result.Kind == AccessKind.Read
        && !result.ThroughElement
        && FieldAccess.TypeOf(member) is IArrayTypeSymbol
        && ElementWriters.WritingArgument(reference, _symbols, _callees) is { } argument
            ? new AccessClassifier.Result(AccessKind.Write, throughElement: true, mutatesCollection: false, argument.Value)
            : result;

    private void Add(CodeNode node, ISymbol member, AccessClassifier.Result result, IOperation reference, Origin receiver, ImmutableHashSet<LockId> locks, bool throughElement)
    {
        node.Accesses.Add(new FieldAccess(
            member.OriginalDefinition,
            result.Kind,
            result.ThroughElement || throughElement,
            result.MutatesCollection || IsPassedToMutator(reference, member),
            result.Operation.Syntax.GetLocation(),
            reference.Syntax.GetLocation(),
            reference.Syntax.SpanStart,
            locks,
            receiver,
            IsLockOperand(reference),
            IsHandedOver(reference, locks)));
    }

    /// <summary>Whether <paramref name="reference"/> is the field of <c>batch = Interlocked.Exchange(ref _pending, new());</c>, an exchange that hands the old object to the local.</summary>
    private bool IsHandedOver(IOperation reference, ImmutableHashSet<LockId> locks) =>
        reference.OutermostConversion().Parent is IArgumentOperation { Parameter.Ordinal: 0, Parent: IInvocationOperation exchange }
        && ExchangedOutField.Taker(exchange, _symbols) is not null
        && HandsOver(exchange, locks);

    /// <summary>
    /// <c>Fill.Into(_list)</c> where <c>Into</c> calls <c>l.Add(1)</c>: a collection handed to a method that changes
    /// it is changed here, at the call, with the locks held here.
    /// </summary>
    private bool IsPassedToMutator(IOperation reference, ISymbol member) =>
        FieldAccess.TypeOf(member) is { } type
        && _symbols.GetUnsafeCollection(type) is not null
        && reference.OutermostConversion().Parent is IArgumentOperation { Parameter.Ordinal: var ordinal, Parent: IInvocationOperation invocation }
        && InCompilation(invocation.TargetMethod)
        && _callees.MutatesParameter(invocation.TargetMethod, ordinal);

    /// <summary><c>lock (_pool)</c>, <c>Monitor.Enter(_pool)</c>: the reference takes the lock; it does not use the object.</summary>
    private bool IsLockOperand(IOperation reference)
    {
        IOperation outer = reference.OutermostConversion();
        return outer.Parent switch
        {
            ILockOperation lockOperation => lockOperation.LockedValue == outer,
            IArgumentOperation { Parent: IInvocationOperation invocation } => _symbols.IsMonitor(invocation.TargetMethod),
            _ => false,
        };
    }
}
