using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>What a call may do to one private field, as far as the code it runs can be read.</summary>
/// <remarks>Ordered: the effect of several pieces of code is the largest of theirs.</remarks>
internal enum FieldEffect
{
    /// <summary>No code the call runs reads or assigns the field.</summary>
    None = 0,

    /// <summary>The code reads the field (it may test it), and never assigns it.</summary>
    Reads = 1,

    /// <summary>The code assigns the field, only ever with a new object (<c>_pool = new Pool()</c>).</summary>
    AssignsNew = 2,

    /// <summary>The code assigns the field (or takes a reference to it that may be written through).</summary>
    Assigns = 3,

    /// <summary>The call runs code that cannot be read: a delegate, a virtual method, a library handed the class's own code.</summary>
    Unknown = 4,
}

/// <summary>
/// Interprocedural summaries for the dataflow rules (MEM3003, MEM3005, MEM3006): whether a call may read or assign a
/// <b>private</b> field, found by reading the code it runs. Only the class that declares a private field (and the
/// types nested in it) can assign it, so a call into that code is followed into its body, and through every call that
/// body makes into it, at any depth (as RacerD follows a call into the callee's summary); a call into any other type
/// reaches the field only through the class's own code it is handed (<c>this</c>, a delegate, an object of the class, a
/// <c>ref</c> to the field), which cannot be read and is <see cref="FieldEffect.Unknown"/>; anything else is
/// <see cref="FieldEffect.None"/>. One instance per compilation; results are cached per method and field.
/// </summary>
/// <remarks>
/// Code the call may run that is not read: a virtual or abstract method of a class that is not sealed (a derived class
/// may override it and reach the field through protected members), a delegate, a lambda or local function called from
/// outside its body, a partial or extern method with no body here. A callee's own lambdas are read as if they ran.
/// Not known: an object of another type that keeps a reference to the class and calls back into it (handed
/// <c>this</c> earlier, in a constructor), and a library method that calls an override of the class's own on an object
/// typed as <c>object</c>: such a call is taken as assigning nothing.
/// </remarks>
internal sealed class CalleeFieldWrites
{
    /// <summary>The most methods one summary reads before it gives up (<see cref="FieldEffect.Unknown"/>).</summary>
    private const int MaxMethods = 256;

    private readonly SourceBodies _bodies;
    private readonly ConcurrentDictionary<(ISymbol Method, ISymbol Field), FieldEffect> _reached = new(new PairComparer());

    public CalleeFieldWrites(Compilation compilation) => _bodies = new SourceBodies(compilation);

    /// <summary>What <paramref name="call"/> may do to <paramref name="field"/> (a private field declared in this compilation).</summary>
    public FieldEffect EffectOn(IInvocationOperation call, IFieldSymbol field, CancellationToken cancellationToken = default)
    {
        field = field.OriginalDefinition;
        FieldEffect effect = OfCall(call.TargetMethod, call.Instance, call.Arguments, field, call.IsVirtual, out IMethodSymbol? body);
        return body is null ? effect : Join(effect, Reach(body, field, cancellationToken));
    }

    /// <summary>
    /// What calling <paramref name="target"/> does to <paramref name="field"/> before its body is read, and the body to
    /// read (<paramref name="body"/>: a method of the field's class whose code runs for certain).
    /// </summary>
    private FieldEffect OfCall(
        IMethodSymbol target, IOperation? instance, ImmutableArray<IArgumentOperation> arguments, IFieldSymbol field, bool dispatched, out IMethodSymbol? body)
    {
        body = null;
        FieldEffect effect = FieldEffect.None;
        foreach (IArgumentOperation argument in arguments)
        {
            // A ref, an out or an address of the field: the callee may write it, whoever the callee is.
            if ((argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out && Reads(argument.Value, field))
                || (argument.Value.WithoutConversions() is IAddressOfOperation address && Reads(address.Reference, field)))
            {
                effect = FieldEffect.Assigns;
            }
        }

        if (target.MethodKind is MethodKind.LocalFunction or MethodKind.AnonymousFunction or MethodKind.DelegateInvoke)
        {
            return FieldEffect.Unknown; // a delegate may be a lambda of the class; a local function is read in its own body
        }

        target = target.PartialImplementationPart ?? target;
        if (IsWithin(target.ContainingType, field.ContainingType))
        {
            if (target.MethodKind == MethodKind.Constructor && target.IsImplicitlyDeclared)
            {
                // Only field initializers run, for the new object; one of them may call code that sets a static field.
                return field.IsStatic ? FieldEffect.Unknown : effect;
            }

            // The class's own code: read it when it is the code that runs.
            bool overridable = dispatched
                && (target.IsVirtual || target.IsAbstract || target.IsOverride)
                && !target.IsSealed
                && !target.ContainingType.IsSealed
                && !target.ContainingType.IsValueType;
            if (overridable || target.IsAbstract || target.IsExtern || target.DeclaringSyntaxReferences.IsEmpty)
            {
                return target.IsExtern ? effect : FieldEffect.Unknown;
            }

            body = target.OriginalDefinition;
            return effect;
        }

        // Another type's code reaches a private field only through the class's own code it is handed.
        if (HandsOwnCode(instance, field) || arguments.Any(argument => HandsOwnCode(argument.Value, field)))
        {
            return FieldEffect.Unknown;
        }

        return effect;
    }

