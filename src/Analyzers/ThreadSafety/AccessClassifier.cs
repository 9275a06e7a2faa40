using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// Decides what a reference to a field does to it, from the operation that contains the reference: a store, a
/// read-modify-write, an atomic access, or a load. Struct members and array elements reached through the field
/// count as accesses to the field (<c>_stats.Count++</c> and <c>_slots[i]++</c> update memory the field owns).
/// </summary>
internal static class AccessClassifier
{
    // Members that change a collection; anything else called on it (Count, TryGetValue, Contains, foreach) reads it.
    private static readonly HashSet<string> MutatingMembers = new()
    {
        "Add", "AddRange", "Insert", "InsertRange", "Remove", "RemoveAt", "RemoveAll", "RemoveRange", "RemoveWhere",
        "Clear", "Enqueue", "Dequeue", "TryDequeue", "EnqueueRange", "EnqueueDequeue", "DequeueEnqueue", "Push", "Pop",
        "TryPop", "TryAdd", "AddFirst", "AddLast", "AddBefore", "AddAfter", "RemoveFirst", "RemoveLast", "Sort",
        "Reverse", "UnionWith", "IntersectWith", "ExceptWith", "SymmetricExceptWith", "TrimExcess", "EnsureCapacity",
        "CopyFrom", "Fill",
    };

    /// <summary>Whether a method of that name changes the collection it is called on.</summary>
    public static bool IsMutatingMember(string name) => MutatingMembers.Contains(name);

    public readonly struct Result
    {
        public Result(AccessKind kind, bool throughElement, bool mutatesCollection, IOperation operation)
        {
            Kind = kind;
            ThroughElement = throughElement;
            MutatesCollection = mutatesCollection;
            Operation = operation;
        }

        public AccessKind Kind { get; }

        public bool ThroughElement { get; }

        public bool MutatesCollection { get; }

        /// <summary>The operation that performs the access, for the diagnostic's location.</summary>
        public IOperation Operation { get; }
    }

    public static Result Classify(IOperation reference, ISymbol member, ConcurrencySymbols symbols)
    {
        IOperation current = reference;
        bool element = false;
        while (true)
        {
            IOperation? parent = current.Parent;
            if (parent is IFieldReferenceOperation outer && outer.Instance == current && current.Type?.IsValueType == true)
            {
                current = parent;
            }
            else if (parent is IArrayElementReferenceOperation array && array.ArrayReference == current)
            {
                element = true;
                current = parent;
            }
            else if (parent is IPropertyReferenceOperation { Property.IsIndexer: true } indexer && indexer.Instance == current && symbols.IsSpan(current.Type))
            {
                // Span<int> s = _arr; s[0]++: a span's element is the element of the array it views.
                element = true;
                current = parent;
            }
            else if (parent is IArgumentOperation { Parent: IInvocationOperation view } && view.Arguments[0] == parent && symbols.IsSpanView(view.TargetMethod))
            {
                current = view; // _arr.AsSpan(): the span is the array's memory; what is done to its elements is done to the array's
            }
            else if (IsInlineArrayElement(parent, current, symbols))
            {
                element = true;
                current = parent!;
            }
            else
            {
                break;
            }
        }

        IOperation? context = current.Parent;
        switch (context)
        {
            case ISimpleAssignmentOperation assignment when assignment.Target == current:
                return new Result(ReadsMember(assignment.Value, member) ? AccessKind.ReadModifyWrite : AccessKind.Write, element, false, assignment);
            case ICompoundAssignmentOperation compound when compound.Target == current:
                return new Result(AccessKind.ReadModifyWrite, element, false, compound);
            case IIncrementOrDecrementOperation increment when increment.Target == current:
                return new Result(AccessKind.ReadModifyWrite, element, false, increment);
            case ICoalesceAssignmentOperation coalesce when coalesce.Target == current:
                return new Result(AccessKind.ReadModifyWrite, element, false, coalesce);
            case IArgumentOperation argument:
                AccessKind kind = ClassifyArgument(argument, symbols);
                bool isAtomicCall = kind is AccessKind.AtomicUpdate or AccessKind.VolatileRead or AccessKind.VolatileWrite;
                if (kind == AccessKind.VolatileWrite && StoresValueReadFrom(argument, member))
                {
                    // Volatile.Write(ref f, Volatile.Read(ref f) + 1): each half is atomic, the update is not.
                    kind = AccessKind.ReadModifyWrite;
                }

                return new Result(kind, element, false, isAtomicCall && argument.Parent is not null ? argument.Parent : argument);
            case ITupleOperation tuple when tuple.Parent is IDeconstructionAssignmentOperation deconstruction && deconstruction.Target == tuple:
                return new Result(AccessKind.Write, element, false, deconstruction);
            case IInvocationOperation invocation when !element && invocation.Instance == current && symbols.IsSpan(current.Type) && MutatingMembers.Contains(invocation.TargetMethod.Name):
                return new Result(AccessKind.Write, true, false, invocation); // span.Fill(0), span.Clear(): stores to every element
            case IInvocationOperation invocation when !element && invocation.Instance == current:
                // A collection's Add changes it; a helper's own Add is followed into its body, which says what it changes.
                bool mutates = MutatingMembers.Contains(invocation.TargetMethod.Name) && !symbols.HasBodyHere(invocation.TargetMethod);
                return new Result(AccessKind.Read, element, mutates, reference);
            case IPropertyReferenceOperation { Property.IsIndexer: true } indexer when !element && indexer.Instance == current:
                return new Result(AccessKind.Read, element, IsStoredTo(indexer), reference);
            default:
                return new Result(AccessKind.Read, element, false, reference);
        }
    }

