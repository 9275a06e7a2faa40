using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>What a call may do to one field or auto-property, as far as the code it runs can be read.</summary>
/// <remarks>Ordered: the effect of several pieces of code is the largest of theirs.</remarks>
internal enum FieldEffect
{
    /// <summary>No code the call runs reads or assigns the member.</summary>
    None = 0,

    /// <summary>The code reads the member (it may test it), and never assigns it.</summary>
    Reads = 1,

    /// <summary>The code assigns the member, only ever with a new object (<c>_pool = new Pool()</c>).</summary>
    AssignsNew = 2,

    /// <summary>The code assigns the member (or takes a reference to it that may be written through).</summary>
    Assigns = 3,

    /// <summary>The call runs code that cannot be read: a delegate, a virtual method, a library handed the code that could.</summary>
    Unknown = 4,
}

/// <summary>
/// Interprocedural summaries for the dataflow rules (MEM3003, MEM3005, MEM3006): whether a call may read or assign a
/// field or an auto-property declared in this compilation, found by reading the code it runs, at any depth (as RacerD
/// follows a call into the callee's summary). Only code that can name a member can assign it: for a private member the
/// class that declares it (and the types nested in it), for any other the compilation's code. A call into that code is
/// followed into its body and every call it makes into that code in turn; a call into code outside it reaches the
/// member only through code inside it that it is handed (<c>this</c>, a delegate, an object of such a type, a
/// <c>ref</c> to the field), which cannot be read and is <see cref="FieldEffect.Unknown"/>; anything else is
/// <see cref="FieldEffect.None"/>. One instance per compilation; results are cached per method and member.
/// </summary>
/// <remarks>
/// Code the call may run that is not read: a virtual or abstract method of a class that is not sealed (a derived class
/// may override it), a delegate, a lambda or local function called from outside its body, a partial or extern method
/// with no body here. A callee's own lambdas are read as if they ran. Not known: an object that keeps a reference to
/// code that can assign the member and calls back into it later (handed <c>this</c> in a constructor), and a library
/// method that calls an override of the compilation's on an object typed as <c>object</c>: such a call is taken as
/// touching nothing.
/// </remarks>
internal sealed class CalleeFieldWrites
{
    /// <summary>The most methods one summary reads before it gives up (<see cref="FieldEffect.Unknown"/>).</summary>
    private const int MaxMethods = 256;

    private readonly SourceBodies _bodies;
    private readonly IAssemblySymbol _assembly;
    private readonly ConcurrentDictionary<(ISymbol Method, ISymbol Member), FieldEffect> _reached = new(new PairComparer());

    public CalleeFieldWrites(Compilation compilation)
    {
        _bodies = new SourceBodies(compilation);
        _assembly = compilation.Assembly;
    }

    /// <summary>
    /// What running <paramref name="operation"/> (a call, or a user-defined operator or conversion) may do to
    /// <paramref name="member"/>: a field, or an auto-property, declared in this compilation
    /// (<see cref="FieldEffect.Unknown"/> for anything else: a computed property may change with any state). The code
    /// it runs is read as any body's calls are (<see cref="Direct"/>).
    /// </summary>
    public FieldEffect EffectOn(IOperation operation, ISymbol member, CancellationToken cancellationToken = default)
    {
        if (Tracked(member) is not { } tracked)
        {
            return FieldEffect.Unknown;
        }

        FieldEffect effect = Direct(operation, tracked, constructing: false, out IMethodSymbol? callee, out IMethodSymbol? other);
        foreach (IMethodSymbol? body in new[] { callee, other })
        {
            if (body is not null && effect != FieldEffect.Unknown)
            {
                effect = Join(effect, Reach(body, tracked, cancellationToken));
            }
        }

        return effect;
    }

    /// <summary><see cref="OfCall"/> for an operator: no receiver, operands passed by value.</summary>
    private FieldEffect OfOperator(IMethodSymbol method, ImmutableArray<IOperation> operands, ISymbol member, out IMethodSymbol? body)
    {
        FieldEffect effect = OfCall(method, null, ImmutableArray<IArgumentOperation>.Empty, member, dispatched: false, out body);
        return body is null && effect == FieldEffect.None && operands.Any(operand => HandsCode(operand, member)) ? FieldEffect.Unknown : effect;
    }