    /// <summary>
    /// Whether <paramref name="value"/> gives another type's code a way into the field's class: <c>this</c>, a delegate
    /// (it may be one of the class's lambdas), or an object typed as the class, a type nested in it or derived from it.
    /// </summary>
    private static bool HandsOwnCode(IOperation? value, IFieldSymbol field)
    {
        if (value is null)
        {
            return false;
        }

        IOperation operation = value.WithoutConversions();
        if (operation is IInstanceReferenceOperation || value.Type?.TypeKind == TypeKind.Delegate || operation.Type?.TypeKind == TypeKind.Delegate)
        {
            return true;
        }

        for (ITypeSymbol? type = operation.Type; type is not null; type = type.BaseType)
        {
            if (type is INamedTypeSymbol named && IsWithin(named, field.ContainingType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="type"/> is <paramref name="owner"/> or nested in it (code there sees its private members).</summary>
    private static bool IsWithin(INamedTypeSymbol? type, INamedTypeSymbol owner)
    {
        for (INamedTypeSymbol? containing = type; containing is not null; containing = containing.ContainingType)
        {
            if (SymbolEqualityComparer.Default.Equals(containing.OriginalDefinition, owner.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="operation"/> is a read of <paramref name="field"/> (through any instance).</summary>
    private static bool Reads(IOperation operation, IFieldSymbol field) =>
        operation.WithoutConversions() is IFieldReferenceOperation reference
        && SymbolEqualityComparer.Default.Equals(reference.Field.OriginalDefinition, field);

    /// <summary>What the code <paramref name="root"/> runs, its callees into the class at any depth included, does to <paramref name="field"/>.</summary>
    private FieldEffect Reach(IMethodSymbol root, IFieldSymbol field, CancellationToken cancellationToken)
    {
        if (_reached.TryGetValue((root, field), out FieldEffect known))
        {
            return known;
        }

        // One search from the root: every method it reaches is read once, so the root's answer is exact (a cycle ends
        // where it closes); the methods on the way are not cached, as their own searches may reach more.
        var seen = new HashSet<ISymbol>(SymbolEqualityComparer.Default) { root };
        var pending = new Stack<IMethodSymbol>();
        pending.Push(root);
        FieldEffect effect = FieldEffect.None;
        while (pending.Count != 0 && effect != FieldEffect.Unknown)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IMethodSymbol method = pending.Pop();
            bool constructing = method.MethodKind == MethodKind.Constructor;
            foreach (IOperation body in _bodies.Of(method, includeGenerated: true, cancellationToken))
            {
                foreach (IOperation operation in body.DescendantsAndSelf())
                {
                    effect = Join(effect, Direct(operation, field, constructing, out IMethodSymbol? callee, out IMethodSymbol? other));
                    foreach (IMethodSymbol? next in new[] { callee, other })
                    {
                        if (next is not null && seen.Add(next))
                        {
                            pending.Push(next);
                        }
                    }
                }
            }

            if (seen.Count > MaxMethods)
            {
                effect = FieldEffect.Unknown;
            }
        }

        return _reached.GetOrAdd((root, field), effect);
    }

    /// <summary>
    /// What one operation of a body read does to <paramref name="field"/> by itself, and the methods of the class it
    /// runs (<paramref name="callee"/>; a property's two accessors: <paramref name="other"/> too), to read next.
    /// </summary>
    /// <remarks>
    /// In a constructor (<paramref name="constructing"/>), <c>this</c> is the object being made, never the caller's: its
    /// own field's writes there are not the caller's field's (<c>new C(_pool)</c> in a callee leaves the caller's
    /// <c>_pool</c> as it was).
    /// </remarks>
    private FieldEffect Direct(IOperation operation, IFieldSymbol field, bool constructing, out IMethodSymbol? callee, out IMethodSymbol? other)
    {
        callee = null;
        other = null;
        switch (operation)
        {
            case IFieldReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Field.OriginalDefinition, field):
                return constructing && reference.Instance is IInstanceReferenceOperation ? FieldEffect.None : WriteOf(reference, field);
            case IInvocationOperation invocation:
                return OfCall(invocation.TargetMethod, invocation.Instance, invocation.Arguments, field, invocation.IsVirtual, out callee);
            case IObjectCreationOperation { Constructor: { } constructor } creation:
                return OfCall(constructor, null, creation.Arguments, field, dispatched: false, out callee);
            case IPropertyReferenceOperation { Property: var property } reference:
                FieldEffect effect = FieldEffect.None;
                if (property.GetMethod is { } getter)
                {
                    effect = OfCall(getter, reference.Instance, reference.Arguments, field, dispatched: true, out callee);
                }

                return property.SetMethod is { } setter
                    ? Join(effect, OfCall(setter, reference.Instance, reference.Arguments, field, dispatched: true, out other))
                    : effect;
            case IMethodReferenceOperation { Method: var method } when IsWithin(method.ContainingType, field.ContainingType):
                // A delegate made of the class's method may run anywhere: read it as if it ran.
                callee = method.PartialImplementationPart ?? method;
                return method.IsAbstract || (method.IsVirtual && !method.ContainingType.IsSealed) ? FieldEffect.Unknown : FieldEffect.None;
            case IDynamicInvocationOperation or IDynamicMemberReferenceOperation:
                return FieldEffect.Unknown;
            default:
                return FieldEffect.None;
        }
    }

    /// <summary>Whether a reference to the field, in a body read, writes it (or takes a reference that may), or only reads it.</summary>
    private static FieldEffect WriteOf(IFieldReferenceOperation reference, IFieldSymbol field)
    {
        IOperation parent = reference.Parent!;
        while (parent is ITupleOperation)
        {
            // An element of a deconstruction's target: (_a, _b) = (x, y).
            parent = parent.Parent!;
        }

        switch (parent)
        {
            case ISimpleAssignmentOperation assignment when assignment.Target == reference:
                return assignment.Value.WithoutConversions() is IObjectCreationOperation ? FieldEffect.AssignsNew : FieldEffect.Assigns;
            case IAssignmentOperation assignment when assignment.Target == reference || parent is IDeconstructionAssignmentOperation:
            case IIncrementOrDecrementOperation:
            case IAddressOfOperation:
            case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out }:
            case IReturnOperation when reference.Syntax.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.RefExpressionSyntax:
            case IVariableInitializerOperation when reference.Syntax.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.RefExpressionSyntax:
                return FieldEffect.Assigns;
            case IMemberReferenceOperation or IInvocationOperation when field.Type.IsValueType && field.Type.TypeKind != TypeKind.Pointer && field.Type.SpecialType == SpecialType.None:
                return FieldEffect.Assigns; // a struct's member changed in place
            default:
                return FieldEffect.Reads;
        }
    }

    private static FieldEffect Join(FieldEffect a, FieldEffect b) => a > b ? a : b;

    /// <summary>Pairs of symbols, compared as <see cref="SymbolEqualityComparer.Default"/> compares each.</summary>
    private sealed class PairComparer : IEqualityComparer<(ISymbol Method, ISymbol Field)>
    {
        public bool Equals((ISymbol Method, ISymbol Field) x, (ISymbol Method, ISymbol Field) y) =>
            SymbolEqualityComparer.Default.Equals(x.Method, y.Method) && SymbolEqualityComparer.Default.Equals(x.Field, y.Field);

        public int GetHashCode((ISymbol Method, ISymbol Field) pair) =>
            (SymbolEqualityComparer.Default.GetHashCode(pair.Method) * 31) + SymbolEqualityComparer.Default.GetHashCode(pair.Field);
    }
}