    /// <summary>
    /// <c>_buf[1]</c> on an <c>[InlineArray]</c> struct: the Roslyn this analyzer is built against has no operation for
    /// the element access (a newer compiler has one it cannot name), so it is recognised by its shape: an operation of
    /// no known kind over the struct, whose value has the element's type.
    /// </summary>
    private static bool IsInlineArrayElement(IOperation? parent, IOperation current, ConcurrencySymbols symbols) =>
        parent is not null
        && parent is not (IConversionOperation or IArgumentOperation or IInvocationOperation or IPropertyReferenceOperation or IFieldReferenceOperation or IAssignmentOperation or IIncrementOrDecrementOperation or IVariableInitializerOperation or IReturnOperation)
        && symbols.IsInlineArray(current.Type)
        && parent.Type is { } elementType
        && !SymbolEqualityComparer.Default.Equals(elementType, current.Type)
        && parent.ChildOperations.FirstOrDefault() == current;

    private static AccessKind ClassifyArgument(IArgumentOperation argument, ConcurrencySymbols symbols)
    {
        RefKind refKind = argument.Parameter?.RefKind ?? RefKind.None;
        if (refKind == RefKind.None)
        {
            return AccessKind.Read;
        }

        if (argument.Parent is IInvocationOperation { TargetMethod: { } method })
        {
            if (symbols.IsInterlocked(method))
            {
                // Interlocked.Read(ref readonly long) is an atomic load, everything else an atomic update.
                return refKind is RefKind.Ref or RefKind.Out ? AccessKind.AtomicUpdate : AccessKind.VolatileRead;
            }

            if (symbols.IsLazyInitializer(method))
            {
                return AccessKind.AtomicUpdate;
            }

            if (symbols.IsVolatileRead(method))
            {
                return AccessKind.VolatileRead;
            }

            if (symbols.IsVolatileWrite(method))
            {
                return AccessKind.VolatileWrite;
            }
        }

        // in / ref readonly arguments are loads; ref and out arguments may store.
        return refKind is RefKind.Ref or RefKind.Out ? AccessKind.Write : AccessKind.Read;
    }

    /// <summary>Whether another argument of the call <paramref name="argument"/> belongs to reads <paramref name="member"/>.</summary>
    private static bool StoresValueReadFrom(IArgumentOperation argument, ISymbol member) =>
        argument.Parent is IInvocationOperation invocation
        && invocation.Arguments.Any(other => other != argument && ReadsMember(other.Value, member));

    public static bool IsStoredTo(IOperation operation) => operation.Parent switch
    {
        ISimpleAssignmentOperation assignment => assignment.Target == operation,
        ICompoundAssignmentOperation compound => compound.Target == operation,
        ICoalesceAssignmentOperation coalesce => coalesce.Target == operation,
        IIncrementOrDecrementOperation => true,
        _ => false,
    };

    /// <summary>Whether <paramref name="value"/> reads <paramref name="member"/>: <c>f = f + x</c>.</summary>
    private static bool ReadsMember(IOperation value, ISymbol member)
    {
        foreach (IOperation operation in value.DescendantsAndSelf())
        {
            if (operation is IFieldReferenceOperation field
                && SymbolEqualityComparer.Default.Equals(field.Field.OriginalDefinition, member.OriginalDefinition))
            {
                return true;
            }

            if (operation is IPropertyReferenceOperation property
                && SymbolEqualityComparer.Default.Equals(property.Property.OriginalDefinition, member.OriginalDefinition))
            {
                return true;
            }

            if (operation is IParameterReferenceOperation parameter && SymbolEqualityComparer.Default.Equals(parameter.Parameter, member))
            {
                return true; // a captured primary constructor parameter: n = n + 1
            }
        }

        return false;
    }
}