    /// <summary><paramref name="member"/>'s definition when it is a field or an auto-property of this compilation; null otherwise.</summary>
    private ISymbol? Tracked(ISymbol member) => member.OriginalDefinition switch
    {
        IFieldSymbol field when SymbolEqualityComparer.Default.Equals(field.ContainingAssembly, _assembly) => field,
        IPropertySymbol property when AutoProperties.BackingField(property) is not null
            && SymbolEqualityComparer.Default.Equals(property.ContainingAssembly, _assembly) => property,
        _ => null,
    };

    /// <summary>Whether code of <paramref name="type"/> can name <paramref name="member"/>: its class (or a type nested in it) for a private one, the compilation for any other.</summary>
    private bool CanName(INamedTypeSymbol? type, ISymbol member) =>
        member.DeclaredAccessibility == Accessibility.Private
            ? IsWithin(type, member.ContainingType)
            : type is not null && SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, _assembly);

    /// <summary>
    /// What calling <paramref name="target"/> does to <paramref name="member"/> before its body is read, and the body
    /// to read (<paramref name="body"/>: a method that can name the member, whose code runs for certain).
    /// </summary>
    private FieldEffect OfCall(
        IMethodSymbol target, IOperation? instance, ImmutableArray<IArgumentOperation> arguments, ISymbol member, bool dispatched, out IMethodSymbol? body)
    {
        body = null;
        FieldEffect effect = FieldEffect.None;
        foreach (IArgumentOperation argument in arguments)
        {
            // A ref, an out or an address of the field: the callee may write it, whoever the callee is.
            if ((argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out && Reads(argument.Value, member))
                || (argument.Value.WithoutConversions() is IAddressOfOperation address && Reads(address.Reference, member)))
            {
                effect = FieldEffect.Assigns;
            }
        }

        if (target.MethodKind is MethodKind.LocalFunction or MethodKind.AnonymousFunction or MethodKind.DelegateInvoke)
        {
            return FieldEffect.Unknown; // a delegate may be a lambda that can; a local function is read in its own body
        }

        target = target.PartialImplementationPart ?? target;
        if (CanName(target.ContainingType, member))
        {
            if (target.MethodKind == MethodKind.Constructor && target.IsImplicitlyDeclared)
            {
                // Only field initializers run, for the new object; one of them may call code that sets a static member.
                return member.IsStatic ? FieldEffect.Unknown : effect;
            }

            // Code that can name the member: read it when it is the code that runs.
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

        // Other code reaches the member only through code that can name it, handed to it.
        if (HandsCode(instance, member) || arguments.Any(argument => HandsCode(argument.Value, member)))
        {
            return FieldEffect.Unknown;
        }

        return effect;
    }

    /// <summary>
    /// Whether <paramref name="value"/> gives code that cannot name the member a way to code that can: <c>this</c>, a
    /// delegate (it may be a lambda that can), or an object of a type whose code can (or derived from one).
    /// </summary>
    private bool HandsCode(IOperation? value, ISymbol member)
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
            if (type is INamedTypeSymbol named && CanName(named, member))
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

    /// <summary>Whether <paramref name="operation"/> is a read of <paramref name="member"/> (through any instance).</summary>
    private static bool Reads(IOperation operation, ISymbol member) =>
        operation.WithoutConversions() is IMemberReferenceOperation reference
        && SymbolEqualityComparer.Default.Equals(reference.Member.OriginalDefinition, member);

    /// <summary>What the code <paramref name="root"/> runs, its callees that can name the member at any depth included, does to <paramref name="member"/>.</summary>
    private FieldEffect Reach(IMethodSymbol root, ISymbol member, CancellationToken cancellationToken)
    {
        if (_reached.TryGetValue((root, member), out FieldEffect known))
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
                    effect = Join(effect, Direct(operation, member, constructing, out IMethodSymbol? callee, out IMethodSymbol? other));
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

        return _reached.GetOrAdd((root, member), effect);
    }

    /// <summary>
    /// What one operation of a body read does to <paramref name="member"/> by itself, and the methods it runs that can
    /// name the member (<paramref name="callee"/>; a property's two accessors: <paramref name="other"/> too), to read next.
    /// </summary>
    /// <remarks>
    /// In a constructor (<paramref name="constructing"/>), <c>this</c> is the object being made, never the caller's: its
    /// own member's writes there are not the caller's member's (<c>new C(_pool)</c> in a callee leaves the caller's
    /// <c>_pool</c> as it was).
    /// </remarks>
    private FieldEffect Direct(IOperation operation, ISymbol member, bool constructing, out IMethodSymbol? callee, out IMethodSymbol? other)
    {
        callee = null;
        other = null;
        FieldEffect own = FieldEffect.None;
        if (operation is IMemberReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Member.OriginalDefinition, member))
        {
            own = constructing && reference.Instance is IInstanceReferenceOperation ? FieldEffect.None : WriteOf(reference, member);
        }

        switch (operation)
        {
            case IFieldReferenceOperation:
                return own;
            case IInvocationOperation invocation:
                return OfCall(invocation.TargetMethod, invocation.Instance, invocation.Arguments, member, invocation.IsVirtual, out callee);
            case IObjectCreationOperation { Constructor: { } constructor } creation:
                return OfCall(constructor, null, creation.Arguments, member, dispatched: false, out callee);
            case IPropertyReferenceOperation { Property: var property } propertyReference:
                FieldEffect effect = own;
                if (property.GetMethod is { } getter)
                {
                    effect = Join(effect, OfCall(getter, propertyReference.Instance, propertyReference.Arguments, member, dispatched: true, out callee));
                }

                return property.SetMethod is { } setter
                    ? Join(effect, OfCall(setter, propertyReference.Instance, propertyReference.Arguments, member, dispatched: true, out other))
                    : effect;
            case IMethodReferenceOperation { Method: var method } when CanName(method.ContainingType, member):
                // A delegate made of such a method may run anywhere: read it as if it ran.
                callee = method.PartialImplementationPart ?? method;
                return method.IsAbstract || (method.IsVirtual && !method.ContainingType.IsSealed) ? FieldEffect.Unknown : FieldEffect.None;
            case IDynamicInvocationOperation or IDynamicMemberReferenceOperation:
                return FieldEffect.Unknown;
            case var user when FlowFacts.UserDefinedOperator(user) is { } op:
                return OfOperator(op.Method, op.Operands, member, out callee);
            default:
                return FieldEffect.None;
        }
    }

    /// <summary>Whether a reference to the member, in a body read, writes it (or takes a reference that may), or only reads it.</summary>
    private static FieldEffect WriteOf(IMemberReferenceOperation reference, ISymbol member)
    {
        IOperation parent = reference.Parent!;
        while (parent is ITupleOperation)
        {
            // An element of a deconstruction's target: (_a, _b) = (x, y).
            parent = parent.Parent!;
        }

        ITypeSymbol type = member is IFieldSymbol field ? field.Type : ((IPropertySymbol)member).Type;
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
            case IMemberReferenceOperation or IInvocationOperation when type.IsValueType && type.TypeKind != TypeKind.Pointer && type.SpecialType == SpecialType.None:
                return FieldEffect.Assigns; // a struct's member changed in place
            default:
                return FieldEffect.Reads;
        }
    }

    private static FieldEffect Join(FieldEffect a, FieldEffect b) => a > b ? a : b;

    /// <summary>Pairs of symbols, compared as <see cref="SymbolEqualityComparer.Default"/> compares each.</summary>
    private sealed class PairComparer : IEqualityComparer<(ISymbol Method, ISymbol Member)>
    {
        public bool Equals((ISymbol Method, ISymbol Member) x, (ISymbol Method, ISymbol Member) y) =>
            SymbolEqualityComparer.Default.Equals(x.Method, y.Method) && SymbolEqualityComparer.Default.Equals(x.Member, y.Member);

        public int GetHashCode((ISymbol Method, ISymbol Member) pair) =>
            (SymbolEqualityComparer.Default.GetHashCode(pair.Method) * 31) + SymbolEqualityComparer.Default.GetHashCode(pair.Member);
    }
}
